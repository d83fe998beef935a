"""Cancelling a meeting before anything is decided at it: its requests go back to the
queue, interim decisions wait for the next meeting, nothing else changes; the chair's
page, with outsiders kept out."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from communities.tests.factories import make_chair, make_senco
from requests.models import AgendaItem, Meeting, Notification
from requests.services import RequestError, meeting_cancel, request_withdraw
from requests.services.decisions import Award
from requests.workflow import Status
from tests.worlds.cos import make_cos
from tests.worlds.steps import interim_decided

pytestmark = pytest.mark.django_db


@pytest.fixture
def cos():
    cos = make_cos()
    cos.budget_this_year("500000.00")
    return cos


def later(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def test_a_cancelled_meetings_requests_go_back_to_the_queue(cos):
    meeting = cos.meeting(later(7))
    waiting = cos.on_agenda(meeting).request
    withdrawn = cos.on_agenda(meeting).request
    request_withdraw(actor=cos.senco, request_id=withdrawn.pk, reason="Moved school.")
    exceptional = cos.request(
        is_exceptional=True, exceptional_reason="tribunal", exceptional_why_now="Ordered."
    )
    interim_decided(exceptional, award=Award(outcome="approved"), chair=cos.chair)
    # The interim decision went onto the meeting's agenda for ratification.
    assert meeting.items.filter(kind=AgendaItem.Kind.RATIFICATION).count() == 1
    meeting_cancel(actor=cos.chair, meeting_id=meeting.pk, reason="The hall is flooded.")
    meeting.refresh_from_db()
    assert meeting.is_cancelled and meeting.cancel_reason == "The hall is flooded."
    assert meeting.sequence == 1 and not meeting.items.exists()
    waiting.refresh_from_db()
    withdrawn.refresh_from_db()
    exceptional.refresh_from_db()
    assert waiting.status == Status.SUBMITTED
    assert waiting.events.last().action == "remove_from_agenda"
    assert withdrawn.status == Status.WITHDRAWN
    assert exceptional.status == Status.APPROVED  # the interim award stands
    # The next meeting scheduled takes the interim decision for ratification.
    following = cos.meeting(later(21))
    assert list(following.items.values_list("request_id", "kind")) == [
        (exceptional.pk, AgendaItem.Kind.RATIFICATION)
    ]


def test_a_meeting_with_decisions_cannot_be_cancelled_and_nothing_changes(cos):
    from tests.worlds.steps import decided

    meeting = cos.meeting()
    item = cos.on_agenda(meeting)
    other = cos.on_agenda(meeting)
    decided(item=item, chair=cos.chair)
    with pytest.raises(RequestError, match="cannot be cancelled"):
        meeting_cancel(actor=cos.chair, meeting_id=meeting.pk, reason="Too late.")
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.SCHEDULED and meeting.items.count() == 2
    other.request.refresh_from_db()
    assert other.request.status == Status.ON_AGENDA


def test_only_the_chair_cancels_with_a_reason_and_only_once(cos):
    meeting = cos.meeting(later(7))
    with pytest.raises(PermissionDenied):
        meeting_cancel(actor=cos.senco, meeting_id=meeting.pk, reason="No.")
    with pytest.raises(RequestError, match="Enter why"):
        meeting_cancel(actor=cos.chair, meeting_id=meeting.pk, reason="  ")
    meeting_cancel(actor=cos.chair, meeting_id=meeting.pk, reason="Snow.")
    with pytest.raises(RequestError, match="cancelled"):
        meeting_cancel(actor=cos.chair, meeting_id=meeting.pk, reason="Snow.")
    told = Notification.objects.filter(meeting=meeting, key=f"meeting:{meeting.pk}:1")
    assert set(told.values_list("user_id", flat=True)) == {cos.chair.pk, cos.senco.pk}


def test_the_chairs_page_cancels_and_outsiders_are_kept_out(client, cos):
    meeting = cos.meeting(later(7))
    item = cos.on_agenda(meeting)
    url = reverse("requests:meeting_cancel", args=[meeting.pk])
    client.force_login(cos.senco)  # a member school reads the meeting, cannot cancel it
    assert client.get(url).status_code == 403
    client.force_login(make_chair(make_cos().community))
    assert client.get(url).status_code == 404
    client.force_login(cos.chair)
    page = client.get(reverse("requests:meeting", args=[meeting.pk])).content.decode()
    assert f'href="{url}"' in page
    form = client.get(url).content.decode()
    assert "1 item on its agenda" in form
    empty = client.post(url, {"reason": ""}).content.decode()
    assert "There is a problem" in empty and "Enter why the meeting is cancelled" in empty
    response = client.post(url, {"reason": "The hall is closed."})
    assert response.status_code == 302
    assert response["Location"] == reverse("requests:community", args=[cos.community.pk])
    item.request.refresh_from_db()
    assert item.request.status == Status.SUBMITTED
    page = client.get(reverse("requests:meeting", args=[meeting.pk])).content.decode()
    assert "Cancelled" in page and "The hall is closed." in page
    assert "Add requests to the agenda" not in page
    # A member school sees it is cancelled; the chair's reason is the chair's to give in
    # the notification (without pupils' names).
    client.force_login(make_senco(cos.school))
    page = client.get(reverse("requests:meeting", args=[meeting.pk])).content.decode()
    assert "Cancelled" in page and "The hall is closed." not in page
    # Nothing more can be done to it.
    client.force_login(cos.chair)
    assert client.get(url).status_code == 302
    assert client.get(reverse("requests:meeting_edit", args=[meeting.pk])).status_code == 302


def test_a_reason_naming_a_pupil_reaches_the_schools_without_the_name(cos):
    meeting = cos.meeting(later(7))
    item = cos.on_agenda(meeting)
    pupil = item.request
    meeting_cancel(
        actor=cos.chair,
        meeting_id=meeting.pk,
        reason=f"{pupil.first_name} {pupil.last_name}'s family asked us to wait (UPN {pupil.upn}).",
    )
    body = Notification.objects.filter(meeting=meeting, key__endswith=":1").first().body
    assert (
        "Reason: [name removed] [name removed]'s family asked us to wait (UPN [UPN removed])."
        in body
    )
    # The reason as typed is kept on the meeting, which only the chair reads it from.
    meeting.refresh_from_db()
    assert pupil.upn in meeting.cancel_reason
