"""Signing in: throttling, password rules, idle sessions, invitations, two-factor, and
the security headers read off real responses."""

import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from communities import mfa
from communities.services import user_invite
from communities.tests.factories import SchoolFactory, UserFactory, make_senco

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


def login(client, email: str, password: str):
    return client.post("/accounts/login/", {"username": email, "password": password})


def test_ten_failures_lock_the_account_with_a_clear_message(client):
    UserFactory(email="target@example.org")
    for _ in range(9):
        response = login(client, "target@example.org", "wrong-password-here")
        assert response.status_code == 200
        assert "Enter a correct email address and password" in response.content.decode()
    response = login(client, "Target@Example.org", "wrong-password-here")  # the 10th
    assert response.status_code == 429
    assert "Sign-in is locked for 15 minutes" in response.content.decode()
    # Even the right password is refused while locked.
    response = login(client, "target@example.org", "correct-horse-battery")
    assert response.status_code == 429


def test_a_success_before_the_limit_resets_the_count(client):
    UserFactory(email="forgetful@example.org")
    for _ in range(9):
        login(client, "forgetful@example.org", "wrong-password-here")
    assert login(client, "forgetful@example.org", "correct-horse-battery").status_code == 302
    client.logout()
    for _ in range(9):
        assert login(client, "forgetful@example.org", "wrong-password-here").status_code == 200


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short-pass", "at least 12 characters"),
        ("password1234", "too common"),
        ("123456789012", "entirely numeric"),
    ],
)
def test_password_rules(password, message):
    with pytest.raises(ValidationError, match=message):
        validate_password(password, UserFactory.build(email="p@example.org", full_name="P"))


def test_sessions_end_after_30_idle_minutes(client):
    client.force_login(make_senco(SchoolFactory()))
    assert client.get("/").status_code == 302
    session = Session.objects.get()
    remaining = session.expire_date - timezone.now()
    assert dt.timedelta(minutes=29) < remaining <= dt.timedelta(minutes=30)
    # 31 minutes without a request: the session has expired.
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(minutes=1))
    cache.clear()
    assert client.get("/")["Location"].startswith("/accounts/login/")


def test_invitation_link_sets_a_password_once_and_expires(client, mailoutbox, settings):
    admin = UserFactory(is_staff=True)
    person = UserFactory(email="new.senco@example.org")
    person.set_unusable_password()
    person.save()
    user_invite(actor=admin, user=person)
    body = mailoutbox[0].body
    link = next(line for line in body.splitlines() if "/accounts/reset/" in line)
    path = link.split("8000", 1)[1] if "8000" in link else link
    response = client.get(path, follow=True)
    assert "Choose a new password" in response.content.decode()
    form_url = response.redirect_chain[-1][0]
    done = client.post(
        form_url,
        {"new_password1": "a-long-new-password-2026", "new_password2": "a-long-new-password-2026"},
    )
    assert done.status_code == 302
    person.refresh_from_db()
    assert person.check_password("a-long-new-password-2026")
    again = client.get(path, follow=True).content.decode()
    assert "This link has expired" in again
    settings.PASSWORD_RESET_TIMEOUT = 1  # links work for a second
    other = UserFactory(email="late@example.org")
    user_invite(actor=admin, user=other)
    time.sleep(2.1)
    late = next(line for line in mailoutbox[-1].body.splitlines() if "/accounts/reset/" in line)
    assert (
        "This link has expired"
        in client.get(late.split("8000", 1)[1], follow=True).content.decode()
    )


def test_the_invitation_carries_no_one_elses_data(mailoutbox):
    person = UserFactory(email="x@example.org", full_name="Xena Person")
    user_invite(actor=UserFactory(full_name="Ada Admin"), user=person)
    assert mailoutbox[0].to == ["x@example.org"]
    assert "Ada Admin" in mailoutbox[0].body


@override_settings(REQUIRE_MFA=True)
def test_two_factor_is_required_enrolled_and_verified(client):
    senco = make_senco(SchoolFactory())
    assert login(client, senco.email, "correct-horse-battery").status_code == 302
    home = client.get("/")
    assert home["Location"].startswith("/accounts/two-factor/setup/")
    setup = client.get(home["Location"])
    assert "Set up two-factor sign-in" in setup.content.decode()
    assert "<svg" in setup.content.decode()
    device = TOTPDevice.objects.get(user=senco, confirmed=False)
    wrong = client.post("/accounts/two-factor/setup/", {"code": "000000"})
    assert "The security code is wrong" in wrong.content.decode()
    time.sleep(1.1)  # django-otp makes each try after a wrong code wait a little longer
    code = TOTP(device.bin_key).token()
    done = client.post("/accounts/two-factor/setup/", {"code": f"{code:06d}"})
    codes = done.context["codes"]
    assert len(codes) == 10
    assert client.get("/").status_code == 302  # to the school: through
    assert client.get("/").url.startswith("/schools/")
    client.logout()
    login(client, senco.email, "correct-horse-battery")
    assert client.get("/")["Location"].startswith("/accounts/two-factor/?next=")
    assert client.get("/admin/")["Location"].startswith("/accounts/two-factor/")
    # A recovery code works once.
    assert client.post("/accounts/two-factor/", {"code": codes[0], "next": "/"}).status_code == 302
    client.logout()
    login(client, senco.email, "correct-horse-battery")
    time.sleep(1.1)
    reused = client.post("/accounts/two-factor/", {"code": codes[0]})
    assert reused.status_code == 200
    assert "wrong or has expired" in reused.content.decode()
    # An administrator's reset sends the person back to enrolment.
    mfa.reset(senco)
    assert client.get("/")["Location"].startswith("/accounts/two-factor/setup/")


def test_two_factor_is_on_by_default_outside_debug():
    code = (
        "import os; os.environ['DJANGO_SETTINGS_MODULE']='kentlocality.settings.base';"
        "from django.conf import settings; print(settings.REQUIRE_MFA)"
    )
    for debug, expected in (("false", "True"), ("true", "False")):
        environ = {**os.environ, "DEBUG": debug}
        environ.pop("REQUIRE_MFA", None)
        out = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, env=environ, capture_output=True, text=True
        )
        assert out.stdout.strip() == expected, out.stderr


HEADER_PROBE = """
import json, os
import django
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
client = Client(HTTP_HOST="cos.kent.example")
response = client.get("/accounts/login/", secure=True)
cookie = response.cookies.get("__Host-csrftoken")
print(json.dumps({
    "status": response.status_code,
    "csp": response.get("Content-Security-Policy", ""),
    "hsts": response.get("Strict-Transport-Security", ""),
    "frame": response.get("X-Frame-Options", ""),
    "referrer": response.get("Referrer-Policy", ""),
    "nosniff": response.get("X-Content-Type-Options", ""),
    "csrf_secure": bool(cookie and cookie["secure"]),
    "csrf_samesite": cookie["samesite"] if cookie else "",
    "body_has_nonce": "nonce=" in response.content.decode(),
    "redirect": Client(HTTP_HOST="cos.kent.example").get("/accounts/login/").status_code,
}))
"""


def test_security_headers_on_real_production_responses(tmp_path):
    environ = {
        k: v for k, v in os.environ.items() if k not in ("DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "kentlocality.settings.production",
            "SECRET_KEY": "s" * 30 + "-production-like-secret-key-for-the-header-test",
            "ALLOWED_HOSTS": "cos.kent.example",
            "DATABASE_URL": os.environ.get(
                "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kentlocality"
            ),
            "REDIS_URL": "redis://127.0.0.1:6379/15",
            "SITE_URL": "https://cos.kent.example",
            "STATIC_ROOT": str(tmp_path / "static"),
        }
    )
    collected = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert collected.returncode == 0, collected.stderr
    out = subprocess.run(
        [sys.executable, "-c", HEADER_PROBE],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    headers = json.loads(out.stdout.strip().splitlines()[-1])
    assert headers["status"] == 200
    csp = headers["csp"]
    assert "script-src 'self' 'nonce-" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert headers["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["frame"] == "DENY"
    assert headers["referrer"] == "same-origin"
    assert headers["nosniff"] == "nosniff"
    assert headers["csrf_secure"] is True
    assert headers["body_has_nonce"] is True
    assert headers["redirect"] == 301  # plain HTTP goes to HTTPS
