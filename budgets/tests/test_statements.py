"""Monthly budget updates: which month is due when, the figures (against hand-computed
ones), the chair's email, and the CoS budget page."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from budgets.models import Allocation, MonthlyStatement
from budgets.selectors import budget_position
from budgets.statements import (
    MonthFigures,
    committed_before_year,
    first_working_day,
    monthly_statements_run,
    statement_email,
    statement_month_due,
    statements_create,
)
from budgets.tasks import monthly_statements_if_due
from budgets.tests.factories import CosBudgetFactory
from communities.models import CommunityOfSchools
from communities.tests.factories import (
    CommunityFactory,
    SchoolFactory,
    area,
    make_board,
    make_chair,
    make_officer,
    make_senco,
)
from kentlocality.financial_years import financial_year_of, year_bounds
from requests.models import Decision
from tests.worlds.steps import acknowledged, approved, decided, paid

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.mark.parametrize(
    ("month", "first"),
    [
        (D(2027, 1, 1), D(2027, 1, 4)),  # New Year's Day is a Friday
        (D(2026, 8, 1), D(2026, 8, 3)),  # 1 August is a Saturday
        (D(2026, 5, 1), D(2026, 5, 1)),  # May Day is on the 4th
        (D(2027, 4, 1), D(2027, 4, 1)),  # Good Friday and Easter Monday are in March
        (D(2026, 4, 1), D(2026, 4, 1)),
    ],
)
def test_the_first_working_day_of_a_month(month, first):
    assert first_working_day(month) == first


def test_statements_fall_due_on_the_first_working_day_for_the_month_just_ended():
    assert statement_month_due(D(2027, 1, 1)) is None  # a bank holiday
    assert statement_month_due(D(2027, 1, 3)) is None  # a Sunday
    assert statement_month_due(D(2027, 1, 4)) == D(2026, 12, 1)
    assert statement_month_due(D(2027, 1, 20)) == D(2026, 12, 1)  # catching up
    assert statement_month_due(D(2027, 4, 1)) == D(2027, 3, 1)  # the year-end statement


@pytest.fixture
def officer():
    return make_officer(area("North"))


def whole_year(year: int) -> dict:
    start, end = year_bounds(year)
    return {"start_date": start, "end_date": end}


def test_a_statement_holds_the_position_at_the_end_of_its_month(officer):
    today = timezone.localdate()
    year = financial_year_of(today)
    cos = CommunityFactory()
    CosBudgetFactory(community=cos, year=year, total=Decimal("100000.00"))
    school = SchoolFactory(community=cos)
    first = approved(school=school, **whole_year(year))
    decided("part_approved", school=school, amount=Decimal("5000.00"), **whole_year(year))
    approved(school=school, **whole_year(year + 1))  # next year's money: not this year's spend
    acknowledged(first, officer=officer)
    paid(first, "3000.00", officer=officer, paid_on=today, finance_reference="FIN-1")
    empty = CommunityFactory()  # no budget, no decisions
    month = today.replace(day=1)

    created = statements_create(month, [cos.pk, empty.pk])
    assert len(created) == 2
    statement = MonthlyStatement.objects.get(community=cos, month=month)
    assert statement.year == year
    assert statement.total == Decimal("100000.00")
    assert statement.committed == Decimal("13000.00")  # £8,000 + £5,000
    assert statement.paid == Decimal("3000.00")
    assert statement.remaining == Decimal("87000.00")
    months = [MonthFigures.from_json(m) for m in statement.monthly]
    assert months[0].month == D(year, 4, 1) and months[-1].month == month
    assert [m.committed for m in months[:-1]] == [Decimal("0")] * (len(months) - 1)
    assert (months[-1].committed, months[-1].paid) == (Decimal("13000.00"), Decimal("3000.00"))
    assert (months[-1].committed_to_date, months[-1].paid_to_date) == (
        Decimal("13000.00"),
        Decimal("3000.00"),
    )
    # The same figures as the one budget computation.
    position = budget_position(cos.pk, year)
    assert (position.committed, position.paid, position.remaining) == (
        statement.committed,
        statement.paid,
        statement.remaining,
    )
    nothing = MonthlyStatement.objects.get(community=empty, month=month)
    assert (nothing.total, nothing.committed, nothing.paid, nothing.remaining) == (0, 0, 0, 0)
    # Running again changes nothing.
    assert statements_create(month, [cos.pk, empty.pk]) == []
    assert MonthlyStatement.objects.filter(month=month).count() == 2


def _decided_on(request, day: dt.date) -> None:
    """History for the month-by-month figures: the decision was made on ``day``. (The
    services always decide today; this moves the decision back in time.)"""
    Allocation.objects.filter(decision__request=request).update(decided_on=day)
    Decision.objects.filter(request=request).update(decision_date=day)


def test_month_by_month_figures_for_the_year_so_far(officer):
    year = financial_year_of(timezone.localdate()) - 1  # a year that is over
    cos = CommunityFactory()
    CosBudgetFactory(community=cos, year=year, total=Decimal("50000.00"))
    school = SchoolFactory(community=cos)
    # Decided in March of the year before, for this year: committed before the year began.
    early = approved(school=school, **whole_year(year))
    _decided_on(early, D(year, 3, 15))
    may = decided("part_approved", school=school, amount=Decimal("6000.00"), **whole_year(year))
    _decided_on(may, D(year, 5, 10))
    june = decided("part_approved", school=school, amount=Decimal("2500.00"), **whole_year(year))
    _decided_on(june, D(year, 6, 20))
    acknowledged(may, officer=officer)
    paid(
        may,
        "1500.00",
        officer=officer,
        paid_on=D(year, 6, 25),
        finance_reference="FIN-JUNE",
        method="one_off",
    )

    statements_create(D(year, 6, 1), [cos.pk])
    statement = MonthlyStatement.objects.get(community=cos)
    months = [MonthFigures.from_json(m) for m in statement.monthly]
    assert [
        (m.month, m.committed, m.paid, m.committed_to_date, m.paid_to_date) for m in months
    ] == [
        (D(year, 4, 1), Decimal("0.00"), Decimal("0.00"), Decimal("8000.00"), Decimal("0.00")),
        (D(year, 5, 1), Decimal("6000.00"), Decimal("0.00"), Decimal("14000.00"), Decimal("0.00")),
        (
            D(year, 6, 1),
            Decimal("2500.00"),
            Decimal("1500.00"),
            Decimal("16500.00"),
            Decimal("1500.00"),
        ),
    ]
    assert committed_before_year(statement) == Decimal("8000.00")
    assert (statement.committed, statement.paid, statement.remaining) == (
        Decimal("16500.00"),
        Decimal("1500.00"),
        Decimal("33500.00"),
    )


def test_the_first_working_day_run_makes_every_statement_and_emails_each_chair_once(mailoutbox):
    chair_cos = CommunityFactory()
    chair = make_chair(chair_cos)
    CommunityFactory()  # a CoS without a chair yet
    today = D(2027, 1, 4)
    pending = monthly_statements_run(today)
    assert len(pending) == CommunityOfSchools.objects.count() == 2
    assert set(MonthlyStatement.objects.values_list("month", flat=True)) == {D(2026, 12, 1)}
    for statement_id in pending:
        statement_email(statement_id=statement_id)
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [chair.email]
    assert message.subject == f"{chair_cos.name}: budget update for December 2026"
    statement = MonthlyStatement.objects.get(community=chair_cos)
    assert reverse("budgets:statement", args=[chair_cos.pk, statement.pk]) in message.body
    assert MonthlyStatement.objects.filter(emailed_at__isnull=True).count() == 0
    # A second run the same day (or a duplicate task) sends nothing more.
    assert monthly_statements_run(today) == []
    assert statement_email(statement_id=statement.pk) is False
    assert len(mailoutbox) == 1
    # Before the first working day nothing happens.
    assert monthly_statements_run(D(2026, 8, 1)) == []  # a Saturday; Monday is the first


def test_the_statement_email_names_no_pupil(mailoutbox):
    request = approved()
    make_chair(request.community)
    mailoutbox.clear()
    statements_create(timezone.localdate().replace(day=1), [request.community_id])
    statement_email(statement_id=MonthlyStatement.objects.get().pk)
    text = mailoutbox[0].body + mailoutbox[0].alternatives[0][0]
    for identity in (request.first_name, request.last_name, request.upn, request.reference):
        assert identity not in text


def test_the_daily_task_makes_the_statements_due_today(mailoutbox):
    cos = CommunityFactory()
    make_chair(cos)
    today = timezone.localdate()
    queued = monthly_statements_if_due()
    due = statement_month_due(today)
    if due is None:  # before this month's first working day: nothing to do yet
        assert queued == 0 and not MonthlyStatement.objects.exists()
    else:
        assert queued == 1
        assert MonthlyStatement.objects.get().month == due
        assert len(mailoutbox) == 1
    assert monthly_statements_if_due() == 0


def test_the_command_makes_a_months_statements_on_demand(mailoutbox):
    from django.core.management import CommandError, call_command

    cos = CommunityFactory()
    make_chair(cos)
    out = io.StringIO()
    call_command("monthly_statements", "--month", "2026-10", "--email", stdout=out)
    assert "1 statement(s) stored for October 2026" in out.getvalue()
    assert "1 email(s) queued" in out.getvalue()
    assert MonthlyStatement.objects.get().month == D(2026, 10, 1)
    assert len(mailoutbox) == 1
    with pytest.raises(CommandError, match="2026-10"):
        call_command("monthly_statements", "--month", "October")


# The CoS budget page.


def test_the_chair_sees_the_position_chart_and_the_statements(client):
    request = approved(budget=Decimal("40000.00"))
    cos = request.community
    chair = make_chair(cos)
    statements_create(timezone.localdate().replace(day=1), [cos.pk])
    client.force_login(chair)
    response = client.get(reverse("budgets:statements", args=[cos.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    position = budget_position(cos.pk, financial_year_of(timezone.localdate()))
    assert "£40,000.00" in html
    assert f"{position.committed:,.2f}" in html
    assert '<svg class="kent-chart"' in html and 'role="img"' in html
    assert "style=" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert "as the HNF Monitoring Officer" not in html
    statement = MonthlyStatement.objects.get()
    detail = client.get(reverse("budgets:statement", args=[cos.pk, statement.pk]))
    assert detail.status_code == 200
    assert "Month by month" in detail.content.decode()
    assert request.first_name not in html + detail.content.decode()


def test_the_areas_officer_reads_the_page_and_others_get_404(client, officer):
    request = approved()
    cos = request.community
    statements_create(timezone.localdate().replace(day=1), [cos.pk])
    statement = MonthlyStatement.objects.get()
    page = reverse("budgets:statements", args=[cos.pk])
    detail = reverse("budgets:statement", args=[cos.pk, statement.pk])
    client.force_login(officer)
    html = client.get(page).content.decode()
    assert "as the HNF Monitoring Officer of the North area" in html
    assert client.get(detail).status_code == 200
    # A member school's SENCO reads its CoS's monthly updates (issue 15).
    client.force_login(request.created_by)
    assert client.get(page).status_code == 200
    assert client.get(detail).status_code == 200
    others = [
        make_officer(area("East")),
        make_senco(SchoolFactory(community=CommunityFactory())),
        make_chair(CommunityFactory()),
        make_board(area("North")),
    ]
    for person in others:
        client.force_login(person)
        assert client.get(page).status_code == 404
        assert client.get(detail).status_code == 404
    # A statement reached through another CoS's address is not found either.
    other_cos = CommunityFactory()
    client.force_login(make_chair(other_cos))
    assert (
        client.get(reverse("budgets:statement", args=[other_cos.pk, statement.pk])).status_code
        == 404
    )
