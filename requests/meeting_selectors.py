"""Reads for the chair's work: the queue, meetings, agendas, attendance, minutes and the
effect of a decision on the budget. Budget figures always come from
``budgets.selectors.budget_positions``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from budgets.models import Allocation
from budgets.selectors import BudgetPosition, YearEffect, budget_effect, budget_positions
from communities.models import School
from kentlocality.financial_years import apportion_by_days

from .models import AgendaItem, Attendance, Decision, Meeting, ResourceRequest
from .services.meetings import member_schools
from .workflow import WAITING_STATUSES


def waiting_requests(community_id: int) -> QuerySet[ResourceRequest]:
    """Submitted and deferred requests of a CoS, oldest first: the chair's queue."""
    return (
        ResourceRequest.objects.filter(community_id=community_id, status__in=WAITING_STATUSES)
        .select_related("school")
        .order_by("submitted_at", "pk")
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


def awaiting_ratification(community_id: int) -> QuerySet[Decision]:
    """Interim decisions of a CoS not yet ratified or revised, with the open agenda item
    (if any) that will put them to a meeting."""
    return (
        Decision.objects.filter(
            request__community_id=community_id,
            is_interim=True,
            ratified_at__isnull=True,
            revised_by__isnull=True,
        )
        .select_related("request", "request__school")
        .prefetch_related(
            Prefetch(
                "request__agenda_items",
                queryset=AgendaItem.objects.filter(
                    kind=AgendaItem.Kind.RATIFICATION, outcome=""
                ).select_related("meeting"),
                to_attr="open_ratifications",
            )
        )
        .order_by("decided_at", "pk")
    )


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
