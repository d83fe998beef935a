"""Exports for finance: the ledger's own sheet (payments made in an area's financial
year) and the writer every finance export uses, CSV and XLSX. (The payments-due sheet is
the officer's journey: requests.exports.)

No pupil identity goes in them: an award is named by its reference and school.

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
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import xlsxwriter
from django.utils import timezone

from kentlocality.financial_years import year_bounds, year_label

from .models import Payment

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_text(value: str) -> str:
    """Text that no spreadsheet will run as a formula."""
    if value.lstrip(" ")[:1] in FORMULA_STARTS:
        return "'" + value
    return value


@dataclass(frozen=True)
class Sheet:
    """A worksheet: a header row, then rows of one value a header (text, ``Decimal``,
    ``int``, ``float``, ``bool``, ``date``, ``datetime`` or ``None`` for a blank).
    Values in ``money_columns`` (indexes) are amounts in pounds."""

    title: str
    headers: Sequence[str]
    rows: list[list]
    money_columns: frozenset[int] = frozenset()


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
    # Added at the end so that finance's existing spreadsheets keep their columns.
    "Award from",
    "Award to",
]


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
            "allocation__reference",
            "allocation__school__name",
            "allocation__school__urn",
            "community__name",
            "amount",
            "method",
            "finance_reference",
            "reverses__paid_on",
            "note",
            "recorded_by__full_name",
            "recorded_by__email",
            "allocation__start_date",
            "allocation__end_date",
        )
    )
    rows = []
    for *first, method, finance, reversed_on, note, name, email, award_from, award_to in payments:
        method = methods.get(method, method)
        rows.append(
            [*first, method, finance, reversed_on, note, name or email, award_from, award_to]
        )
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
    writer.writerows([_csv_value(value) for value in row] for row in sheet.rows)
    return buffer.getvalue().encode("utf-8-sig")


MONEY_FORMAT = '"£"#,##0.00;-"£"#,##0.00'
DATE_FORMAT = "d mmmm yyyy"
# Characters no XML 1.0 reader accepts (a note holding U+FFFF made a workbook nothing
# opens) and control characters: dropped, as the CSV's readers would show nothing of them.
ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def column_width(header: str) -> int:
    return max(12, min(40, len(header) + 4))


def _xlsx_text(value: str) -> str:
    return ILLEGAL.sub("", safe_text(value))


def to_xlsx(sheets: Sequence[Sheet]) -> bytes:
    """A workbook of one worksheet per sheet (titles cut to 31 characters): a bold header
    row kept in view, amounts as numbers in pounds, dates as dates, text always as text
    (never a formula). XlsxWriter in constant-memory mode writes each row as it comes."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"constant_memory": True})
    bold = workbook.add_format({"bold": True})
    money = workbook.add_format({"num_format": MONEY_FORMAT})
    date = workbook.add_format({"num_format": DATE_FORMAT})
    for sheet in sheets:
        worksheet = workbook.add_worksheet(sheet.title[:31])
        worksheet.freeze_panes(1, 0)
        for column, header in enumerate(sheet.headers):
            worksheet.set_column(column, column, column_width(header))
            worksheet.write_string(0, column, _xlsx_text(header), bold)
        for number, row in enumerate(sheet.rows, start=1):
            if len(row) != len(sheet.headers):
                raise ValueError(f"a row of {len(row)} values for {len(sheet.headers)} headers")
            for column, value in enumerate(row):
                amount = money if column in sheet.money_columns else None
                _write(worksheet, number, column, value, amount, date)
    workbook.close()
    return buffer.getvalue()


def _write(worksheet, row: int, column: int, value, money, date) -> None:
    if value is None or value == "":
        return  # a blank cell
    if isinstance(value, str):
        text = _xlsx_text(value)
        if text:
            worksheet.write_string(row, column, text)
    elif isinstance(value, bool):
        worksheet.write_boolean(row, column, value)
    elif isinstance(value, Decimal | int | float):
        worksheet.write_number(row, column, float(value), money)
    elif isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        worksheet.write_datetime(row, column, value, money or date)
    elif isinstance(value, dt.date):
        worksheet.write_datetime(row, column, value, money or date)
    else:
        _write(worksheet, row, column, str(value), money, date)
