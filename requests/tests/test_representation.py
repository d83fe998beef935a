"""Attendance for every member school, and representation arranged ahead (issue 15 item 3),
with the meeting's dates and agenda order made hard to get wrong (issue 18 item 9).

Alice is the SENCO of Spring Primary (a request on the agenda), Bob the SENCO of Oak
Primary (a member school, asked to represent Spring), Charlie the SENCO of a school in
another CoS."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from communities.tests.factories import SchoolFactory, make_senco
from requests.models import Attendance, Representation
from requests.notifications.models import Kind, Notification
from requests.services import (
    RequestError,
    agenda_move,
    attendance_record,
    decision_record,
    meeting_close,
    representation_arrange,
    representation_cancel,
)
from requests.services.meetings import AttendanceEntry
from tests.worlds.cos import make_cos
from tests.worlds.steps import approval

pytestmark = pytest.mark.django_db


@pytest.fixture
def cos():
    cos = make_cos()
    cos.budget_this_year("250000.00")
    cos.oak = SchoolFactory(community=cos.community, name="Oak Primary School")
    cos.oak_senco = make_senco(cos.oak)
    return cos


@pytest.fixture
def meeting(cos):
    return cos.meeting(timezone.localdate() + dt.timedelta(days=7))


def _arrange(cos, meeting, by=None, school=None, actor=None):
    return representation_arrange(
        actor=actor or cos.senco,
        meeting_id=meeting.pk,
        school_id=(school or cos.school).pk,
        represented_by_id=(by or cos.oak).pk,
    )


def test_a_senco_names_a_member_school_to_represent_theirs_and_its_sencos_are_told(
    cos, meeting, django_capture_on_commit_callbacks
):
    cos.on_agenda(meeting)
    with django_capture_on_commit_callbacks():
        arranged = _arrange(cos, meeting)
    assert (arranged.school, arranged.represented_by, arranged.arranged_by) == (
        cos.school,
        cos.oak,
        cos.senco,
    )
    told = Notification.objects.filter(kind=Kind.REPRESENTATION)
    assert [n.user for n in told] == [cos.oak_senco]
    note = told.get()
    assert "Spring Primary School" in note.subject and "Oak Primary School" in note.body
    assert note.url == reverse("requests:meeting", args=[meeting.pk])


@pytest.mark.parametrize(
    "case, message",
    [
        ("itself", "A school cannot represent itself"),
        ("non_member", "only a member can represent your school"),
        ("nothing_on_the_agenda", "has no request on this meeting's agenda"),
    ],
)
def test_representation_refused_with_a_clear_message_and_nothing_saved(cos, meeting, case, message):
    cos.on_agenda(meeting)
    outsider = make_cos().school
    with pytest.raises(RequestError, match=message):
        if case == "itself":
            _arrange(cos, meeting, by=cos.school)
        elif case == "non_member":
            _arrange(cos, meeting, by=outsider)
        else:  # Oak has no request on the agenda
            _arrange(cos, meeting, by=cos.school, school=cos.oak, actor=cos.oak_senco)
    assert not Representation.objects.exists()
    assert not Notification.objects.filter(kind=Kind.REPRESENTATION).exists()


def test_only_the_schools_own_senco_arranges_it(cos, meeting):
    cos.on_agenda(meeting)
    with pytest.raises(PermissionDenied):
        _arrange(cos, meeting, actor=cos.oak_senco)
    with pytest.raises(PermissionDenied):
        _arrange(cos, meeting, actor=cos.chair)


def test_representation_is_changed_or_cancelled_until_attendance_is_recorded(cos, meeting):
    third = SchoolFactory(community=cos.community, name="Ash Primary School")
    cos.on_agenda(meeting)
    _arrange(cos, meeting)
    _arrange(cos, meeting, by=third)
    assert Representation.objects.get().represented_by == third
    representation_cancel(actor=cos.senco, meeting_id=meeting.pk, school_id=cos.school.pk)
    assert not Representation.objects.exists()
    _arrange(cos, meeting)
    attendance_record(
        actor=cos.chair,
        meeting_id=meeting.pk,
        entries=[AttendanceEntry(cos.school.pk, "apologies")],
    )
    with pytest.raises(RequestError, match="already recorded your school's attendance"):
        _arrange(cos, meeting, by=third)


def test_the_senco_arranges_it_from_the_meeting_page(client, cos, meeting):
    cos.on_agenda(meeting)
    client.force_login(cos.senco)
    page = client.get(reverse("requests:meeting", args=[meeting.pk])).content.decode()
    url = reverse("requests:representation", args=[meeting.pk, cos.school.pk])
    assert url in page and "Ask another school to represent Spring Primary School" in page
    response = client.post(url, {"represented_by": str(cos.school.pk)})
    assert response.status_code == 200
    assert "Select a member school of this Community of Schools" in response.content.decode()
    response = client.post(url, {"represented_by": str(cos.oak.pk)})
    assert response.status_code == 302
    assert Representation.objects.get().represented_by == cos.oak


def test_the_representation_page_is_404_outside_and_explains_without_a_request(
    client, cos, meeting
):
    cos.on_agenda(meeting)
    other = make_cos()
    client.force_login(other.senco)
    url = reverse("requests:representation", args=[meeting.pk, cos.school.pk])
    assert client.get(url).status_code == 404
    client.force_login(cos.oak_senco)  # a member, but not Spring's SENCO
    assert client.get(url).status_code == 404
    own = client.get(reverse("requests:representation", args=[meeting.pk, cos.oak.pk]))
    assert "has no request on this meeting's agenda" in own.content.decode()


def test_the_chair_sees_it_and_attendance_is_pre_filled_with_it(client, cos, meeting):
    cos.on_agenda(meeting)
    _arrange(cos, meeting)
    client.force_login(cos.chair)
    page = client.get(reverse("requests:meeting", args=[meeting.pk])).content.decode()
    assert "Spring Primary School is represented by Oak Primary School" in page
    form = client.get(reverse("requests:attendance", args=[meeting.pk])).context["form"]
    assert form.initial[f"status_{cos.school.pk}"] == Attendance.Status.REPRESENTED
    assert form.initial[f"by_{cos.school.pk}"] == str(cos.oak.pk)
    assert f"status_{cos.oak.pk}" not in form.initial


def test_a_representing_school_marked_absent_is_a_warning_for_the_chair(client, cos, meeting):
    cos.on_agenda(meeting)
    _arrange(cos, meeting)
    attendance_record(
        actor=cos.chair,
        meeting_id=meeting.pk,
        entries=[
            AttendanceEntry(cos.school.pk, "represented", represented_by_id=cos.oak.pk),
            AttendanceEntry(cos.oak.pk, "absent"),
        ],
    )
    client.force_login(cos.chair)
    page = client.get(reverse("requests:meeting", args=[meeting.pk])).content.decode()
    assert "govuk-warning-text" in page
    assert "Oak Primary School was to represent Spring Primary School" in page


def test_mark_all_as_attended_fills_the_schools_not_yet_recorded(client, cos, meeting):
    cos.on_agenda(meeting)
    _arrange(cos, meeting)
    client.force_login(cos.chair)
    url = reverse("requests:attendance", args=[meeting.pk])
    assert "Mark all as attended" in client.get(url).content.decode()
    form = client.get(url, {"all": "attended"}).context["form"]
    assert form.initial[f"status_{cos.oak.pk}"] == Attendance.Status.ATTENDED
    # The school that arranged representation keeps it: the exception is kept.
    assert form.initial[f"status_{cos.school.pk}"] == Attendance.Status.REPRESENTED


def test_a_meeting_closes_only_when_every_member_school_has_an_entry(cos):
    meeting = cos.meeting()
    item = cos.on_agenda(meeting)
    decision_record(actor=cos.chair, item_id=item.pk, award=approval())
    attendance_record(
        actor=cos.chair,
        meeting_id=meeting.pk,
        entries=[AttendanceEntry(cos.school.pk, "attended", representative_name="Ann")],
    )
    with pytest.raises(RequestError, match=r"Not yet recorded: Oak Primary School\.$"):
        meeting_close(actor=cos.chair, meeting_id=meeting.pk)
    meeting.refresh_from_db()
    assert not meeting.is_closed
    attendance_record(
        actor=cos.chair, meeting_id=meeting.pk, entries=[AttendanceEntry(cos.oak.pk, "apologies")]
    )
    assert meeting_close(actor=cos.chair, meeting_id=meeting.pk).is_closed


def test_a_meeting_cannot_be_closed_before_its_start_time(client, cos):
    later = timezone.localtime() + dt.timedelta(hours=2)
    if later.date() != timezone.localdate():  # late in the evening: a meeting tomorrow
        later = later.replace(hour=23, minute=59)
    meeting = cos.meeting(later.date(), start_time=later.time().replace(second=0, microsecond=0))
    with pytest.raises(RequestError, match="it can be closed once it has started"):
        meeting_close(actor=cos.chair, meeting_id=meeting.pk)
    client.force_login(cos.chair)
    page = client.get(reverse("requests:meeting", args=[meeting.pk])).content.decode()
    assert "The meeting can be closed once it has started" in page
    assert reverse("requests:meeting_close", args=[meeting.pk]) not in page


def test_the_decisions_rule_shows_before_the_day_of_the_meeting(client, cos, meeting):
    cos.on_agenda(meeting)
    client.force_login(cos.chair)
    page = client.get(reverse("requests:meeting", args=[meeting.pk])).content.decode()
    assert "Decisions can be recorded from the day of the meeting" in page


def test_reordering_stops_once_an_item_is_decided(client, cos):
    meeting = cos.meeting()
    first, second = cos.on_agenda(meeting), cos.on_agenda(meeting)
    client.force_login(cos.chair)
    url = reverse("requests:meeting", args=[meeting.pk])
    assert "Move down" in client.get(url).content.decode()
    decision_record(actor=cos.chair, item_id=first.pk, award=approval())
    assert "Move down" not in client.get(url).content.decode()
    assert "Move up" not in client.get(url).content.decode()
    with pytest.raises(RequestError, match="order of the agenda can no longer change"):
        agenda_move(actor=cos.chair, meeting_id=meeting.pk, item_id=second.pk, direction="up")


@pytest.mark.parametrize("days", [-40, 400])
def test_an_unusual_meeting_date_needs_confirming(client, cos, days):
    day = timezone.localdate() + dt.timedelta(days=days)
    client.force_login(cos.chair)
    url = reverse("requests:meeting_new", args=[cos.community.pk])
    data = {
        "date_0": day.day,
        "date_1": day.month,
        "date_2": day.year,
        "start_time": "16:00",
        "place": "Hall",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "check the date, or confirm it is right" in html
    assert "Yes, this is the date of the meeting" in html
    assert not cos.community.meetings.exists()
    response = client.post(url, data | {"confirm_date": "on"})
    assert response.status_code == 302
    assert cos.community.meetings.get().date == day


def test_a_usual_date_needs_no_confirmation(client, cos):
    day = timezone.localdate() + dt.timedelta(days=20)
    client.force_login(cos.chair)
    response = client.post(
        reverse("requests:meeting_new", args=[cos.community.pk]),
        {"date_0": day.day, "date_1": day.month, "date_2": day.year, "start_time": "4pm"},
    )
    assert "Yes, this is the date" not in response.content.decode()
