"""Production: PostgreSQL, Redis, HTTPS, and no start-up with an unsafe configuration.

Each refusal below stops the service at start-up with a message naming the setting and
what to do: a deployment that is not safe does not run at all (issue 17, item 5)."""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    ALLOWED_HOSTS,
    DATABASE_URL,
    DEBUG,
    DEV_SECRET_KEY,
    REDIS_URL,
    REQUIRE_MFA,
    SECRET_KEY,
    SITE_URL,
)
from .env import env_bool, env_int, env_str

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}

if DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production.")
if SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure"):
    raise ImproperlyConfigured(
        "Set SECRET_KEY to a long random value (at least 50 characters) in production."
    )
if "change-me" in SECRET_KEY.lower():
    raise ImproperlyConfigured(
        "SECRET_KEY is still the placeholder of .env.example: set a long random value "
        "(make secrets writes one)."
    )
if any("*" in host for host in ALLOWED_HOSTS):
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS must name the service's host names: '*' would let any Host header through."
    )
if not REQUIRE_MFA:
    raise ImproperlyConfigured(
        "REQUIRE_MFA must be on in production: everyone signs in with two factors."
    )
if not DATABASE_URL:
    raise ImproperlyConfigured("Set DATABASE_URL: production runs on PostgreSQL.")
if not REDIS_URL:
    raise ImproperlyConfigured("Set REDIS_URL: production needs Redis for Celery.")
_redis = urlsplit(REDIS_URL)
if _redis.hostname not in LOCAL_HOSTS and not _redis.password:
    raise ImproperlyConfigured(
        "REDIS_URL has no password, and Redis is not on this machine: give Redis a "
        "password (redis://:<password>@host:6379/0)."
    )
if not SITE_URL.startswith("https://"):
    raise ImproperlyConfigured(
        "SITE_URL must be the service's https:// address: password and invitation links "
        "are built from it."
    )

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# The container health check asks over plain HTTP from inside.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
if env_bool("TRUST_X_FORWARDED_PROTO", True):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
SERVER_EMAIL = env_str("SERVER_EMAIL", "noreply@example.org")
