"""A SENCO reading their own request never meets a 403 for it; the 403 and 404 pages say
what happened and where to go (issue 18, item 8)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from communities.tests.factories import make_chair
from requests.tests.factories import DraftFactory
from tests.worlds.steps import approved, submitted

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("page_name", "method"),
    [("requests:needs", "get"), ("requests:evidence", "get"), ("requests:discard", "get")],
)
def test_a_senco_on_a_sent_request_is_told_why_not_now(client, page_name, method):
    request = submitted()
    client.force_login(request.created_by)
    response = getattr(client, method)(reverse(page_name, args=[request.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("requests:detail", args=[request.pk])
    text = response.content.decode()
    assert f"Request {request.reference} is" in text or "only a draft can be discarded" in text
    assert "not make this change" not in text and "You cannot do this" not in text


def test_withdrawing_a_decided_request_says_why_not(client):
    request = approved()
    client.force_login(request.created_by)
    response = client.get(reverse("requests:withdraw", args=[request.pk]), follow=True)
    assert "can be withdrawn only while it waits for a decision" in response.content.decode()


def test_a_reader_who_may_not_change_it_gets_a_plain_403(client):
    request = DraftFactory()
    request = submitted(request)
    client.force_login(make_chair(request.community))
    response = client.get(reverse("requests:needs", args=[request.pk]))
    assert response.status_code == 403
    text = response.content.decode()
    assert "You cannot do this" in text
    assert "Only the requesting school&#x27;s SENCO can change a request." in text
    assert "Nothing has been changed." in text and "Go to your home page" in text


def test_the_404_page_says_what_happened_and_where_to_go(client):
    request = DraftFactory()
    client.force_login(request.created_by)
    response = client.get("/requests/999999/")
    assert response.status_code == 404
    text = response.content.decode()
    assert "There is no page at this address that you can see." in text
    assert 'href="/"' in text and "Go to your home page" in text
