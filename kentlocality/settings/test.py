"""The test suite runs on PostgreSQL and a real Redis, never on SQLite.

Defaults reach the local servers; DATABASE_URL and TEST_REDIS_URL override them. Tests
use their own Redis database (15) so that a development worker never takes a test's task.
Run in parallel (pytest-xdist), each process has its own test database (pytest-django
names it after the process: test_kentlocality_gw0, ...), its own Redis database, one
below the last: 15, 14, ... (so that a worker started by one process never takes
another's task), and its own private file storage.
"""

import os
import re
import tempfile

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kentlocality")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
os.environ.setdefault("PRIVATE_MEDIA_ROOT", tempfile.mkdtemp(prefix="kent-test-private-"))
os.environ.setdefault("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _this_process_apart() -> None:
    """Under pytest-xdist: a Redis database and a private file storage of this process's
    own (a worker process inherits the variables from the process that started it). A
    process this one starts (a Celery worker, gunicorn) inherits them already changed and
    must keep them, not move one further."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")  # "gw0", "gw1", ... or unset
    if not worker or os.environ.get("KENT_TEST_PROCESS") == worker:
        return
    number = int(worker.removeprefix("gw"))
    base, db = re.fullmatch(r"(.*?)(?:/(\d+))?", os.environ["TEST_REDIS_URL"]).groups()
    os.environ["TEST_REDIS_URL"] = f"{base}/{int(db or 15) - number}"
    os.environ["PRIVATE_MEDIA_ROOT"] = os.path.join(os.environ["PRIVATE_MEDIA_ROOT"], worker)
    os.environ["KENT_TEST_PROCESS"] = worker


_this_process_apart()
os.environ["REDIS_URL"] = os.environ["TEST_REDIS_URL"]

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
# Two years of the demo's past take a minute to seed on PostgreSQL: only the tests of
# that past (demo/tests/test_past_years.py) seed it, once.
DEMO_PAST_YEARS = False
