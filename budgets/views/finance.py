"""The CoS financial information page: the budget position for a financial year and, for
each member school, its notional SEN budget and historic HNF allocation."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from communities.models import CommunityOfSchools, School, User
from communities.permissions import (
    is_chair_of_community,
    is_member_of_community,
    is_officer_of_area,
)
from kentlocality.financial_years import financial_year_of, year_label

from ..models import CosBudget, SchoolBudget
from ..selectors import budget_position


def can_read_finance(user: User, community: CommunityOfSchools) -> bool:
    """The CoS's members (each role of a member school, its chair, vice-chair and clerk),
    and the HNF Monitoring Officer of its area."""
    return is_member_of_community(user, community.pk) or is_officer_of_area(user, community.area_id)


def chosen_year(request: HttpRequest, this_year: int) -> int:
    """The financial year in ``?year=`` (2026 for 2026-27); this year when it is missing
    or makes no sense."""
    try:
        year = int(request.GET.get("year", this_year))
    except ValueError:
        return this_year
    return year if 2000 <= year <= 2100 else this_year


@login_required
def community_finance(request: HttpRequest, community_id: int) -> HttpResponse:
    community = get_object_or_404(
        CommunityOfSchools.objects.select_related("area"), pk=community_id
    )
    if not can_read_finance(request.user, community):
        raise Http404
    this_year = financial_year_of(timezone.localdate())
    year = chosen_year(request, this_year)
    schools = School.objects.filter(
        community=community, kind=School.Kind.MAINSTREAM, is_open=True
    ).order_by("name")
    figures = {b.school_id: b for b in SchoolBudget.objects.filter(school__in=schools, year=year)}
    rows = [(school, figures.get(school.pk)) for school in schools]
    totals = SchoolBudget.objects.filter(school__in=schools, year=year).aggregate(
        notional=Sum("notional_sen_budget"), historic=Sum("historic_hnf_allocation")
    )
    years = sorted(
        set(CosBudget.objects.filter(community=community).values_list("year", flat=True))
        | set(SchoolBudget.objects.filter(school__in=schools).values_list("year", flat=True))
        | {this_year, year}
    )
    return render(
        request,
        "budgets/finance.html",
        {
            "community": community,
            "year": year,
            "year_label": year_label(year),
            "this_year": this_year,
            "years": [(y, year_label(y)) for y in years],
            "position": budget_position(community.pk, year),
            "has_budget": CosBudget.objects.filter(community=community, year=year).exists(),
            "rows": rows,
            "totals": totals,
            "is_chair": is_chair_of_community(request.user, community.pk),
            "is_member": is_member_of_community(request.user, community.pk),
        },
    )
