"""A Community of Schools' budget page: the current position with a chart drawn on the
server (SVG, no script: templatetags/budget_charts.py), and the monthly budget updates.
The CoS's chair and members (every role of a member school) and, read only, the HNF
Monitoring Officer of its area see it; anyone else gets 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from communities.models import CommunityOfSchools, User
from communities.permissions import is_chair_of_community, is_officer_of_area
from kentlocality.financial_years import financial_year_of, year_label
from kentlocality.pagination import paginate

from .. import statements
from ..models import MonthlyStatement
from ..selectors import budget_position
from .finance import can_read_finance


def get_community_for_budget(user: User, community_id: int) -> CommunityOfSchools:
    community = CommunityOfSchools.objects.select_related("area").filter(pk=community_id).first()
    if community is None:
        raise Http404("No such Community of Schools")
    if can_read_finance(user, community):
        return community
    raise Http404("No such Community of Schools")


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
            "as_officer": is_officer_of_area(request.user, community.area_id),
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
