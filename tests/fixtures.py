"""Shared fixtures: Chromium from the system, axe-core checks, demo data, a Celery worker."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from axe_playwright_python.sync_playwright import Axe

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
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url, f"{email} could not sign in"


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
