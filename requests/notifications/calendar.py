"""Calendar invitations for CoS meetings (iCalendar, RFC 5545 and its iTIP methods).

One event per meeting for its whole life: the UID never changes, SEQUENCE is the
meeting's ``sequence`` (raised on each change and on cancellation), METHOD:REQUEST while
it is on and METHOD:CANCEL once cancelled, so a calendar program updates or removes the
event it already holds. Times are Europe/London with the VTIMEZONE written out, so the
meeting stays at 16:00 on either side of the clock change.

The organiser is the service's own address, never the chair: the organiser of an event
must stay the same across its updates, and chairs change. Nothing about any pupil is
written here.
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, Timezone, vCalAddress, vText

from communities.models import User
from kentlocality.emails import absolute_url

from ..models import Meeting

LONDON = zoneinfo.ZoneInfo("Europe/London")
# Meetings have a start time only; calendars need an end. Two hours covers a CoS
# meeting's agenda; the invitation says the start time is what matters.
MEETING_LENGTH = dt.timedelta(hours=2)


def meeting_uid(meeting: Meeting) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"cos-meeting-{meeting.pk}@{host}"


def meeting_start(meeting: Meeting) -> dt.datetime:
    return dt.datetime.combine(meeting.date, meeting.start_time, tzinfo=LONDON)


def meeting_invitation(meeting: Meeting, attendee: User) -> str:
    """The invitation (or, for a cancelled meeting, the cancellation) for one person, as
    iCalendar text."""
    cancelled = meeting.is_cancelled
    calendar = Calendar()
    calendar.add("prodid", "-//Kent County Council//Kent Communities of Schools//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "REQUEST")

    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", timezone.now().astimezone(dt.UTC))
    start = meeting_start(meeting)
    event.add("dtstart", start)
    event.add("dtend", start + MEETING_LENGTH)
    event.add("summary", f"{meeting.community.name} meeting")
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    where = [part for part in (meeting.place, meeting.online_link) if part]
    if where:
        event.add("location", ", ".join(where))
    page = absolute_url(reverse("requests:meeting", args=[meeting.pk]))
    event.add("url", page)
    lines = [f"Community of Schools meeting of {meeting.community.name}."]
    if cancelled:
        lines.append("This meeting is cancelled.")
    else:
        lines.append(
            "A representative of every member school should attend, even without a "
            "request on the agenda."
        )
        if meeting.online_link:
            lines.append(f"Join online: {meeting.online_link}")
    lines.append(f"The agenda: {page}")
    event.add("description", "\n".join(lines))

    _name, service_address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = vCalAddress(f"mailto:{service_address}")
    organizer.params["cn"] = vText("Kent Communities of Schools")
    event.add("organizer", organizer)
    guest = vCalAddress(f"mailto:{attendee.email}")
    guest.params["cn"] = vText(attendee.full_name or attendee.email)
    guest.params["role"] = vText("REQ-PARTICIPANT")
    guest.params["partstat"] = vText("NEEDS-ACTION")
    # Replies would go to the service's address, which nobody reads.
    guest.params["rsvp"] = vText("FALSE")
    event.add("attendee", guest, encode=0)

    calendar.add_component(_london(meeting.date.year))
    calendar.add_component(event)
    return calendar.to_ical().decode()


@functools.lru_cache(maxsize=16)
def _london(year: int) -> Timezone:
    """Europe/London's VTIMEZONE for the years around a meeting (not the 68 years
    icalendar writes by default): enough for any calendar program to place it. Made once
    a year and shared: a meeting's invitations (one a person) would otherwise spend most
    of their time making it again."""
    return Timezone.from_tzinfo(
        LONDON, first_date=dt.date(year - 1, 1, 1), last_date=dt.date(year + 2, 1, 1)
    )
