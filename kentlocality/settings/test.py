"""The test suite runs on PostgreSQL and a real Redis, never on SQLite.

Defaults reach the local servers; DATABASE_URL and TEST_REDIS_URL override them. Tests
use their own Redis database (15) so that a development worker never takes a test's task.
"""

import os
import tempfile

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kentlocality")
os.environ["REDIS_URL"] = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
os.environ.setdefault("PRIVATE_MEDIA_ROOT", tempfile.mkdtemp(prefix="kent-test-private-"))

from .base import *  # noqa: F403
from .base import STORAGES

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
