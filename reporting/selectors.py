"""The quarter-to-date figures of an area's or a CoS's home page, and the Kent overview,
through the shared cache.

Working them out is 16 queries of real aggregation over every year of data (about 60 ms
for an area of ten years; bench/NOTES.md), on a page a board member opens again and
again. So the computed figures (not the page) are kept in Django's shared cache (Redis in
production) for a few minutes, and the page says when they were worked out.

Invalidation is by time alone. The figures are made of requests, decisions, hand-offs,
payments, budgets and attendance, written by a dozen services in three apps; a write
touching any of them would have to find every area and CoS key it affects. Board members
read these figures as a picture of the quarter, not a ledger, and the page tells them how
old it is. So:

- the quarter to date (a period not over yet) is kept for 5 minutes;
- a period already over is kept for an hour: only a late correction (a payment recorded
  with an earlier date, a revision, attendance filled in afterwards) changes it.

The Kent overview (every CoS's figures for a financial year, about 200 ms to work out for
53 CoS of ten years) is kept for 5 minutes whatever the year: it also counts the requests
waiting and the payments overdue today. Its CSV reads the same entry, so the download is
the table on the page.

Reports (the PDFs) never read this cache: they work their figures out afresh.

Permission checks stay in the views, before anything here is called: the key names the
area or CoS the viewer was allowed to see, so one area's entry is never another's.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.utils import timezone

from budgets.selectors import BudgetPosition

from .figures import (
    AttendanceRow,
    Figures,
    Period,
    ReportFigures,
    Tally,
    Timeliness,
    report_figures,
)
from .overview import Overview, OverviewRow, kent_overview

CURRENT_SECONDS = 5 * 60
PAST_SECONDS = 60 * 60

# Raise by hand when a figure's meaning changes without its shape changing; a change of
# shape (a field added, renamed or removed) changes the key by itself (below).
FIGURES_VERSION = 1


def _shape() -> str:
    """A digest of the cached classes' fields, so that an entry written by an older
    version of the code is never unpickled into a newer one's shape."""
    classes = (
        ReportFigures, Period, Figures, Tally, Timeliness, AttendanceRow, BudgetPosition,
        Overview, OverviewRow,
    )  # fmt: skip
    names = ";".join(
        f"{cls.__qualname__}:{','.join(f.name for f in dataclasses.fields(cls))}" for cls in classes
    )
    return hashlib.sha256(names.encode()).hexdigest()[:12]


VERSION = f"{FIGURES_VERSION}-{_shape()}"


@dataclass(frozen=True)
class FiguresAsAt:
    figures: ReportFigures
    as_at: dt.datetime  # when they were worked out


def figures_key(*, kind: str, pk: int, start: dt.date, end: dt.date, today: dt.date) -> str:
    # today is in the key: the period's last day is today's date for a period not over,
    # so the figures of yesterday are never shown as today's.
    return f"reporting:figures:{VERSION}:{kind}:{pk}:{start:%Y%m%d}:{end:%Y%m%d}:{today:%Y%m%d}"


def figures_to_date(
    *,
    area_id: int | None = None,
    community_id: int | None = None,
    start: dt.date,
    end: dt.date,
    today: dt.date,
) -> FiguresAsAt:
    """The figures of an area (or one CoS) for a period, as at today, from the cache when
    worked out in the last few minutes. The caller has checked the viewer may see them."""
    if (area_id is None) == (community_id is None):
        raise ValueError("an area or a CoS, not both")
    kind, pk = ("area", area_id) if area_id is not None else ("community", community_id)
    key = figures_key(kind=kind, pk=pk, start=start, end=end, today=today)
    cached = cache.get(key)
    if isinstance(cached, FiguresAsAt):
        return cached
    as_at = timezone.now()
    fresh = FiguresAsAt(
        figures=report_figures(
            area_id=area_id, community_id=community_id, start=start, end=end, as_at=today
        ),
        as_at=as_at,
    )
    cache.set(key, fresh, CURRENT_SECONDS if end >= today else PAST_SECONDS)
    return fresh


@dataclass(frozen=True)
class OverviewAsAt:
    overview: Overview
    as_at: dt.datetime  # when it was worked out


def overview_to_date(*, year: int, today: dt.date, area_id: int | None = None) -> OverviewAsAt:
    """The Kent overview (every CoS, or one area's) for a financial year, as at today, from
    the cache when worked out in the last few minutes. The caller has checked the viewer
    may see it."""
    key = f"reporting:overview:{VERSION}:{year}:{area_id or 'kent'}:{today:%Y%m%d}"
    cached = cache.get(key)
    if isinstance(cached, OverviewAsAt):
        return cached
    fresh = OverviewAsAt(overview=kent_overview(year, today, area_id=area_id), as_at=timezone.now())
    cache.set(key, fresh, CURRENT_SECONDS)
    return fresh
