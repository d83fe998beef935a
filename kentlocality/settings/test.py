"""The test suite runs on PostgreSQL and a real Redis, never on SQLite.

Defaults reach the local servers; DATABASE_URL and TEST_REDIS_URL override them. Tests
use their own Redis database (15) so that a development worker never takes a test's task.
Run in parallel (pytest-xdist), each process has its own test database (pytest-django
names it after the process: test_kentlocality_gw0, ...) and its own Redis database, one
below the last: 15, 14, ... so that a worker started by one process never takes another's
task.
"""

import os
import re

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kentlocality")


def _redis_for_this_process() -> str:
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")  # "gw0", "gw1", ... or unset
    # A process this one starts (a Celery worker, gunicorn) inherits both variables and
    # must keep the same database, not move one further down.
    if worker and os.environ.get("KENT_TEST_REDIS_WORKER") != worker:
        base, db = re.fullmatch(r"(.*?)(?:/(\d+))?", url).groups()
        url = f"{base}/{int(db or 15) - int(worker.removeprefix('gw'))}"
        os.environ["TEST_REDIS_URL"] = url
        os.environ["KENT_TEST_REDIS_WORKER"] = worker
    return url


os.environ["REDIS_URL"] = _redis_for_this_process()

from .base import *  # noqa: E402, F403
from .base import STORAGES  # noqa: E402

DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The live server runs with DEBUG off; hashed static storage would need collectstatic.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
# Tasks run in the test process unless a test starts a real worker (see tests/conftest.py).
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Two-factor sign-in is exercised by its own tests, which turn it on.
REQUIRE_MFA = False
