"""Fixtures every test can use: the people of the alice/bob/charlie pattern are built in
each app's tests/factories.py; here are the shared parts (browser, axe, Celery worker)."""

import os

# Playwright's sync API runs an event loop in the test thread; the ORM calls browser tests
# make between page actions are safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytest_plugins = ["tests.fixtures", "tests.world"]
