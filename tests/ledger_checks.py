"""Checks that a copy of ledger state still agrees with the ledger."""

from __future__ import annotations

from django.db.models import Min

from budgets.models import Payment
from requests.models import Handoff


def first_paid_copies_that_differ() -> list[tuple[str, object, object]]:
    """(reference, the hand-off's first_paid_on, the ledger's first payment not reversed)
    for every hand-off whose copy disagrees with the ledger: none, when all is well."""
    ledger = dict(
        Payment.objects.filter(reverses__isnull=True, reversed_by__isnull=True)
        .values_list("allocation__decision__request_id")
        .annotate(first=Min("paid_on"))
        .order_by()
    )
    return [
        (reference, copied, ledger.get(request_id))
        for reference, request_id, copied in Handoff.objects.values_list(
            "request__reference", "request_id", "first_paid_on"
        )
        if copied != ledger.get(request_id)
    ]
