"""The ledger's writes: allocations committed by awards, and payments against them.

Budget rows are locked (``SELECT ... FOR UPDATE``) before the remaining budget is checked,
so two decisions recorded at the same moment can never both pass a check that only one
fits: the second waits for the first to commit and then sees its allocation.

The ledger never imports ``requests`` (DESIGN §2). The request's lifecycle calls it with
plain values (the CoS, the school, the request's reference, the award) and keeps its own
timeline and statuses; who may pay is checked there too. An award is known here by its
reference: a revised interim award's allocations share it, so its payments add up
across them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from communities.models import User
from kentlocality.errors import Refused
from kentlocality.financial_years import apportion_by_days

from .models import Allocation, AllocationYear, CosBudget, Payment
from .selectors import YearEffect, award_in_force, award_paid, budget_position


class OverBudget(Refused):
    """The decision would take the remaining budget below zero and the chair has not yet
    confirmed it with a reason. ``effects`` says what it would do to each year."""

    def __init__(self, effects: list[YearEffect]) -> None:
        super().__init__(
            "This decision would take the remaining budget below zero. Confirm it and give a "
            "reason to go ahead."
        )
        self.effects = effects


class PaymentError(Refused):
    """A payment or reversal the ledger refuses; ``field`` names the form field the
    message belongs beside ("" for the whole form)."""


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
    *,
    community_id: int,
    school_id: int,
    reference: str,
    amount: Decimal,
    start_date: dt.date,
    end_date: dt.date,
    decided_on: dt.date,
    shares: dict[int, Decimal],
) -> Allocation:
    """Commit an award: ``shares`` is what ``budget_lock_for_award`` returned for it, in the
    same transaction (the budget rows are still locked)."""
    allocation = Allocation.objects.create(
        community_id=community_id,
        school_id=school_id,
        reference=reference,
        amount=amount,
        start_date=start_date,
        end_date=end_date,
        decided_on=decided_on,
    )
    AllocationYear.objects.bulk_create(
        AllocationYear(allocation=allocation, community_id=community_id, year=year, amount=share)
        for year, share in shares.items()
    )
    return allocation


def allocation_cancel(allocation: Allocation, on: dt.date) -> None:
    """An award replaced by a revision: it stops counting from ``on``; never deleted."""
    allocation.cancelled_on = on
    allocation.save(update_fields=["cancelled_on"])


@dataclass(frozen=True)
class PaymentRecorded:
    """A payment (or reversal) just recorded, and where its award stands after it."""

    payment: Payment
    approved: Decimal  # the award in force
    paid: Decimal  # paid against the award, this payment included

    @property
    def paid_in_full(self) -> bool:
        return self.paid >= self.approved

    @property
    def more_than_approved(self) -> bool:
        return self.paid > self.approved


FINANCE_REFERENCE_MAX = 60


@transaction.atomic
def payment_record(
    *,
    actor: User,
    reference: str,
    amount: Decimal,
    paid_on: dt.date,
    finance_reference: str,
    method: str,
    note: str = "",
) -> PaymentRecorded:
    """Record a payment to the school against the award in force for ``reference``.
    The total paid cannot go over the approved amount without a reason (``note``), and the
    same payment is not recorded twice. Raises PaymentError naming the field at fault;
    nothing is saved then. The caller has checked that ``actor`` may pay."""
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
    # A second click or a second tab posts the same payment again: the award's row lock
    # makes the second wait for the first, which it then finds.
    allocation = award_in_force(reference, lock=True)
    if allocation is None:
        raise PaymentError("This request has no approved award to pay against.")
    if paid_on < allocation.decided_on:
        raise PaymentError(
            f"Date paid must be on or after the date of the decision, "
            f"{allocation.decided_on.day} {allocation.decided_on:%B %Y}",
            "paid_on",
        )
    duplicate = Payment.objects.filter(
        allocation__reference=reference,
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
    paid = award_paid(reference) + amount
    if paid > allocation.amount and not note.strip():
        raise PaymentError(
            f"This would pay £{paid:,.2f}, more than the £{allocation.amount:,.2f} "
            "approved. Give a reason to pay more.",
            "note",
        )
    payment = Payment.objects.create(
        allocation=allocation,
        community_id=allocation.community_id,
        amount=amount,
        paid_on=paid_on,
        finance_reference=finance_reference,
        method=method,
        note=note.strip(),
        recorded_by=actor,
    )
    return PaymentRecorded(payment=payment, approved=allocation.amount, paid=paid)


@transaction.atomic
def payment_reverse(*, actor: User, payment_id: int, reason: str) -> PaymentRecorded:
    """Put a mistaken payment right with a reversal: a negative payment that points at it,
    dated today. Nothing is deleted. Raises PaymentError when the payment cannot be
    reversed. The caller has checked that ``actor`` may reverse it."""
    original = (
        Payment.objects.select_for_update(of=("self",))
        .select_related("allocation")
        .filter(pk=payment_id)
        .first()
    )
    if original is None:
        raise PaymentError("That payment does not exist.")
    if original.is_reversal:
        raise PaymentError("A reversal cannot itself be reversed: record a new payment instead.")
    if Payment.objects.filter(reverses=original).exists():
        raise PaymentError("This payment has already been reversed.")
    if not reason.strip():
        raise PaymentError("Enter why the payment is being reversed", "reason")
    reversal = Payment.objects.create(
        allocation=original.allocation,
        community_id=original.community_id,
        amount=-original.amount,
        paid_on=timezone.localdate(),
        finance_reference=original.finance_reference,
        method=original.method,
        note=reason.strip(),
        reverses=original,
        recorded_by=actor,
    )
    reference = original.allocation.reference
    approved = award_in_force(reference) or original.allocation
    return PaymentRecorded(payment=reversal, approved=approved.amount, paid=award_paid(reference))
