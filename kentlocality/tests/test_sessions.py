"""The idle limit's two addresses (kentlocality/sessions.py): "Stay signed in" extends a
session, and the end of the limit signs out with a message and comes back after."""

from __future__ import annotations

import pytest
from django.urls import reverse

from communities.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_keep_alive_extends_a_session_and_says_when_there_is_none(client):
    assert client.get(reverse("keep_alive")).status_code == 401
    client.force_login(UserFactory())
    response = client.get(reverse("keep_alive"))
    assert response.status_code == 204
    assert "no-cache" in response["Cache-Control"]
    assert client.session.get_expiry_age() == 30 * 60


def test_the_end_of_the_idle_limit_signs_out_says_why_and_comes_back(client):
    person = UserFactory(email="idle@example.org")
    client.force_login(person)
    response = client.post(reverse("timed_out"), {"next": "/support-services/"})
    assert response["Location"] == "/accounts/login/?next=%2Fsupport-services%2F"
    page = client.get(response["Location"]).content.decode()
    assert "you were signed out after 30 minutes without activity" in page
    assert client.get("/support-services/").status_code == 302  # signed out

    # Somewhere else than this service is never where signing in leads.
    client.force_login(person)
    response = client.post(reverse("timed_out"), {"next": "https://elsewhere.example/"})
    assert response["Location"] == "/accounts/login/?next=%2F"
