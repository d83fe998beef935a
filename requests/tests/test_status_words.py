"""One set of plain status words (issue 18, item 6): the tag, the timeline, the school's
filter and counts, and the emails say the same; a moved meeting's new date is on the
timeline, and dates are GOV.UK's."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from communities.tests.factories import area, make_officer
from requests.services import meeting_update
from requests.workflow import Status
from tests.worlds.steps import approved, chair_of, on_agenda, submitted

pytestmark = pytest.mark.django_db

WORDS = "Approved – payment on its way"


def test_the_same_plain_words_on_the_tag_timeline_filter_and_counts(
    client, django_capture_on_commit_callbacks
):
    make_officer(area("North"))
    with django_capture_on_commit_callbacks(execute=True):  # the hand-off is sent
        request = approved()
    request.refresh_from_db()
    assert request.status == Status.WITH_OFFICER
    assert Status.WITH_OFFICER.label == WORDS
    client.force_login(request.created_by)

    page = client.get(reverse("requests:detail", args=[request.pk])).content.decode()
    assert f'govuk-tag--turquoise">{WORDS}</strong>' in page  # the tag
    assert f"now {WORDS.lower()}" in page  # the timeline
    assert "With the HNF Monitoring Officer" not in page

    home = client.get(reverse("requests:school", args=[request.school_id])).content.decode()
    assert f'<option value="with_officer">{WORDS}</option>' in home  # the filter
    assert f'href="?status=with_officer">{WORDS}</a>' in home  # the counts


def test_the_submission_email_says_the_same_words(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request = submitted()
    (email,) = [m for m in mail.outbox if request.reference in m.subject]
    assert f"Its status is now: {Status.SUBMITTED.label}." in email.body
    assert request.first_name not in email.body and request.upn not in email.body


def test_a_moved_meeting_shows_its_new_date_on_each_timeline(client):
    item = on_agenda(meeting=None)
    meeting, request = item.meeting, item.request
    was = meeting.date
    moved = was + dt.timedelta(days=7)
    meeting_update(
        actor=chair_of(meeting.community),
        meeting_id=meeting.pk,
        date=moved,
        start_time=meeting.start_time,
        place=meeting.place,
        online_link="",
    )
    client.force_login(request.created_by)
    page = client.get(reverse("requests:detail", args=[request.pk])).content.decode()
    assert "Meeting moved" in page
    new, old = f"{moved.day} {moved:%B %Y}", f"{was.day} {was:%B %Y}"
    assert f"Now {new} (was {old})" in page
    # The agenda note names the meeting's date as GOV.UK writes it (no leading zero).
    assert f"meeting, {old}" in page
