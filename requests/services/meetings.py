"""CoS meetings: scheduling, the agenda, attendance, declarations of interest, closing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format

from communities.models import CommunityOfSchools, School, User
from communities.permissions import is_chair_of_community, runs_meetings_of, scope_for
from kentlocality.templatetags.formatting import format_date

from ..models import (
    AgendaItem,
    Attendance,
    Decision,
    DeclarationOfInterest,
    Meeting,
    Representation,
    ResourceRequest,
)
from ..notifications import events as notify
from ..validation import MEETING_SUMMARY_MAX
from ..workflow import Action, Status, allows
from .errors import RequestError
from .lifecycle import lock_request, record_event, transition


def _require_runner_of(actor: User, community_id: int) -> None:
    """The chair, vice-chair or clerk of the CoS: the people who run its meetings."""
    if not runs_meetings_of(actor, community_id):
        raise PermissionDenied


def _lock_open_meeting(actor: User, meeting_id: int) -> Meeting:
    meeting = Meeting.objects.select_for_update().filter(pk=meeting_id).first()
    if meeting is None:
        raise RequestError("That meeting no longer exists.")
    _require_runner_of(actor, meeting.community_id)
    if meeting.is_closed:
        raise RequestError("This meeting is closed: it can no longer be changed.")
    if meeting.is_cancelled:
        raise RequestError("This meeting is cancelled: it can no longer be changed.")
    return meeting


def unratified_interim_decisions(community_id: int):
    """Interim decisions of a CoS waiting for ratification and not yet on an agenda."""
    # A subquery rather than exclude() across the relation: exclude() on a multi-valued
    # relation does not require both conditions to hold for the same agenda item.
    waiting_on_an_agenda = AgendaItem.objects.filter(
        kind=AgendaItem.Kind.RATIFICATION, outcome=""
    ).values("request_id")
    return Decision.objects.filter(
        request__community_id=community_id,
        is_interim=True,
        ratified_at__isnull=True,
        revised_by__isnull=True,
    ).exclude(request_id__in=waiting_on_an_agenda)


def require_meeting_day_reached(meeting: Meeting, doing: str) -> None:
    """Decisions are made at the meeting: refuse them (and closing) before its day."""
    if meeting.date > timezone.localdate():
        raise RequestError(
            f"This meeting is on {date_format(meeting.date)}: {doing} from the day of the meeting."
        )


def meeting_starts_at(meeting: Meeting) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(meeting.date, meeting.start_time))


def require_meeting_started(meeting: Meeting) -> None:
    """A meeting is closed after it has been held: never before its start time."""
    if timezone.now() < meeting_starts_at(meeting):
        raise RequestError(
            f"This meeting starts at {meeting.start_time:%H:%M} on {date_format(meeting.date)}: "
            "it can be closed once it has started."
        )


def _append_item(meeting: Meeting, request_id: int, kind: str) -> AgendaItem:
    last = meeting.items.aggregate(last=Max("position"))["last"]
    return AgendaItem.objects.create(
        meeting=meeting, request_id=request_id, kind=kind, position=(last or 0) + 1
    )


@transaction.atomic
def meeting_create(
    *,
    actor: User,
    community: CommunityOfSchools,
    date: dt.date,
    start_time: dt.time,
    place: str = "",
    online_link: str = "",
) -> Meeting:
    """Schedule a meeting. Interim decisions waiting for ratification go straight onto
    its agenda."""
    _require_runner_of(actor, community.pk)
    if not place.strip() and not online_link.strip():
        raise RequestError("Enter where the meeting is, or a link to join it online")
    meeting = Meeting.objects.create(
        community=community,
        date=date,
        start_time=start_time,
        place=place.strip(),
        online_link=online_link.strip(),
        created_by=actor,
    )
    for decision in unratified_interim_decisions(community.pk):
        _append_item(meeting, decision.request_id, AgendaItem.Kind.RATIFICATION)
    notify.meeting_scheduled(meeting)
    return meeting


@transaction.atomic
def meeting_update(
    *,
    actor: User,
    meeting_id: int,
    date: dt.date,
    start_time: dt.time,
    place: str,
    online_link: str,
) -> Meeting:
    """Change a meeting's date, time or place. Its people are told, with the calendar
    invitation's sequence raised, when anything changed."""
    meeting = _lock_open_meeting(actor, meeting_id)
    if not place.strip() and not online_link.strip():
        raise RequestError("Enter where the meeting is, or a link to join it online")
    new = {
        "date": date,
        "start time": start_time,
        "place": place.strip(),
        "online link": online_link.strip(),
    }
    old = {
        "date": meeting.date,
        "start time": meeting.start_time,
        "place": meeting.place,
        "online link": meeting.online_link,
    }
    changes = [what for what in new if new[what] != old[what]]
    if not changes:
        return meeting
    was = meeting.date
    meeting.date, meeting.start_time = date, start_time
    meeting.place, meeting.online_link = new["place"], new["online link"]
    meeting.sequence += 1
    meeting.save(update_fields=["date", "start_time", "place", "online_link", "sequence"])
    if date != was:
        # Each request on its agenda says when it will now be discussed.
        note = f"Now {format_date(date)} (was {format_date(was)})"
        for item in meeting.items.select_related("request"):
            record_event(item.request, actor=actor, action=Action.MOVE_MEETING, note=note)
    notify.meeting_changed(meeting, changes)
    return meeting


@transaction.atomic
def meeting_cancel(*, actor: User, meeting_id: int, reason: str) -> Meeting:
    """Cancel a scheduled meeting before anything is decided at it. The requests on its
    agenda go back to the queue for the next meeting, and interim decisions waiting on it
    go to the next meeting scheduled; the meeting is kept, marked cancelled, and its
    people are told (with the calendar cancellation)."""
    reason = reason.strip()
    if not reason:
        raise RequestError("Enter why the meeting is cancelled")
    # The lock order of every service: the requests (in id order), then the meeting.
    request_ids = sorted(
        _meeting_of_runner(actor, meeting_id).items.values_list("request_id", flat=True)
    )
    agenda = [lock_request(request_id) for request_id in request_ids]
    meeting = _lock_open_meeting(actor, meeting_id)
    items = list(meeting.items.select_for_update().order_by("request_id"))
    if [item.request_id for item in items] != request_ids:
        raise RequestError("The agenda changed as you cancelled the meeting: try again.")
    if any(item.outcome not in ("", AgendaItem.Outcome.WITHDRAWN) for item in items):
        raise RequestError(
            "Decisions have been recorded at this meeting: it cannot be cancelled. Close it "
            "once every item has an outcome."
        )
    for item, request in zip(items, agenda, strict=True):
        # A request the school withdrew stays withdrawn; an interim decision keeps its
        # status and waits for the next meeting.
        if item.kind == AgendaItem.Kind.DECISION and not item.outcome:
            transition(request, actor=actor, action=Action.REMOVE_FROM_AGENDA, note=str(meeting))
        item.delete()
    meeting.state = Meeting.State.CANCELLED
    meeting.cancelled_at = timezone.now()
    meeting.cancelled_by = actor
    meeting.cancel_reason = reason
    meeting.sequence += 1
    meeting.save(
        update_fields=["state", "cancelled_at", "cancelled_by", "cancel_reason", "sequence"]
    )
    notify.meeting_cancelled(meeting, agenda)
    return meeting


def lock_next_meeting(community_id: int) -> Meeting | None:
    """Lock the CoS's next scheduled meeting (today or later), if there is one."""
    return (
        Meeting.objects.select_for_update()
        .filter(
            community_id=community_id,
            state=Meeting.State.SCHEDULED,
            date__gte=timezone.localdate(),
        )
        .order_by("date", "start_time")
        .first()
    )


def add_to_next_meeting_for_ratification(
    decision: Decision, meeting: Meeting | None
) -> AgendaItem | None:
    """Put an interim decision on the CoS's next scheduled meeting (locked by the caller
    with lock_next_meeting), if there is one; a meeting created later picks it up in
    meeting_create."""
    if meeting is None:
        return None
    if meeting.items.filter(request_id=decision.request_id).exists():
        return None
    return _append_item(meeting, decision.request_id, AgendaItem.Kind.RATIFICATION)


def _meeting_of_runner(actor: User, meeting_id: int) -> Meeting:
    """The meeting, unlocked, after checking the actor runs its CoS's meetings."""
    meeting = Meeting.objects.filter(pk=meeting_id).first()
    if meeting is None:
        raise RequestError("That meeting no longer exists.")
    _require_runner_of(actor, meeting.community_id)
    return meeting


def _add_one(actor: User, meeting_id: int, request_id: int) -> AgendaItem:
    # Lock order everywhere: the request, then the meeting, then the budget rows. A
    # decision locks them in that order too, so the two can never deadlock.
    request = lock_request(request_id)
    meeting = _lock_open_meeting(actor, meeting_id)
    if request.community_id != meeting.community_id:
        raise RequestError("That request belongs to another Community of Schools.")
    if not allows(request.status, Action.ADD_TO_AGENDA):
        raise RequestError(
            f"This request is {request.get_status_display().lower()}: only requests waiting "
            "for a meeting can be added."
        )
    if meeting.items.filter(request=request).exists():
        raise RequestError("This request is already on the agenda.")
    transition(request, actor=actor, action=Action.ADD_TO_AGENDA, note=str(meeting))
    item = _append_item(meeting, request.pk, AgendaItem.Kind.DECISION)
    notify.agenda_added(item, meeting, request)
    return item


@transaction.atomic
def agenda_add(*, actor: User, meeting_id: int, request_id: int) -> AgendaItem:
    """Put a waiting request (submitted or deferred) of the meeting's CoS on its agenda."""
    _meeting_of_runner(actor, meeting_id)
    return _add_one(actor, meeting_id, request_id)


@transaction.atomic
def agenda_add_requests(
    *, actor: User, meeting_id: int, request_ids: list[int]
) -> list[AgendaItem]:
    """Put several waiting requests on the agenda, in the order given: all of them, or
    (if any one cannot be added) none."""
    _meeting_of_runner(actor, meeting_id)
    if not request_ids:
        raise RequestError("Select at least one request to add to the agenda")
    # Requests locked in id order, whatever order they are listed in, so that two
    # overlapping calls cannot deadlock; the agenda keeps the order given.
    for request_id in sorted(set(request_ids)):
        lock_request(request_id)
    return [_add_one(actor, meeting_id, request_id) for request_id in dict.fromkeys(request_ids)]


@transaction.atomic
def agenda_remove(*, actor: User, meeting_id: int, item_id: int) -> None:
    """Take an undecided request off the agenda: it goes back to the queue."""
    _meeting_of_runner(actor, meeting_id)
    found = AgendaItem.objects.filter(pk=item_id, meeting_id=meeting_id).first()
    if found is None:
        raise RequestError("That request is not on this meeting's agenda.")
    request = lock_request(found.request_id)
    meeting = _lock_open_meeting(actor, meeting_id)
    item = meeting.items.select_for_update().filter(pk=item_id).first()
    if item is None:
        raise RequestError("That request is not on this meeting's agenda.")
    if item.outcome:
        raise RequestError("A request already decided cannot be taken off the agenda.")
    if item.kind == AgendaItem.Kind.RATIFICATION:
        raise RequestError(
            "An interim decision stays on the agenda until it is ratified or revised."
        )
    transition(request, actor=actor, action=Action.REMOVE_FROM_AGENDA, note=str(meeting))
    item.delete()


@transaction.atomic
def agenda_move(*, actor: User, meeting_id: int, item_id: int, direction: str) -> None:
    """Swap an item with the one above ("up") or below ("down")."""
    if direction not in ("up", "down"):
        raise RequestError("Choose to move the item up or down.")
    meeting = _lock_open_meeting(actor, meeting_id)
    items = list(meeting.items.select_for_update().order_by("position", "pk"))
    if any(item.outcome for item in items):
        raise RequestError(
            "An item has been decided: the order of the agenda can no longer change."
        )
    index = next((i for i, item in enumerate(items) if item.pk == item_id), None)
    if index is None:
        raise RequestError("That request is not on this meeting's agenda.")
    other = index - 1 if direction == "up" else index + 1
    if other < 0 or other >= len(items):
        return
    items[index], items[other] = items[other], items[index]
    for position, item in enumerate(items, start=1):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])


SUMMARY_EDITABLE = (Status.SUBMITTED, Status.DEFERRED, Status.ON_AGENDA)


@transaction.atomic
def meeting_summary_edit(*, actor: User, request_id: int, summary: str) -> ResourceRequest:
    """The chair (or vice-chair) edits the "summary for the meeting" the SENCO wrote,
    until the request is decided: what members read on the agenda. The timeline keeps
    that it was edited, and by whom."""
    request = lock_request(request_id)
    if not is_chair_of_community(actor, request.community_id):
        raise PermissionDenied
    if request.status not in SUMMARY_EDITABLE:
        raise RequestError(
            "The summary for the meeting can be edited until the request is decided."
        )
    summary = summary.strip()
    if len(summary) > MEETING_SUMMARY_MAX:
        raise RequestError(
            f"Summary for the meeting must be {MEETING_SUMMARY_MAX:,} characters or fewer",
            field="meeting_summary",
        )
    if summary != request.meeting_summary:
        request.meeting_summary = summary
        request.save(update_fields=["meeting_summary", "updated_at"])
        record_event(request, actor=actor, action=Action.EDIT_SUMMARY)
    return request


@dataclass
class AttendanceEntry:
    school_id: int
    status: str
    representative_name: str = ""
    represented_by_id: int | None = None


def member_schools(community_id: int):
    """The schools expected at a CoS meeting: its open mainstream schools."""
    return School.objects.filter(
        community_id=community_id, kind=School.Kind.MAINSTREAM, is_open=True
    ).order_by("name")


@transaction.atomic
def attendance_record(*, actor: User, meeting_id: int, entries: list[AttendanceEntry]) -> None:
    """Record attendance for member schools (replacing what was recorded for them)."""
    meeting = _lock_open_meeting(actor, meeting_id)
    members = {s.pk: s for s in member_schools(meeting.community_id)}
    for entry in entries:
        if entry.school_id not in members:
            raise RequestError("Attendance can only be recorded for member schools of this CoS.")
        if entry.status not in Attendance.Status.values:
            raise RequestError(f"Select whether {members[entry.school_id]} attended")
        if entry.status == Attendance.Status.ATTENDED and not entry.representative_name.strip():
            raise RequestError(
                f"Enter the name of the representative of {members[entry.school_id]}"
            )
        if entry.status == Attendance.Status.REPRESENTED and (
            entry.represented_by_id not in members or entry.represented_by_id == entry.school_id
        ):
            raise RequestError(f"Select which other school represented {members[entry.school_id]}")
    for entry in entries:
        Attendance.objects.update_or_create(
            meeting=meeting,
            school_id=entry.school_id,
            defaults={
                "status": entry.status,
                "representative_name": entry.representative_name.strip()
                if entry.status == Attendance.Status.ATTENDED
                else "",
                "represented_by_id": entry.represented_by_id
                if entry.status == Attendance.Status.REPRESENTED
                else None,
            },
        )


def schools_with_items(meeting: Meeting) -> set[int]:
    """The schools with a request on the meeting's agenda."""
    return set(meeting.items.values_list("request__school_id", flat=True))


@transaction.atomic
def representation_arrange(
    *, actor: User, meeting_id: int, school_id: int, represented_by_id: int | None
) -> Representation:
    """The SENCO of a school with a request on the agenda names, before the meeting,
    another member school to represent it. The chair sees it on the meeting page and
    attendance is pre-filled with it; the representing school's SENCOs are told."""
    if school_id not in scope_for(actor).school_ids:
        raise PermissionDenied
    meeting = Meeting.objects.select_for_update().filter(pk=meeting_id).first()
    if meeting is None:
        raise RequestError("That meeting no longer exists.")
    if not meeting.is_open:
        raise RequestError(
            f"This meeting is {meeting.get_state_display().lower()}: "
            "representation can no longer be arranged."
        )
    if meeting.attendance.filter(school_id=school_id).exists():
        raise RequestError(
            "The chair has already recorded your school's attendance at this meeting: "
            "ask the chair to change it."
        )
    members = {s.pk: s for s in member_schools(meeting.community_id)}
    if school_id not in members:
        raise RequestError("Only a member school of this CoS can arrange representation.")
    if school_id not in schools_with_items(meeting):
        raise RequestError(
            "Your school has no request on this meeting's agenda: representation is "
            "arranged by a school whose request is to be discussed."
        )
    if represented_by_id is None:
        raise RequestError("Select the member school that will represent yours")
    if represented_by_id == school_id:
        raise RequestError("A school cannot represent itself: select another member school")
    if represented_by_id not in members:
        raise RequestError(
            "Select a member school of this Community of Schools: only a member can "
            "represent your school"
        )
    representation, _ = Representation.objects.update_or_create(
        meeting=meeting,
        school_id=school_id,
        defaults={"represented_by_id": represented_by_id, "arranged_by": actor},
    )
    notify.representation_arranged(representation)
    return representation


@transaction.atomic
def representation_cancel(*, actor: User, meeting_id: int, school_id: int) -> None:
    """The SENCO withdraws the representation they arranged (before attendance is
    recorded for the school)."""
    if school_id not in scope_for(actor).school_ids:
        raise PermissionDenied
    meeting = Meeting.objects.select_for_update().filter(pk=meeting_id).first()
    if meeting is None or not meeting.is_open:
        raise RequestError("This meeting can no longer be changed.")
    if meeting.attendance.filter(school_id=school_id).exists():
        raise RequestError(
            "The chair has already recorded your school's attendance at this meeting: "
            "ask the chair to change it."
        )
    meeting.representations.filter(school_id=school_id).delete()


@transaction.atomic
def declaration_add(
    *,
    actor: User,
    meeting_id: int,
    person_name: str,
    details: str,
    school_id: int | None = None,
    item_id: int | None = None,
) -> DeclarationOfInterest:
    meeting = _lock_open_meeting(actor, meeting_id)
    if not person_name.strip():
        raise RequestError("Enter the name of the person declaring an interest")
    if not details.strip():
        raise RequestError("Enter the interest declared")
    if item_id is not None and not meeting.items.filter(pk=item_id).exists():
        raise RequestError("That request is not on this meeting's agenda.")
    if (
        school_id is not None
        and not member_schools(meeting.community_id).filter(pk=school_id).exists()
    ):
        raise RequestError("Select a member school of this CoS")
    return DeclarationOfInterest.objects.create(
        meeting=meeting,
        person_name=person_name.strip(),
        details=details.strip(),
        school_id=school_id,
        item_id=item_id,
    )


@transaction.atomic
def declaration_remove(*, actor: User, meeting_id: int, declaration_id: int) -> None:
    meeting = _lock_open_meeting(actor, meeting_id)
    meeting.declarations.filter(pk=declaration_id).delete()


@transaction.atomic
def meeting_close(*, actor: User, meeting_id: int) -> Meeting:
    """Close a meeting once every agenda item has an outcome. Its minutes are then fixed."""
    meeting = _lock_open_meeting(actor, meeting_id)
    require_meeting_started(meeting)
    undecided = meeting.items.filter(outcome="").count()
    if undecided:
        raise RequestError(
            f"{undecided} item{'s' if undecided != 1 else ''} on the agenda "
            f"{'have' if undecided != 1 else 'has'} no outcome yet. Record a decision for each before closing."
        )
    missing = [
        school.name
        for school in member_schools(meeting.community_id).exclude(
            pk__in=meeting.attendance.values("school_id")
        )
    ]
    if missing:
        raise RequestError(
            "Record attendance for every member school before closing the meeting. "
            f"Not yet recorded: {', '.join(missing)}.",
            field="attendance",
        )
    meeting.state = Meeting.State.CLOSED
    meeting.closed_at = timezone.now()
    meeting.closed_by = actor
    meeting.save(update_fields=["state", "closed_at", "closed_by"])
    notify.minutes_ready(meeting)
    return meeting


__all__ = [
    "AttendanceEntry",
    "agenda_add",
    "agenda_add_requests",
    "agenda_move",
    "agenda_remove",
    "attendance_record",
    "declaration_add",
    "declaration_remove",
    "meeting_cancel",
    "meeting_close",
    "meeting_create",
    "meeting_starts_at",
    "meeting_summary_edit",
    "meeting_update",
    "member_schools",
    "representation_arrange",
    "representation_cancel",
    "require_meeting_day_reached",
    "require_meeting_started",
    "unratified_interim_decisions",
]
