"""A pupil's other Requests for Resource anywhere in Kent, for the chair and the officer:
the history shown on a request, and the possible duplicates flagged to the chair.

The same pupil is the same UPN. A temporary UPN (ending in a letter) is given again when
a pupil moves school, so a request with one also matches the same first name, last name
and date of birth, whatever UPN those requests carry."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from ..models import Decision, ResourceRequest
from ..workflow import FINISHED_STATUSES, Status

# Sent and not finished: waiting for a meeting, on an agenda, decided and not yet paid in
# full. A new request for a pupil who has one of these may be a duplicate.
_NOT_OPEN = (Status.DRAFT, *FINISHED_STATUSES)


def is_temporary_upn(upn: str) -> bool:
    return bool(upn) and upn[-1].isalpha()


def same_pupil(request: ResourceRequest) -> Q | None:
    """Other sent requests for the request's pupil, or None when it names no pupil (a draft
    without a UPN, or one anonymised under the retention policy)."""
    upn = request.upn.strip().upper()
    if not upn:
        return None
    match = Q(upn__iexact=upn)
    if is_temporary_upn(upn) and request.first_name and request.last_name and request.date_of_birth:
        match |= Q(
            first_name__iexact=request.first_name.strip(),
            last_name__iexact=request.last_name.strip(),
            date_of_birth=request.date_of_birth,
        )
    return match & ~Q(pk=request.pk) & ~Q(status=Status.DRAFT)


@dataclass(frozen=True)
class PupilHistoryRow:
    request_id: int
    reference: str
    school_name: str
    community_name: str
    status: str
    status_label: str
    first_submitted_at: dt.datetime | None
    amount_requested: Decimal | None
    outcome: str  # the decision in force, "" when none yet
    outcome_label: str
    amount_awarded: Decimal | None
    start_date: dt.date | None  # the award's period, or the one asked for
    end_date: dt.date | None

    @property
    def is_open(self) -> bool:
        return self.status not in _NOT_OPEN


_OUTCOMES = dict(Decision.Outcome.choices)
_STATUSES = dict(Status.choices)


def pupil_history(request: ResourceRequest) -> list[PupilHistoryRow]:
    """The pupil's other sent requests anywhere in Kent, newest first, with the outcome,
    amount and period of each: one query."""
    match = same_pupil(request)
    if match is None:
        return []
    rows = (
        ResourceRequest.objects.filter(match)
        .order_by("-first_submitted_at", "-pk")
        .values_list(
            "pk",
            "reference",
            "school__name",
            "community__name",
            "status",
            "first_submitted_at",
            "amount",
            "decision__outcome",
            "decision__amount",
            "decision__start_date",
            "decision__end_date",
            "start_date",
            "end_date",
        )
    )
    return [
        PupilHistoryRow(
            request_id=pk,
            reference=reference,
            school_name=school,
            community_name=community or "",
            status=status,
            status_label=_STATUSES.get(status, status),
            first_submitted_at=submitted_at,
            amount_requested=amount,
            outcome=outcome or "",
            outcome_label=_OUTCOMES.get(outcome, "") if outcome else "",
            amount_awarded=awarded,
            start_date=award_start or start,
            end_date=award_end or end,
        )
        for (
            pk,
            reference,
            school,
            community,
            status,
            submitted_at,
            amount,
            outcome,
            awarded,
            award_start,
            award_end,
            start,
            end,
        ) in rows
    ]


def open_duplicates(request: ResourceRequest) -> list[PupilHistoryRow]:
    """The pupil's other open requests at any school: a possible duplicate to flag to the
    chair."""
    return [row for row in pupil_history(request) if row.is_open]
