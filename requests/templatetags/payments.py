"""The officer's payment marks on a page: a payment's red / amber / green tag, and
whether a payment shown on a request's page has been reversed."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from budgets.models import Payment

from ..selectors.officer import AMBER, GREEN, PAID, PAID_LATE, RAG_LABELS, RED, PaymentPosition

register = template.Library()

RAG_TAG_COLOURS = {RED: "red", AMBER: "orange", GREEN: "green", PAID: "grey", PAID_LATE: "pink"}


@register.simple_tag
def rag_tag(rag: str, extra_class: str = "") -> SafeString:
    """The GOV.UK tag for a payment's colour (``payment_rag``): "Overdue" in red, "Due
    soon" in orange, "On track" in green; once paid, "Paid on time" in grey or "Paid late"
    in pink."""
    return format_html(
        '<strong class="govuk-tag govuk-tag--{}{}">{}</strong>',
        RAG_TAG_COLOURS[rag],
        f" {extra_class}" if extra_class else "",
        RAG_LABELS[rag],
    )


@register.filter
def was_reversed(payment: Payment, position: PaymentPosition | None) -> bool:
    return position is not None and payment.pk in position.reversed_ids
