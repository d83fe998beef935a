"""Queries per page do not grow with the data (issue 8): each list page, rendered with 5
rows and again with 50, makes the same number of SQL queries, and shows the rows.

Every row is made through the real services (submissions, agendas, decisions,
acknowledgements, payments, statements, reports). A page is asked for twice at each size
and the second visit counted, so that a first visit's session and cache work does not
count against either size.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from budgets.statements import statements_create
from communities.tests.factories import area, make_board, make_officer
from kentlocality.financial_years import financial_year_of
from reporting.services import report_request
from requests.models import ResourceRequest
from tests.worlds.cos import Cos, make_cos
from tests.worlds.steps import acknowledged, decided, on_agenda, paid

pytestmark = pytest.mark.django_db

FEW, MANY = 5, 50


def count_queries(client, url: str):
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured), response


def text(response) -> str:
    return response.content.decode("utf-8-sig")


def same_count_for_few_and_many(
    client, url: str, grow: Callable[[int], object], shows: Callable[[int, object], None]
) -> None:
    """Grow the data to FEW rows, count; grow to MANY, count again: the same."""
    grow(FEW)
    few, response = count_queries(client, url)
    shows(FEW, response)
    grow(MANY)
    many, response = count_queries(client, url)
    shows(MANY, response)
    assert many == few, f"{url}: {few} queries with {FEW} rows, {many} with {MANY}"


@pytest.fixture
def cos() -> Cos:
    cos = make_cos()
    year = financial_year_of(timezone.localdate())
    for each in (year, year + 1):
        cos.budget(each, "10000000.00")
    return cos


class Requests:
    """Submitted requests of the CoS's school, added up to a count as a test asks."""

    def __init__(self, cos: Cos) -> None:
        self.cos = cos
        self.made: list[ResourceRequest] = []

    def up_to(self, n: int) -> list[ResourceRequest]:
        while len(self.made) < n:
            self.made.append(self.cos.request(amount=Decimal(1000 + len(self.made))))
        return self.made


class Approvals(Requests):
    """Requests approved at today's meeting, and the meeting's agenda."""

    def __init__(self, cos: Cos, decide: bool = True) -> None:
        super().__init__(cos)
        self.meeting = cos.meeting()
        self.decide = decide

    def up_to(self, n: int) -> list[ResourceRequest]:
        start = len(self.made)
        super().up_to(n)
        for index, request in enumerate(self.made[start:], start=start):
            item = on_agenda(request, meeting=self.meeting, chair=self.cos.chair, budget=None)
            # On the meeting page, every third item is left for the meeting to decide.
            if self.decide or index % 3:
                decided(item=item, chair=self.cos.chair)
        return self.made


def references_shown(requests: list[ResourceRequest], response, newest: int = 1) -> None:
    page = text(response)
    for request in requests[-newest:]:
        request.refresh_from_db()
        assert request.reference in page


def test_senco_home(client, cos):
    requests = Requests(cos)
    client.force_login(cos.senco)

    def shows(n: int, response) -> None:
        assert f"{n} requests" in text(response)
        references_shown(requests.made, response)

    same_count_for_few_and_many(
        client, reverse("requests:school", args=[cos.school.pk]), requests.up_to, shows
    )


def test_chair_home_queue(client, cos):
    requests = Requests(cos)
    client.force_login(cos.chair)

    def shows(n: int, response) -> None:
        references_shown(requests.made, response, newest=n)

    same_count_for_few_and_many(
        client, reverse("requests:community", args=[cos.community.pk]), requests.up_to, shows
    )


def test_meeting_page(client, cos):
    approvals = Approvals(cos, decide=False)
    client.force_login(cos.chair)

    def shows(n: int, response) -> None:
        page = text(response)
        assert len(re.findall(r'id="item-\d+"', page)) == n
        assert "Approved" in page and "To decide" in page
        references_shown(approvals.made, response, newest=n)

    same_count_for_few_and_many(
        client, reverse("requests:meeting", args=[approvals.meeting.pk]), approvals.up_to, shows
    )


def test_officer_home(client, cos):
    approvals = Approvals(cos)
    officer = make_officer(area("North"))
    client.force_login(officer)

    def shows(n: int, response) -> None:
        assert f"{n} approved requests" in text(response)
        references_shown(approvals.made, response)

    same_count_for_few_and_many(
        client, reverse("requests:officer", args=[area("North").pk]), approvals.up_to, shows
    )


def test_budget_page(client, cos):
    client.force_login(cos.chair)
    this_month = timezone.localdate().replace(day=1)
    made: list[dt.date] = []

    def grow(n: int) -> None:
        while len(made) < n:
            month = (this_month - dt.timedelta(days=31 * (len(made) + 1))).replace(day=1)
            statements_create(month, [cos.community.pk])
            made.append(month)

    def shows(n: int, response) -> None:
        # Twelve to a page, newest first.
        page = text(response)
        assert made[0].strftime("%B %Y") in page
        assert len(re.findall(r'href="/communities/\d+/budget-updates/\d+/"', page)) == min(n, 12)

    same_count_for_few_and_many(
        client, reverse("budgets:statements", args=[cos.community.pk]), grow, shows
    )


def test_board_home(client, cos):
    north = area("North")
    board = make_board(north)
    approvals = Approvals(cos)
    client.force_login(board)
    today = timezone.localdate()
    reports: list[int] = []

    def grow(n: int) -> None:
        approvals.up_to(n)
        while len(reports) < n:
            day = today - dt.timedelta(days=len(reports) + 1)
            reports.append(
                # Board members in turn: a person may ask for 10 reports a day.
                report_request(
                    actor=board if len(reports) < 10 else make_board(north),
                    area_id=north.pk,
                    start=day - dt.timedelta(days=90),
                    end=day,
                ).pk
            )

    def shows(n: int, response) -> None:
        page = text(response)
        assert len(re.findall(r'href="/reports/\d+/"', page)) == n
        assert cos.community.name in page

    same_count_for_few_and_many(client, reverse("reporting:board", args=[north.pk]), grow, shows)


@pytest.mark.parametrize(
    ("name", "rows_in"),
    [
        ("requests:export_xlsx", None),
        ("requests:export_due_csv", "due"),
        ("requests:export_made_csv", "made"),
    ],
)
def test_exports(client, cos, name, rows_in):
    """Payments due (half the approvals unpaid) and payments made (the other half)."""
    approvals = Approvals(cos)
    officer = make_officer(area("North"))
    client.force_login(officer)
    seen: set[int] = set()

    def grow(n: int) -> None:
        for index, request in enumerate(approvals.up_to(n)):
            if request.pk in seen:
                continue
            seen.add(request.pk)
            if index % 2:
                continue
            acknowledged(request, officer=officer)
            paid(
                request,
                request.amount,
                officer=officer,
                finance_reference=f"F{request.pk}",
                method="advance",
            )

    def shows(n: int, response) -> None:
        if rows_in is None:
            workbook = load_workbook(io.BytesIO(response.content))
            due, made = workbook.worksheets
            assert (due.max_row - 1, made.max_row - 1) == (n // 2, n - n // 2)
            return
        rows = list(csv.reader(io.StringIO(text(response))))[1:]
        assert len(rows) == (n // 2 if rows_in == "due" else n - n // 2)

    same_count_for_few_and_many(client, reverse(name, args=[area("North").pk]), grow, shows)
