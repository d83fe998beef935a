"""The later states of a request, each reached through the real services.

    draft --submitted--> --on_agenda--> --decided / approved--> --acknowledged--> --paid-->

Each step takes the request (or agenda item) in the state before it; given none, it makes
one through the steps before it from a draft's fields (``**values``, as ``DraftFactory``
takes them). People the services need are found or made: the chair is the CoS's chair,
made if it has none. ``clock`` runs steps on a given day, for worlds with a history.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from unittest import mock

from django.utils import timezone

from budgets.models import CosBudget, Payment
from budgets.tests.factories import CosBudgetFactory
from communities.models import CommunityOfSchools, User
from communities.tests.factories import make_chair
from kentlocality.financial_years import apportion_by_days
from requests.models import AgendaItem, Meeting, ResourceRequest
from requests.services import (
    agenda_add,
    attendance_record,
    decision_record,
    handoff_acknowledge,
    interim_decision_record,
    meeting_create,
    payment_record,
    request_submit,
)
from requests.services.decisions import Award
from requests.services.meetings import AttendanceEntry, member_schools
from requests.tests.factories import DraftFactory

LONDON = zoneinfo.ZoneInfo("Europe/London")
# A CoS budget made for an award that needs one: large enough never to be the question.
BUDGET = Decimal("500000.00")


@contextmanager
def clock(day: dt.date, hour: int = 10, minute: int = 0) -> Iterator[dt.datetime]:
    """``django.utils.timezone.now`` answers that moment in Kent, so each service records
    the date it would have recorded on that day. Nothing else is replaced: PostgreSQL, the
    working-day calendar and the budget selector all run."""
    moment = dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)
    with mock.patch("django.utils.timezone.now", return_value=moment.astimezone(dt.UTC)):
        yield moment


def _given_or_made(given: object | None, values: dict) -> None:
    if given is not None and values:
        raise TypeError(f"Draft fields {sorted(values)} given for a request that exists")


def chair_of(community: CommunityOfSchools) -> User:
    """The CoS's chair, made if it has none yet."""
    return community.chair or make_chair(community)


def submitted(draft: ResourceRequest | None = None, **values) -> ResourceRequest:
    """The draft given, or a new complete one (``DraftFactory(**values)``), submitted by
    its author."""
    _given_or_made(draft, values)
    draft = draft if draft is not None else DraftFactory(**values)
    return request_submit(actor=draft.created_by, request_id=draft.pk, declaration=True)


def scheduled(
    community: CommunityOfSchools,
    *,
    chair: User | None = None,
    date: dt.date | None = None,
    start_time: dt.time = dt.time(0, 0),
    place: str = "Hall",
    online_link: str = "",
) -> Meeting:
    """A meeting of the CoS on ``date`` (today unless given), scheduled by its chair. The
    service puts interim decisions waiting for ratification on its agenda. It starts at
    midnight unless told: a meeting of today has then started (and can be closed) at
    whatever time the tests run."""
    return meeting_create(
        actor=chair or chair_of(community),
        community=community,
        date=date or timezone.localdate(),
        start_time=start_time,
        place=place,
        online_link=online_link,
    )


def attended_by_all(meeting: Meeting, chair: User | None = None) -> None:
    """Attendance recorded for every member school (each attended), as the chair records
    it before closing the meeting."""
    attendance_record(
        actor=chair or chair_of(meeting.community),
        meeting_id=meeting.pk,
        entries=[
            AttendanceEntry(school_id=school.pk, status="attended", representative_name="SENCO")
            for school in member_schools(meeting.community_id)
        ],
    )


def budgeted(request: ResourceRequest, total: Decimal | str = BUDGET) -> None:
    """A budget of ``total`` for each financial year the request's award would touch, where
    its CoS has none."""
    for year in apportion_by_days(request.amount, request.start_date, request.end_date):
        if not CosBudget.objects.filter(community_id=request.community_id, year=year).exists():
            CosBudgetFactory(community=request.community, year=year, total=Decimal(total))


def on_agenda(
    request: ResourceRequest | None = None,
    *,
    meeting: Meeting | None = None,
    chair: User | None = None,
    budget: Decimal | str | None = BUDGET,
    **values,
) -> AgendaItem:
    """The submitted request given, or a new one (``submitted(**values)``), on the agenda
    of ``meeting`` (one scheduled today unless given). Unless ``budget`` is None, its CoS
    first gets a budget of that total for each year the request touches where it has
    none, so that deciding it needs no confirmation."""
    _given_or_made(request, values)
    request = request if request is not None else submitted(**values)
    if budget is not None:
        budgeted(request, budget)
    chair = chair or chair_of(request.community)
    meeting = meeting or scheduled(request.community, chair=chair)
    return agenda_add(actor=chair, meeting_id=meeting.pk, request_id=request.pk)


def decided(
    outcome: str = "approved",
    *,
    item: AgendaItem | None = None,
    request: ResourceRequest | None = None,
    meeting: Meeting | None = None,
    chair: User | None = None,
    amount: Decimal | None = None,
    reason: str | None = None,
    confirm_over_budget: bool = False,
    over_budget_reason: str = "",
    budget: Decimal | str | None = BUDGET,
    **values,
) -> ResourceRequest:
    """The chair's decision at a meeting on the agenda item given, or on a new one
    (``on_agenda(request, meeting=..., budget=..., **values)``). ``amount`` is the award's
    (for a part-approval); every outcome but an approval carries a reason unless
    ``reason`` says otherwise. An approval hands the request off to the area's officer.
    Returns the request, as it now stands."""
    if item is None:
        item = on_agenda(request, meeting=meeting, chair=chair, budget=budget, **values)
    else:
        _given_or_made(item, values)
    if reason is None:
        reason = "" if outcome == "approved" else "Reason given at the meeting"
    decision_record(
        actor=chair or chair_of(item.request.community),
        item_id=item.pk,
        award=Award(
            outcome=outcome,
            amount=amount,
            reason=reason,
            confirm_over_budget=confirm_over_budget,
            over_budget_reason=over_budget_reason,
        ),
    )
    request = item.request
    request.refresh_from_db()
    return request


def approved(**kwargs) -> ResourceRequest:
    """A request approved at a meeting and handed off: ``decided("approved", ...)``."""
    return decided("approved", **kwargs)


def interim_decided(
    request: ResourceRequest, *, award: Award, chair: User | None = None
) -> ResourceRequest:
    """The chair's interim decision on the submitted exceptional request, between
    meetings: the next meeting scheduled takes it for ratification."""
    interim_decision_record(
        actor=chair or chair_of(request.community), request_id=request.pk, award=award
    )
    request.refresh_from_db()
    return request


def acknowledged(
    request: ResourceRequest | None = None, *, officer: User, **values
) -> ResourceRequest:
    """The approved request given, or a new one (``approved(**values)``), acknowledged by
    the area's HNF Monitoring Officer."""
    _given_or_made(request, values)
    request = request if request is not None else approved(**values)
    handoff_acknowledge(actor=officer, request_id=request.pk)
    request.refresh_from_db()
    return request


def paid(
    request: ResourceRequest,
    amount: Decimal | str,
    *,
    officer: User,
    paid_on: dt.date | None = None,
    finance_reference: str = "FIN-1",
    method: str = "advance",
    note: str = "",
) -> Payment:
    """A payment to the school the officer records against the acknowledged request (paid
    today unless ``paid_on``). Paying the award in full closes the request."""
    return payment_record(
        actor=officer,
        request_id=request.pk,
        amount=Decimal(amount),
        paid_on=paid_on or timezone.localdate(),
        finance_reference=finance_reference,
        method=method,
        note=note,
    )


# What the chair enters, for tests of the decision services themselves.


def approval() -> Award:
    return Award(outcome="approved")


def part_approval(amount: str, reason: str = "The school can fund part of it.") -> Award:
    return Award(outcome="part_approved", amount=Decimal(amount), reason=reason)
