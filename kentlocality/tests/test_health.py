import pytest
from django.db.backends.postgresql.base import DatabaseWrapper

from tests.fixtures import broker_unreachable

pytestmark = pytest.mark.django_db


def test_health_names_database_and_broker_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_health_is_503_naming_the_broker_when_redis_is_unreachable(client):
    # A port nothing listens on: a real refused connection, not a mock.
    with broker_unreachable():
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "failed", "database": "ok", "broker": "failed"}


def test_health_is_503_naming_the_database_when_it_fails(client, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise DatabaseWrapper.Database.OperationalError("connection refused")

    monkeypatch.setattr(DatabaseWrapper, "create_cursor", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "failed"
