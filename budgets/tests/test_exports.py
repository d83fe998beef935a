"""The ledger's exports for finance: formula injection neutralised, the payments made in
an area's year read from the ledger alone (its own reference and school for each award),
and the XLSX writer read back by two readers. (The officer's downloads are tested with
their pages, in requests/tests/test_exports.py.)"""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from budgets.exports import (
    PAYMENTS_MADE_HEADERS,
    Sheet,
    payments_made,
    safe_text,
    to_csv,
    to_xlsx,
)
from budgets.services import allocation_create, payment_record, payment_reverse
from budgets.tests.spreadsheets import NASTY, read_with_calamine
from communities.tests.factories import CommunityFactory, SchoolFactory, area, make_officer
from kentlocality.financial_years import apportion_by_days, financial_year_of, year_label

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", NASTY)
def test_text_that_could_start_a_formula_is_neutralised(value):
    assert safe_text(value) == "'" + value


@pytest.mark.parametrize("value", ["FIN-0001", "Paid by BACS", "", "12-34", "Email a@b"])
def test_ordinary_text_is_left_alone(value):
    assert safe_text(value) == value


def award(school, reference: str, amount: str = "8000.00", days_ago: int = 10):
    """An award committed in the ledger from plain values, as a decision commits one."""
    decided = timezone.localdate() - dt.timedelta(days=days_ago)
    end = decided + dt.timedelta(days=300)
    return allocation_create(
        community_id=school.community_id,
        school_id=school.pk,
        reference=reference,
        amount=Decimal(amount),
        start_date=decided,
        end_date=end,
        decided_on=decided,
        shares=apportion_by_days(Decimal(amount), decided, end),
    )


def test_payments_made_come_from_the_ledger_alone():
    officer = make_officer(area("North"), full_name="Olu Officer")
    oak = SchoolFactory(name="Oak Primary School", urn=118999)
    award(oak, "RFR-2026-000007")
    elsewhere = SchoolFactory(community=CommunityFactory(area=area("East")))
    award(elsewhere, "RFR-2026-000008")
    today = timezone.localdate()
    first = payment_record(
        actor=officer,
        reference="RFR-2026-000007",
        amount=Decimal("3000.00"),
        paid_on=today,
        finance_reference=NASTY[0],
        method="advance",
    )
    payment_reverse(actor=officer, payment_id=first.payment.pk, reason="=cmd|' /C calc'!A0")
    payment_record(
        actor=officer,
        reference="RFR-2026-000008",
        amount=Decimal("100.00"),
        paid_on=today,
        finance_reference="FIN-EAST",
        method="one_off",
    )
    year = financial_year_of(today)
    sheet = payments_made(area("North").pk, year)
    assert sheet.title == f"Payments made {year_label(year)}"
    assert sheet.headers == PAYMENTS_MADE_HEADERS
    assert [row[:6] for row in sheet.rows] == [
        [today, "RFR-2026-000007", "Oak Primary School", 118999, oak.community.name, Decimal("3000.00")],
        [today, "RFR-2026-000007", "Oak Primary School", 118999, oak.community.name, Decimal("-3000.00")],
    ]  # fmt: skip
    assert sheet.rows[1][6:] == [
        "Schools' advance",
        NASTY[0],
        today,
        "=cmd|' /C calc'!A0",
        "Olu Officer",
        today - dt.timedelta(days=10),  # the award's period, for finance to see what it pays for
        today + dt.timedelta(days=290),
    ]
    assert PAYMENTS_MADE_HEADERS[-2:] == ["Award from", "Award to"]
    rows = list(csv.reader(io.StringIO(to_csv(sheet).decode("utf-8-sig"))))
    assert rows[0] == PAYMENTS_MADE_HEADERS
    assert [row[7] for row in rows[1:]] == ["'" + NASTY[0]] * 2
    assert rows[2][9] == "'=cmd|' /C calc'!A0"


def test_the_xlsx_writer_reads_back_cell_for_cell():
    """Every row gets its own value, blanks stay blank, text no XML can carry (control
    characters, U+FFFE, U+FFFF) is dropped rather than breaking the file, and carriage
    returns survive (as Excel writes them, _x000D_, which calamine reads and openpyxl
    leaves as it is)."""
    day = dt.date(2026, 4, 1)
    rows = [
        ["Oak", Decimal("10.50"), day, None, " spaced ", 7, "a\r\nb"],
        ["A&B <Ltd>", Decimal("-10.50"), day, "", "\x01", 7, "c\rd"],
        ["Oak", Decimal("10.50"), dt.date(2026, 4, 2), "x\x02y\uffff", "=1+1", True, "\ufffe"],
    ]
    headers = ["Name", "Amount", "Date", "Note", "Other", "Number", "Lines"]
    content = to_xlsx([Sheet("Sheet", headers, rows, frozenset({1}))])
    sheet = load_workbook(io.BytesIO(content)).active
    assert [c.value for c in sheet[1]] == headers and sheet[1][0].font.b
    assert sheet.freeze_panes == "A2"
    read = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert read == [
        ["Oak", 10.5, dt.datetime(2026, 4, 1), None, " spaced ", 7, "a_x000D_\nb"],
        ["A&B <Ltd>", -10.5, dt.datetime(2026, 4, 1), None, None, 7, "c_x000D_d"],
        ["Oak", 10.5, dt.datetime(2026, 4, 2), "xy", "'=1+1", True, None],
    ]
    assert all("£" in sheet.cell(row=r, column=2).number_format for r in (2, 3, 4))
    assert all(sheet.cell(row=r, column=3).is_date for r in (2, 3, 4))
    assert read_with_calamine(content)["Sheet"][1:] == [
        ["Oak", 10.5, day, "", " spaced ", 7.0, "a\r\nb"],
        ["A&B <Ltd>", -10.5, day, "", "", 7.0, "c\rd"],
        ["Oak", 10.5, dt.date(2026, 4, 2), "xy", "'=1+1", True, ""],
    ]


def test_the_xlsx_writer_wants_one_value_a_header():
    with pytest.raises(ValueError):
        to_xlsx([Sheet("Sheet", ["A", "B"], [["a", "b"], ["a"]])])
