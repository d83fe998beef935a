"""The officer's sheet for finance: approved requests of an area not yet paid in full,
built from the hand-offs and written by the ledger's writer (``budgets.exports``), which
also gives the other sheet, the payments made in a financial year."""

from __future__ import annotations

import datetime as dt

from django.db.models import DateField

from budgets.exports import Sheet

from .selectors.officer import (
    RAG_LABELS,
    ZERO,
    amber_limit,
    area_handoffs,
    award_in_force,
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
    # Added at the end so that finance's existing spreadsheets keep their columns.
    "Award from",
    "Award to",
]


def payments_due(area_id: int, today: dt.date) -> Sheet:
    """Approved requests of the area not yet paid in full, payment due date first."""
    # Each one's colour is its payment clock's (selectors.officer.payment_rag): paid on
    # time or late once the first payment is made. unpaid_in_area lets PostgreSQL start
    # from the area's CoS and their open requests.
    limit = amber_limit(today)
    handoffs = (
        area_handoffs(area_id)
        .filter(unpaid_in_area(area_id))
        .annotate(
            award_from=award_in_force("start_date", DateField()),
            award_to=award_in_force("end_date", DateField()),
        )
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
            "first_paid_on",
            "award_from",
            "award_to",
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
            RAG_LABELS[payment_rag(due, today, first_paid=first_paid, limit=limit)],
            approved,
            paid,
            max(approved - paid, ZERO),
            award_from,
            award_to,
        ]
        for (
            reference,
            school,
            urn,
            community,
            decided,
            acknowledged,
            due,
            approved,
            paid,
            first_paid,
            award_from,
            award_to,
        ) in handoffs
    ]
    return Sheet("Payments due", PAYMENTS_DUE_HEADERS, rows, frozenset({8, 9, 10}))
