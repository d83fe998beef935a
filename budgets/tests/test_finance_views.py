"""The CoS financial information page: the chair of the CoS and the area's HNF Monitoring
Officer read it; nobody else (404)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from budgets.tests.factories import SchoolBudgetFactory
from communities.tests.factories import SchoolFactory, area, make_board, make_officer
from kentlocality.financial_years import financial_year_of, year_label
from tests.worlds.cos import make_cos
from tests.worlds.steps import decided

pytestmark = pytest.mark.django_db


@pytest.fixture
def cos():
    cos = make_cos()
    year = financial_year_of(timezone.localdate())
    cos.budget(year, "400000.00")
    cos.budget(year - 1, "380000.00")
    SchoolBudgetFactory(
        school=cos.school,
        year=year,
        notional_sen_budget=Decimal("120500.00"),
        historic_hnf_allocation=Decimal("34000.50"),
    )
    other = SchoolFactory(community=cos.community, name="Ash Academy")
    SchoolBudgetFactory(
        school=other,
        year=year,
        notional_sen_budget=Decimal("200000.00"),
        historic_hnf_allocation=Decimal("0.00"),
    )
    SchoolBudgetFactory(
        school=other,
        year=year - 1,
        notional_sen_budget=Decimal("190000.00"),
        historic_hnf_allocation=Decimal("1.00"),
    )
    SchoolFactory(community=cos.community, name="Oak Special School", kind="special")
    return cos


def test_the_chair_reads_the_position_and_each_member_schools_figures(client, cos):
    year = financial_year_of(timezone.localdate())
    start = timezone.localdate()
    item = cos.on_agenda(
        cos.meeting(),
        amount=Decimal("1234.56"),
        start_date=start,
        end_date=min(start + dt.timedelta(days=10), dt.date(year + 1, 3, 31)),
    )
    decided(item=item)
    client.force_login(cos.chair)
    url = reverse("budgets:finance", args=[cos.community.pk])
    html = client.get(url).content.decode()
    assert f"Financial information {year_label(year)}" in html
    for figure in (
        # The position to the nearest pound, remaining from the rounded figures.
        ">£400,000<",
        ">£1,235<",
        ">£398,765<",
        "£120,500.00",
        "£34,000.50",
        "£200,000.00",
        "£320,500.00",  # notional SEN budgets of all member schools
        "£34,000.50",
    ):
        assert figure in html, figure
    assert "Ash Academy" in html and "Oak Special School" not in html

    html = client.get(url, {"year": year - 1}).content.decode()
    assert ">£380,000<" in html and "£190,000.00" in html and "Not received" in html
    # A made-up year shows the current one rather than failing.
    assert client.get(url, {"year": "nonsense"}).status_code == 200
    assert client.get(url, {"year": "99999999999999999999"}).status_code == 200


def test_the_areas_officer_reads_it_too(client, cos):
    client.force_login(make_officer(cos.community.area))
    assert client.get(reverse("budgets:finance", args=[cos.community.pk])).status_code == 200


def test_a_member_schools_senco_reads_it_too(client, cos):
    client.force_login(cos.senco)
    assert client.get(reverse("budgets:finance", args=[cos.community.pk])).status_code == 200


def test_nobody_else_sees_the_financial_information(client, cos):
    url = reverse("budgets:finance", args=[cos.community.pk])
    for outsider in (
        make_cos().senco,
        make_cos().chair,
        make_board(cos.community.area),
        make_officer(area("South")),
    ):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
