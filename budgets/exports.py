"""Exports for finance: payments due and payments made in an area, as CSV and XLSX.

No pupil identity goes in them: a request is named by its reference and school.

Text typed by people (finance references, notes, names) could start a spreadsheet
formula. Every text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab, a carriage
return or a line feed (after any leading spaces) is written with a leading apostrophe,
so spreadsheets show it as text. Amounts and dates are written as numbers and dates,
never as text, so they stay usable (and a negative reversal amount is a number, not a
formula).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from decimal import Decimal

from kentlocality.financial_years import year_bounds, year_label
from requests.selectors.officer import (
    RAG_LABELS,
    ZERO,
    amber_limit,
    area_handoffs,
    payment_rag,
    unpaid_in_area,
)

from . import xlsx
from .models import Payment
from .xlsx import Sheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_text(value: str) -> str:
    """Text that no spreadsheet will run as a formula."""
    if value.lstrip(" ")[:1] in FORMULA_STARTS:
        return "'" + value
    return value


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
PAYMENTS_MADE_HEADERS = [
    "Date paid",
    "Reference",
    "School",
    "School URN",
    "Community of Schools",
    "Amount",
    "Method",
    "Finance reference",
    "Reversal of payment dated",
    "Note",
    "Recorded by",
]


def payments_due(area_id: int, today: dt.date) -> Sheet:
    """Approved requests of the area not yet paid in full, payment due date first."""
    # Values, not model instances (hundreds of rows); none of these is paid in full, so
    # each one's colour is the payment due date's (requests.selectors.officer.payment_rag).
    # unpaid_in_area lets PostgreSQL start from the area's CoS and their open requests.
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


def payments_made(area_id: int, year: int) -> Sheet:
    """Payments (and reversals, as negative amounts) dated in the financial year."""
    start, end = year_bounds(year)
    methods = dict(Payment.Method.choices)
    # Values, not model instances: a year of an area's payments is a thousand rows.
    payments = (
        Payment.objects.filter(community__area_id=area_id, paid_on__range=(start, end))
        .order_by("paid_on", "pk")
        .values_list(
            "paid_on",
            "request__reference",
            "request__school__name",
            "request__school__urn",
            "community__name",
            "amount",
            "method",
            "finance_reference",
            "reverses__paid_on",
            "note",
            "recorded_by__full_name",
            "recorded_by__email",
        )
    )
    rows = [
        [*first, methods.get(method, method), finance, reversed_on, note, name or email]
        for *first, method, finance, reversed_on, note, name, email in payments
    ]
    return Sheet(f"Payments made {year_label(year)}", PAYMENTS_MADE_HEADERS, rows, frozenset({5}))


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    return safe_text(str(value))


def to_csv(sheet: Sheet) -> bytes:
    """UTF-8 with a byte order mark, so that Excel reads the pound sign. Each distinct
    value of a column is turned into text once (budgets.xlsx.map_distinct)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_text(h) for h in sheet.headers])
    columns = [xlsx.map_distinct(_csv_value, column) for column in zip(*sheet.rows, strict=True)]
    writer.writerows(zip(*columns, strict=True))
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(sheets: Sequence[Sheet]) -> bytes:
    """One worksheet per sheet (see budgets.xlsx): amounts in pounds, dates as dates.
    Text starting "=" is kept as text (the writer drops characters XML cannot carry)."""
    return xlsx.workbook(sheets, text=safe_text)
