"""A developer's first run (issue 18, item 18): links follow the port `make run` serves
on, WeasyPrint keeps its progress to itself, and signing in is quick with Argon2."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.hashers import check_password, make_password
from django.test import override_settings

from communities.tests.factories import UserFactory
from kentlocality.pdf import render_pdf
from kentlocality.settings import base

ROOT = Path(__file__).resolve().parents[2]


def _site_url(**environ: str) -> str:
    drop = {"SITE_URL", "HOST", "PORT", "DJANGO_SETTINGS_MODULE"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(environ, DJANGO_SETTINGS_MODULE="kentlocality.settings.base")
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from kentlocality.emails import absolute_url; "
            "print(absolute_url('/requests/1/'))",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_links_in_emails_follow_the_port_make_run_serves_on():
    assert _site_url(PORT="8204") == "http://127.0.0.1:8204/requests/1/"
    assert _site_url(HOST="localhost", PORT="9000") == "http://localhost:9000/requests/1/"
    # Listening on every address: links still open on this machine.
    every_address = "0.0.0.0"  # noqa: S104
    assert _site_url(HOST=every_address, PORT="8204") == "http://127.0.0.1:8204/requests/1/"
    assert _site_url() == "http://127.0.0.1:8000/requests/1/"


def test_a_set_site_url_wins_over_host_and_port():
    assert (
        _site_url(SITE_URL="https://cos.kent.example/", PORT="8204")
        == "https://cos.kent.example/requests/1/"
    )


def test_make_run_passes_host_and_port_on():
    makefile = (ROOT / "Makefile").read_text()
    run = makefile.split("\nrun: setup\n", 1)[1].split("\n\n", 1)[0]
    assert "HOST=$(HOST) PORT=$(PORT)" in run
    assert "runserver $(HOST):$(PORT)" in run


def test_weasyprint_writes_no_progress_to_the_log(caplog, settings, tmp_path):
    (tmp_path / "page.html").write_text(
        '<html lang="en-GB"><title>Report</title><h1>Quarterly report</h1><p>Figures</p>'
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    caplog.set_level(logging.DEBUG)
    pdf = render_pdf("page.html", {})
    assert pdf.startswith(b"%PDF")
    chatter = [
        r
        for r in caplog.records
        if r.name.startswith(("weasyprint", "fontTools")) and r.levelno < logging.WARNING
    ]
    assert chatter == [], [r.getMessage() for r in chatter[:3]]


def test_argon2_is_the_first_password_hasher_with_djangos_parameters():
    """Argon2id with Django's own cost (a sign-in checks it in about 0.3 s on this kind of
    machine; timed by hand, not here: a timed assertion fails on a busy machine)."""
    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    with override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS):
        encoded = make_password("kent-demo-password-2026")
        assert check_password("kent-demo-password-2026", encoded)
        assert not check_password("kent-demo-password-2027", encoded)
    assert encoded.startswith("argon2$argon2id$v=19$m=102400,t=2,p=8$"), encoded


@pytest.mark.django_db
def test_an_older_hash_becomes_argon2_at_the_next_sign_in(client):
    with override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS):
        user = UserFactory(email="older@example.org")
        user.password = make_password("a-long-enough-password", hasher="pbkdf2_sha256")
        user.save(update_fields=["password"])
        response = client.post(
            "/accounts/login/",
            {"username": "older@example.org", "password": "a-long-enough-password"},
        )
        assert response.status_code == 302
        user.refresh_from_db()
        assert user.password.startswith("argon2$")
        assert django_settings.PASSWORD_HASHERS == base.PASSWORD_HASHERS
