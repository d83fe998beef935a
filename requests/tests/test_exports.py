"""The officer's downloads for finance: columns, figures, formula injection neutralised
in CSV and XLSX, the workbook read back by two readers with the CSVs' totals, no pupil
identity, and only the area's officer may download them."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from budgets.exports import PAYMENTS_MADE_HEADERS
from budgets.tests.spreadsheets import NASTY, read_with_calamine
from communities.tests.factories import (
    CommunityFactory,
    SchoolFactory,
    area,
    make_chair,
    make_officer,
)
from kentlocality.financial_years import financial_year_of, year_label
from requests.exports import PAYMENTS_DUE_HEADERS
from requests.services import handoff_acknowledge, payment_record, payment_reverse
from tests.worlds.steps import approved

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return make_officer(area("North"), full_name="Olu Officer")


@pytest.fixture
def paid(officer):
    """Two approvals in the area (one paid then partly reversed), one in another area."""
    today = timezone.localdate()
    first = approved(school=SchoolFactory(name="Oak Primary School", urn=118999))
    handoff_acknowledge(actor=officer, request_id=first.pk)
    payment = payment_record(
        actor=officer,
        request_id=first.pk,
        amount=Decimal("3000.00"),
        paid_on=today,
        finance_reference=NASTY[0],
        method="advance",
    )
    payment_reverse(actor=officer, payment_id=payment.pk, reason="=cmd|' /C calc'!A0")
    payment_record(
        actor=officer,
        request_id=first.pk,
        amount=Decimal("2000.00"),
        paid_on=today,
        finance_reference="+FIN-2",
        method="one_off",
    )
    second = approved()
    east = approved(school=SchoolFactory(community=CommunityFactory(area=area("East"))))
    return first, second, east


def get(client, name: str, area_name: str = "North", **params):
    return client.get(reverse(f"requests:{name}", args=[area(area_name).pk]), params)


def read_csv(response) -> list[list[str]]:
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_payments_due_csv(client, officer, paid):
    first, second, east = paid
    client.force_login(officer)
    response = get(client, "export_due_csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment;" in response["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0] == PAYMENTS_DUE_HEADERS
    by_reference = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert set(by_reference) == {first.reference, second.reference}
    assert east.reference not in by_reference  # another area's request
    row = by_reference[first.reference]
    assert row["School"] == "Oak Primary School" and row["School URN"] == "118999"
    assert row["Amount approved"] == "8000.00"
    assert row["Paid so far"] == "2000.00" and row["Still to pay"] == "6000.00"
    assert row["Payment due by"] == first.handoff.payment_due_date.isoformat()
    # Its first payment is made, before the due date: paid on time (budgets.payment_clock).
    assert row["Payment status"] == "Paid on time"
    assert row["Acknowledged on"] == timezone.localdate().isoformat()
    assert by_reference[second.reference]["Acknowledged on"] == ""
    # The award's period, so finance can see what each payment is for.
    award = first.decision
    assert (row["Award from"], row["Award to"]) == (
        award.start_date.isoformat(),
        award.end_date.isoformat(),
    )


def test_payments_made_csv_neutralises_formulas(client, officer, paid):
    client.force_login(officer)
    rows = read_csv(get(client, "export_made_csv"))
    assert rows[0] == PAYMENTS_MADE_HEADERS
    made = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert [m["Amount"] for m in made] == ["3000.00", "-3000.00", "2000.00"]
    assert made[0]["Finance reference"] == "'" + NASTY[0]
    assert made[1]["Note"] == "'=cmd|' /C calc'!A0"
    assert made[1]["Reversal of payment dated"] == timezone.localdate().isoformat()
    assert made[2]["Finance reference"] == "'+FIN-2"
    assert made[2]["Method"] == "One-off payment" and made[0]["Method"] == "Schools' advance"
    assert {m["Recorded by"] for m in made} == {"Olu Officer"}
    first = paid[0].decision
    assert {(m["Award from"], m["Award to"]) for m in made} == {
        (first.start_date.isoformat(), first.end_date.isoformat())
    }
    for m in made:
        for column, value in m.items():
            if column != "Amount":  # amounts are numbers: "-3000.00" is a number
                assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), column


def test_the_workbook_has_both_sheets_typed_and_neutralised(client, officer, paid):
    client.force_login(officer)
    year = financial_year_of(timezone.localdate())
    response = get(client, "export_xlsx", year=year)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Payments due", f"Payments made {year_label(year)}"]
    due, made = workbook.worksheets
    assert [c.value for c in due[1]] == PAYMENTS_DUE_HEADERS
    assert [c.value for c in made[1]] == PAYMENTS_MADE_HEADERS
    assert due.max_row == 3 and made.max_row == 4
    amounts = [made.cell(row=r, column=6) for r in range(2, 5)]
    assert [c.value for c in amounts] == [3000, -3000, 2000]
    assert all(c.data_type == "n" and "£" in c.number_format for c in amounts)
    assert made.cell(row=2, column=1).is_date
    for sheet in (due, made):  # the award's period, as dates
        headers = [c.value for c in sheet[1]]
        for column in ("Award from", "Award to"):
            assert sheet.cell(row=2, column=headers.index(column) + 1).is_date, column
    for row in made.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f", f"{cell.coordinate} is a formula"
            if isinstance(cell.value, str):
                assert not cell.value.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert made.cell(row=2, column=8).value == "'" + NASTY[0]


def test_exports_carry_no_pupil_identity(client, officer, paid):
    first = paid[0]
    client.force_login(officer)
    texts = [
        get(client, "export_due_csv").content.decode("utf-8-sig"),
        get(client, "export_made_csv").content.decode("utf-8-sig"),
    ]
    workbook = load_workbook(io.BytesIO(get(client, "export_xlsx").content))
    texts.append(
        " ".join(str(c.value) for ws in workbook for row in ws.iter_rows() for c in row if c.value)
    )
    for text in texts:
        for identity in (first.first_name, first.last_name, first.upn):
            assert identity not in text


def test_a_past_financial_year_has_no_payments_made(client, officer, paid):
    client.force_login(officer)
    year = financial_year_of(timezone.localdate()) - 1
    rows = read_csv(get(client, "export_made_csv", year=year))
    assert rows == [PAYMENTS_MADE_HEADERS]
    # A nonsense year falls back to the current one rather than failing.
    assert len(read_csv(get(client, "export_made_csv", year="nonsense"))) == 4


def test_only_the_areas_officer_downloads(client, officer, paid):
    first = paid[0]
    for person in (make_officer(area("East")), first.created_by, make_chair(first.community)):
        client.force_login(person)
        for name in ("exports", "export_due_csv", "export_made_csv", "export_xlsx"):
            assert get(client, name).status_code == 404, (person, name)
    client.force_login(officer)
    page = get(client, "exports")
    assert page.status_code == 200
    assert reverse("requests:export_xlsx", args=[area("North").pk]) in page.content.decode()


def test_the_workbook_reads_back_the_same_in_two_readers_and_adds_up_as_the_csv(
    client, officer, paid
):
    client.force_login(officer)
    year = financial_year_of(timezone.localdate())
    content = get(client, "export_xlsx", year=year).content
    due_csv = read_csv(get(client, "export_due_csv"))
    made_csv = read_csv(get(client, "export_made_csv", year=year))
    by_openpyxl = {
        ws.title: [[c.value for c in row] for row in ws.iter_rows()]
        for ws in load_workbook(io.BytesIO(content))
    }
    by_calamine = read_with_calamine(content)
    assert (
        list(by_calamine)
        == list(by_openpyxl)
        == ["Payments due", f"Payments made {year_label(year)}"]
    )
    for (title, csv_rows), money in zip(
        zip(by_calamine, (due_csv, made_csv), strict=True),
        ((8, 9, 10), (5,)),
        strict=True,
    ):
        calamine_rows, openpyxl_rows = by_calamine[title], by_openpyxl[title]
        assert calamine_rows[0] == openpyxl_rows[0] == csv_rows[0]
        assert len(calamine_rows) == len(openpyxl_rows) == len(csv_rows) > 1
        for column in money:
            csv_total = sum(Decimal(row[column]) for row in csv_rows[1:])
            for rows in (calamine_rows, openpyxl_rows):
                total = sum(Decimal(str(row[column])) for row in rows[1:])
                assert total == csv_total, (title, column)
        # Cell for cell, each reader sees what the CSV says (dates as dates, blanks blank).
        for csv_row, by_c, by_o in zip(
            csv_rows[1:], calamine_rows[1:], openpyxl_rows[1:], strict=True
        ):
            for text, c_value, o_value in zip(csv_row, by_c, by_o, strict=True):
                if isinstance(o_value, dt.datetime):
                    assert text == o_value.date().isoformat() == c_value.isoformat()
                elif isinstance(o_value, int | float):
                    assert Decimal(text) == Decimal(str(o_value)) == Decimal(str(c_value))
                else:
                    assert text == (o_value or "") == c_value
