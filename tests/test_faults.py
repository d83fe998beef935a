"""Faults a real deployment meets: Redis down, PostgreSQL dropping connections."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

from kentlocality.celery import app
from requests.models import Handoff, ResourceRequest
from requests.tests.factories import DraftFactory
from requests.workflow import Status
from tests.fixtures import CLOSED_BROKER, broker_unreachable
from tests.worlds.steps import decided

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def redis_down(settings, monkeypatch):
    """Redis unreachable for both the cache and the Celery broker."""
    settings.CACHES = {
        "default": {
            "BACKEND": "kentlocality.cache.ResilientRedisCache",
            "LOCATION": CLOSED_BROKER,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    with broker_unreachable():
        yield


@pytest.mark.django_db
def test_with_redis_down_pages_render_and_work_is_saved(
    client, redis_down, django_capture_on_commit_callbacks
):
    draft = DraftFactory()
    client.force_login(draft.created_by)
    assert client.get(reverse("requests:school", args=[draft.school_id])).status_code == 200
    assert client.get(reverse("requests:detail", args=[draft.pk])).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("requests:check", args=[draft.pk]), {"declaration": "on"})
    assert response.status_code == 302  # submitted; the confirmation email could not be queued
    assert ResourceRequest.objects.get(pk=draft.pk).status == Status.SUBMITTED
    with django_capture_on_commit_callbacks(execute=True):
        approved = decided("approved")
    assert approved.status == Status.APPROVED
    handoff = Handoff.objects.get(request=approved)
    assert handoff.sent_at is None  # waiting in PostgreSQL for the sweep


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def gunicorn_server():
    """The app under gunicorn (one worker, pooled connections as in production) on the
    test database."""
    port = _free_port()
    name = connection.settings_dict["NAME"]
    host = connection.settings_dict["HOST"] or "127.0.0.1"
    port_db = connection.settings_dict["PORT"] or "5432"
    user = connection.settings_dict["USER"] or "postgres"
    environ = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kentlocality.settings.test",
        "DATABASE_URL": f"postgres://{user}@{host}:{port_db}/{name}",
        "DB_CONN_MAX_AGE": "600",
    }
    environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "kentlocality.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],
        cwd=ROOT,
        env=environ,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{url}/healthz", timeout=2)
            break
        except OSError:
            time.sleep(0.1)
    yield url
    server.terminate()
    server.wait(timeout=10)


@pytest.mark.django_db(transaction=True)
def test_the_next_request_succeeds_after_postgresql_drops_every_connection(gunicorn_server):
    def health() -> tuple[int, dict]:
        try:
            with urllib.request.urlopen(f"{gunicorn_server}/healthz", timeout=10) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, {}

    assert health() == (200, {"status": "ok", "database": "ok", "broker": "ok"})
    with connection.cursor() as cursor:
        # What a PostgreSQL restart does to the app's pooled connection.
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        assert cursor.fetchone()[0] >= 1
    # Connection health checks notice the dead connection and open a new one.
    assert health()[0] == 200
    assert health()[0] == 200
