"""Approved requests for the officer's tests, reached through the real services: a
submitted draft, a meeting, the agenda, the chair's decision."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from budgets.models import CosBudget
from communities.tests.factories import make_chair
from kentlocality.financial_years import apportion_by_days
from requests.models import ResourceRequest
from requests.services import agenda_add, decision_record, meeting_create
from requests.services.decisions import Award
from requests.tests.factories import submitted


def on_agenda(
    *, budget: Decimal = Decimal("500000.00"), chair=None, **draft
) -> tuple[ResourceRequest, object, int]:
    """A submitted request on the agenda of today's meeting of its CoS: (request, chair,
    agenda item id). The CoS gets a budget for the years the request touches, unless it
    has one."""
    request = submitted(**draft)
    community = request.community
    for year in apportion_by_days(request.amount, request.start_date, request.end_date):
        CosBudget.objects.get_or_create(community=community, year=year, defaults={"total": budget})
    chair = chair or make_chair(community)
    meeting = meeting_create(
        actor=chair,
        community=community,
        date=timezone.localdate(),
        start_time=dt.time(16, 0),
        place="School hall",
    )
    item = agenda_add(actor=chair, meeting_id=meeting.pk, request_id=request.pk)
    return request, chair, item.pk


def decide(chair, item_id: int, *, outcome: str = "approved", amount: Decimal | None = None):
    reason = "" if outcome == "approved" else "Part of the support is available elsewhere."
    return decision_record(
        actor=chair, item_id=item_id, award=Award(outcome=outcome, amount=amount, reason=reason)
    )


def approve(
    *,
    outcome: str = "approved",
    amount: Decimal | None = None,
    budget: Decimal = Decimal("500000.00"),
    chair=None,
    **draft,
) -> ResourceRequest:
    """A request approved (or part-approved for ``amount``) today at a CoS meeting."""
    request, chair, item_id = on_agenda(budget=budget, chair=chair, **draft)
    decide(chair, item_id, outcome=outcome, amount=amount)
    request.refresh_from_db()
    return request
