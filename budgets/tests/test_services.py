"""The ledger on its own, from plain values as the request's journey calls it: an award
committed and cancelled, payments against the award in force (across a revision), the
field checks, duplicates and reversals. The journey around it (who may pay, statuses,
the timeline) is tested in requests/tests/test_payments.py."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from budgets.models import Allocation, Payment
from budgets.selectors import award_in_force, award_paid, budget_position
from budgets.services import (
    OverBudget,
    PaymentError,
    allocation_cancel,
    allocation_create,
    budget_lock_for_award,
    payment_record,
    payment_reverse,
)
from budgets.tests.factories import CosBudgetFactory
from communities.tests.factories import SchoolFactory, area, make_officer
from kentlocality.errors import Refused
from kentlocality.financial_years import financial_year_of

pytestmark = pytest.mark.django_db

REFERENCE = "RFR-2026-000042"


@pytest.fixture
def school():
    return SchoolFactory(name="Oak Primary School")


@pytest.fixture
def officer():
    return make_officer(area("North"))


def commit(school, amount: str = "8000.00", *, reference: str = REFERENCE) -> Allocation:
    today = timezone.localdate()
    start, end = today, today + dt.timedelta(days=200)
    shares, _effects, _over = budget_lock_for_award(
        school.community_id, Decimal(amount), start, end, confirmed=True
    )
    return allocation_create(
        community_id=school.community_id,
        school_id=school.pk,
        reference=reference,
        amount=Decimal(amount),
        start_date=start,
        end_date=end,
        decided_on=today,
        shares=shares,
    )


def pay(officer, amount: str, **values):
    values = {
        "reference": REFERENCE,
        "paid_on": timezone.localdate(),
        "finance_reference": "FIN-1",
        "method": Payment.Method.ONE_OFF,
        **values,
    }
    return payment_record(actor=officer, amount=Decimal(amount), **values)


def test_an_award_is_committed_from_plain_values_with_its_own_reference(school):
    allocation = commit(school)
    assert (allocation.reference, allocation.school, allocation.community) == (
        REFERENCE,
        school,
        school.community,
    )
    assert str(allocation) == f"Allocation for {REFERENCE}"
    assert sum(allocation.years.values_list("amount", flat=True)) == Decimal("8000.00")
    year = financial_year_of(timezone.localdate())
    assert budget_position(school.community_id, year).committed > 0
    assert award_in_force(REFERENCE) == allocation


def test_an_award_over_budget_needs_confirming(school):
    CosBudgetFactory(community=school.community, year=2026, total=Decimal("100.00"))
    today = timezone.localdate()
    with pytest.raises(OverBudget) as refused:
        budget_lock_for_award(
            school.community_id, Decimal("9000.00"), today, today + dt.timedelta(days=30),
            confirmed=False,
        )  # fmt: skip
    assert isinstance(refused.value, Refused) and refused.value.effects


def test_payments_add_up_across_a_revised_award(school, officer):
    first = commit(school)
    recorded = pay(officer, "3000.00")
    assert (recorded.approved, recorded.paid, recorded.paid_in_full) == (
        Decimal("8000.00"),
        Decimal("3000.00"),
        False,
    )
    # The award is revised down: the first allocation is cancelled, a new one is in force,
    # and what was paid against the first still counts.
    allocation_cancel(first, timezone.localdate())
    revised = commit(school, "5000.00")
    assert award_in_force(REFERENCE) == revised
    with pytest.raises(PaymentError, match="already recorded"):
        pay(officer, "3000.00")  # the same payment, against the revised award
    with pytest.raises(PaymentError, match=r"This would pay £6,000\.00, more than the £5,000\.00"):
        pay(officer, "3000.00", finance_reference="FIN-2")
    recorded = pay(officer, "2000.00", finance_reference="FIN-2")
    assert recorded.payment.allocation == revised
    assert recorded.paid_in_full and not recorded.more_than_approved
    assert award_paid(REFERENCE) == Decimal("5000.00")


def test_nothing_is_paid_without_an_award_in_force(school, officer):
    with pytest.raises(PaymentError, match="no approved award to pay against"):
        pay(officer, "100.00")
    allocation = commit(school)
    allocation_cancel(allocation, timezone.localdate())
    with pytest.raises(PaymentError, match="no approved award to pay against"):
        pay(officer, "100.00")
    assert not Payment.objects.exists()


def test_a_field_the_ledger_refuses_is_named(school, officer):
    commit(school)
    with pytest.raises(PaymentError) as refused:
        pay(officer, "10.001")
    assert refused.value.field == "amount" and "pounds and pence" in str(refused.value)
    with pytest.raises(PaymentError) as refused:
        pay(officer, "10.00", method="cheque")
    assert refused.value.field == "method"


def test_a_reversal_takes_the_payment_off_the_award(school, officer):
    commit(school)
    payment = pay(officer, "8000.00").payment
    reversed_ = payment_reverse(actor=officer, payment_id=payment.pk, reason="Paid twice")
    assert reversed_.payment.amount == Decimal("-8000.00")
    assert reversed_.payment.reverses == payment
    assert (reversed_.paid, reversed_.paid_in_full) == (Decimal("0.00"), False)
    with pytest.raises(PaymentError, match="already been reversed"):
        payment_reverse(actor=officer, payment_id=payment.pk, reason="Again")
    with pytest.raises(PaymentError, match="cannot itself be reversed"):
        payment_reverse(actor=officer, payment_id=reversed_.payment.pk, reason="Undo")
    with pytest.raises(PaymentError, match="does not exist"):
        payment_reverse(actor=officer, payment_id=0, reason="Nothing")
