"""Meeting invitations, read back with icalendar as a calendar program would: one UID for
the meeting's whole life, SEQUENCE raised on each change, METHOD:CANCEL when cancelled,
and Europe/London times on either side of the clock change."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from icalendar import Calendar

from communities.tests.factories import CommunityFactory, SchoolFactory, make_chair, make_senco
from requests.models import Notification
from requests.notifications.models import Kind
from requests.services import meeting_cancel, meeting_update
from tests.worlds.steps import scheduled

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
# British Summer Time begins on Sunday 28 March 2027: a meeting moved across it.
BEFORE_THE_CHANGE = dt.date(2027, 3, 25)  # GMT
AFTER_THE_CHANGE = dt.date(2027, 4, 1)  # BST


def invitation(meeting, person, sequence: int) -> Calendar:
    notification = Notification.objects.get(
        kind=Kind.MEETING, user=person, key=f"meeting:{meeting.pk}:{sequence}"
    )
    return Calendar.from_ical(notification.calendar)


def only_event(calendar: Calendar):
    (event,) = calendar.walk("VEVENT")
    return event


def test_an_invitation_a_change_and_a_cancellation_of_one_meeting():
    community = CommunityFactory(name="Dartford Central CoS")
    senco = make_senco(SchoolFactory(community=community), email="senco@example.org")
    chair = make_chair(community)
    meeting = scheduled(
        community,
        chair=chair,
        date=BEFORE_THE_CHANGE,
        start_time=dt.time(16),
        place="Library, room 2",
    )
    first = invitation(meeting, senco, 0)
    event = only_event(first)
    assert first["METHOD"] == "REQUEST"
    assert event["STATUS"] == "CONFIRMED"
    assert event["SEQUENCE"] == 0
    assert event["SUMMARY"] == "Dartford Central CoS meeting"
    assert event["LOCATION"] == "Library, room 2"
    start = event.decoded("DTSTART")
    assert start == dt.datetime(2027, 3, 25, 16, tzinfo=LONDON)
    assert start.utcoffset() == dt.timedelta(0)  # GMT
    assert str(event["DTSTART"].params["TZID"]) == "Europe/London"
    assert event.decoded("DTEND") - start == dt.timedelta(hours=2)
    assert [tz["TZID"] for tz in first.walk("VTIMEZONE")] == ["Europe/London"]
    assert str(event["ATTENDEE"]) == "mailto:senco@example.org"
    assert str(event["ORGANIZER"]) == "mailto:noreply@example.org"
    uid = str(event["UID"])
    assert uid == f"cos-meeting-{meeting.pk}@127.0.0.1"

    meeting_update(
        actor=chair,
        meeting_id=meeting.pk,
        date=AFTER_THE_CHANGE,
        start_time=dt.time(16),
        place="Library, room 2",
        online_link="",
    )
    changed = invitation(meeting, senco, 1)
    event = only_event(changed)
    assert changed["METHOD"] == "REQUEST"
    assert str(event["UID"]) == uid
    assert event["SEQUENCE"] == 1
    start = event.decoded("DTSTART")
    assert start == dt.datetime(2027, 4, 1, 16, tzinfo=LONDON)  # still 16:00 in Kent,
    assert start.utcoffset() == dt.timedelta(hours=1)  # now BST
    assert start.astimezone(dt.UTC).hour == 15

    meeting_cancel(actor=chair, meeting_id=meeting.pk, reason="The library is closed.")
    cancelled = invitation(meeting, senco, 2)
    event = only_event(cancelled)
    assert cancelled["METHOD"] == "CANCEL"
    assert event["STATUS"] == "CANCELLED"
    assert str(event["UID"]) == uid
    assert event["SEQUENCE"] == 2
    # Each person's invitation names them alone.
    chairs_event = only_event(invitation(meeting, chair, 2))
    assert str(chairs_event["ATTENDEE"]) == f"mailto:{chair.email}"


def test_an_online_meeting_gives_its_link():
    community = CommunityFactory()
    senco = make_senco(SchoolFactory(community=community))
    meeting = scheduled(
        community,
        date=AFTER_THE_CHANGE,
        place="",
        online_link="https://teams.example.org/l/meetup-join/abc",
    )
    event = only_event(invitation(meeting, senco, 0))
    assert event["LOCATION"] == "https://teams.example.org/l/meetup-join/abc"
    assert "Join online: https://teams.example.org/l/meetup-join/abc" in event["DESCRIPTION"]
    assert str(event["URL"]).endswith(f"/meetings/{meeting.pk}/")
