"""The officer's sheet for finance: approved requests of an area not yet paid in full,
built from the hand-offs and written by the ledger's writer (``budgets.exports``), which
also gives the other sheet, the payments made in a financial year."""

from __future__ import annotations

import datetime as dt

from budgets.exports import Sheet

from .selectors.officer import (
    RAG_LABELS,
    ZERO,
    amber_limit,
    area_handoffs,
    payment_rag,
    unpaid_in_area,
)

PAYMENTS_DUE_HEADERS = [
    "Reference",
    "School",
    "School URN",
    "Community of Schools",
    "Approved on",
    "Acknowledged on",
    "Payment due by",
    "Payment status",
    "Amount approved",
    "Paid so far",
    "Still to pay",
]


def payments_due(area_id: int, today: dt.date) -> Sheet:
    """Approved requests of the area not yet paid in full, payment due date first."""
    # None of these is paid in full, so each one's colour is the payment due date's
    # (selectors.officer.payment_rag). unpaid_in_area lets PostgreSQL start from the
    # area's CoS and their open requests.
    limit = amber_limit(today)
    handoffs = (
        area_handoffs(area_id)
        .filter(unpaid_in_area(area_id))
        .order_by("payment_due_date", "request__reference")
        .values_list(
            "request__reference",
            "request__school__name",
            "request__school__urn",
            "request__community__name",
            "decision_date",
            "acknowledged_at",
            "payment_due_date",
            "approved",
            "paid",
        )
    )
    rows = [
        [
            reference,
            school,
            urn,
            community,
            decided,
            acknowledged.date() if acknowledged else None,
            due,
            RAG_LABELS[payment_rag(due, today, paid_in_full=False, limit=limit)],
            approved,
            paid,
            max(approved - paid, ZERO),
        ]
        for reference, school, urn, community, decided, acknowledged, due, approved, paid in (
            handoffs
        )
    ]
    return Sheet("Payments due", PAYMENTS_DUE_HEADERS, rows, frozenset({8, 9, 10}))
