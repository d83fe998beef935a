"""Reads for the chair's work: the queue, meetings, agendas, attendance, minutes and the
effect of a decision on the budget. Budget figures always come from
``budgets.selectors.budget_positions``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from budgets.models import Allocation, Payment
from budgets.selectors import BudgetPosition, YearEffect, budget_effect, budget_positions
from communities.models import School
from kentlocality.financial_years import apportion_by_days

from ..choices import Need, YearGroup
from ..models import AgendaItem, Attendance, Decision, Meeting, Representation, ResourceRequest
from ..notifications.text import redactor
from ..services.meetings import member_schools
from ..workflow import WAITING_STATUSES, Action, Status, allows


def waiting_requests(community_id: int) -> QuerySet[ResourceRequest]:
    """Submitted and deferred requests of a CoS, oldest first: the chair's queue. A
    request resubmitted with more information keeps its place, by its first submission."""
    return (
        ResourceRequest.objects.filter(community_id=community_id, status__in=WAITING_STATUSES)
        .select_related("school")
        .order_by("first_submitted_at", "pk")
    )


def upcoming_meetings(community_id: int, today: dt.date | None = None) -> QuerySet[Meeting]:
    today = today or timezone.localdate()
    return Meeting.objects.filter(
        community_id=community_id, state=Meeting.State.SCHEDULED, date__gte=today
    ).order_by("date", "start_time")


def earlier_meetings(community_id: int, today: dt.date | None = None) -> QuerySet[Meeting]:
    """Closed meetings, and scheduled ones whose day has passed (still to be closed)."""
    today = today or timezone.localdate()
    return Meeting.objects.filter(
        Q(state=Meeting.State.CLOSED) | Q(date__lt=today), community_id=community_id
    ).order_by("-date", "-start_time")


# The chair's home -------------------------------------------------------------------
# Read as values rather than model instances: the page is the chair's landing page, and
# instances of every column of each request and decision (and a second query to
# prefetch agenda items) cost more than the page shows. The template formats them.

_DECISION_OUTCOMES = dict(Decision.Outcome.choices)
_YEAR_GROUPS = dict(YearGroup.choices)
_NEEDS = dict(Need.choices)


@dataclass(frozen=True)
class ScheduledMeetings:
    upcoming: list[Meeting]  # from today, soonest first (as upcoming_meetings)
    to_close: list[Meeting]  # day passed, not yet closed, latest first


def scheduled_meetings(community_id: int, today: dt.date | None = None) -> ScheduledMeetings:
    """The CoS's scheduled meetings in one query: those still to come and those whose
    day has passed without being closed."""
    today = today or timezone.localdate()
    meetings = list(
        Meeting.objects.filter(community_id=community_id, state=Meeting.State.SCHEDULED)
        .only("pk", "date", "start_time", "place")
        .order_by("date", "start_time", "pk")
    )
    return ScheduledMeetings(
        upcoming=[m for m in meetings if m.date >= today],
        to_close=[m for m in reversed(meetings) if m.date < today],
    )


@dataclass(frozen=True)
class RatificationRow:
    request_id: int
    reference: str
    school_name: str
    outcome: str
    decision_date: dt.date
    amount: Decimal | None  # None when nothing was awarded
    meeting_id: int | None  # the meeting whose agenda holds it, if one does
    meeting_date: dt.date | None

    @property
    def outcome_label(self) -> str:
        return _DECISION_OUTCOMES.get(self.outcome, self.outcome)


def ratification_rows(community_id: int) -> list[RatificationRow]:
    """Interim decisions of a CoS not yet ratified or revised, as the chair's home shows
    them, in one query: each with the first open ratification item that puts it to a
    meeting."""
    open_item = AgendaItem.objects.filter(
        request_id=OuterRef("request_id"), kind=AgendaItem.Kind.RATIFICATION, outcome=""
    ).order_by("position", "pk")[:1]
    decisions = (
        Decision.objects.filter(
            request__community_id=community_id,
            is_interim=True,
            ratified_at__isnull=True,
            revised_by__isnull=True,
        )
        .annotate(
            open_meeting_id=Subquery(open_item.values("meeting_id")),
            open_meeting_date=Subquery(open_item.values("meeting__date")),
        )
        .order_by("decided_at", "pk")
        .values_list(
            "request_id",
            "request__reference",
            "request__school__name",
            "outcome",
            "decision_date",
            "amount",
            "open_meeting_id",
            "open_meeting_date",
        )
    )
    return [RatificationRow(*row) for row in decisions]


@dataclass(frozen=True)
class QueueRow:
    request_id: int
    reference: str
    is_exceptional: bool  # an exceptional request can have an interim decision
    is_deferred: bool
    school_name: str
    year_group: str
    primary_need: str
    amount: Decimal | None
    first_submitted_at: dt.datetime | None
    submitted_at: dt.datetime | None  # the last submission: later when resubmitted

    @property
    def year_group_label(self) -> str:
        return _YEAR_GROUPS.get(self.year_group, self.year_group)

    @property
    def is_resubmitted(self) -> bool:
        return self.submitted_at != self.first_submitted_at


def queue_rows(community_id: int) -> list[QueueRow]:
    """``waiting_requests`` as the chair's home shows it."""
    requests = waiting_requests(community_id).values_list(
        "pk",
        "reference",
        "is_exceptional",
        "status",
        "school__name",
        "year_group",
        "primary_need",
        "amount",
        "first_submitted_at",
        "submitted_at",
    )
    return [
        QueueRow(
            request_id=pk,
            reference=reference,
            is_exceptional=bool(is_exceptional),
            is_deferred=status == Status.DEFERRED,
            school_name=school_name,
            year_group=year_group,
            primary_need=primary_need,
            amount=amount,
            first_submitted_at=first_submitted_at,
            submitted_at=submitted_at,
        )
        for (
            pk,
            reference,
            is_exceptional,
            status,
            school_name,
            year_group,
            primary_need,
            amount,
            first_submitted_at,
            submitted_at,
        ) in requests
    ]


def agenda(meeting: Meeting) -> list[AgendaItem]:
    """The meeting's items in order, with the decision each produced: the decision
    recorded on the item, or for an interim decision the one ratified there (and the
    revision, if it was revised)."""
    return list(
        meeting.items.select_related(
            "request",
            "request__school",
            "decision",
            "ratified_decision",
            "ratified_decision__revised_by",
        ).order_by("position", "pk")
    )


# The meeting page's agenda -------------------------------------------------------------
# The page lists 30 or more items; each row is read as values (five joined tables, a
# handful of columns) rather than as five model instances.

_OUTCOMES = dict(AgendaItem.Outcome.choices)
_AWARDS_MONEY = (Decision.Outcome.APPROVED, Decision.Outcome.PART_APPROVED)


@dataclass(frozen=True)
class AgendaRow:
    """One item of the meeting page's agenda."""

    number: int
    item_id: int
    request_id: int
    is_ratification: bool
    outcome: str
    awarded: Decimal | None  # the amount awarded, when the item's decision awards money
    reference: str
    can_open: bool  # whether the reader may open the request
    school_name: str
    is_exceptional: bool
    year_group: str
    primary_need: str
    secondary_need: str
    amount: Decimal | None

    @property
    def outcome_label(self) -> str:
        return _OUTCOMES.get(self.outcome, self.outcome)

    @property
    def year_group_label(self) -> str:
        return _YEAR_GROUPS.get(self.year_group, self.year_group)

    @property
    def need_label(self) -> str:
        return _NEEDS.get(self.primary_need, self.primary_need)


def agenda_rows(
    meeting: Meeting, *, manage: bool, own_school_ids: frozenset[int] | set[int]
) -> list[AgendaRow]:
    """The meeting page's agenda, in order. The outcome shown with an item is the one
    ``item_decision`` gives (for a revised interim decision, the revision)."""
    items = (
        AgendaItem.objects.filter(meeting_id=meeting.pk)
        .order_by("position", "pk")
        .values_list(
            "pk",
            "kind",
            "outcome",
            "request_id",
            "request__reference",
            "request__school_id",
            "request__school__name",
            "request__is_exceptional",
            "request__year_group",
            "request__primary_need",
            "request__secondary_need",
            "request__amount",
            "decision__outcome",
            "decision__amount",
            "ratified_decision__outcome",
            "ratified_decision__amount",
            "ratified_decision__revised_by__outcome",
            "ratified_decision__revised_by__amount",
        )
    )
    rows = []
    for number, (
        item_id,
        kind,
        outcome,
        request_id,
        reference,
        school_id,
        school_name,
        is_exceptional,
        year_group,
        primary_need,
        secondary_need,
        amount,
        decided_outcome,
        decided_amount,
        ratified_outcome,
        ratified_amount,
        revision_outcome,
        revision_amount,
    ) in enumerate(items, start=1):
        is_ratification = kind == AgendaItem.Kind.RATIFICATION
        if not is_ratification:
            decision_outcome, decision_amount = decided_outcome, decided_amount
        elif revision_outcome:
            decision_outcome, decision_amount = revision_outcome, revision_amount
        else:
            decision_outcome, decision_amount = ratified_outcome, ratified_amount
        rows.append(
            AgendaRow(
                number=number,
                item_id=item_id,
                request_id=request_id,
                is_ratification=is_ratification,
                outcome=outcome,
                awarded=decision_amount if decision_outcome in _AWARDS_MONEY else None,
                reference=reference,
                can_open=manage or school_id in own_school_ids,
                school_name=school_name,
                is_exceptional=bool(is_exceptional),
                year_group=year_group,
                primary_need=primary_need,
                secondary_need=secondary_need,
                amount=amount,
            )
        )
    return rows


# Case summaries: what members read of each agenda item -------------------------------

_BRIEF = 300  # characters of each step of the graduated response shown in brief


def _in_brief(text: str) -> str:
    """The first 300 characters of a plain text, with an ellipsis where it was cut (what
    Django's Truncator does, at a sixth of its cost on the meeting page's 130 texts)."""
    return text if len(text) <= _BRIEF else text[: _BRIEF - 1].rstrip() + "…"


@dataclass(frozen=True)
class CaseSummary:
    """An agenda item as the member schools discuss it, without the pupil's identity:
    what the SENCO and the chair typed is shown with any name, UPN or date of birth of
    the pupil taken out."""

    number: int
    item_id: int
    reference: str
    school_name: str
    year_group: str
    sen_provision: str
    primary_need: str
    secondary_need: str
    requested: str  # what the top-up will pay for
    amount: Decimal | None
    start_date: dt.date | None
    end_date: dt.date | None
    graduated: list[tuple[str, str]]  # (step, in brief)
    summary: str


def case_summaries(meeting: Meeting) -> list[CaseSummary]:
    summaries = []
    for number, item in enumerate(agenda(meeting), start=1):
        request = item.request
        redact = redactor([request])
        summaries.append(
            CaseSummary(
                number=number,
                item_id=item.pk,
                reference=request.reference or "",
                school_name=request.school.name,
                year_group=request.get_year_group_display(),
                sen_provision=request.get_sen_provision_display(),
                primary_need=request.get_primary_need_display(),
                secondary_need=request.get_secondary_need_display(),
                requested=redact(request.funding_purpose),
                amount=request.amount,
                start_date=request.start_date,
                end_date=request.end_date,
                graduated=[
                    (step, _in_brief(redact(text)))
                    for step, text in (
                        ("Assess", request.graduated_assess),
                        ("Plan", request.graduated_plan),
                        ("Do", request.graduated_do),
                        ("Review", request.graduated_review),
                    )
                    if text
                ],
                summary=redact(request.meeting_summary),
            )
        )
    return summaries


@dataclass(frozen=True)
class AttendanceCount:
    recorded: int  # schools with attendance recorded
    total: int  # the schools attendance_rows lists


def attendance_count(meeting: Meeting) -> AttendanceCount:
    """Of the schools ``attendance_rows`` lists (the member schools and any school
    recorded that is no longer a member), how many have attendance recorded."""
    recorded = Attendance.objects.filter(meeting_id=meeting.pk).values("school_id")
    listed = member_schools(meeting.community_id) | School.objects.filter(pk__in=recorded)
    return AttendanceCount(
        **listed.aggregate(recorded=Count("pk", filter=Q(pk__in=recorded)), total=Count("pk"))
    )


@dataclass(frozen=True)
class DeclarationRow:
    person_name: str
    school_id: int | None
    school_name: str | None
    item_id: int | None
    reference: str | None  # the request of the agenda item it concerns
    details: str


def declaration_rows(meeting: Meeting) -> list[DeclarationRow]:
    """The meeting's declarations of interest, as the meeting page lists them."""
    return [
        DeclarationRow(*row)
        for row in meeting.declarations.order_by("pk").values_list(
            "person_name",
            "school_id",
            "school__name",
            "item_id",
            "item__request__reference",
            "details",
        )
    ]


def item_decision(item: AgendaItem) -> Decision | None:
    """The decision an item ended with (for a revised interim decision, the revision)."""
    if item.kind == AgendaItem.Kind.DECISION:
        return getattr(item, "decision", None)
    ratified = getattr(item, "ratified_decision", None)
    if ratified is None:
        return None
    return getattr(ratified, "revised_by", None) or ratified


def interim_decision_of(item: AgendaItem) -> Decision | None:
    """For a ratification item, the interim decision being put to the meeting."""
    if item.kind != AgendaItem.Kind.RATIFICATION:
        return None
    done = getattr(item, "ratified_decision", None)
    if done is not None:
        return done
    return (
        Decision.objects.filter(
            request_id=item.request_id,
            is_interim=True,
            ratified_at__isnull=True,
            revised_by__isnull=True,
        )
        .order_by("-decided_at", "-pk")
        .first()
    )


@dataclass(frozen=True)
class AttendanceRow:
    school: School
    record: Attendance | None


def attendance_rows(meeting: Meeting) -> list[AttendanceRow]:
    """Every member school of the meeting's CoS, with what was recorded for it. A school
    recorded earlier that is no longer a member still shows, so the record is complete."""
    recorded = {
        a.school_id: a for a in meeting.attendance.select_related("school", "represented_by")
    }
    schools = list(member_schools(meeting.community_id))
    known = {s.pk for s in schools}
    rows = [AttendanceRow(school, recorded.get(school.pk)) for school in schools]
    rows += [
        AttendanceRow(a.school, a)
        for school_id, a in sorted(recorded.items(), key=lambda kv: kv[1].school.name)
        if school_id not in known
    ]
    return rows


@dataclass(frozen=True)
class RepresentationRow:
    """Representation arranged ahead by a school with a request on the agenda."""

    representation: Representation
    # The representing school's recorded attendance, when it did not attend: the
    # represented school then had no one there (the chair is warned).
    representing_missing: str

    @property
    def warning(self) -> str:
        if not self.representing_missing:
            return ""
        return (
            f"{self.representation.represented_by.name} was to represent "
            f"{self.representation.school.name}, but is recorded as "
            f"“{self.representing_missing.lower()}”."
        )


def representation_rows(meeting: Meeting) -> list[RepresentationRow]:
    representations = meeting.representations.select_related(
        "school", "represented_by", "arranged_by"
    )
    not_there = {
        a.school_id: a.get_status_display()
        for a in meeting.attendance.filter(
            status__in=(Attendance.Status.ABSENT, Attendance.Status.APOLOGIES)
        )
    }
    return [RepresentationRow(r, not_there.get(r.represented_by_id, "")) for r in representations]


def budget_position_on(community_id: int, year: int) -> BudgetPosition:
    return budget_positions([community_id], year)[community_id]


def decision_effect(
    community_id: int, amount: Decimal, start: dt.date, end: dt.date
) -> list[YearEffect]:
    """What an award would do to each financial year it touches, as things stand."""
    return budget_effect(community_id, amount, start, end)


def revision_effect(
    community_id: int,
    replaced: Allocation | None,
    amount: Decimal,
    start: dt.date,
    end: dt.date,
) -> list[YearEffect]:
    """What revising an interim award would do: the new award's share of each year less
    the share of the award it replaces (which is cancelled in the same transaction)."""
    new = apportion_by_days(amount, start, end)
    old = {}
    if replaced is not None and replaced.cancelled_on is None:
        old = {row.year: row.amount for row in replaced.years.all()}
    zero = Decimal("0.00")
    return [
        YearEffect(
            position=budget_position_on(community_id, year),
            share=new.get(year, zero) - old.get(year, zero),
        )
        for year in sorted(set(new) | set(old))
    ]


def correctable_decision(item: AgendaItem) -> Decision | None:
    """The decision recorded on an agenda item, if the chair may still correct it: the
    meeting is open, the decision is the request's one in force, the request has not
    moved on (resubmitted, put on another agenda) and nothing has been paid on it.
    ``services.decision_correct`` checks the same under its locks."""
    if not item.meeting.is_open or item.kind != AgendaItem.Kind.DECISION or not item.outcome:
        return None
    decision = Decision.objects.select_related("request", "allocation").filter(item=item).first()
    if decision is None or decision.request.decision_id != decision.pk:
        return None
    if not allows(decision.request.status, Action.CORRECT_DECISION):
        return None
    if Payment.objects.filter(allocation__decision__request_id=decision.request_id).exists():
        return None
    return decision
