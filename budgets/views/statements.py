"""A Community of Schools' budget page: the current position with a chart drawn on the
server (SVG, no script), and the monthly budget updates. The chair of the CoS and, read
only, the HNF Monitoring Officer of its area see it; anyone else gets 404."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from communities.models import CommunityOfSchools, User
from communities.permissions import is_chair_of_community
from kentlocality.financial_years import financial_year_of, year_label
from kentlocality.pagination import paginate
from kentlocality.templatetags.formatting import format_money

from .. import statements
from ..models import MonthlyStatement
from ..selectors import BudgetPosition, budget_position
from .finance import can_read_finance


def get_community_for_budget(user: User, community_id: int) -> CommunityOfSchools:
    community = CommunityOfSchools.objects.select_related("area").filter(pk=community_id).first()
    if community is None:
        raise Http404("No such Community of Schools")
    if can_read_finance(user, community):
        return community
    raise Http404("No such Community of Schools")


# Chart geometry. Colours pass WCAG 1.4.11 (3:1) against white; labels are near-black.
CHART_WIDTH = 640
LABEL_WIDTH = 170
BAR_SPACE = CHART_WIDTH - LABEL_WIDTH - 110
BAR_HEIGHT = 28
ROW_HEIGHT = 44


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal
    colour: str
    y: int
    width: int

    @property
    def text(self) -> str:
        return format_money(self.value)

    @property
    def text_y(self) -> int:
        return self.y + BAR_HEIGHT // 2 + 6

    @property
    def value_x(self) -> int:
        return LABEL_WIDTH + self.width + 8


def position_bars(position: BudgetPosition) -> list[Bar]:
    """Horizontal bars for total, spend to date (committed) and paid, on one scale."""
    values = [
        ("Total budget", position.total, "#505a5f"),
        ("Spend to date", position.committed, "#1d70b8"),
        ("Paid", position.paid, "#00703c"),
    ]
    scale = max([v for _, v, _ in values] + [Decimal("1")])
    return [
        Bar(
            label=label,
            value=value,
            colour=colour,
            y=10 + index * ROW_HEIGHT,
            width=max(int(BAR_SPACE * max(value, Decimal("0")) / scale), 1 if value else 0),
        )
        for index, (label, value, colour) in enumerate(values)
    ]


@login_required
def statements_page(request: HttpRequest, community_id: int) -> HttpResponse:
    community = get_community_for_budget(request.user, community_id)
    today = timezone.localdate()
    position = budget_position(community.pk, financial_year_of(today))
    return render(
        request,
        "budgets/statements/community.html",
        {
            "community": community,
            "today": today,
            "position": position,
            "bars": position_bars(position),
            "chart_width": CHART_WIDTH,
            "chart_height": 10 + 3 * ROW_HEIGHT,
            "label_width": LABEL_WIDTH,
            "bar_height": BAR_HEIGHT,
            # Twelve updates a page, newest first; the month-by-month figures each one
            # carries are read only on its own page.
            "page": paginate(
                request,
                MonthlyStatement.objects.filter(community=community)
                .defer("monthly")
                .order_by("-month"),
                per_page=12,
            ),
            "is_chair": is_chair_of_community(request.user, community.pk),
        },
    )


@login_required
def statement_detail(request: HttpRequest, community_id: int, statement_id: int) -> HttpResponse:
    community = get_community_for_budget(request.user, community_id)
    statement = get_object_or_404(MonthlyStatement, pk=statement_id, community=community)
    return render(
        request,
        "budgets/statements/statement.html",
        {
            "community": community,
            "statement": statement,
            "as_at": statements.month_end(statement.month),
            "year_label": year_label(statement.year),
            "months": [statements.MonthFigures.from_json(m) for m in statement.monthly],
            "before_year": statements.committed_before_year(statement),
        },
    )
