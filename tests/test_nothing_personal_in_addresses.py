"""Nothing personal in URLs, titles and logs (issue 17, item 3): ``?next=`` carries a
path only, the request page's title names the reference, searches by pupil name are
posted (requests/tests/test_views_senco.py, requests/tests/test_subject_access.py), and
gunicorn's access log has neither query strings nor password-link tokens."""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import override_settings
from django.urls import reverse

from communities.auth import next_path
from communities.tests.factories import SchoolFactory, UserFactory, make_senco
from requests.tests.factories import DraftFactory

ROOT = Path(__file__).resolve().parent.parent


def _next_of(location: str) -> list[str]:
    return parse_qs(urlsplit(location).query).get("next", [])


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("/schools/4/", "/schools/4/"),
        ("/schools/4/?search=abc&q=Alex+Example", "/schools/4/"),
        ("/requests/9/#timeline", "/requests/9/"),
        ("https://evil.example/steal", ""),
        ("//evil.example/steal", ""),
        ("/\\evil.example/steal", ""),
        ("http://testserver/schools/4/", ""),  # even this site's, when absolute
        ("javascript:alert(1)", ""),
        ("schools/4/", ""),
        ("", ""),
    ],
)
def test_next_is_a_path_on_this_site_or_nothing(given, kept):
    assert next_path(given) == kept


@pytest.mark.django_db
def test_the_way_to_sign_in_carries_the_path_only(client):
    school = SchoolFactory()
    response = client.get(f"/schools/{school.pk}/?q=Alex+Example&page=2")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert _next_of(response["Location"]) == [f"/schools/{school.pk}/"]
    assert "Alex" not in response["Location"]
    # The administration's own redirect too.
    response = client.get("/admin/requests/pupilidentityview/?q=alex.example%40school.org")
    assert response["Location"].startswith("/admin/login/")
    assert _next_of(response["Location"]) == ["/admin/requests/pupilidentityview/"]
    assert "alex" not in response["Location"].lower()


@pytest.mark.django_db
@override_settings(REQUIRE_MFA=True)
def test_the_way_to_the_second_factor_carries_the_path_only(client):
    school = SchoolFactory()
    client.force_login(make_senco(school))
    response = client.get(f"/schools/{school.pk}/?q=Alex+Example")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/two-factor/setup/")
    assert _next_of(response["Location"]) == [f"/schools/{school.pk}/"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("posted", "lands"),
    [
        ("/support-services/?q=Alex", "/support-services/"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("http://testserver/support-services/", "/"),
    ],
)
def test_signing_in_goes_on_to_a_path_of_this_site_only(client, posted, lands):
    UserFactory(email="person@example.org")
    response = client.post(
        "/accounts/login/?next=" + posted,
        {"username": "person@example.org", "password": "correct-horse-battery", "next": posted},
    )
    assert response.status_code == 302
    assert response["Location"] == lands


@pytest.mark.django_db
def test_the_request_pages_title_names_the_reference_not_the_pupil(client):
    draft = DraftFactory(first_name="Zebedee", last_name="Quillfeather")
    client.force_login(draft.created_by)
    page = client.get(reverse("requests:detail", args=[draft.pk])).content.decode()
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert "Request for Resource Draft" in title
    assert "Zebedee" not in title and "Quillfeather" not in title
    assert "Zebedee Quillfeather" in page  # the school still sees who it is about


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_gunicorns_access_log_has_no_query_string_referer_or_password_token(tmp_path):
    port = _free_port()
    log = tmp_path / "access.log"
    environ = {
        **{k: v for k, v in os.environ.items() if k not in ("DEBUG",)},
        "DJANGO_SETTINGS_MODULE": "kentlocality.settings.test",
        # The reset page reads a database: an empty one is enough for the log's sake.
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
    }
    with log.open("w") as out:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "kentlocality.wsgi",
                "-c",
                "deploy/gunicorn.conf.py",
            ],
            cwd=ROOT,
            env=environ,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        paths = [
            "/accounts/login/?next=/schools/1/&q=Zebedee+Quillfeather",
            "/accounts/reset/MQ/cn3kzx-0123456789abcdef0123456789abcdef/",
        ]
        for path in paths:
            request = urllib.request.Request(
                base + path, headers={"Referer": f"{base}/schools/1/?q=Zebedee+Quillfeather"}
            )
            # The reset page finds no tables in the empty database: its status is not
            # the point, its log line is.
            with contextlib.suppress(urllib.error.HTTPError):
                urllib.request.urlopen(request, timeout=10).read()
        time.sleep(0.5)
    finally:
        server.terminate()
        server.wait(timeout=20)
    lines = [line for line in log.read_text().splitlines() if '"GET ' in line]
    assert len(lines) == 2, log.read_text()
    assert '"GET /accounts/login/ HTTP/1.1" 200' in lines[0]
    assert '"GET /accounts/reset/MQ/…/ HTTP/1.1" 500' in lines[1]
    text = "\n".join(lines)
    for secret in ("Zebedee", "Quillfeather", "q=", "cn3kzx", "0123456789abcdef", "/schools/1/"):
        assert secret not in text
