"""Fixtures every test can use: the browser, axe, the demo and the Celery worker
(tests/fixtures.py), and the small world of people inside and outside one school, CoS and
area (tests/worlds/world.py). Test worlds are built in one place: each app's
tests/factories.py for initial states, tests/worlds/ for everything after."""

import os

# Playwright's sync API runs an event loop in the test thread; the ORM calls browser tests
# make between page actions are safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytest_plugins = ["tests.fixtures", "tests.worlds.world"]
