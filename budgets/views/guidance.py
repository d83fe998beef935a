"""How an award counts against each financial year's budget: the page the budget figures
link to from "Committed this year". Its worked example is computed by the same
``apportion_by_days`` the ledger uses, so the page cannot drift from the figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kentlocality.financial_years import apportion_by_days, year_bounds, year_label

# An award for the autumn and spring terms of one school year: it runs over 31 March.
EXAMPLE_AMOUNT = Decimal("12000.00")
EXAMPLE_START = dt.date(2026, 9, 1)
EXAMPLE_END = dt.date(2027, 7, 20)


@login_required
def how_awards_count(request: HttpRequest) -> HttpResponse:
    total_days = (EXAMPLE_END - EXAMPLE_START).days + 1
    rows = []
    for year, share in apportion_by_days(EXAMPLE_AMOUNT, EXAMPLE_START, EXAMPLE_END).items():
        first, last = year_bounds(year)
        days = (min(EXAMPLE_END, last) - max(EXAMPLE_START, first)).days + 1
        rows.append({"year_label": year_label(year), "days": days, "share": share})
    return render(
        request,
        "budgets/how_awards_count.html",
        {
            "amount": EXAMPLE_AMOUNT,
            "start": EXAMPLE_START,
            "end": EXAMPLE_END,
            "total_days": total_days,
            "rows": rows,
        },
    )
