"""The Kent overview: every CoS side by side for a financial year, for KCC administrators
and KCC oversight (issue 16).

Each figure is the one its own page shows, from the same computation:

- budget, committed (spend to date), paid, remaining and share used: the CoS's budget
  position for the year (``budgets.selectors.budget_positions``, as the CoS's financial
  information page shows it for that year);
- median working days from submission to decision, and hand-offs on time and breached:
  the report figures (``figures.figures_for``) for the year so far: decisions and
  approvals dated in the year, as things stand today (or at the year's end, for a year
  that is over);
- requests waiting and payments overdue are counts of today, whatever the year chosen:
  the chair's queue (submitted or deferred requests) and the HNF Monitoring Officer's
  "Payment overdue" list (approved, not paid in full, payment due date passed).

Totals (Kent and each area) add the CoS's figures; a median is the median of all the
decisions of the CoS added, not a sum. Every figure for all 53 CoS comes from a fixed
number of queries.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count

from budgets.exports import Sheet
from budgets.selectors import BudgetPosition, budget_positions
from communities.models import Area, CommunityOfSchools
from kentlocality.financial_years import year_bounds, year_label
from requests.models import Handoff, ResourceRequest
from requests.selectors.officer import filter_handoffs
from requests.workflow import WAITING_STATUSES

from .figures import Period, figures_for

ZERO = Decimal("0.00")


@dataclass
class OverviewRow:
    """One CoS (or a total of several) for the year."""

    name: str
    community_id: int | None = None
    area_id: int | None = None
    area_name: str = ""
    total: Decimal = ZERO
    committed: Decimal = ZERO
    paid: Decimal = ZERO
    waiting: int = 0
    decision_days: list[int] = field(default_factory=list)
    handoff_on_time: int = 0
    handoff_breached: int = 0
    payments_overdue: int = 0

    @property
    def remaining(self) -> Decimal:
        return self.total - self.committed

    @property
    def share_used(self) -> Decimal | None:
        """Committed as a share of the total, as ``BudgetPosition.share_used``."""
        return BudgetPosition(0, 0, self.total, self.committed, self.paid).share_used

    @property
    def median_days(self) -> float | None:
        return statistics.median(self.decision_days) if self.decision_days else None

    def add(self, other: OverviewRow) -> None:
        self.total += other.total
        self.committed += other.committed
        self.paid += other.paid
        self.waiting += other.waiting
        self.decision_days += other.decision_days
        self.handoff_on_time += other.handoff_on_time
        self.handoff_breached += other.handoff_breached
        self.payments_overdue += other.payments_overdue


# (key, heading): the columns, each one a sort.
COLUMNS = [
    ("name", "Community of Schools"),
    ("area", "Area"),
    ("total", "Budget"),
    ("committed", "Committed this year"),
    ("paid", "Paid"),
    ("remaining", "Remaining"),
    ("share_used", "Share used"),
    ("waiting", "Requests waiting now"),
    ("median_days", "Median working days from submission to decision"),
    ("handoff_on_time", "Hand-offs on time"),
    ("handoff_breached", "Hand-offs breached"),
    ("payments_overdue", "Payments overdue now"),
]
SORT_KEYS = {key for key, _ in COLUMNS}


def _sort_value(row: OverviewRow, key: str):
    if key == "name":
        return (row.name.lower(),)
    if key == "area":
        return (row.area_name.lower(), row.name.lower())
    value = getattr(row, key)
    # Rows without the figure (no budget, no decisions) sort after those with one.
    return (value is None, value if value is not None else 0, row.name.lower())


@dataclass
class Overview:
    year: int
    today: dt.date
    rows: list[OverviewRow]
    areas: list[OverviewRow]  # a total for each area shown
    kent: OverviewRow
    area_id: int | None = None

    @property
    def year_label(self) -> str:
        return year_label(self.year)

    @property
    def as_at(self) -> dt.date:
        """The day the year's figures stand at."""
        return min(self.today, year_bounds(self.year)[1])

    def sorted_rows(self, key: str, descending: bool = False) -> list[OverviewRow]:
        key = key if key in SORT_KEYS else "name"
        return sorted(self.rows, key=lambda row: _sort_value(row, key), reverse=descending)


def kent_overview(
    year: int, today: dt.date, area_id: int | None = None, community_id: int | None = None
) -> Overview:
    """Every CoS (of one area, or just one CoS, when given) for the financial year, with
    area and Kent totals, in a fixed number of queries."""
    communities = CommunityOfSchools.objects.select_related("area").order_by("area__name", "name")
    if area_id is not None:
        communities = communities.filter(area_id=area_id)
    if community_id is not None:
        communities = communities.filter(pk=community_id)
    communities = list(communities)
    ids = [c.pk for c in communities]
    start, end = year_bounds(year)
    as_at = today if today < end else None
    figures = figures_for(communities, Period(start, end, as_at))
    positions = budget_positions(ids, year)
    waiting = Counter(
        dict(
            ResourceRequest.objects.filter(community_id__in=ids, status__in=WAITING_STATUSES)
            .order_by()
            .values_list("community_id")
            .annotate(n=Count("pk"))
        )
    )
    overdue_handoffs = filter_handoffs(
        Handoff.objects.filter(request__community_id__in=ids), today=today, status="overdue"
    )
    overdue = Counter(
        dict(
            overdue_handoffs.order_by().values_list("request__community_id").annotate(n=Count("pk"))
        )
    )
    rows = []
    for community in communities:
        position = positions[community.pk]
        timeliness = figures[community.pk].timeliness
        rows.append(
            OverviewRow(
                name=community.name,
                community_id=community.pk,
                area_id=community.area_id,
                area_name=community.area.name,
                total=position.total,
                committed=position.committed,
                paid=position.paid,
                waiting=waiting[community.pk],
                decision_days=list(figures[community.pk].days_to_decision),
                handoff_on_time=timeliness.handoff_on_time,
                handoff_breached=timeliness.handoff_breaches,
                payments_overdue=overdue[community.pk],
            )
        )
    kent = OverviewRow(name="Kent" if area_id is None else "All shown")
    areas: dict[int, OverviewRow] = {}
    for row in rows:
        if row.area_id not in areas:
            areas[row.area_id] = OverviewRow(
                name=f"{row.area_name} area", area_id=row.area_id, area_name=row.area_name
            )
        areas[row.area_id].add(row)
        kent.add(row)
    return Overview(
        year=year,
        today=today,
        rows=rows,
        areas=list(areas.values()),
        kent=kent,
        area_id=area_id,
    )


def overview_areas() -> list[Area]:
    return list(Area.objects.filter(communities__isnull=False).distinct().order_by("name"))


def _csv_row(row: OverviewRow, name: str, area: str) -> list:
    return [
        name,
        area,
        row.total,
        row.committed,
        row.paid,
        row.remaining,
        None if row.share_used is None else round(float(row.share_used) * 100, 1),
        row.waiting,
        row.median_days,
        row.handoff_on_time,
        row.handoff_breached,
        row.payments_overdue,
    ]


def overview_sheet(overview: Overview, rows: list[OverviewRow]) -> Sheet:
    """The page's table as a sheet (``budgets.exports.to_csv``): the CoS in the order
    shown, then each area's total and Kent's."""
    headers = [heading for _, heading in COLUMNS]
    headers[6] = "Share used (%)"
    body = [_csv_row(row, row.name, row.area_name) for row in rows]
    body += [_csv_row(row, f"Total: {row.name}", row.area_name) for row in overview.areas]
    body.append(_csv_row(overview.kent, f"Total: {overview.kent.name}", ""))
    return Sheet(
        title=f"Kent overview {overview.year_label}",
        headers=headers,
        rows=body,
        money_columns=frozenset({2, 3, 4, 5}),
    )
