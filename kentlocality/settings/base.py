"""Settings shared by every environment. Every value a deployment changes comes from the
environment through the helpers in ``env``, which stop start-up on a malformed value.

With no DATABASE_URL the service runs on SQLite, and with no REDIS_URL Celery runs tasks
eagerly in the web process: the embedded default that ``make run`` uses on a laptop.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF

from .env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

DEV_SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY", DEV_SECRET_KEY)
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
# Absolute address of the service, for links in emails sent by workers. Unless it is set,
# it follows HOST and PORT (which `make run` exports), so that `make run PORT=8204` sends
# links that open where the service is; a server listening on every address
# (0.0.0.0) is reached on this machine at 127.0.0.1.
_RUN_HOST = env_str("HOST", "127.0.0.1")
SITE_URL = env_str(
    "SITE_URL",
    f"http://{'127.0.0.1' if _RUN_HOST in ('0.0.0.0', '::', '') else _RUN_HOST}"  # noqa: S104
    f":{env_int('PORT', 8000)}",
).rstrip("/")

INSTALLED_APPS = [
    "kentlocality.apps.KentAdminConfig",  # django.contrib.admin with our site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_forms_gds",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "simple_history",
    "kentlocality",
    "communities",
    "requests",
    "budgets",
    "reporting",
    "demo",
]

MIDDLEWARE = [
    # First: a body larger than the service takes is refused before anything reads it.
    "kentlocality.middleware.RequestBodyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Sees every redirect to a sign-in page on its way out: ?next= keeps the path only.
    "communities.middleware.NextPathOnlyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "communities.middleware.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kentlocality.urls"
WSGI_APPLICATION = "kentlocality.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "communities.context_processors.service",
                "kentlocality.sessions.session_timeout",
                "requests.notifications.context_processors.unread",
            ],
            "builtins": ["kentlocality.templatetags.formatting"],
        },
    }
]

DATABASE_URL = env_str("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
            # A restarted PostgreSQL must not leave workers holding dead connections.
            conn_health_checks=True,
        )
    }
    if DATABASES["default"]["ENGINE"].endswith("postgresql"):
        # Planner settings for a web service whose data sits in memory or on SSD
        # (bench/NOTES.md): no JIT compilation (with ten years of data a board page's
        # figures spent 1.5 s compiling a query that ran in 0.2 s), and index lookups
        # priced as what they are on such storage rather than on a spinning disk
        # (PostgreSQL's default of 4 made it hash whole tables for a page's few rows).
        _options = DATABASES["default"].setdefault("OPTIONS", {})
        _options["options"] = (
            f"{_options.get('options', '')} "
            + env_str("DB_PLANNER_OPTIONS", "-c jit=off -c random_page_cost=1.1")
        ).strip()
        # Parameters sent apart from the SQL (psycopg 3's server-side binding), so that a
        # query run five times on a connection is kept as a prepared statement: PostgreSQL
        # parses it once and reuses its plan (the request, meeting and officer pages spent
        # about 3 ms of their 40-48 planning their queries; bench/NOTES.md). 0 turns both
        # off, as a pooler in transaction mode (PgBouncer) needs.
        _prepare_after = env_int("DB_PREPARE_THRESHOLD", 5)
        if _prepare_after:
            _options["server_side_binding"] = True
            _options["prepare_threshold"] = _prepare_after
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / "db.sqlite3",
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "communities.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out sign-in before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Argon2id first (Django's advice): a sign-in checks it in about 0.3 s here, where the
# PBKDF2 default takes about as long for a weaker hash. Hashes made by the others still
# work and are rehashed with Argon2 at the person's next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Two-factor sign-in (TOTP with recovery codes) for everyone when on; on by default
# unless DEBUG is on.
REQUIRE_MFA = env_bool("REQUIRE_MFA", not DEBUG)
OTP_TOTP_ISSUER = "Kent Communities of Schools"
# Sign-in throttling (django-axes): 10 failures for one email address from one address
# lock it for 15 minutes.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_USERNAME_CALLABLE = "communities.auth.axes_username"
# The client's address: behind AXES_PROXY_COUNT proxies (1 in compose: Caddy), read from
# X-Forwarded-For only, the entry the nearest proxy added (communities.auth.client_ip).
CLIENT_IP_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "communities.auth.client_ip"
# Password reset and invitation links stay valid this long (24 hours).
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 24 * 3600)
# The password reset form sends at most this many links an hour to one email address,
# and answers at most this many requests an hour from one client address.
PASSWORD_RESET_EMAIL_LIMIT = env_int("PASSWORD_RESET_EMAIL_LIMIT", 3)
PASSWORD_RESET_CLIENT_LIMIT = env_int("PASSWORD_RESET_CLIENT_LIMIT", 20)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
# English only: Django's translation machinery off. The service has no translations, and
# with it on every date, number and address a page shows asked for the active language.
USE_I18N = False
USE_TZ = True
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "j M Y"
FORMAT_MODULE_PATH = ["kentlocality.formats"]  # the formats above, for en-GB too

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]

# Evidence files and generated PDFs are never public: no MEDIA_URL serves them. They are
# read back only through views that check permission. With AWS_STORAGE_BUCKET_NAME set
# they go to S3-compatible storage, so that any web node or worker can reach them.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private-media")))
# Where make backup writes (manage.py backup --dir overrides it).
BACKUP_DIR = Path(env_str("BACKUP_DIR", str(BASE_DIR / "backups")))
AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    PRIVATE_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL", "") or None,
            "region_name": env_str("AWS_S3_REGION_NAME", "eu-west-2"),
            "access_key": env_str("AWS_ACCESS_KEY_ID", "") or None,
            "secret_key": env_str("AWS_SECRET_ACCESS_KEY", "") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    PRIVATE_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": PRIVATE_MEDIA_ROOT,
            "base_url": None,
            # Readable by the service's own user only: evidence about children.
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    }
STORAGES = {
    "default": PRIVATE_STORAGE,
    "private": PRIVATE_STORAGE,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Redis carries the Celery broker, the shared cache and (through the cache) sessions.
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "kentlocality.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "kent",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions live in the database (the one source of truth), read through the shared cache.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True  # the 30 minutes run from the last request
# The time-out warning (kentlocality/sessions.py) opens this long before the idle limit.
SESSION_WARNING_SECONDS = env_int("SESSION_WARNING_SECONDS", 120)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
# A hand-off claimed by a worker that died mid-send may be taken over after this long.
HANDOFF_CLAIM_LEASE_SECONDS = env_int("HANDOFF_CLAIM_LEASE_SECONDS", 120)
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TIMEZONE = TIME_ZONE

# With DEBUG on (make run) emails are printed to the console instead of sent.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL", "Kent Communities of Schools <noreply@example.org>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# Retention: pupil identities in finished requests are removed after the pupil's
# date of birth + this many years; drafts untouched this many months are deleted.
RETENTION_PUPIL_AGE_YEARS = env_int("RETENTION_PUPIL_AGE_YEARS", 31)
RETENTION_DRAFT_MONTHS = env_int("RETENTION_DRAFT_MONTHS", 12)
# Notifications (in the service and their emails' records) are kept this many months.
NOTIFICATION_KEEP_MONTHS = env_int("NOTIFICATION_KEEP_MONTHS", 12)

# seed_demo (make run) tells two years of the first area's past through the services
# (demo/past_years.py): about 30 s more. Off, the demo has its recent activity only.
DEMO_PAST_YEARS = env_bool("DEMO_PAST_YEARS", True)

# Evidence uploads: each file at most this size; at most this many files per request.
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_MB", 10) * 1024 * 1024
EVIDENCE_MAX_FILES = env_int("EVIDENCE_MAX_FILES", 10)
# Optional virus scanning of evidence by ClamAV: the path of clamd's Unix socket. Unset,
# nothing is scanned; set, a file that is infected or cannot be scanned is refused.
CLAMD_SOCKET = env_str("CLAMD_SOCKET", "")
CLAMD_TIMEOUT = env_int("CLAMD_TIMEOUT", 30)
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
# The largest request body taken at all: one evidence file and its form, with a margin.
# Larger ones are refused with 413 before they are read (kentlocality/middleware.py); the
# proxy's limit (deploy/Caddyfile, REQUEST_BODY_MAX) is the same.
REQUEST_BODY_MAX_BYTES = EVIDENCE_MAX_BYTES + 1024 * 1024
# An upload above this is written to a temporary file (mode 0600) rather than held in
# memory; form fields other than files may not add up to more than this.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Every form of the service takes one file at most.
DATA_UPLOAD_MAX_NUMBER_FILES = 1

# Content Security Policy: no inline script or style; the one inline script carries a
# per-request nonce (templates/base.html).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
        "celery.app.trace": {"level": "WARNING"},
        # WeasyPrint logs each step of every PDF at INFO ("Step 1 - Fetching and parsing
        # HTML", ...) and fontTools its subsetting: noise in every worker's log.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
