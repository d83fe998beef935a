"""Shared fixtures: Chromium from the system, axe-core checks, demo data, a Celery worker,
a mail server, and the scan for pupil identities every test ends with."""

from __future__ import annotations

import os
import shutil
import socketserver
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
DEMO_PASSWORD = "demo-password-for-tests"


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Each test starts with an empty cache: the Area Board's figures are cached
    (reporting/selectors.py) under keys that are the same in every test (areas come from
    a data migration), so one test must never read figures another test left."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


PDFS_CHECKED: list[str] = []  # the title of every PDF the suite made, checked


@pytest.fixture(autouse=True)
def _every_pdf_is_accessible(monkeypatch) -> None:
    """Every PDF the suite makes through ``kentlocality.pdf`` is read back and must be
    tagged for assistive technology (tests/pdf_checks.py): a PDF that is not fails the
    test that made it."""
    from kentlocality import pdf

    from .pdf_checks import accessibility_problems

    write = pdf.write_pdf

    def checked(html: str) -> bytes:
        document = write(html)
        problems = accessibility_problems(document)
        assert not problems, f"an inaccessible PDF: {', '.join(problems)}"
        PDFS_CHECKED.append(html.split("<title>", 1)[-1].split("</title>", 1)[0][:80])
        return document

    monkeypatch.setattr(pdf, "write_pdf", checked)


_DATABASE_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences"}


@pytest.fixture(autouse=True)
def _nothing_told_names_a_pupil(request, django_db_blocker, monkeypatch) -> Iterator[None]:
    """Every test ends with a scan of the emails it sent and the notifications it wrote
    for every pupil's name, UPN and date of birth in its data (tests/identity_scan.py):
    none may be found. For a test with a database, the database is set up before this
    fixture, so that its data is still there when the scan runs; what the test patched
    (a database connection that refuses, say) is put back first."""
    uses_database = request.node.get_closest_marker("django_db") is not None or bool(
        _DATABASE_FIXTURES & set(request.fixturenames)
    )
    if uses_database:
        request.getfixturevalue("_django_db_helper")
    yield
    if not uses_database:
        return
    monkeypatch.undo()
    from django.core import mail
    from django.db import connection

    from tests.identity_scan import identities_told

    with django_db_blocker.unblock():
        if connection.needs_rollback:
            # The test ended inside a transaction it broke on purpose (a constraint it
            # showed refusing a row): nothing can be read, and nothing was told after.
            return
        found = identities_told(list(getattr(mail, "outbox", [])))
    assert found == [], f"a pupil's identity was told: {found}"


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(path):
        pytest.fail(
            "Browser tests need Chromium: install Debian's 'chromium' package "
            "(apt-get install chromium) or set CHROMIUM_PATH.",
            pytrace=False,
        )
    return path


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Playwright cannot download its own browser here: use the system Chromium."""
    return {
        **browser_type_launch_args,
        "executable_path": chromium_path(),
        "args": CHROMIUM_FLAGS,
        "headless": True,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}}


_axe = Axe()


def assert_accessible(page) -> None:
    """axe-core finds no WCAG 2.2 AA violation on the page as it stands."""
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, (
        f"axe-core found violations on {page.url}:\n{results.generate_report()}"
    )


@pytest.fixture
def axe():
    return assert_accessible


@pytest.fixture
def demo(django_db_blocker) -> None:
    """Kent's demo shape with the demo sign-ins (password DEMO_PASSWORD)."""
    from demo.places import seed_places_and_people

    with django_db_blocker.unblock():
        seed_places_and_people(DEMO_PASSWORD)


def sign_in(page, live_server, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    # Wait for the page after signing in: the click returns before the browser has left the
    # sign-in page, so reading the address (or running axe) at once can race the navigation.
    try:
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
    except PlaywrightTimeoutError:
        raise AssertionError(f"{email} could not sign in") from None


@pytest.fixture
def celery_worker_running(settings) -> Iterator[object]:
    """A real Celery worker on the test Redis database, in a thread of this process.
    Use with @pytest.mark.django_db(transaction=True) so that the worker sees commits."""
    from celery.contrib.testing.worker import start_worker

    from kentlocality.celery import app

    app.conf.task_always_eager = False
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.control.purge()
    try:
        with start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING") as worker:
            yield worker
    finally:
        app.conf.task_always_eager = True


CLOSED_BROKER = "redis://127.0.0.1:9/0"  # nothing listens there: a refused connection


@contextmanager
def broker_unreachable() -> Iterator[None]:
    """Publishing from this process goes to a port where nothing listens (a running
    worker keeps its own connection). Celery caches its connection pool and its producer
    pool: both are reset on the way in and on the way out."""
    from kentlocality.celery import app

    def reset() -> None:
        app._pool = None
        app.amqp._producer_pool = None

    original = app.conf.broker_url
    app.conf.broker_url = CLOSED_BROKER
    reset()
    try:
        yield
    finally:
        app.conf.broker_url = original
        reset()


# A small SMTP server for the tests of sending (tests/test_reliability.py and
# tests/test_notifications_reliability.py): enough of RFC 5321 for smtplib, with behaviour
# a test can choose. A stalled reply is held at most this long.
SMTP_STALL_SECONDS = 60


class SMTPServer(socketserver.ThreadingTCPServer):
    """Accepts mail on 127.0.0.1 and records each message it acknowledged with 250.

    ``refuse`` (a predicate on the message) answers 451 instead (a transient failure);
    ``stall`` holds the reply to the end of DATA until ``release`` is set, so that the
    client is left waiting inside the send; a message never acknowledged is not recorded,
    as a real mail server would not take responsibility for it.
    """

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _SMTPHandler)
        self.accepted: list[bytes] = []
        self.refused: list[bytes] = []
        self.refuse: Callable[[bytes], bool] = lambda data: False
        self.stall: Callable[[bytes], bool] = lambda data: False
        self.stalled = threading.Event()
        self.release = threading.Event()
        self.lock = threading.Lock()

    @property
    def port(self) -> int:
        return self.server_address[1]

    def messages(self, subject: str) -> list[bytes]:
        with self.lock:
            return [m for m in self.accepted if subject.encode() in m]


class _SMTPHandler(socketserver.StreamRequestHandler):
    def reply(self, text: str) -> None:
        self.wfile.write(f"{text}\r\n".encode())
        self.wfile.flush()

    def handle(self) -> None:
        server: SMTPServer = self.server  # type: ignore[assignment]
        self.reply("220 kent-test ESMTP")
        data: list[bytes] = []
        in_data = False
        while True:
            line = self.rfile.readline()
            if not line:
                return
            if in_data:
                if line.rstrip(b"\r\n") == b".":
                    in_data = False
                    message = b"".join(data)
                    if server.stall(message):
                        server.stalled.set()
                        server.release.wait(SMTP_STALL_SECONDS)
                        return  # never acknowledged: not delivered
                    if server.refuse(message):
                        with server.lock:
                            server.refused.append(message)
                        self.reply("451 4.3.0 Try again later")
                    else:
                        with server.lock:
                            server.accepted.append(message)
                        self.reply("250 2.0.0 Queued")
                else:
                    data.append(line[1:] if line.startswith(b"..") else line)
                continue
            command = line[:4].upper()
            if command == b"DATA":
                data, in_data = [], True
                self.reply("354 End data with <CR><LF>.<CR><LF>")
            elif command == b"QUIT":
                self.reply("221 Bye")
                return
            elif command in (b"EHLO", b"HELO", b"MAIL", b"RCPT", b"RSET", b"NOOP"):
                self.reply("250 OK")
            else:
                self.reply("502 Command not implemented")


@pytest.fixture
def smtp_server(settings) -> Iterator[SMTPServer]:
    """The local mail server, and Django pointed at it (in this process)."""
    server = SMTPServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", server.port, 30
    try:
        yield server
    finally:
        server.release.set()
        server.shutdown()
        server.server_close()
