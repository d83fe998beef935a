"""Whether a payment shown on a request's page has been reversed."""

from __future__ import annotations

from django import template

from budgets.models import Payment

from ..selectors.officer import PaymentPosition

register = template.Library()


@register.filter
def was_reversed(payment: Payment, position: PaymentPosition | None) -> bool:
    return position is not None and payment.pk in position.reversed_ids
