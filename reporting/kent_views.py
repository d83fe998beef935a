"""The Kent overview (every CoS side by side for a financial year, its CSV, and each CoS's
figures read only), for KCC administrators and KCC oversight. Outside the Django admin;
the admin's home links to it."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from budgets.exports import to_csv
from budgets.models import CosBudget
from communities.models import CommunityOfSchools
from kentlocality.financial_years import financial_year_of, year_bounds, year_label

from . import permissions
from .figures import report_figures
from .models import Report
from .overview import COLUMNS, SORT_KEYS, kent_overview, overview_areas, overview_sheet
from .presentation import present
from .selectors import CURRENT_SECONDS, overview_to_date
from .views import report_new_form


def _year(request: HttpRequest, current: int) -> int:
    """The financial year asked for (?year=2026), or the current one: any year from ten
    before to the next."""
    try:
        year = int(request.GET.get("year", current))
    except (TypeError, ValueError):
        return current
    return year if current - 10 <= year <= current + 1 else current


def _area_id(request: HttpRequest, areas) -> int | None:
    value = request.GET.get("area", "")
    return int(value) if value.isdigit() and int(value) in {a.pk for a in areas} else None


def _years(current: int, year: int) -> list[tuple[int, str]]:
    window = {"year__gte": current - 10, "year__lte": current + 1}
    years = set(CosBudget.objects.filter(**window).values_list("year", flat=True).distinct())
    years |= {current, year}
    return [(y, year_label(y)) for y in sorted(years, reverse=True)]


def _choices(request: HttpRequest) -> dict:
    today = timezone.localdate()
    current = financial_year_of(today)
    areas = overview_areas()
    sort = request.GET.get("sort", "name")
    sort = sort if sort in SORT_KEYS else "name"
    return {
        "today": today,
        "year": _year(request, current),
        "areas": areas,
        "area_id": _area_id(request, areas),
        "sort": sort,
        "descending": request.GET.get("dir") == "desc",
        "current": current,
    }


def _query(chosen: dict, **changes) -> str:
    values = {"year": chosen["year"], "area": chosen["area_id"] or "", "sort": chosen["sort"]}
    if chosen["descending"]:
        values["dir"] = "desc"
    values.update(changes)
    return urlencode({key: value for key, value in values.items() if value not in ("", None)})


def _headings(chosen: dict) -> list[dict]:
    """Each column's heading, its link that sorts by it (again: the other way) and its
    aria-sort."""
    headings = []
    for key, heading in COLUMNS:
        current = key == chosen["sort"]
        descending = current and not chosen["descending"]
        headings.append(
            {
                "key": key,
                "heading": heading,
                "url": "?" + _query(chosen, sort=key, dir="desc" if descending else None),
                "aria_sort": (
                    ("descending" if chosen["descending"] else "ascending") if current else "none"
                ),
                "numeric": key not in ("name", "area"),
            }
        )
    return headings


@login_required
def kent_overview_page(request: HttpRequest) -> HttpResponse:
    permissions.check_kent_overview(request.user)
    chosen = _choices(request)
    found = overview_to_date(year=chosen["year"], today=chosen["today"], area_id=chosen["area_id"])
    overview = found.overview
    rows = overview.sorted_rows(chosen["sort"], chosen["descending"])
    return render(
        request,
        "reporting/kent/overview.html",
        {
            **chosen,
            "overview": overview,
            "rows": rows,
            "headings": _headings(chosen),
            "csv_query": _query(chosen),
            "years": _years(chosen["current"], chosen["year"]),
            "as_at": found.as_at,
            "figures_minutes": CURRENT_SECONDS // 60,
            "figures_seconds": CURRENT_SECONDS,
        },
    )


@login_required
def kent_overview_csv(request: HttpRequest) -> HttpResponse:
    permissions.check_kent_overview(request.user)
    chosen = _choices(request)
    found = overview_to_date(year=chosen["year"], today=chosen["today"], area_id=chosen["area_id"])
    overview = found.overview
    rows = overview.sorted_rows(chosen["sort"], chosen["descending"])
    response = HttpResponse(
        to_csv(overview_sheet(overview, rows)), content_type="text/csv; charset=utf-8"
    )
    name = f"kent-overview-{overview.year_label}-{chosen['today'].isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def kent_community(request: HttpRequest, community_id: int) -> HttpResponse:
    """One CoS's figures for the year, read only: its overview row and its report figures
    for the year so far."""
    permissions.check_kent_overview(request.user)
    community = get_object_or_404(
        CommunityOfSchools.objects.select_related("area"), pk=community_id
    )
    chosen = _choices(request)
    year, today = chosen["year"], chosen["today"]
    overview = kent_overview(year, today, community_id=community.pk)
    if not overview.rows:
        raise Http404
    start, end = year_bounds(year)
    if start > today:
        figures = None
    else:
        figures = present(
            report_figures(community_id=community.pk, start=start, end=end, as_at=today)
        )
    return render(
        request,
        "reporting/kent/community.html",
        {
            **chosen,
            "community": community,
            "row": overview.rows[0],
            "overview": overview,
            "years": _years(chosen["current"], year),
            **(figures or {}),
            "has_figures": figures is not None,
        },
    )


@login_required
def kent_reports(request: HttpRequest) -> HttpResponse:
    """Kent-wide reports: KCC administrators, KCC oversight and governance readers."""
    if not permissions.can_view_kent_reports(request.user):
        raise Http404
    reports = Report.objects.filter(area__isnull=True, community__isnull=True).select_related(
        "requested_by"
    )
    return render(
        request,
        "reporting/kent/reports.html",
        {
            "reports": reports,
            "can_ask": permissions.can_request_report(request.user, kent=True),
            "sees_overview": permissions.can_view_kent_overview(request.user),
        },
    )


@login_required
def kent_report_new(request: HttpRequest) -> HttpResponse:
    if not permissions.can_view_kent_reports(request.user):
        raise Http404
    if not permissions.can_request_report(request.user, kent=True):
        raise PermissionDenied("Your role lets you read Kent-wide reports, not ask for new ones.")
    return report_new_form(request)
