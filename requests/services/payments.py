"""The HNF Monitoring Officer's payments on an approved request: the request's side of
the journey around the ledger (``budgets.services``).

Each service locks the request, checks that the actor is the officer of its area and that
its status allows the action (``workflow.allows``), lets the ledger record the money,
writes the timeline event, and closes the request once it is paid in full (or reopens it
when a reversal leaves it short). Each also copies the date of the first payment not
reversed onto the hand-off (``Handoff.first_paid_on``), read back from the ledger.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction

import budgets.services as ledger
from budgets.models import Payment
from communities.models import User

from ..models import Decision, Handoff, ResourceRequest
from ..notifications import events as notify
from ..permissions import is_officer_of
from ..selectors.officer import first_payment_date
from ..workflow import Action, allows
from .errors import RequestError
from .lifecycle import lock_request, record_event, transition


def _require_officer(actor: User, request: ResourceRequest) -> None:
    if not is_officer_of(actor, request):
        raise PermissionDenied


def _copy_first_payment(request: ResourceRequest) -> None:
    """The hand-off's copy of when the school was first paid, from the ledger as it now
    stands (the request is locked, so no other payment is being recorded)."""
    Handoff.objects.filter(request_id=request.pk).update(
        first_paid_on=first_payment_date(request.pk)
    )


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
    """Record a payment to the school against the request's approved award (the officer
    of the request's area only; the request acknowledged first). The total paid cannot go
    over the approved amount without a reason (``note``). Paying the award in full closes
    the request. Raises a refusal naming the field at fault; nothing is saved then."""
    request = lock_request(request_id)
    _require_officer(actor, request)
    if not allows(request.status, Action.PAY):
        raise RequestError("Acknowledge the request before recording a payment.")
    recorded = ledger.payment_record(
        actor=actor,
        reference=request.reference,
        amount=amount,
        paid_on=paid_on,
        finance_reference=finance_reference,
        method=method,
        note=note,
    )
    payment = recorded.payment
    _copy_first_payment(request)
    event_note = f"£{payment.amount:,.2f} ({payment.finance_reference})"
    if recorded.more_than_approved:
        event_note += f". More than approved: {payment.note}"
    record_event(request, actor=actor, action=Action.PAY, note=event_note)
    if recorded.paid_in_full and allows(request.status, Action.CLOSE):
        transition(request, actor=actor, action=Action.CLOSE)
    notify.payment_recorded(payment, request)
    return payment


@transaction.atomic
def payment_reverse(*, actor: User, payment_id: int, reason: str) -> Payment:
    """Put a mistaken payment right with a reversal: a negative payment that points at it,
    dated today. Nothing is deleted. A closed request that is no longer paid in full is
    reopened. Raises a refusal when the payment cannot be reversed."""
    request_id = (
        Decision.objects.filter(allocation__payments=payment_id)
        .values_list("request_id", flat=True)
        .first()
    )
    if request_id is None:
        raise RequestError("That payment does not exist.")
    request = lock_request(request_id)
    _require_officer(actor, request)
    if not allows(request.status, Action.REVERSE_PAYMENT):
        raise RequestError(
            f"This request is {request.get_status_display().lower()}: "
            "its payments cannot be reversed."
        )
    recorded = ledger.payment_reverse(actor=actor, payment_id=payment_id, reason=reason)
    reversal = recorded.payment
    _copy_first_payment(request)
    record_event(
        request,
        actor=actor,
        action=Action.REVERSE_PAYMENT,
        note=f"£{-reversal.amount:,.2f} ({reversal.finance_reference}): {reversal.note}",
    )
    if not recorded.paid_in_full and allows(request.status, Action.REOPEN):
        transition(request, actor=actor, action=Action.REOPEN)
    notify.payment_recorded(reversal, request)
    return reversal
