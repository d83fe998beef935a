"""Sign-in details (issue 17, items 5 and 8): password links built from SITE_URL whatever
the Host header says, valid for 24 hours, the reset form throttled; an email whenever an
authenticator is set up or reset; django-axes reading the client's address from the
proxy's header only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import RequestFactory
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from communities import mfa
from communities.auth import client_ip
from communities.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
RESET = "/accounts/password-reset/"


def _link(message) -> str:
    return next(line for line in message.body.splitlines() if "/accounts/reset/" in line)


def test_a_password_link_is_built_from_site_url_not_the_host_header(client, mailoutbox, settings):
    settings.SITE_URL = "https://cos.kent.example"
    UserFactory(email="person@example.org")
    response = client.post(RESET, {"email": "person@example.org"}, HTTP_HOST="evil.example")
    assert response.status_code == 302
    (message,) = mailoutbox
    assert _link(message).strip().startswith("https://cos.kent.example/accounts/reset/")
    assert "evil.example" not in message.body
    assert "evil.example" not in message.alternatives[0][0]
    assert "expires after 24 hours" in message.body


def test_password_links_last_24_hours(settings):
    assert settings.PASSWORD_RESET_TIMEOUT == 24 * 3600
    person = UserFactory()
    token = default_token_generator.make_token(person)
    made = dt.datetime.now()
    later = type(default_token_generator)()
    later._now = lambda: made + dt.timedelta(hours=23, minutes=59)  # the generator's clock
    assert later.check_token(person, token)
    later._now = lambda: made + dt.timedelta(hours=24, minutes=1)
    assert not later.check_token(person, token)


def test_an_invited_person_can_ask_for_a_new_link(client, mailoutbox):
    person = UserFactory(email="invited@example.org")
    person.set_unusable_password()
    person.save()
    client.post(RESET, {"email": "invited@example.org"})
    assert len(mailoutbox) == 1
    # Switched-off accounts get nothing.
    UserFactory(email="gone@example.org", is_active=False)
    client.post(RESET, {"email": "gone@example.org"})
    assert len(mailoutbox) == 1


def test_the_reset_form_is_throttled_by_address_and_by_client(client, mailoutbox, settings):
    settings.PASSWORD_RESET_EMAIL_LIMIT = 3
    settings.PASSWORD_RESET_CLIENT_LIMIT = 8  # this test asks 8 times before the last
    UserFactory(email="target@example.org")
    for _ in range(3):
        assert client.post(RESET, {"email": "target@example.org"}).status_code == 302
    refused = client.post(RESET, {"email": "Target@Example.org"})
    assert refused.status_code == 429
    assert "Too many password links have been asked for" in refused.content.decode()
    assert len(mailoutbox) == 3
    # An address with no account is counted the same (the answer tells nothing).
    for _ in range(3):
        assert client.post(RESET, {"email": "nobody@example.org"}).status_code == 302
    assert client.post(RESET, {"email": "nobody@example.org"}).status_code == 429
    # One client asking for many addresses is stopped too.
    UserFactory(email="other@example.org")
    assert client.post(RESET, {"email": "other@example.org"}).status_code == 429
    assert len(mailoutbox) == 3


def test_setting_up_an_authenticator_is_emailed_to_the_person(
    mailoutbox, django_capture_on_commit_callbacks
):
    person = UserFactory(email="mfa@example.org", full_name="Morgan Factor")
    device = mfa.enrolment_device(person)
    with django_capture_on_commit_callbacks(execute=True):
        codes = mfa.confirm_enrolment(person, device, f"{TOTP(device.bin_key).token():06d}")
    assert codes
    (message,) = mailoutbox
    assert message.to == ["mfa@example.org"]
    assert message.subject == "Two-factor sign-in was set up on your account"
    assert "If this was not you" in message.body
    for secret in [*codes, mfa.secret_for_typing(device).replace(" ", "")]:
        assert secret not in message.body


def test_a_reset_is_emailed_to_the_person_with_who_did_it(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    person = UserFactory(email="reset.me@example.org")
    device = mfa.enrolment_device(person)
    mfa.confirm_enrolment(person, device, f"{TOTP(device.bin_key).token():06d}")
    mailoutbox.clear()
    admin = UserFactory(full_name="Sam Superuser", is_staff=True, is_superuser=True)
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/communities/user/",
            {"action": "reset_two_factor", "_selected_action": [person.pk]},
        )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=person).exists()
    (message,) = mailoutbox
    assert message.to == ["reset.me@example.org"]
    assert message.subject == "Your two-factor sign-in was reset"
    assert "Sam Superuser" in message.body
    # Nothing to reset: nothing to tell.
    with django_capture_on_commit_callbacks(execute=True):
        mfa.reset(person, actor=admin)
    assert len(mailoutbox) == 1


@pytest.mark.parametrize(
    ("proxies", "forwarded", "seen"),
    [
        (0, "203.0.113.9", "172.18.0.5"),  # no proxy configured: the header is ignored
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # a client-written entry is ignored
        (1, "", "172.18.0.5"),  # not through the proxy (a health check from inside)
        (1, "not-an-address", "172.18.0.5"),
        (2, "6.6.6.6, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
    ],
)
def test_the_client_address_comes_from_the_proxys_header_only(settings, proxies, forwarded, seen):
    settings.CLIENT_IP_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="172.18.0.5", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == seen


def test_axes_locks_out_the_address_behind_the_proxy_not_the_proxy(client, settings):
    settings.CLIENT_IP_PROXY_COUNT = 1
    UserFactory(email="target@example.org")
    attacker = {"REMOTE_ADDR": "172.18.0.5", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    colleague = {"REMOTE_ADDR": "172.18.0.5", "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    wrong = {"username": "target@example.org", "password": "wrong-password-here"}
    for _ in range(10):
        client.post("/accounts/login/", wrong, **attacker)
    assert client.post("/accounts/login/", wrong, **attacker).status_code == 429
    # The same person, from another computer behind the same proxy, signs in.
    right = {"username": "target@example.org", "password": "correct-horse-battery"}
    assert client.post("/accounts/login/", right, **colleague).status_code == 302
