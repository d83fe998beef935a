"""Decisions: the one place where approvals happen.

``decision_record`` decides an agenda item at a meeting; ``interim_decision_record``
decides an exceptional request outside a meeting, to be ratified (or revised) at the next
one. An award locks the CoS budget rows, checks what remains, commits an allocation and
writes the hand-off to the officer, all in one transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from budgets.models import Payment
from budgets.services import allocation_cancel, allocation_create, budget_lock_for_award
from communities.models import User
from communities.permissions import scope_for

from .. import validation
from ..models import AgendaItem, Decision, Handoff, Meeting, ResourceRequest
from ..notifications import events as notify
from ..workflow import WAITING_STATUSES, Action, Status, allows
from .errors import RequestError
from .handoffs import handoff_create
from .lifecycle import lock_request, record_event, transition
from .meetings import (
    add_to_next_meeting_for_ratification,
    lock_next_meeting,
    require_meeting_day_reached,
)

Outcome = Decision.Outcome

OUTCOME_ACTIONS = {
    Outcome.APPROVED: Action.APPROVE,
    Outcome.PART_APPROVED: Action.PART_APPROVE,
    Outcome.DECLINED: Action.DECLINE,
    Outcome.DEFERRED: Action.DEFER,
    Outcome.MORE_INFORMATION: Action.ASK_MORE_INFORMATION,
}
INTERIM_OUTCOMES = (Outcome.APPROVED, Outcome.PART_APPROVED, Outcome.DECLINED)


@dataclass
class Award:
    """What the chair enters for a decision. Amount and dates matter only for awards."""

    outcome: str
    amount: Decimal | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    reason: str = ""
    long_award_reason: str = ""
    confirm_over_budget: bool = False
    over_budget_reason: str = ""


def _require_chair(actor: User, request: ResourceRequest) -> None:
    if request.community_id not in scope_for(actor).chair_community_ids:
        raise PermissionDenied


def _validate(request: ResourceRequest, award: Award) -> Award:
    """Fill defaults from the request and check the chair's entry; RequestError if wrong."""
    outcome = award.outcome
    if outcome not in OUTCOME_ACTIONS:
        raise RequestError("Select a decision")
    reason = award.reason.strip()
    if outcome != Outcome.APPROVED and not reason:
        raise RequestError("Enter the reason for the decision")
    if outcome not in (Outcome.APPROVED, Outcome.PART_APPROVED):
        return Award(outcome=outcome, reason=reason)
    amount = award.amount if award.amount is not None else request.amount
    if outcome == Outcome.APPROVED:
        amount = request.amount
    if amount is None or amount <= 0:
        raise RequestError("Amount awarded must be more than £0")
    if amount > request.amount:
        raise RequestError(
            f"Amount awarded cannot be more than the £{request.amount:,.2f} requested"
        )
    if outcome == Outcome.PART_APPROVED and amount == request.amount:
        raise RequestError(
            "A part-approval awards less than was requested: approve it instead, or enter a lower amount"
        )
    start = award.start_date or request.start_date
    end = award.end_date or request.end_date
    if start is None or end is None:
        raise RequestError("Enter the award's start and end dates")
    if end <= start:
        raise RequestError("The award's end date must be after its start date")
    long_reason = award.long_award_reason.strip()
    if validation.is_longer_than_a_year(start, end) and not (
        long_reason or request.long_duration_reason
    ):
        raise RequestError("Explain why the award runs for more than 12 months")
    return Award(
        outcome=outcome,
        amount=amount,
        start_date=start,
        end_date=end,
        reason=reason,
        long_award_reason=long_reason
        or (request.long_duration_reason if validation.is_longer_than_a_year(start, end) else ""),
        confirm_over_budget=award.confirm_over_budget,
        over_budget_reason=award.over_budget_reason.strip(),
    )


def _decide(
    request: ResourceRequest,
    award: Award,
    *,
    actor: User,
    meeting: Meeting | None = None,
    item: AgendaItem | None = None,
    is_interim: bool = False,
    revises: Decision | None = None,
) -> Decision:
    """Record a validated decision on a locked request: budget check and allocation in the
    ledger for awards, then the decision row that points to it.

    A decision made at a meeting is dated by the meeting, whenever the chair types it in
    (``decided_at`` keeps that moment): the hand-off and payment clocks, the budget's
    commitment and the reports' periods all start from ``decision_date``. An interim
    decision is dated the day it is made."""
    now = timezone.now()
    decision_date = meeting.date if meeting is not None else timezone.localdate(now)
    allocation, over = None, False
    if award.outcome in (Outcome.APPROVED, Outcome.PART_APPROVED):
        if award.confirm_over_budget and not award.over_budget_reason:
            raise RequestError("Enter the reason for going over the budget")
        shares, _effects, over = budget_lock_for_award(
            request.community_id,
            award.amount,
            award.start_date,
            award.end_date,
            confirmed=award.confirm_over_budget,
        )
        allocation = allocation_create(
            community_id=request.community_id,
            school_id=request.school_id,
            reference=request.reference,
            amount=award.amount,
            start_date=award.start_date,
            end_date=award.end_date,
            decided_on=decision_date,
            shares=shares,
        )
    decision = Decision.objects.create(
        request=request,
        meeting=meeting,
        item=item,
        outcome=award.outcome,
        amount=award.amount,
        start_date=award.start_date,
        end_date=award.end_date,
        long_award_reason=award.long_award_reason,
        reason=award.reason,
        is_interim=is_interim,
        over_budget=over,
        over_budget_reason=award.over_budget_reason if over else "",
        decided_by=actor,
        decided_at=now,
        decision_date=decision_date,
        revises=revises,
        allocation=allocation,
    )
    request.decision = decision
    request.save(update_fields=["decision", "updated_at"])
    return decision


def _note(decision: Decision) -> str:
    parts = []
    if decision.amount is not None:
        parts.append(f"£{decision.amount:,.2f}")
    if decision.reason:
        parts.append(decision.reason)
    if decision.over_budget:
        parts.append(f"Over budget, confirmed: {decision.over_budget_reason}")
    return ". ".join(parts)


@transaction.atomic
def decision_record(*, actor: User, item_id: int, award: Award) -> Decision:
    """Decide an agenda item at a scheduled meeting: approve, part-approve, decline,
    defer (back to the queue) or ask for more information (back to the school)."""
    item = AgendaItem.objects.select_related("meeting").filter(pk=item_id).first()
    if item is None:
        raise RequestError("That request is not on this meeting's agenda.")
    request = lock_request(item.request_id)
    _require_chair(actor, request)
    meeting = Meeting.objects.select_for_update().get(pk=item.meeting_id)
    item = AgendaItem.objects.select_for_update().get(pk=item_id)
    if meeting.is_closed:
        raise RequestError("This meeting is closed: its decisions cannot change.")
    require_meeting_day_reached(meeting, "decisions can be recorded")
    if item.kind != AgendaItem.Kind.DECISION:
        raise RequestError("This item is an interim decision to ratify, not a request to decide.")
    if item.outcome == AgendaItem.Outcome.WITHDRAWN:
        raise RequestError("The school has withdrawn this request: there is nothing to decide.")
    if item.outcome:
        raise RequestError(
            f"This request has already been decided: {item.get_outcome_display().lower()}."
        )
    if request.status != Status.ON_AGENDA:
        raise RequestError(
            f"This request is {request.get_status_display().lower()}: it cannot be decided."
        )
    award = _validate(request, award)
    decision = _decide(request, award, actor=actor, meeting=meeting, item=item)
    transition(request, actor=actor, action=OUTCOME_ACTIONS[award.outcome], note=_note(decision))
    item.outcome = award.outcome
    item.save(update_fields=["outcome"])
    if decision.awards_money:
        handoff_create(request, decision)
    notify.decision_recorded(decision, request)
    return decision


@transaction.atomic
def interim_decision_record(*, actor: User, request_id: int, award: Award) -> Decision:
    """Decide an exceptional request outside a meeting. It shows as interim and goes on
    the next meeting's agenda for ratification."""
    request = lock_request(request_id)
    _require_chair(actor, request)
    if not request.is_exceptional:
        raise RequestError("Only an exceptional request can be decided outside a meeting.")
    if request.status not in WAITING_STATUSES:
        raise RequestError(
            f"This request is {request.get_status_display().lower()}: it cannot be decided outside a meeting."
        )
    if award.outcome not in INTERIM_OUTCOMES:
        raise RequestError("An interim decision approves, part-approves or declines")
    award = _validate(request, award)
    # The same lock order as a decision at a meeting (request, meeting, budget rows): the
    # next meeting is locked before the budget check, or the two could deadlock.
    next_meeting = lock_next_meeting(request.community_id)
    decision = _decide(request, award, actor=actor, is_interim=True)
    transition(request, actor=actor, action=OUTCOME_ACTIONS[award.outcome], note=_note(decision))
    record_event(
        request,
        actor=actor,
        action=Action.INTERIM_DECISION,
        note="To be ratified at the next meeting",
    )
    if decision.awards_money:
        handoff_create(request, decision)
    add_to_next_meeting_for_ratification(decision, next_meeting)
    notify.decision_recorded(decision, request)
    return decision


def _ratification_item(actor: User, item_id: int) -> tuple[AgendaItem, Decision, ResourceRequest]:
    item = AgendaItem.objects.select_related("meeting").filter(pk=item_id).first()
    if item is None or item.kind != AgendaItem.Kind.RATIFICATION:
        raise RequestError("That interim decision is not on this meeting's agenda.")
    request = lock_request(item.request_id)
    _require_chair(actor, request)
    item = AgendaItem.objects.select_for_update().select_related("meeting").get(pk=item_id)
    if item.meeting.is_closed:
        raise RequestError("This meeting is closed: its decisions cannot change.")
    require_meeting_day_reached(item.meeting, "interim decisions can be ratified")
    if item.outcome:
        raise RequestError("This interim decision has already been ratified or revised.")
    decision = request.decision
    if decision is None or not decision.is_interim or decision.ratified_at is not None:
        raise RequestError("There is no interim decision waiting for ratification.")
    return item, decision, request


@transaction.atomic
def decision_ratify(*, actor: User, item_id: int) -> Decision:
    item, decision, request = _ratification_item(actor, item_id)
    decision.ratified_at = timezone.now()
    decision.ratified_item = item
    decision.save(update_fields=["ratified_at", "ratified_item"])
    item.outcome = AgendaItem.Outcome.RATIFIED
    item.save(update_fields=["outcome"])
    record_event(request, actor=actor, action=Action.RATIFY, note=str(item.meeting))
    notify.decision_ratified(decision, request, item.meeting)
    return decision


@transaction.atomic
def decision_revise(*, actor: User, item_id: int, award: Award) -> Decision:
    """Revise an interim award at the meeting (a new amount or dates, with a reason). The
    old allocation is cancelled, never deleted, and the new one checked against the
    budget; the officer keeps the original hand-off and sees the revised award."""
    item, old, request = _ratification_item(actor, item_id)
    if not old.awards_money:
        raise RequestError("Only an interim award can be revised; ratify a decline.")
    if not award.reason.strip():
        raise RequestError("Enter the reason for revising the interim decision")
    if award.amount is None:
        raise RequestError("Enter the amount awarded")
    outcome = Outcome.APPROVED if award.amount == request.amount else Outcome.PART_APPROVED
    award.outcome = outcome
    award = _validate(request, award)
    if old.allocation_id is not None:
        # The revision is dated by the meeting: the interim award stops counting that day.
        allocation_cancel(old.allocation, item.meeting.date)
    now = timezone.now()
    old.ratified_at = now
    old.ratified_item = item
    old.save(update_fields=["ratified_at", "ratified_item"])
    decision = _decide(request, award, actor=actor, meeting=item.meeting, revises=old)
    item.outcome = AgendaItem.Outcome.REVISED
    item.save(update_fields=["outcome"])
    record_event(request, actor=actor, action=Action.REVISE, note=_note(decision))
    notify.decision_revised(decision, request, item.meeting)
    return decision


@transaction.atomic
def decision_correct(
    *, actor: User, item_id: int, award: Award, correction_reason: str
) -> Decision:
    """Correct a decision recorded at a meeting by mistake, while the meeting is open and
    nothing has been paid against it. The corrected decision is a new one that revises
    the old; both stay in the request's history and timeline. The request goes back on
    the agenda (``Action.CORRECT_DECISION``) and the corrected decision is recorded from
    there as any decision is: an award's allocation is cancelled from the meeting's date
    and the new one checked against the budget; a hand-off already made is replaced by
    one for the corrected award (the officer acknowledges it again), or taken away when
    the corrected decision awards nothing. The school's SENCOs are told, and the area's
    officers when they had the first award."""
    correction_reason = correction_reason.strip()
    if not correction_reason:
        raise RequestError("Enter why the decision is corrected")
    item = AgendaItem.objects.filter(pk=item_id).first()
    if item is None:
        raise RequestError("That request is not on this meeting's agenda.")
    request = lock_request(item.request_id)
    _require_chair(actor, request)
    meeting = Meeting.objects.select_for_update().get(pk=item.meeting_id)
    item = AgendaItem.objects.select_for_update().get(pk=item_id)
    if meeting.is_closed:
        raise RequestError("This meeting is closed: its decisions cannot change.")
    if item.kind != AgendaItem.Kind.DECISION or not item.outcome:
        raise RequestError("There is no decision on this item to correct.")
    old = request.decision
    if old is None or old.meeting_id != meeting.pk or old.is_interim:
        raise RequestError(
            "This request has moved on since the meeting: its decision cannot be corrected here."
        )
    if Payment.objects.filter(allocation__decision__request=request).exists():
        raise RequestError(
            "A payment has been made on this award: the decision cannot be corrected."
        )
    if not allows(request.status, Action.CORRECT_DECISION):
        raise RequestError(
            f"This request is {request.get_status_display().lower()}: its decision cannot be corrected."
        )
    award = _validate(request, award)
    was = ": ".join(part for part in (old.get_outcome_display(), _note(old)) if part)
    transition(
        request,
        actor=actor,
        action=Action.CORRECT_DECISION,
        note=f"The decision was {was}. Why it is corrected: {correction_reason}",
    )
    if old.allocation_id is not None:
        allocation_cancel(old.allocation, meeting.date)
    handoff = Handoff.objects.select_for_update().filter(request=request).first()
    if handoff is not None:
        # The officer works from the hand-off of the award in force only.
        handoff.delete()
    # The agenda item holds the decision in force; the old one keeps its meeting and
    # points to the correction (``revised_by``).
    old.item = None
    old.save(update_fields=["item"])
    decision = _decide(request, award, actor=actor, meeting=meeting, item=item, revises=old)
    transition(request, actor=actor, action=OUTCOME_ACTIONS[award.outcome], note=_note(decision))
    item.outcome = award.outcome
    item.save(update_fields=["outcome"])
    if decision.awards_money:
        handoff_create(request, decision)
    notify.decision_corrected(decision, request, meeting, officers=handoff is not None)
    return decision
