"""The officer's page of every CoS budget in the area, and the page that explains how an
award counts against each year's budget. The figures are the budget pages' own, to the
nearest pound; the area's total is the sum of its rows."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from budgets.selectors import budget_position
from budgets.services import allocation_create, payment_record
from budgets.tests.factories import CosBudgetFactory
from communities.tests.factories import (
    CommunityFactory,
    SchoolFactory,
    area,
    make_board,
    make_chair,
    make_officer,
)
from kentlocality.financial_years import apportion_by_days, financial_year_of, year_label
from kentlocality.templatetags.formatting import format_pounds, whole_pounds

pytestmark = pytest.mark.django_db


def _award(school, reference: str, amount: str) -> None:
    """An award of ``amount`` for the rest of this financial year (ten days at most, so all
    of it counts this year), committed in the ledger as a decision commits one."""
    today = timezone.localdate()
    end = min(today + dt.timedelta(days=10), dt.date(financial_year_of(today) + 1, 3, 31))
    allocation_create(
        community_id=school.community_id,
        school_id=school.pk,
        reference=reference,
        amount=Decimal(amount),
        start_date=today,
        end_date=end,
        decided_on=today,
        shares=apportion_by_days(Decimal(amount), today, end),
    )


@pytest.fixture
def north():
    """Two North communities with budgets and awards with pence, one in East."""
    year = financial_year_of(timezone.localdate())
    north = area("North")
    ash = CommunityFactory(area=north, name="Ash Community of Schools")
    birch = CommunityFactory(area=north, name="Birch Community of Schools")
    elm = CommunityFactory(area=area("East"), name="Elm Community of Schools")
    CosBudgetFactory(community=ash, year=year, total=Decimal("250000.00"))
    CosBudgetFactory(community=birch, year=year, total=Decimal("10000.00"))
    CosBudgetFactory(community=elm, year=year, total=Decimal("999999.00"))
    ash_school = SchoolFactory(community=ash)
    _award(ash_school, "RFR-2026-000101", "4800.50")
    _award(ash_school, "RFR-2026-000102", "1200.25")
    _award(SchoolFactory(community=birch), "RFR-2026-000103", "12345.67")  # over its budget
    _award(SchoolFactory(community=elm), "RFR-2026-000104", "777.00")
    officer = make_officer(north)
    payment_record(
        actor=officer,
        reference="RFR-2026-000101",
        amount=Decimal("2400.49"),
        paid_on=timezone.localdate(),
        finance_reference="FIN-1",
        method="advance",
    )
    return {"area": north, "ash": ash, "birch": birch, "officer": officer, "year": year}


def _rows(html: str) -> dict[str, list[str]]:
    """The table's money cells by row (a CoS's name, or "total")."""
    return {
        name: [figure.strip() for figure in re.findall(r'kent-money">(?:<strong>)?([^<]+)<', cells)]
        for name, cells in re.findall(r'data-community="([^"]+)">(.*?)</tr>', html, re.S)
    }


def test_the_officer_sees_each_cos_budget_in_a_row_and_the_area_total(client, north):
    client.force_login(north["officer"])
    url = reverse("budgets:area", args=[north["area"].pk])
    html = client.get(url).content.decode()
    assert f"Community of Schools budgets {year_label(north['year'])}" in html
    rows = _rows(html)
    assert list(rows) == ["Ash Community of Schools", "Birch Community of Schools", "total"]
    for key in ("ash", "birch"):
        shown = budget_position(north[key].pk, north["year"]).in_whole_pounds
        figures = [shown.total, shown.committed, shown.paid, shown.remaining]
        assert rows[north[key].name] == [format_pounds(f) for f in figures]
        # The same figures as the CoS's own budget page, which the row links to.
        statements = reverse("budgets:statements", args=[north[key].pk])
        assert f'href="{statements}">{north[key].name}</a>' in html
        page = client.get(statements).content.decode()
        for name, figure in zip(["total", "committed", "paid", "remaining"], figures, strict=True):
            assert f'data-figure="{name}">{format_pounds(figure)}<' in page
    assert rows["Ash Community of Schools"] == ["£250,000", "£6,001", "£2,400", "£243,999"]
    # The area's total is the sum of the rows as shown, so the column adds up.
    assert rows["total"] == ["£260,000", "£18,347", "£2,400", "£241,653"]
    assert "Elm Community of Schools" not in html  # another area's
    birch = re.search(r'data-community="Birch Community of Schools">(.*?)</tr>', html, re.S)[1]
    assert "Over budget" in birch
    assert "1 Community of Schools has committed more than its budget" in html


def test_last_years_budgets_and_a_year_nobody_set(client, north):
    CosBudgetFactory(community=north["ash"], year=north["year"] - 1, total=Decimal("180000.49"))
    client.force_login(north["officer"])
    url = reverse("budgets:area", args=[north["area"].pk])
    html = client.get(url, {"year": north["year"] - 1}).content.decode()
    rows = _rows(html)
    assert rows["Ash Community of Schools"] == ["£180,000", "£0", "£0", "£180,000"]
    assert rows["Birch Community of Schools"][0] == "Not set"
    assert f'<a class="govuk-link" href="?year={north["year"]}">' in html
    # A year that makes no sense shows this year's rather than failing.
    assert client.get(url, {"year": "last"}).status_code == 200


def test_only_the_areas_officers_see_it(client, north):
    url = reverse("budgets:area", args=[north["area"].pk])
    for person in (
        make_officer(area("East")),
        make_chair(north["ash"]),
        make_board(north["area"]),
    ):
        client.force_login(person)
        assert client.get(url).status_code == 404
    # The officer's home links to it.
    client.force_login(north["officer"])
    home = client.get(reverse("requests:officer", args=[north["area"].pk])).content.decode()
    assert url in home


def test_how_awards_count_shows_a_split_that_adds_up(client, north):
    client.force_login(make_chair(north["ash"]))
    budget_page = client.get(reverse("budgets:statements", args=[north["ash"].pk])).content
    explain = reverse("budgets:how_awards_count")
    assert explain.encode() in budget_page
    html = client.get(explain).content.decode()
    example = re.search(r'<table class="govuk-table" id="example">(.*?)</table>', html, re.S)[1]
    rows = re.findall(
        r"<th[^>]*>(\d{4}-\d{2})</th>\s*<td[^>]*>(\d+) of (\d+)</td>\s*<td[^>]*>£([\d,.]+)</td>",
        example,
    )
    assert [(label, days) for label, days, _, _ in rows] == [
        ("2026-27", "212"),  # 1 September 2026 to 31 March 2027
        ("2027-28", "111"),  # 1 April to 20 July 2027
    ]
    assert {total for _, _, total, _ in rows} == {"323"}
    shares = [Decimal(share.replace(",", "")) for *_, share in rows]
    assert sum(shares) == Decimal("12000.00")
    assert shares[0] == (Decimal("12000") * 212 / 323).quantize(Decimal("0.01"))
    assert "An award of £12,000.00 runs from 1 September 2026 to 20 July 2027" in html


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        ("1234.49", "£1,234"),
        ("1234.50", "£1,235"),  # halves up, as money is rounded
        ("-0.50", "-£1"),
        ("-1234.56", "-£1,235"),
        ("0", "£0"),
        (None, ""),
        ("not money", ""),
    ],
)
def test_whole_pounds(amount, shown):
    assert format_pounds(amount) == shown
    if amount not in (None, "not money"):
        assert format_pounds(whole_pounds(amount)) == shown
