"""The Kent overview: every CoS side by side for KCC administrators and KCC oversight,
its figures against each CoS's own pages for two years, who may see it, and its CSV."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from budgets.selectors import budget_position
from budgets.tests.factories import CosBudgetFactory
from communities.models import RoleAssignment
from communities.tests.factories import CommunityFactory, SchoolFactory, area, make_kcc, make_senco
from kentlocality.templatetags.formatting import format_money
from reporting.figures import report_figures
from reporting.overview import kent_overview
from requests.models import Handoff
from requests.selectors.meetings import waiting_requests
from requests.selectors.officer import area_counts
from tests.worlds import quarter
from tests.worlds.steps import clock

pytestmark = pytest.mark.django_db
D = dt.date
# "Today" for these tests: the figures of 2026-27 stand at it.
TODAY = D(2026, 11, 16)
YEARS = (2025, 2026)


@pytest.fixture
def s():
    """The hand-worked quarter (three CoS in two areas, 2026-27) and, in 2025-26, an
    approval for Brookfield, handed off late, and a budget."""
    s = quarter.build()
    school = s.cos_b.schools.first()
    for community, total in ((s.cos_a, "80000.00"), (s.cos_b, "40000.00")):
        CosBudgetFactory(community=community, year=2025, total=Decimal(total))
    request = quarter.submit(
        school,
        D(2026, 1, 12),
        amount=Decimal("3650.00"),
        start_date=D(2026, 1, 1),
        end_date=D(2026, 12, 31),
    )
    m = quarter.meeting(s.chair_b, s.cos_b, D(2026, 2, 10), made_on=D(2026, 1, 13))
    quarter.decide(s.chair_b, m, request, "approved")
    with clock(D(2026, 2, 20)):
        quarter.acknowledged(request, officer=s.officer)
    s.requests["B25"] = request
    return s


def test_each_cos_row_is_its_own_pages_figures_for_two_years(s):
    with clock(TODAY):
        for year in YEARS:
            overview = kent_overview(year, TODAY)
            start, end = D(year, 4, 1), D(year + 1, 3, 31)
            for row in overview.rows:
                # The CoS's financial information page for that year.
                position = budget_position(row.community_id, year)
                assert (row.total, row.committed, row.paid, row.remaining) == (
                    position.total,
                    position.committed,
                    position.paid,
                    position.remaining,
                )
                # The CoS's report figures over the year so far.
                own = report_figures(
                    community_id=row.community_id, start=start, end=end, as_at=TODAY
                ).total
                assert row.median_days == own.median_days_to_decision
                assert row.handoff_on_time == own.timeliness.handoff_on_time
                assert row.handoff_breached == own.timeliness.handoff_breaches
                # The chair's queue, today.
                assert row.waiting == waiting_requests(row.community_id).count()
            # Kent's total is the sum of the CoS's, to the penny.
            assert overview.kent.total == sum(r.total for r in overview.rows)
            assert overview.kent.committed == sum(r.committed for r in overview.rows)
            assert overview.kent.paid == sum(r.paid for r in overview.rows)
            # Payments overdue: the officers' "Payment overdue" counts, area by area.
            for area_row in overview.areas:
                assert area_row.payments_overdue == area_counts(area_row.area_id, TODAY)["overdue"]


def test_the_figures_worked_by_hand(s):
    with clock(TODAY):
        this_year = kent_overview(2026, TODAY)
        last_year = kent_overview(2025, TODAY)
    ashdown = next(r for r in this_year.rows if r.name == "Ashdown CoS")
    # The quarter's budget as at 30 September, plus R6 (1 October, £3,000 within the year).
    assert ashdown.total == Decimal("100000.00")
    assert ashdown.committed == Decimal("33800.00")
    assert ashdown.paid == Decimal("7300.00")
    assert ashdown.remaining == Decimal("66200.00")
    brook_last = next(r for r in last_year.rows if r.name == "Brookfield CoS")
    # 3,650 over 2026 (365 days): January to March (90 days) in 2025-26.
    assert brook_last.committed == Decimal("900.00")
    assert brook_last.total == Decimal("40000.00")
    assert brook_last.handoff_breached == 1  # acknowledged on 20 February, due 13 February
    assert brook_last.handoff_on_time == 0
    assert last_year.kent.total == Decimal("120000.00")
    assert [a.name for a in this_year.areas] == ["East area", "North area"]
    north = next(a for a in this_year.areas if a.name == "North area")
    assert north.total == Decimal("150000.00")


def test_the_page_shows_every_cos_and_totals_and_a_chart(client, s):
    admin = make_kcc()
    client.force_login(admin)
    with clock(TODAY):
        response = client.get(reverse("reporting:kent_overview"), {"year": 2026})
    html = response.content.decode()
    assert response.status_code == 200
    for name in ("Ashdown CoS", "Brookfield CoS", "Elsewhere CoS", "North area", "Kent"):
        assert name in html
    assert "£33,800<" in html  # whole pounds on the page
    assert 'role="img"' in html and "Share of budget used by each Community of Schools" in html
    assert reverse("reporting:kent_community", args=[s.cos_a.pk]) in html


def test_filter_by_area_and_sort_by_a_column(client, s):
    client.force_login(make_kcc())
    with clock(TODAY):
        response = client.get(
            reverse("reporting:kent_overview"),
            {"year": 2026, "area": s.area.pk, "sort": "committed", "dir": "desc"},
        )
    html = response.content.decode()
    assert "Elsewhere CoS" not in html
    assert html.index("Ashdown CoS") < html.index("Brookfield CoS")
    assert 'aria-sort="descending"' in html
    with clock(TODAY):
        html = client.get(
            reverse("reporting:kent_overview"),
            {"year": 2026, "area": s.area.pk, "sort": "committed"},
        ).content.decode()
    assert html.index("Brookfield CoS") < html.index("Ashdown CoS")


def test_the_csv_is_the_same_table(client, s):
    client.force_login(make_kcc(role=RoleAssignment.Role.KCC_OVERSIGHT))
    with clock(TODAY):
        response = client.get(reverse("reporting:kent_overview_csv"), {"year": 2025})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Community of Schools"
    brook = next(r for r in rows if r[0] == "Brookfield CoS")
    assert brook[1] == "North" and brook[2] == "40000.00" and brook[3] == "900.00"
    assert rows[-1][0] == "Total: Kent"
    assert rows[-1][2] == "120000.00"


def test_a_cos_read_only_view(client, s):
    client.force_login(make_kcc(role=RoleAssignment.Role.KCC_OVERSIGHT))
    with clock(TODAY):
        response = client.get(
            reverse("reporting:kent_community", args=[s.cos_a.pk]), {"year": 2026}
        )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ashdown CoS" in html and format_money(Decimal("66200.00")) in html
    # Read only: no form that writes.
    assert 'method="post"' not in html.replace('method="post" action="/accounts/logout/"', "")


@pytest.mark.parametrize("who", ["chair", "senco", "officer", "board", "governance", "staff"])
def test_everyone_else_gets_404(client, s, who):
    people = {
        "chair": lambda: s.chair,
        "senco": lambda: make_senco(s.cos_a.schools.first()),
        "officer": lambda: s.officer,
        "board": lambda: s.board,
        "governance": lambda: make_kcc(role=RoleAssignment.Role.GOVERNANCE_READER),
        "staff": lambda: make_kcc(role=RoleAssignment.Role.KCC_DATA_PROTECTION),
    }
    client.force_login(people[who]())
    for url in (
        reverse("reporting:kent_overview"),
        reverse("reporting:kent_overview_csv"),
        reverse("reporting:kent_community", args=[s.cos_a.pk]),
    ):
        assert client.get(url).status_code == 404


def test_the_admin_home_links_to_it(client, s):
    client.force_login(make_kcc())
    html = client.get(reverse("admin:index")).content.decode()
    assert reverse("reporting:kent_overview") in html


def test_queries_do_not_grow_with_the_number_of_cos(client, s):
    client.force_login(make_kcc())
    url = reverse("reporting:kent_overview")
    with clock(TODAY):
        # Worked out once unmeasured (sessions, permissions and what the process looks up
        # once): from an empty cache, or an overview an earlier test left in it would be
        # read instead and the measured request would make those first lookups.
        cache.clear()
        client.get(url)
        cache.clear()  # the overview worked out afresh, not read from the cache
        with CaptureQueriesContext(connection) as few:
            client.get(url)
        east = area("East")
        for n in range(50):
            cos = CommunityFactory(name=f"Added CoS {n:02}", area=east)
            SchoolFactory(community=cos)
            CosBudgetFactory(community=cos, year=2026, total=Decimal("1000.00"))
        cache.clear()
        with CaptureQueriesContext(connection) as many:
            response = client.get(url)
    assert "Added CoS 49" in response.content.decode()
    assert Handoff.objects.exists()
    assert len(many) == len(few)


def test_the_overview_is_worked_out_once_in_a_few_minutes_and_says_when(client, s, monkeypatch):
    from reporting import selectors

    calls = []
    real = selectors.kent_overview
    monkeypatch.setattr(
        selectors,
        "kent_overview",
        lambda *args, **kwargs: calls.append(args) or real(*args, **kwargs),
    )
    client.force_login(make_kcc())
    url = reverse("reporting:kent_overview")
    with clock(TODAY):
        first = client.get(url, {"year": 2026})
        brook = CommunityFactory(name="Brand New CoS", area=s.area)
        again = client.get(url, {"year": 2026})
        csv_text = client.get(reverse("reporting:kent_overview_csv"), {"year": 2026}).content
    # The page, again, and its CSV: worked out once, the same table.
    assert len(calls) == 1
    assert "Brand New CoS" not in again.content.decode() and b"Brand New CoS" not in csv_text
    local = timezone.localtime(first.context["as_at"])
    assert (
        f"Figures as at {local:%H:%M} on {local.day} {local:%B %Y}. They are worked out again "
        "when more than 5 minutes old." in first.content.decode()
    )
    cache.clear()  # as when the entry has lived its five minutes
    with clock(TODAY):
        fresh = client.get(url, {"year": 2026}).content.decode()
    assert brook.name in fresh and len(calls) == 2
