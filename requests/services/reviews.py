"""The review of what an award achieved: the school's SENCO, from 4 weeks before the
award ends, says of each planned outcome whether it was achieved, partly achieved or not,
with a note. The chair sees the last review on a request that continues the support, and
the reports count the reviews."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from communities.models import User
from kentlocality.templatetags.formatting import format_date

from ..models import AwardReview, ResourceRequest, ReviewedOutcome
from ..workflow import FUNDED_STATUSES, Action
from .errors import RequestError
from .lifecycle import _require_school_staff, lock_request, record_event

REVIEW_WINDOW = dt.timedelta(weeks=4)
NOTE_MAX = 2000


@dataclass
class OutcomeResult:
    result: str  # ReviewedOutcome.Result
    note: str = ""


def planned_outcomes(request: ResourceRequest) -> list[str]:
    """The request's expected outcomes, one a line (blank lines and list marks dropped)."""
    lines = (line.strip().lstrip("-*•").strip() for line in request.outcomes.splitlines())
    return [line for line in lines if line]


def review_opens(request: ResourceRequest) -> dt.date | None:
    """The day the award in force can be reviewed from, or None for a request with no
    approved award."""
    decision = request.decision
    if request.status not in FUNDED_STATUSES or decision is None or not decision.awards_money:
        return None
    return decision.end_date - REVIEW_WINDOW


def can_review(request: ResourceRequest, today: dt.date) -> bool:
    opens = review_opens(request)
    return opens is not None and today >= opens and not _reviewed(request)


def _reviewed(request: ResourceRequest) -> bool:
    return AwardReview.objects.filter(decision_id=request.decision_id).exists()


@transaction.atomic
def award_review_record(
    *, actor: User, request_id: int, results: list[OutcomeResult]
) -> AwardReview:
    """Record the review of the request's award in force: one result for each planned
    outcome, in order. Refused for a request whose award was never approved, before the
    window opens (4 weeks before the award ends), or once reviewed; nothing is saved."""
    request = lock_request(request_id)
    _require_school_staff(actor, request)
    opens = review_opens(request)
    if opens is None:
        raise RequestError("Only an approved award can be reviewed.")
    today = timezone.localdate()
    if today < opens:
        raise RequestError(
            f"This award can be reviewed from {format_date(opens)}, 4 weeks before it ends."
        )
    if _reviewed(request):
        raise RequestError("This award has already been reviewed.")
    planned = planned_outcomes(request)
    if not planned:
        raise RequestError("The request names no planned outcomes to review.")
    if len(results) != len(planned):
        raise RequestError("Say for every planned outcome whether it was achieved.")
    valid = set(ReviewedOutcome.Result.values)
    for number, entry in enumerate(results, start=1):
        if entry.result not in valid:
            raise RequestError(f"Say whether outcome {number} was achieved, partly or not.")
        if len(entry.note) > NOTE_MAX:
            raise RequestError(
                f"The note on outcome {number} must be {NOTE_MAX:,} characters or fewer."
            )
    review = AwardReview.objects.create(
        request=request, decision=request.decision, reviewed_by=actor, reviewed_at=timezone.now()
    )
    ReviewedOutcome.objects.bulk_create(
        ReviewedOutcome(
            review=review,
            position=position,
            planned=text,
            result=entry.result,
            note=entry.note.strip(),
        )
        for position, (text, entry) in enumerate(zip(planned, results, strict=True), start=1)
    )
    counts = {
        label: sum(e.result == value for e in results)
        for value, label in ReviewedOutcome.Result.choices
    }
    record_event(
        request,
        actor=actor,
        action=Action.REVIEW_AWARD,
        note="; ".join(f"{label}: {n}" for label, n in counts.items()),
    )
    return review
