"""A person's notifications in the service: the header's count, the page, opening one,
marking all read, and the preferences form (owner, other people, bad values)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from communities.tests.factories import (
    CommunityFactory,
    SchoolFactory,
    UserFactory,
    area,
    make_chair,
    make_officer,
    make_senco,
)
from requests.models import Notification, NotificationPreference
from requests.notifications.models import Kind, Timing
from tests.worlds.steps import clock, decided, on_agenda, submitted

pytestmark = pytest.mark.django_db

LIST = reverse("requests:notifications")
PREFERENCES = reverse("requests:notification_preferences")


@pytest.fixture
def cos():
    community = CommunityFactory()
    school = SchoolFactory(community=community)
    return {"school": school, "senco": make_senco(school), "chair": make_chair(community)}


def test_the_header_counts_unread_notifications_for_the_signed_in_person(client, cos):
    client.force_login(cos["senco"])
    page = client.get(reverse("requests:prg_directory")).content.decode()
    assert 'href="/notifications/">Notifications</a>' in page  # none yet: no count
    decided("declined", school=cos["school"], created_by=cos["senco"], chair=cos["chair"])
    page = client.get(reverse("requests:prg_directory")).content.decode()
    # The meeting scheduled, the request on its agenda, the decision.
    assert Notification.objects.filter(user=cos["senco"]).count() == 3
    assert (
        'Notifications <span class="kent-count">3<span class="govuk-visually-hidden"> unread'
        in page
    )
    client.force_login(cos["chair"])  # told of the submission and the meeting
    page = client.get(reverse("requests:prg_directory")).content.decode()
    assert '<span class="kent-count">2<' in page
    client.logout()
    assert "kent-count" not in client.get(reverse("login")).content.decode()


def test_the_page_lists_ones_own_newest_first_and_opening_one_marks_it_read(client, cos):
    with clock(timezone.localdate() - dt.timedelta(days=2)):
        older = submitted(school=cos["school"], created_by=cos["senco"])
    newer = submitted(school=cos["school"], created_by=cos["senco"])
    client.force_login(cos["chair"])
    page = client.get(LIST).content.decode()
    assert page.index(newer.reference) < page.index(older.reference)
    assert "You have 2 unread notifications." in page
    notification = Notification.objects.get(user=cos["chair"], request=older)
    response = client.get(reverse("requests:notification_open", args=[notification.pk]))
    assert response.status_code == 302 and response["Location"] == f"/requests/{older.pk}/"
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert "You have 1 unread notification." in client.get(LIST).content.decode()
    # The SENCO has none of the chair's, and cannot open them.
    client.force_login(cos["senco"])
    assert older.reference not in client.get(LIST).content.decode()
    assert (
        client.get(reverse("requests:notification_open", args=[notification.pk])).status_code == 404
    )


def test_mark_all_as_read(client, cos):
    submitted(school=cos["school"], created_by=cos["senco"])
    submitted(school=cos["school"], created_by=cos["senco"])
    client.force_login(cos["chair"])
    assert client.get(reverse("requests:notifications_read")).status_code == 405
    response = client.post(reverse("requests:notifications_read"), follow=True)
    page = response.content.decode()
    assert "2 notifications marked as read." in page
    assert "You have no unread notifications." in page
    assert not Notification.objects.filter(user=cos["chair"], read_at__isnull=True).exists()


def test_the_page_is_paginated(client, cos):
    for _ in range(26):
        submitted(school=cos["school"], created_by=cos["senco"])
    client.force_login(cos["chair"])
    first = client.get(LIST).content.decode()
    assert first.count('class="kent-notification ') == 25
    second = client.get(LIST, {"page": 2}).content.decode()
    assert second.count('class="kent-notification ') == 1


def test_anyone_signed_in_has_a_page_and_nobody_else(client):
    assert client.get(LIST)["Location"].startswith("/accounts/login/")
    client.force_login(UserFactory())
    page = client.get(LIST).content.decode()
    assert "Nothing yet." in page
    assert (
        "None of the notifications you receive can wait" in client.get(PREFERENCES).content.decode()
    )


def test_a_senco_chooses_for_the_kinds_they_receive(client, cos):
    client.force_login(cos["senco"])
    form = client.get(PREFERENCES).context["form"]
    assert list(form.fields) == [Kind.AGENDA, Kind.PAYMENT, Kind.MINUTES]
    page = client.get(PREFERENCES).content.decode()
    assert "A decision on your school&#x27;s request" in page  # always at once
    response = client.post(
        PREFERENCES, {"agenda": "daily", "payment": "at_once", "minutes": "daily"}
    )
    assert response.status_code == 302
    assert dict(
        NotificationPreference.objects.filter(user=cos["senco"]).values_list("kind", "timing")
    ) == {"agenda": "daily", "payment": "at_once", "minutes": "daily"}
    # What they chose applies to what comes next.
    on_agenda(submitted(school=cos["school"], created_by=cos["senco"]), chair=cos["chair"])
    assert Notification.objects.get(user=cos["senco"], kind=Kind.AGENDA).timing == Timing.DAILY


def test_a_value_outside_the_choices_is_refused_and_nothing_is_saved(client, cos):
    client.force_login(cos["chair"])
    response = client.post(
        PREFERENCES,
        {
            "request_submitted": "weekly",
            "request_resubmitted": "daily",
            "payment": "at_once",
            "minutes": "at_once",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Choose at once or in the daily summary for: a request is submitted" in page
    assert not NotificationPreference.objects.exists()
    # A kind the person does not receive is not theirs to set.
    client.post(
        PREFERENCES,
        {
            "request_submitted": "daily",
            "request_resubmitted": "daily",
            "payment": "daily",
            "minutes": "daily",
            "agenda": "daily",
            "decision": "daily",
        },
    )
    assert set(
        NotificationPreference.objects.filter(user=cos["chair"]).values_list("kind", flat=True)
    ) == {"request_submitted", "request_resubmitted", "payment", "minutes"}


def test_an_officer_has_nothing_to_choose_and_is_told_what_always_comes(client):
    client.force_login(make_officer(area("North")))
    page = client.get(PREFERENCES).content.decode()
    assert "None of the notifications you receive can wait for a summary." in page
    assert "An approved request is handed off to you" in page
    assert "themselves one summary each working day" in page
    assert client.post(PREFERENCES, {"handoff": "daily"}).status_code == 200
    assert not NotificationPreference.objects.exists()
