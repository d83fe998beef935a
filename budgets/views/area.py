"""The HNF Monitoring Officer's view of every Community of Schools budget in the area
for one financial year: a row a CoS, the area's total beneath, each CoS linked to its
own budget page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from communities.models import CommunityOfSchools
from communities.permissions import get_area_for_officer
from kentlocality.financial_years import financial_year_of, year_label

from ..models import CosBudget
from ..selectors import ZERO, BudgetPosition, budget_positions
from .finance import chosen_year


@login_required
def area_budgets(request: HttpRequest, area_id: int) -> HttpResponse:
    area = get_area_for_officer(request.user, area_id)
    this_year = financial_year_of(timezone.localdate())
    year = chosen_year(request, this_year)
    communities = list(CommunityOfSchools.objects.filter(area=area).order_by("name"))
    positions = budget_positions([c.pk for c in communities], year)
    rows = [(c, positions[c.pk].in_whole_pounds) for c in communities]
    total = BudgetPosition(
        community_id=0,
        year=year,
        total=sum((p.total for _, p in rows), ZERO),
        committed=sum((p.committed for _, p in rows), ZERO),
        paid=sum((p.paid for _, p in rows), ZERO),
    )
    years = sorted(
        set(
            CosBudget.objects.filter(community__area=area).values_list("year", flat=True).distinct()
        )
        | {this_year, year}
    )
    return render(
        request,
        "budgets/area.html",
        {
            "area": area,
            "year": year,
            "year_label": year_label(year),
            "this_year": this_year,
            "years": [(y, year_label(y)) for y in years],
            "rows": rows,
            "total": total,
            "over_budget": sum(1 for _, p in rows if p.remaining < 0),
        },
    )
