"""Bounded input (issue 17, item 4): a body larger than the service takes is answered 413
before it is sent, by the service itself (the proxy in front does the same)."""

from __future__ import annotations

import re
import socket
import time
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

import pytest
from django.conf import settings

FIFTY_MB = 50 * 1024 * 1024


def _exchange(address: tuple[str, int], head: str, body: bytes = b"") -> tuple[bytes, float]:
    """Send a request's head (and a body, if given) on a raw socket; return what the
    server answered and how long it took to answer."""
    with socket.create_connection(address, timeout=15) as conn:
        started = time.monotonic()
        conn.sendall(head.encode("latin-1") + body)
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = conn.recv(65536)
            if not chunk:
                break
            answer += chunk
        elapsed = time.monotonic() - started
        # Read what is left of a short answer's body.
        conn.settimeout(1)
        try:
            while chunk := conn.recv(65536):
                answer += chunk
        except TimeoutError:
            pass
    return answer, elapsed


def _csrf(address: tuple[str, int], host: str) -> tuple[str, str]:
    """A real CSRF cookie and form token from the sign-in page."""
    answer, _ = _exchange(
        address, f"GET /accounts/login/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    head, _, page = answer.partition(b"\r\n\r\n")
    cookie = SimpleCookie()
    for line in head.decode("latin-1").split("\r\n"):
        if line.lower().startswith("set-cookie:"):
            cookie.load(line.split(":", 1)[1].strip())
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    return cookie[settings.CSRF_COOKIE_NAME].value, token


def _post_head(host: str, cookie: str, token: str, length: int) -> str:
    return (
        "POST /accounts/login/ HTTP/1.1\r\n"
        f"Host: {host}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {length}\r\n"
        f"Cookie: {settings.CSRF_COOKIE_NAME}={cookie}\r\n"
        f"X-CSRFToken: {token}\r\n"
        "Connection: close\r\n\r\n"
    )


@pytest.mark.django_db(transaction=True)
def test_a_50_mb_body_is_refused_with_413_before_it_is_sent(live_server):
    url = urlsplit(live_server.url)
    address, host = (url.hostname, url.port), url.netloc
    cookie, token = _csrf(address, host)
    # The token is good: a small sign-in attempt with it is read and answered (200, the
    # form again), not refused as a forgery (403).
    form = b"username=nobody%40example.org&password=wrong-password-here"
    answer, _ = _exchange(address, _post_head(host, cookie, token, len(form)), form)
    assert answer.startswith(b"HTTP/1.1 200"), answer[:200]
    # 50 MB announced, not a byte of it sent: refused at once.
    answer, elapsed = _exchange(address, _post_head(host, cookie, token, FIFTY_MB))
    status, _, rest = answer.partition(b"\r\n")
    assert status == b"HTTP/1.1 413 Request Entity Too Large", answer[:300]
    assert elapsed < 5
    assert b"The request is too large" in rest
    assert b"smaller than 10 MB" in rest


def test_the_limit_is_one_evidence_file_and_a_margin():
    assert settings.REQUEST_BODY_MAX_BYTES == settings.EVIDENCE_MAX_BYTES + 1024 * 1024
    assert settings.MIDDLEWARE[0] == "kentlocality.middleware.RequestBodyLimitMiddleware"
    # Nothing larger than this is held in memory by Django's upload handling.
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 2 * 1024 * 1024
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 2 * 1024 * 1024


@pytest.mark.django_db
def test_a_body_within_the_limit_is_taken(client, settings):
    settings.REQUEST_BODY_MAX_BYTES = 1000
    small = client.post("/accounts/login/", {"username": "a@example.org", "password": "x" * 10})
    assert small.status_code == 200
    large = client.post("/accounts/login/", {"username": "a@example.org", "password": "x" * 2000})
    assert large.status_code == 413
    assert large["Content-Type"] == "text/plain; charset=utf-8"
