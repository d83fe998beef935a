"""The payment position shown on a request's page (to the school, the chair and the
officer alike)."""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.utils import timezone

from budgets.models import Payment

from ..officer_selectors import HandoffRow, payment_status

register = template.Library()


@dataclass(frozen=True)
class PaymentPosition:
    row: HandoffRow
    reversed_ids: frozenset[int]


@register.simple_tag
def payment_position(request_obj) -> PaymentPosition | None:
    """What was approved, paid and is still to pay, and by when; None before an award."""
    if not request_obj.decision_id:
        return None
    row = payment_status(request_obj, timezone.localdate())
    if row is None:
        return None
    reversed_ids = frozenset(
        Payment.objects.filter(request=request_obj, reverses__isnull=False).values_list(
            "reverses_id", flat=True
        )
    )
    return PaymentPosition(row=row, reversed_ids=reversed_ids)


@register.filter
def was_reversed(payment: Payment, position: PaymentPosition | None) -> bool:
    return position is not None and payment.pk in position.reversed_ids
