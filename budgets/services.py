"""Writes to budgets: allocations committed by decisions, and payments.

Budget rows are locked (``SELECT ... FOR UPDATE``) before the remaining budget is checked,
so two decisions recorded at the same moment can never both pass a check that only one
fits: the second waits for the first to commit and then sees its allocation.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from communities.models import User
from communities.permissions import is_officer_of_area
from kentlocality.financial_years import apportion_by_days
from requests.models import Decision, ResourceRequest
from requests.services.errors import OverBudget, RequestError
from requests.services.lifecycle import lock_request, record_event, transition
from requests.workflow import Action, Status, allows

from .models import Allocation, AllocationYear, CosBudget, Payment
from .selectors import YearEffect, budget_position


def lock_budgets(community_id: int, years) -> dict[int, CosBudget]:
    """Lock the CoS budget rows for these years, in year order (one order everywhere, so
    no deadlock). A year with no budget yet gets a row with a total of £0."""
    years = sorted(set(years))
    CosBudget.objects.bulk_create(
        [CosBudget(community_id=community_id, year=year, total=Decimal("0.00")) for year in years],
        ignore_conflicts=True,
    )
    rows = CosBudget.objects.select_for_update().filter(community_id=community_id, year__in=years)
    return {row.year: row for row in rows.order_by("year")}


def budget_lock_for_award(
    community_id: int, amount: Decimal, start: dt.date, end: dt.date, *, confirmed: bool
) -> tuple[dict[int, Decimal], list[YearEffect], bool]:
    """Lock the budget years an award touches and work out its effect under the lock.
    Returns (shares by year, effects, over budget). Raises OverBudget when the award takes
    any year below zero and the chair has not confirmed."""
    shares = apportion_by_days(amount, start, end)
    lock_budgets(community_id, shares)
    effects = [
        YearEffect(position=budget_position(community_id, year), share=share)
        for year, share in shares.items()
    ]
    over = any(effect.goes_below_zero for effect in effects)
    if over and not confirmed:
        raise OverBudget(effects)
    return shares, effects, over


def allocation_create(
    *, decision: Decision, request: ResourceRequest, shares: dict[int, Decimal]
) -> Allocation:
    """Commit an award (call inside the decision's transaction, after budget_lock_for_award)."""
    allocation = Allocation.objects.create(
        decision=decision,
        request=request,
        community_id=request.community_id,
        amount=decision.amount,
        start_date=decision.start_date,
        end_date=decision.end_date,
        decided_on=decision.decision_date,
    )
    AllocationYear.objects.bulk_create(
        AllocationYear(
            allocation=allocation, community_id=request.community_id, year=year, amount=share
        )
        for year, share in shares.items()
    )
    return allocation


def allocation_cancel(allocation: Allocation, on: dt.date) -> None:
    allocation.cancelled_on = on
    allocation.save(update_fields=["cancelled_on"])


def paid_total(request: ResourceRequest) -> Decimal:
    return request.payments.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")


class PaymentError(RequestError):
    """A payment the rules refuse. ``field`` names the form field the message belongs
    beside ("" for the whole form)."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


FINANCE_REFERENCE_MAX = 60


def _require_officer(actor: User, request: ResourceRequest) -> None:
    if request.community is None or not is_officer_of_area(actor, request.community.area_id):
        raise PermissionDenied


def _active_allocation(request: ResourceRequest) -> Allocation:
    allocation = request.allocations.filter(cancelled_on__isnull=True).first()
    if allocation is None:
        raise PaymentError("This request has no approved award to pay against.")
    return allocation


@transaction.atomic
def payment_record(
    *,
    actor: User,
    request_id: int,
    amount: Decimal,
    paid_on: dt.date,
    finance_reference: str,
    method: str,
    note: str = "",
) -> Payment:
    """Record a payment to the school against its approved award (the officer of the
    request's area only; the request acknowledged first). The total paid cannot go over
    the approved amount without a reason (``note``). Paying the award in full closes the
    request. Raises PaymentError naming the field at fault; nothing is saved then."""
    request = lock_request(request_id)
    _require_officer(actor, request)
    if not allows(request.status, Action.PAY):
        raise PaymentError("Acknowledge the request before recording a payment.")
    if amount is None or amount <= 0:
        raise PaymentError("Amount paid must be more than £0", "amount")
    if amount != amount.quantize(Decimal("0.01")):
        raise PaymentError("Amount paid must be in pounds and pence, like 1500.00", "amount")
    if paid_on > timezone.localdate():
        raise PaymentError("Date paid must be today or in the past", "paid_on")
    finance_reference = finance_reference.strip()
    if not finance_reference:
        raise PaymentError("Enter the finance reference", "finance_reference")
    if len(finance_reference) > FINANCE_REFERENCE_MAX:
        raise PaymentError(
            f"Finance reference must be {FINANCE_REFERENCE_MAX} characters or fewer",
            "finance_reference",
        )
    if method not in Payment.Method.values:
        raise PaymentError("Select how the school was paid", "method")
    allocation = _active_allocation(request)
    if paid_on < allocation.decided_on:
        raise PaymentError(
            f"Date paid must be on or after the date of the decision, "
            f"{allocation.decided_on.day} {allocation.decided_on:%B %Y}",
            "paid_on",
        )
    # A second click or a second tab posts the same payment again: the request's row lock
    # makes the second wait for the first, which it then finds.
    duplicate = request.payments.filter(
        amount=amount,
        paid_on=paid_on,
        finance_reference=finance_reference,
        reverses__isnull=True,
        reversed_by__isnull=True,
    ).exists()
    if duplicate:
        raise PaymentError(
            f"A payment of £{amount:,.2f} on this date with finance reference "
            f"{finance_reference} is already recorded.",
            "finance_reference",
        )
    already = paid_total(request)
    if already + amount > allocation.amount and not note.strip():
        raise PaymentError(
            f"This would pay £{already + amount:,.2f}, more than the £{allocation.amount:,.2f} "
            "approved. Give a reason to pay more.",
            "note",
        )
    payment = Payment.objects.create(
        allocation=allocation,
        request=request,
        community_id=request.community_id,
        amount=amount,
        paid_on=paid_on,
        finance_reference=finance_reference,
        method=method,
        note=note.strip(),
        recorded_by=actor,
    )
    event_note = f"£{amount:,.2f} ({finance_reference})"
    if already + amount > allocation.amount:
        event_note += f". More than approved: {note.strip()}"
    record_event(request, actor=actor, action=Action.PAY, note=event_note)
    if request.status == Status.ACKNOWLEDGED and already + amount >= allocation.amount:
        transition(request, actor=actor, action=Action.CLOSE)
    return payment


@transaction.atomic
def payment_reverse(*, actor: User, payment_id: int, reason: str) -> Payment:
    """Put a mistaken payment right with a reversal: a negative payment that points at it,
    dated today. Nothing is deleted. A closed request that is no longer paid in full is
    reopened. Raises PaymentError when the payment cannot be reversed."""
    original = Payment.objects.select_related("request").filter(pk=payment_id).first()
    if original is None:
        raise PaymentError("That payment does not exist.")
    request = lock_request(original.request_id)
    _require_officer(actor, request)
    if not allows(request.status, Action.REVERSE_PAYMENT):
        raise PaymentError(
            f"This request is {request.get_status_display().lower()}: "
            "its payments cannot be reversed."
        )
    original = Payment.objects.select_for_update().get(pk=payment_id)
    if original.is_reversal:
        raise PaymentError("A reversal cannot itself be reversed: record a new payment instead.")
    if Payment.objects.filter(reverses=original).exists():
        raise PaymentError("This payment has already been reversed.")
    if not reason.strip():
        raise PaymentError("Enter why the payment is being reversed", "reason")
    reversal = Payment.objects.create(
        allocation=original.allocation,
        request=request,
        community_id=original.community_id,
        amount=-original.amount,
        paid_on=timezone.localdate(),
        finance_reference=original.finance_reference,
        method=original.method,
        note=reason.strip(),
        reverses=original,
        recorded_by=actor,
    )
    record_event(
        request,
        actor=actor,
        action=Action.REVERSE_PAYMENT,
        note=f"£{original.amount:,.2f} ({original.finance_reference}): {reason.strip()}",
    )
    approved = request.allocations.filter(cancelled_on__isnull=True).first() or original.allocation
    if request.status == Status.CLOSED and paid_total(request) < approved.amount:
        transition(request, actor=actor, action=Action.REOPEN)
    return reversal
