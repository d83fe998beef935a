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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from kentlocality.financial_years import year_bounds, year_label
from requests.officer_selectors import OPEN_STATUSES, area_handoffs, handoff_rows

from .models import Payment

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
MONEY_FORMAT = '"£"#,##0.00;-"£"#,##0.00'
DATE_FORMAT = "d mmmm yyyy"


def safe_text(value: str) -> str:
    """Text that no spreadsheet will run as a formula."""
    if value.lstrip(" ")[:1] in FORMULA_STARTS:
        return "'" + value
    return value


@dataclass(frozen=True)
class Sheet:
    title: str
    headers: Sequence[str]
    rows: list[list]
    money_columns: frozenset[int] = frozenset()


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
    handoffs = (
        area_handoffs(area_id)
        .filter(request__status__in=OPEN_STATUSES)
        .order_by("payment_due_date", "request__reference")
    )
    rows = []
    for row in handoff_rows(handoffs, today):
        request = row.request
        acknowledged = row.handoff.acknowledged_at
        rows.append(
            [
                request.reference,
                request.school.name,
                request.school.urn,
                request.community.name,
                row.handoff.decision_date,
                acknowledged.date() if acknowledged else None,
                row.handoff.payment_due_date,
                row.rag_label,
                row.approved,
                row.paid,
                row.outstanding,
            ]
        )
    return Sheet("Payments due", PAYMENTS_DUE_HEADERS, rows, frozenset({8, 9, 10}))


def payments_made(area_id: int, year: int) -> Sheet:
    """Payments (and reversals, as negative amounts) dated in the financial year."""
    start, end = year_bounds(year)
    payments = (
        Payment.objects.filter(community__area_id=area_id, paid_on__range=(start, end))
        .select_related("request", "request__school", "community", "reverses", "recorded_by")
        .order_by("paid_on", "pk")
    )
    rows = [
        [
            p.paid_on,
            p.request.reference,
            p.request.school.name,
            p.request.school.urn,
            p.community.name,
            p.amount,
            p.get_method_display(),
            p.finance_reference,
            p.reverses.paid_on if p.reverses else None,
            p.note,
            p.recorded_by.full_name or p.recorded_by.email,
        ]
        for p in payments
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
    """UTF-8 with a byte order mark, so that Excel reads the pound sign."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_text(h) for h in sheet.headers])
    for row in sheet.rows:
        writer.writerow([_csv_value(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx_value(value):
    if isinstance(value, str):
        # openpyxl refuses control characters; a string starting "=" it would store as a
        # formula: both are dealt with here.
        return safe_text(ILLEGAL_CHARACTERS_RE.sub("", value))
    return value


def to_xlsx(sheets: Iterable[Sheet]) -> bytes:
    """A workbook streamed row by row (openpyxl's write-only mode): an area's year of
    payments is thousands of rows, and the ordinary mode looked up each appended row by
    scanning the whole sheet (quadratic: over a second for one area)."""
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for sheet in sheets:
        ws = workbook.create_sheet(sheet.title[:31])
        for index, header in enumerate(sheet.headers, start=1):
            ws.column_dimensions[get_column_letter(index)].width = max(12, min(40, len(header) + 4))
        ws.freeze_panes = "A2"
        header_cells = []
        for header in sheet.headers:
            cell = WriteOnlyCell(ws, value=_xlsx_value(header))
            cell.font = bold
            header_cells.append(cell)
        ws.append(header_cells)
        for row in sheet.rows:
            ws.append([_xlsx_cell(ws, index, value, sheet) for index, value in enumerate(row)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(ws, index: int, value, sheet: Sheet):
    """A plain value, or a cell carrying the money or date format."""
    value = _xlsx_value(value)
    if index in sheet.money_columns:
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = MONEY_FORMAT
        return cell
    if isinstance(value, dt.date | dt.datetime):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    return value
