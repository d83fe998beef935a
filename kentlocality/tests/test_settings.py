"""Settings come from the environment and fail loudly; production refuses unsafe values
and passes Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from kentlocality.settings import env

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "kentlocality.settings.production",
    "SECRET_KEY": "p" * 20 + "-a-long-random-production-secret-key-0123456789",
    "ALLOWED_HOSTS": "cos.kent.example",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/kentlocality",
    "REDIS_URL": "redis://127.0.0.1:6379/14",
    "SITE_URL": "https://cos.kent.example",
}


def _manage(*args: str, **overrides: str) -> subprocess.CompletedProcess:
    drop = {*PRODUCTION_ENV, "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environ = {k: v for k, v in os.environ.items() if k not in drop}
    environ.update(PRODUCTION_ENV)
    environ.update(overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_deploy_check_is_clean():
    result = _manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_debug():
    result = _manage("check", DEBUG="true")
    assert result.returncode != 0
    assert "DEBUG must be off in production" in result.stderr


@pytest.mark.parametrize("key", ["", "short", "django-insecure-" + "x" * 60])
def test_production_refuses_a_missing_short_or_default_secret_key(key):
    result = _manage("check", SECRET_KEY=key)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        # The placeholder of .env.example, and any key naming "change-me".
        (
            {"SECRET_KEY": "change-me-to-a-long-random-string-of-at-least-50-characters"},
            "SECRET_KEY is still the placeholder",
        ),
        (
            {"SECRET_KEY": "x" * 40 + "-CHANGE-ME-" + "y" * 20},
            "SECRET_KEY is still the placeholder",
        ),
        ({"ALLOWED_HOSTS": "*"}, "ALLOWED_HOSTS must name the service's host names"),
        (
            {"ALLOWED_HOSTS": "cos.kent.example,*"},
            "ALLOWED_HOSTS must name the service's host names",
        ),
        ({"REQUIRE_MFA": "false"}, "REQUIRE_MFA must be on in production"),
        ({"REDIS_URL": "redis://redis:6379/0"}, "REDIS_URL has no password"),
        ({"REDIS_URL": "redis://10.1.2.3:6379/0"}, "REDIS_URL has no password"),
        (
            {"SITE_URL": "http://cos.kent.example"},
            "SITE_URL must be the service's https:// address",
        ),
    ],
)
def test_production_refuses_each_unsafe_value(overrides, message):
    result = _manage("check", **overrides)
    assert result.returncode != 0
    assert message in result.stderr, result.stderr[-2000:]


def test_production_accepts_redis_with_a_password_or_on_this_machine():
    for url in ("redis://:s3cret-redis-password@redis:6379/0", "redis://127.0.0.1:6379/14"):
        result = _manage("check", REDIS_URL=url)
        assert result.returncode == 0, result.stderr


def test_production_refuses_no_secret_key_at_all():
    environ = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    environ.update({k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"})
    environ.pop("DEBUG", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_malformed_values_stop_start_up(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "perhaps")
    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG must be true or false"):
        env.env_bool("SOME_FLAG", False)
    monkeypatch.setenv("SOME_NUMBER", "ten")
    with pytest.raises(ImproperlyConfigured, match="SOME_NUMBER must be a whole number"):
        env.env_int("SOME_NUMBER", 1)
    monkeypatch.delenv("SOME_REQUIRED", raising=False)
    with pytest.raises(ImproperlyConfigured, match="Set the SOME_REQUIRED"):
        env.env_str("SOME_REQUIRED")


def test_values_are_read(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "Yes")
    monkeypatch.setenv("SOME_LIST", " a.example, b.example ,")
    assert env.env_bool("SOME_FLAG", False) is True
    assert env.env_list("SOME_LIST") == ["a.example", "b.example"]


def test_tests_run_on_postgresql_and_their_own_redis_database(settings):
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    assert settings.CELERY_BROKER_URL.rsplit("/", 1)[-1] not in ("", "0")


def test_embedded_default_uses_sqlite_and_eager_tasks():
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='kentlocality.settings.base';"
        "from django.conf import settings;"
        "print(settings.DATABASES['default']['ENGINE'], settings.CELERY_TASK_ALWAYS_EAGER)"
    )
    environ = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environ, capture_output=True, text=True
    )
    assert result.stdout.split() == ["django.db.backends.sqlite3", "True"], result.stderr


@pytest.mark.django_db
def test_a_query_repeated_on_a_connection_is_kept_prepared():
    from django.db import connection

    from communities.models import Area

    areas = Area.objects.filter(name__startswith="Prepared")
    for _ in range(6):  # more than DB_PREPARE_THRESHOLD times
        list(areas.all())
    sql = str(areas.query).split(" WHERE ")[0]
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any(statement.startswith(sql) for statement in prepared), prepared


def test_prepared_statements_can_be_turned_off_for_a_pooler():
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='kentlocality.settings.base';"
        "from django.conf import settings; o = settings.DATABASES['default']['OPTIONS'];"
        "print(o.get('server_side_binding'), o.get('prepare_threshold'))"
    )
    found = []
    for threshold in ("5", "0"):
        environ = {
            **os.environ,
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/kentlocality",
            "DB_PREPARE_THRESHOLD": threshold,
        }
        result = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, env=environ, capture_output=True, text=True
        )
        found.append(result.stdout.split())
    assert found == [["True", "5"], ["None", "None"]]
