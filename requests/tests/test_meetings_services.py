"""Meetings through the real services: scheduling, the agenda, attendance, declarations
of interest and closing."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from communities.tests.factories import SchoolFactory
from requests.models import AgendaItem, Attendance, DeclarationOfInterest, Meeting
from requests.services import (
    RequestError,
    agenda_add,
    agenda_move,
    agenda_remove,
    attendance_record,
    decision_record,
    declaration_add,
    declaration_remove,
    interim_decision_record,
    meeting_close,
    meeting_update,
    request_withdraw,
)
from requests.services.decisions import Award
from requests.services.meetings import (
    AttendanceEntry,
    agenda_add_requests,
    member_schools,
    unratified_interim_decisions,
)
from requests.tests.factories import DraftFactory
from requests.workflow import Status
from tests.worlds.cos import make_cos
from tests.worlds.steps import approval, attended_by_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def cos():
    cos = make_cos()
    cos.budget_this_year("100000.00")
    return cos


def test_a_meeting_needs_a_place_or_an_online_link(cos):
    with pytest.raises(RequestError, match="where the meeting is"):
        cos.meeting(place="  ")
    online = cos.meeting(place="", online_link="https://teams.example.org/meet/1")
    assert online.online_link and not online.place
    assert Meeting.objects.count() == 1


def test_only_the_chair_of_the_cos_schedules_and_changes_meetings(cos):
    other = make_cos()
    from requests.services import meeting_create

    with pytest.raises(PermissionDenied):
        meeting_create(
            actor=other.chair,
            community=cos.community,
            date=timezone.localdate(),
            start_time=dt.time(9),
            place="Here",
        )
    with pytest.raises(PermissionDenied):
        meeting_create(
            actor=cos.senco,
            community=cos.community,
            date=timezone.localdate(),
            start_time=dt.time(9),
            place="Here",
        )
    meeting = cos.meeting()
    with pytest.raises(PermissionDenied):
        meeting_update(
            actor=other.chair,
            meeting_id=meeting.pk,
            date=meeting.date,
            start_time=dt.time(10),
            place="Elsewhere",
            online_link="",
        )
    meeting_update(
        actor=cos.chair,
        meeting_id=meeting.pk,
        date=meeting.date,
        start_time=dt.time(10, 30),
        place="Hall",
        online_link="",
    )
    meeting.refresh_from_db()
    assert (meeting.start_time, meeting.place) == (dt.time(10, 30), "Hall")


def test_the_agenda_takes_waiting_requests_of_the_cos_in_order(cos):
    meeting = cos.meeting()
    first, second = cos.request(), cos.request()
    items = agenda_add_requests(
        actor=cos.chair, meeting_id=meeting.pk, request_ids=[second.pk, first.pk]
    )
    assert [i.request_id for i in items] == [second.pk, first.pk]
    assert [i.position for i in meeting.items.order_by("position")] == [1, 2]
    first.refresh_from_db()
    assert first.status == Status.ON_AGENDA
    assert first.events.filter(action="add_to_agenda").exists()


def test_adding_several_requests_is_all_or_nothing(cos):
    meeting = cos.meeting()
    good = cos.request()
    other_cos_request = make_cos().request()
    with pytest.raises(RequestError, match="another Community of Schools"):
        agenda_add_requests(
            actor=cos.chair, meeting_id=meeting.pk, request_ids=[good.pk, other_cos_request.pk]
        )
    good.refresh_from_db()
    assert good.status == Status.SUBMITTED
    assert not meeting.items.exists()
    with pytest.raises(RequestError, match="Select at least one"):
        agenda_add_requests(actor=cos.chair, meeting_id=meeting.pk, request_ids=[])


@pytest.mark.parametrize("state", ["draft", "on_agenda", "approved", "withdrawn"])
def test_only_waiting_requests_go_on_the_agenda(cos, state):
    meeting = cos.meeting()
    if state == "draft":
        request = DraftFactory(school=cos.school, created_by=cos.senco)
    else:
        request = cos.request()
        if state in ("on_agenda", "approved"):
            item = agenda_add(actor=cos.chair, meeting_id=cos.meeting().pk, request_id=request.pk)
            if state == "approved":
                decision_record(actor=cos.chair, item_id=item.pk, award=approval())
        if state == "withdrawn":
            request_withdraw(actor=cos.senco, request_id=request.pk)
    with pytest.raises(RequestError):
        agenda_add(actor=cos.chair, meeting_id=meeting.pk, request_id=request.pk)
    assert not meeting.items.exists()


def test_remove_from_the_agenda_sends_the_request_back_to_the_queue(cos):
    meeting = cos.meeting()
    item = cos.on_agenda(meeting)
    agenda_remove(actor=cos.chair, meeting_id=meeting.pk, item_id=item.pk)
    item.request.refresh_from_db()
    assert item.request.status == Status.SUBMITTED
    assert not AgendaItem.objects.filter(pk=item.pk).exists()


def test_a_decided_item_stays_on_the_agenda(cos):
    meeting = cos.meeting()
    item = cos.on_agenda(meeting)
    decision_record(actor=cos.chair, item_id=item.pk, award=approval())
    with pytest.raises(RequestError, match="already decided"):
        agenda_remove(actor=cos.chair, meeting_id=meeting.pk, item_id=item.pk)


def test_an_interim_decision_stays_on_the_agenda_until_ratified(cos):
    meeting = cos.meeting()
    request = cos.request(
        is_exceptional=True, exceptional_reason="tribunal", exceptional_why_now="x"
    )
    interim_decision_record(actor=cos.chair, request_id=request.pk, award=approval())
    item = meeting.items.get()
    with pytest.raises(RequestError, match="until it is ratified"):
        agenda_remove(actor=cos.chair, meeting_id=meeting.pk, item_id=item.pk)
    assert not unratified_interim_decisions(cos.community.pk).exists()


def test_reorder_the_agenda_up_and_down(cos):
    meeting = cos.meeting()
    a, b, c = (cos.on_agenda(meeting) for _ in range(3))

    def order():
        return list(meeting.items.order_by("position", "pk").values_list("pk", flat=True))

    agenda_move(actor=cos.chair, meeting_id=meeting.pk, item_id=c.pk, direction="up")
    assert order() == [a.pk, c.pk, b.pk]
    agenda_move(actor=cos.chair, meeting_id=meeting.pk, item_id=a.pk, direction="down")
    assert order() == [c.pk, a.pk, b.pk]
    agenda_move(actor=cos.chair, meeting_id=meeting.pk, item_id=c.pk, direction="up")
    assert order() == [c.pk, a.pk, b.pk]  # already first: nothing moves
    with pytest.raises(RequestError, match="up or down"):
        agenda_move(actor=cos.chair, meeting_id=meeting.pk, item_id=a.pk, direction="sideways")
    with pytest.raises(RequestError, match="not on this meeting's agenda"):
        agenda_move(actor=cos.chair, meeting_id=meeting.pk, item_id=10**9, direction="up")


def test_attendance_for_every_kind_of_answer(cos):
    meeting = cos.meeting()
    other = SchoolFactory(community=cos.community, name="Ash Academy")
    third = SchoolFactory(community=cos.community, name="Beech Primary School")
    fourth = SchoolFactory(community=cos.community, name="Cherry Infant School")
    attendance_record(
        actor=cos.chair,
        meeting_id=meeting.pk,
        entries=[
            AttendanceEntry(cos.school.pk, "attended", representative_name=" Sarah Senco "),
            AttendanceEntry(other.pk, "represented", represented_by_id=cos.school.pk),
            AttendanceEntry(third.pk, "apologies"),
            AttendanceEntry(fourth.pk, "absent", representative_name="ignored"),
        ],
    )
    recorded = {a.school_id: a for a in meeting.attendance.all()}
    assert recorded[cos.school.pk].representative_name == "Sarah Senco"
    assert recorded[other.pk].represented_by_id == cos.school.pk
    assert recorded[third.pk].status == "apologies"
    assert recorded[fourth.pk].representative_name == ""
    # Recording again replaces the answer.
    attendance_record(
        actor=cos.chair, meeting_id=meeting.pk, entries=[AttendanceEntry(third.pk, "absent")]
    )
    assert meeting.attendance.get(school=third).status == "absent"
    assert meeting.attendance.count() == 4


@pytest.mark.parametrize(
    ("entry_for", "status", "extra", "message"),
    [
        ("member", "attended", {}, "name of the representative"),
        ("member", "represented", {}, "which other school"),
        ("member", "represented", {"self": True}, "which other school"),
        ("member", "present", {}, "Select whether"),
        ("special", "attended", {"representative_name": "A"}, "member schools"),
        ("other_cos", "attended", {"representative_name": "A"}, "member schools"),
    ],
)
def test_wrong_attendance_is_refused_and_nothing_saved(cos, entry_for, status, extra, message):
    meeting = cos.meeting()
    school = {
        "member": cos.school,
        "special": SchoolFactory(community=cos.community, kind="special"),
        "other_cos": make_cos().school,
    }[entry_for]
    if extra.pop("self", False):
        extra["represented_by_id"] = school.pk
    good = SchoolFactory(community=cos.community)
    with pytest.raises(RequestError, match=message):
        attendance_record(
            actor=cos.chair,
            meeting_id=meeting.pk,
            entries=[
                AttendanceEntry(good.pk, "apologies"),
                AttendanceEntry(school.pk, status, **extra),
            ],
        )
    assert not Attendance.objects.exists()


def test_special_schools_are_not_expected_at_meetings(cos):
    SchoolFactory(community=cos.community, kind="special")
    SchoolFactory(community=cos.community, kind="pru")
    SchoolFactory(community=cos.community, is_open=False)
    assert list(member_schools(cos.community.pk)) == [cos.school]


def test_declarations_of_interest(cos):
    meeting = cos.meeting()
    item = cos.on_agenda(meeting)
    declaration = declaration_add(
        actor=cos.chair,
        meeting_id=meeting.pk,
        person_name="Tom Taylor",
        details="Governor at the requesting school",
        school_id=cos.school.pk,
        item_id=item.pk,
    )
    assert declaration.item == item
    with pytest.raises(RequestError, match="name of the person"):
        declaration_add(actor=cos.chair, meeting_id=meeting.pk, person_name=" ", details="x")
    with pytest.raises(RequestError, match="interest declared"):
        declaration_add(actor=cos.chair, meeting_id=meeting.pk, person_name="A", details="")
    other_meeting_item = cos.on_agenda(cos.meeting())
    with pytest.raises(RequestError, match="not on this meeting's agenda"):
        declaration_add(
            actor=cos.chair,
            meeting_id=meeting.pk,
            person_name="A",
            details="x",
            item_id=other_meeting_item.pk,
        )
    with pytest.raises(RequestError, match="member school"):
        declaration_add(
            actor=cos.chair,
            meeting_id=meeting.pk,
            person_name="A",
            details="x",
            school_id=make_cos().school.pk,
        )
    declaration_remove(actor=cos.chair, meeting_id=meeting.pk, declaration_id=declaration.pk)
    assert not DeclarationOfInterest.objects.exists()


def test_close_only_when_every_item_has_an_outcome(cos):
    meeting = cos.meeting()
    decided, pending, withdrawn = (cos.on_agenda(meeting) for _ in range(3))
    decision_record(actor=cos.chair, item_id=decided.pk, award=approval())
    request_withdraw(actor=cos.senco, request_id=withdrawn.request_id, reason="Moved away")
    with pytest.raises(RequestError, match="1 item on the agenda has no outcome yet"):
        meeting_close(actor=cos.chair, meeting_id=meeting.pk)
    meeting.refresh_from_db()
    assert not meeting.is_closed
    decision_record(
        actor=cos.chair, item_id=pending.pk, award=Award(outcome="deferred", reason="Next month")
    )
    attended_by_all(meeting)
    closed = meeting_close(actor=cos.chair, meeting_id=meeting.pk)
    assert closed.is_closed and closed.closed_by == cos.chair and closed.closed_at
    # A closed meeting no longer changes.
    for call in (
        lambda: agenda_add(actor=cos.chair, meeting_id=meeting.pk, request_id=cos.request().pk),
        lambda: attendance_record(
            actor=cos.chair,
            meeting_id=meeting.pk,
            entries=[AttendanceEntry(cos.school.pk, "absent")],
        ),
        lambda: declaration_add(
            actor=cos.chair, meeting_id=meeting.pk, person_name="A", details="x"
        ),
        lambda: meeting_close(actor=cos.chair, meeting_id=meeting.pk),
    ):
        with pytest.raises(RequestError, match="closed"):
            call()


def test_a_meeting_is_closed_from_its_day(cos):
    meeting = cos.meeting(timezone.localdate() + dt.timedelta(days=1))
    with pytest.raises(RequestError, match="it can be closed once it has started"):
        meeting_close(actor=cos.chair, meeting_id=meeting.pk)
