"""The figures of a report, computed once for a set of CoS and a period.

Definitions (the report's notes repeat them, in words):

- Received: requests first submitted in the period (``first_submitted_at``), counted in
  the CoS the school belonged to when it submitted.
- Decided: decisions dated in the period, by outcome. A revision of an interim decision
  is counted as a revision, not as a new decision.
- Exceptional requests: received requests marked exceptional. Interim decisions:
  decisions dated in the period made outside a meeting.
- Amount requested: the received requests' amounts. Amount approved: approvals and
  part-approvals dated in the period that no revision has since replaced (a revision is
  counted at its own date), at the amount awarded.
- Budget: ``budgets.selectors.budget_positions`` for the financial year of the period's
  last day, as it stood at the end of that day: the same figures as the budget pages.
- Timeliness, for the approvals dated in the period, as things stood at the end of the
  period: handed to the officer within 3 working days when acknowledged on or before the
  hand-off's due date; paid on time by the payment clock (``budgets.payment_clock``:
  the first payment not reversed, dated on or before the payment due date). Breaches: a
  hand-off acknowledged late or still not acknowledged after its due date; a payment
  made late or still not made after its due date.
- Attendance: each member school at the CoS's meetings held in the period.
- Small numbers: in any breakdown a count from 1 to 4 is shown as "fewer than 5" and its
  amount is not shown. When only one row is hidden that way, the next smallest is hidden
  too, so that the hidden count cannot be worked out from the total. A breakdown of
  fewer than 5 in all is not shown at all.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, Q
from django.utils import timezone

from budgets.models import Allocation, Payment
from budgets.payment_clock import paid_on_time
from budgets.selectors import BudgetPosition, budget_positions
from communities.models import CommunityOfSchools, School
from kentlocality.financial_years import financial_year_of
from kentlocality.workdays import working_days_between
from requests.choices import Need, SenProvision, YearGroup
from requests.models import (
    Attendance,
    Decision,
    Handoff,
    Meeting,
    ResourceRequest,
    ReviewedOutcome,
)
from requests.workflow import OPEN_STATUSES

from .models import period_title
from .suppression import SHOWN, SMALL, count_text, hide_small_numbers, is_small

ZERO = Decimal("0.00")
Outcome = Decision.Outcome
AWARDS = (Outcome.APPROVED, Outcome.PART_APPROVED)
FINAL = (Outcome.APPROVED, Outcome.PART_APPROVED, Outcome.DECLINED)
NOT_RECORDED = "Not recorded"


# ---------------------------------------------------------------- small-number breakdowns


@dataclass
class Row:
    label: str
    count: int
    amount: Decimal | None = None
    hidden: str = ""  # "" shown, "small" fewer than 5, "secondary" hidden to protect another

    @property
    def count_text(self) -> str:
        if self.hidden == "small":
            return "fewer than 5"
        if self.hidden == "secondary":
            return "not shown"
        return f"{self.count:,}"

    @property
    def shown_amount(self) -> Decimal | None:
        return None if self.hidden else self.amount

    @property
    def shown_count(self) -> int | None:
        return None if self.hidden else self.count


@dataclass
class Breakdown:
    title: str
    rows: list[Row]
    total: int
    heading: str = ""

    @property
    def withheld(self) -> bool:
        """Too few in all to break down without risk of recognising a pupil."""
        return 0 < self.total < SMALL

    @property
    def has_hidden(self) -> bool:
        return any(row.hidden for row in self.rows)

    @property
    def display_rows(self) -> list[Row]:
        """The rows to show: several rows of fewer than 5 are named together in one row
        (a year group table of "fewer than 5" eleven times tells a reader nothing more)."""
        small = [row for row in self.rows if row.hidden == "small"]
        if len(small) < 2:
            return self.rows
        shown = [row for row in self.rows if row.hidden != "small"]
        names = "; ".join(row.label for row in small)  # need names hold commas
        return [*shown, Row(f"Each fewer than 5: {names}", 0, None, hidden="small")]


def breakdown(
    title: str,
    items: Iterable[tuple[str, int, Decimal | None]],
    *,
    heading: str,
    keep_zero: bool = False,
) -> Breakdown:
    """Rows with the small-number rule applied (see the module's docstring)."""
    rows = [Row(label, count, amount) for label, count, amount in items if count or keep_zero]
    for row in rows:
        if 0 < row.count < SMALL:
            row.hidden = "small"
    hidden = [row for row in rows if row.hidden]
    if len(hidden) == 1:
        others = [row for row in rows if not row.hidden and row.count]
        if others:
            smallest = min(others, key=lambda row: (row.count, row.amount or ZERO))
            smallest.hidden = "secondary"
    total = sum(row.count for row in rows)
    return Breakdown(title=title, rows=rows, total=total, heading=heading)


def _zero() -> Decimal:
    return ZERO


def _amounts() -> defaultdict:
    # Named functions, not lambdas: figures are pickled into the cache (selectors.py).
    return defaultdict(_zero)


@dataclass
class Tally:
    """Counts and amounts by key."""

    counts: Counter = field(default_factory=Counter)
    amounts: defaultdict = field(default_factory=_amounts)

    def add(self, key: str, amount: Decimal | None = None) -> None:
        self.counts[key] += 1
        self.amounts[key] += amount or ZERO

    def merge(self, other: Tally) -> None:
        self.counts.update(other.counts)
        for key, amount in other.amounts.items():
            self.amounts[key] += amount

    def items(self, choices: Iterable[tuple[str, str]]) -> list[tuple[str, int, Decimal]]:
        """(label, count, amount) in the order of choices, then anything unrecorded."""
        known = list(choices)
        rows = [(label, self.counts[key], self.amounts[key]) for key, label in known]
        keys = {key for key, _ in known}
        rest = sum(count for key, count in self.counts.items() if key not in keys)
        if rest:
            amount = sum((amount for key, amount in self.amounts.items() if key not in keys), ZERO)
            rows.append((NOT_RECORDED, rest, amount))
        return rows


def median(values: list[int]) -> float | None:
    return statistics.median(values) if values else None


def share(part: int, whole: int) -> Decimal | None:
    return Decimal(part) / Decimal(whole) if whole else None


# ---------------------------------------------------------------- timeliness


@dataclass
class Impact:
    """What awards achieved (the Kent Children and Young People Outcomes Framework is what
    Area Boards monitor impact by): awards whose end date falls in the period, how many the
    schools reviewed, and the planned outcomes of those reviews achieved, partly or not."""

    ended: int = 0
    reviewed: int = 0
    achieved: int = 0
    partly: int = 0
    not_achieved: int = 0

    @property
    def outcomes(self) -> int:
        return self.achieved + self.partly + self.not_achieved

    def merge(self, other: Impact) -> None:
        for name in ("ended", "reviewed", "achieved", "partly", "not_achieved"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Timeliness:
    approvals: int = 0
    handoff_on_time: int = 0
    handoff_late: int = 0
    handoff_overdue: int = 0
    handoff_pending: int = 0
    handoff_days: list[int] = field(default_factory=list)
    payment_on_time: int = 0
    payment_late: int = 0
    payment_overdue: int = 0
    payment_pending: int = 0
    payment_days: list[int] = field(default_factory=list)
    # Approvals dated before the period still in breach at its end.
    earlier_handoff_overdue: int = 0
    earlier_payment_overdue: int = 0

    def merge(self, other: Timeliness) -> None:
        for name, value in vars(other).items():
            setattr(self, name, getattr(self, name) + value)

    @property
    def handoff_due(self) -> int:
        return self.handoff_on_time + self.handoff_late + self.handoff_overdue

    @property
    def payment_due(self) -> int:
        return self.payment_on_time + self.payment_late + self.payment_overdue

    @property
    def handoff_share(self) -> Decimal | None:
        return share(self.handoff_on_time, self.handoff_due)

    @property
    def payment_share(self) -> Decimal | None:
        return share(self.payment_on_time, self.payment_due)

    @property
    def handoff_median(self) -> float | None:
        return median(self.handoff_days)

    @property
    def payment_median(self) -> float | None:
        return median(self.payment_days)

    @property
    def handoff_breaches(self) -> int:
        return self.handoff_late + self.handoff_overdue

    @property
    def payment_breaches(self) -> int:
        return self.payment_late + self.payment_overdue


# ---------------------------------------------------------------- attendance


@dataclass
class AttendanceRow:
    school: str
    attended: int = 0
    represented: int = 0
    apologies: int = 0
    absent: int = 0
    not_recorded: int = 0

    @property
    def present(self) -> int:
        return self.attended + self.represented

    @property
    def summary(self) -> str:
        """ "2 of 3 meetings; 1 sent apologies": one cell, which keeps an area's PDF quick."""
        meetings = self.present + self.apologies + self.absent + self.not_recorded
        if not meetings:
            return "No meetings"
        parts = [f"{self.present} of {meetings} meeting{'s' if meetings != 1 else ''}"]
        if self.apologies:
            parts.append(f"sent apologies to {self.apologies}")
        if self.absent:
            parts.append(f"absent from {self.absent}")
        if self.not_recorded:
            parts.append(f"not recorded for {self.not_recorded}")
        return "; ".join(parts)


# ---------------------------------------------------------------- figures


@dataclass
class Figures:
    """The figures for one CoS, or (merged) for an area."""

    name: str
    community_id: int | None = None
    received: int = 0
    requested_amount: Decimal = ZERO
    exceptional: int = 0
    outcomes: Tally = field(default_factory=Tally)
    interim: int = 0
    revisions: int = 0
    over_budget: int = 0
    awards: Tally = field(default_factory=Tally)
    by_need: Tally = field(default_factory=Tally)
    by_phase: Tally = field(default_factory=Tally)
    by_provision: Tally = field(default_factory=Tally)
    by_year: Tally = field(default_factory=Tally)
    final_decisions: int = 0
    final_approvals: int = 0
    days_to_decision: list[int] = field(default_factory=list)
    budget: BudgetPosition | None = None
    funded_pupils: int = 0
    timeliness: Timeliness = field(default_factory=Timeliness)
    meetings: int = 0
    attendance: list[AttendanceRow] = field(default_factory=list)
    impact: Impact = field(default_factory=Impact)
    # Each count's state under the small-number rule (suppression.py) where it is hidden,
    # set for a report by ``hide_small_counts``: without it, a count from 1 to 4 is still
    # hidden, but nothing more.
    hidden: dict[str, str] = field(default_factory=dict)

    # -- counts, as a report shows them

    def count_value(self, metric: str) -> int:
        if metric.startswith(OUTCOME_PREFIX):
            return self.outcomes.counts[metric.removeprefix(OUTCOME_PREFIX)]
        if metric in TIMELINESS_COUNTS:
            return getattr(self.timeliness, metric)
        if metric in IMPACT_COUNTS:
            return getattr(self.impact, metric.removeprefix(IMPACT_PREFIX))
        return getattr(self, metric)

    @property
    def counts(self) -> dict[str, str]:
        """Every count of the report as shown: "7", "fewer than 5" or "not shown"."""
        return {
            metric: count_text(self.count_value(metric), self.hidden.get(metric, SHOWN))
            for metric in COUNTED
        }

    @property
    def timeliness_hidden(self) -> bool:
        """Some count of the timeliness table is hidden: its shares are not shown either."""
        return any(self.hidden.get(m) for m in TIMELINESS_COUNTS) or any(
            is_small(getattr(self.timeliness, m)) for m in TIMELINESS_COUNTS
        )

    @property
    def is_inactive(self) -> bool:
        """Nothing happened in the period: no request received, no decision, no meeting,
        no approval still waiting on its clocks. Such a CoS takes one line of a report."""
        t = self.timeliness
        return not (
            self.received
            or self.decided
            or self.revisions
            or self.meetings
            or t.approvals
            or t.earlier_handoff_overdue
            or t.earlier_payment_overdue
        )

    @property
    def median_days_shown(self) -> float | None:
        """The median, on 5 decisions or more (on fewer it comes close to one pupil's)."""
        return self.median_days_to_decision if len(self.days_to_decision) >= SMALL else None

    # -- headline figures

    @property
    def decided(self) -> int:
        return sum(self.outcomes.counts.values())

    @property
    def approved_count(self) -> int:
        return sum(self.awards.counts.values())

    @property
    def approved_amount(self) -> Decimal:
        return sum(self.awards.amounts.values(), ZERO)

    @property
    def approval_rate(self) -> Decimal | None:
        """Approvals and part-approvals among final decisions (deferrals and requests for
        more information are not final). Not shown on fewer than 5 decisions."""
        if self.final_decisions < SMALL:
            return None
        return share(self.final_approvals, self.final_decisions)

    @property
    def median_days_to_decision(self) -> float | None:
        return median(self.days_to_decision)

    @property
    def spend_per_funded_pupil(self) -> Decimal | None:
        """Committed this financial year per pupil funded by those commitments; not shown
        for fewer than 5 pupils, where it would come close to one pupil's award."""
        if self.budget is None or self.funded_pupils < SMALL:
            return None
        return (self.budget.committed / self.funded_pupils).quantize(Decimal("0.01"))

    @property
    def received_text(self) -> str:
        return self.counts["received"]

    # -- breakdowns (small numbers hidden)

    @property
    def outcome_breakdown(self) -> Breakdown:
        result = breakdown(
            "Decisions by outcome",
            self.outcomes.items(Outcome.choices),
            heading="Outcome",
            keep_zero=True,
        )
        if self.hidden:
            # The report's rule, which also weighs the headline counts and the other CoS.
            for (key, _label), row in zip(Outcome.choices, result.rows, strict=False):
                row.hidden = self.hidden.get(OUTCOME_PREFIX + key, SHOWN)
        return result

    @property
    def need_breakdown(self) -> Breakdown:
        return breakdown(
            "Approved by primary need", self.by_need.items(Need.choices), heading="Primary need"
        )

    @property
    def phase_breakdown(self) -> Breakdown:
        return breakdown(
            "Approved by phase of the school",
            self.by_phase.items(School.Phase.choices),
            heading="Phase",
        )

    @property
    def provision_breakdown(self) -> Breakdown:
        return breakdown(
            "Approved by SEN provision",
            self.by_provision.items(SenProvision.choices),
            heading="SEN provision",
        )

    @property
    def year_breakdown(self) -> Breakdown:
        return breakdown(
            "Approved by year group", self.by_year.items(YearGroup.choices), heading="Year group"
        )

    @property
    def award_breakdowns(self) -> list[Breakdown]:
        return [
            self.need_breakdown,
            self.phase_breakdown,
            self.provision_breakdown,
            self.year_breakdown,
        ]

    def merge(self, other: Figures) -> None:
        for name in ("received", "exceptional", "interim", "revisions", "over_budget"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in ("final_decisions", "final_approvals", "funded_pupils", "meetings"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.requested_amount += other.requested_amount
        for name in ("outcomes", "awards", "by_need", "by_phase", "by_provision", "by_year"):
            getattr(self, name).merge(getattr(other, name))
        self.days_to_decision += other.days_to_decision
        self.timeliness.merge(other.timeliness)
        self.impact.merge(other.impact)
        if other.budget is not None:
            mine = self.budget or BudgetPosition(0, other.budget.year, ZERO, ZERO, ZERO)
            self.budget = BudgetPosition(
                0,
                mine.year,
                mine.total + other.budget.total,
                mine.committed + other.budget.committed,
                mine.paid + other.budget.paid,
            )


@dataclass
class Period:
    start: dt.date
    end: dt.date
    # Figures "to date": the day they were worked out at, when before the end.
    as_at: dt.date | None = None

    @property
    def title(self) -> str:
        return period_title(self.start, self.end)

    @property
    def last_day(self) -> dt.date:
        """The day the figures stand at: the period's end, or today for a period not yet
        over."""
        return min(self.end, self.as_at) if self.as_at else self.end

    @property
    def financial_year(self) -> int:
        return financial_year_of(self.last_day)


# The counts a report shows, each subject to the small-number rule.
OUTCOME_PREFIX = "outcome:"
HEADLINE_COUNTS = (
    "received",
    "exceptional",
    "decided",
    "interim",
    "revisions",
    "approved_count",
    "over_budget",
)
TIMING_STATES = ("on_time", "late", "overdue", "pending")
TIMELINESS_COUNTS = (
    "approvals",
    *(f"handoff_{state}" for state in TIMING_STATES),
    *(f"payment_{state}" for state in TIMING_STATES),
    "earlier_handoff_overdue",
    "earlier_payment_overdue",
)
OUTCOME_COUNTS = tuple(OUTCOME_PREFIX + key for key in Outcome.values)
IMPACT_PREFIX = "impact_"
IMPACT_RESULTS = ("impact_achieved", "impact_partly", "impact_not_achieved")
IMPACT_COUNTS = ("impact_ended", "impact_reviewed", "impact_outcomes", *IMPACT_RESULTS)
COUNTED = HEADLINE_COUNTS + TIMELINESS_COUNTS + OUTCOME_COUNTS + IMPACT_COUNTS


def hide_small_counts(
    places: list[Figures], groups: list[tuple[Figures, list[Figures]]] = ()
) -> None:
    """Apply the small-number rule (suppression.py) to the counts of a report's places:
    within each (decisions are the sum of the outcomes; approvals dated in the period the
    sum of on time, late, overdue and not yet due, for the hand-off and for the payment;
    reviewed outcomes the sum of achieved, partly and not)
    and across each group (a total's every count the sum of its parts': an area's of its
    CoS', Kent's of its areas')."""
    index = {id(figures): i for i, figures in enumerate(places)}
    cells = {(i, m): f.count_value(m) for i, f in enumerate(places) for m in COUNTED}
    sums = []
    for i in range(len(places)):
        sums.append(((i, "decided"), [(i, m) for m in OUTCOME_COUNTS]))
        sums.append(((i, "impact_outcomes"), [(i, m) for m in IMPACT_RESULTS]))
        for kind in ("handoff", "payment"):
            sums.append(((i, "approvals"), [(i, f"{kind}_{state}") for state in TIMING_STATES]))
    for total, parts in groups:
        t = index[id(total)]
        sums += [((t, m), [(index[id(part)], m) for part in parts]) for m in COUNTED]
    state = hide_small_numbers(cells, sums)
    for i, figures in enumerate(places):
        figures.hidden = {m: state[(i, m)] for m in COUNTED if state[(i, m)]}


@dataclass
class ReportFigures:
    period: Period
    title: str
    sections: list[Figures]
    total: Figures
    is_area: bool

    @property
    def has_money_hidden(self) -> bool:
        return any(b.has_hidden for s in self.sections for b in s.award_breakdowns)

    @property
    def active_sections(self) -> list[Figures]:
        return [s for s in self.sections if not s.is_inactive]

    @property
    def inactive_sections(self) -> list[Figures]:
        return [s for s in self.sections if s.is_inactive]


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _local(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(moment) if moment is not None else None


def figures_for(communities: list[CommunityOfSchools], period: Period) -> dict[int, Figures]:
    """The figures of each CoS for the period, in a fixed number of queries."""
    ids = [c.pk for c in communities]
    result = {c.pk: Figures(name=c.name, community_id=c.pk) for c in communities}
    start, end = period.start, period.last_day
    after_end = _day_start(end + dt.timedelta(days=1))

    # Received.
    received = ResourceRequest.objects.filter(
        community_id__in=ids,
        first_submitted_at__gte=_day_start(start),
        first_submitted_at__lt=after_end,
    ).values_list("community_id", "amount", "is_exceptional")
    for community_id, amount, exceptional in received:
        figures = result[community_id]
        figures.received += 1
        figures.requested_amount += amount or ZERO
        figures.exceptional += 1 if exceptional else 0

    # Decided.
    decisions = Decision.objects.filter(
        request__community_id__in=ids, decision_date__range=(start, end)
    ).values_list(
        "request__community_id",
        "outcome",
        "amount",
        "is_interim",
        "over_budget",
        "revises_id",
        "revises__is_interim",
        "revised_by",
        "decision_date",
        "request__first_submitted_at",
        "request__primary_need",
        "request__sen_provision",
        "request__year_group",
        "request__school__phase",
    )
    for (
        community_id,
        outcome,
        amount,
        interim,
        over,
        revises_id,
        revises_interim,
        revised_by,
        decided_on,
        submitted_at,
        need,
        provision,
        year_group,
        phase,
    ) in decisions:
        if revised_by is not None and not interim:
            continue  # corrected at its meeting: the correction counts in its place
        figures = result[community_id]
        figures.over_budget += 1 if over else 0
        if revises_id is None or not revises_interim:
            figures.outcomes.add(outcome)
            figures.interim += 1 if interim else 0
            if outcome in FINAL:
                figures.final_decisions += 1
                figures.final_approvals += 1 if outcome in AWARDS else 0
                if submitted_at is not None:
                    figures.days_to_decision.append(
                        working_days_between(_local(submitted_at), decided_on)
                    )
        else:
            figures.revisions += 1
        if outcome in AWARDS and revised_by is None:
            figures.awards.add(outcome, amount)
            figures.by_need.add(need, amount)
            figures.by_phase.add(phase, amount)
            figures.by_provision.add(provision, amount)
            figures.by_year.add(year_group, amount)

    # Budget, from the one budget computation.
    year = period.financial_year
    for community_id, position in budget_positions(ids, year, as_at=end).items():
        result[community_id].budget = position
    funded = (
        Allocation.objects.filter(
            Q(cancelled_on__isnull=True) | Q(cancelled_on__gt=end),
            community_id__in=ids,
            decided_on__lte=end,
            years__year=year,
        )
        .values_list("community_id", "reference")
        .distinct()
    )
    for community_id, _reference in funded:
        result[community_id].funded_pupils += 1

    _timeliness(result, ids, start, end)
    _attendance(result, ids, start, end)
    _impact(result, ids, start, end)
    return result


def _impact(result: dict[int, Figures], ids: list[int], start: dt.date, end: dt.date) -> None:
    """Awards in force (not revised or corrected) ending in the period, and their reviews."""
    ended = Decision.objects.filter(
        request__community_id__in=ids,
        request__decision_id=F("pk"),
        outcome__in=AWARDS,
        end_date__range=(start, end),
    )
    for community_id, reviewed in ended.values_list(
        "request__community_id", "review__pk"
    ).order_by():
        impact = result[community_id].impact
        impact.ended += 1
        impact.reviewed += 1 if reviewed is not None else 0
    results = ReviewedOutcome.objects.filter(review__decision__in=ended).values_list(
        "review__request__community_id", "result"
    )
    field_of = {"achieved": "achieved", "partly": "partly", "not": "not_achieved"}
    for community_id, outcome in results.order_by():
        impact = result[community_id].impact
        name = field_of[outcome]
        setattr(impact, name, getattr(impact, name) + 1)


def _timeliness_rows(ids: list[int], start: dt.date, end: dt.date) -> list[tuple]:
    """(CoS, decision date, hand-off due, payment due, acknowledged at, first payment) of
    the approvals dated in the period, and of earlier ones still in breach at its end.

    Ten years of hand-offs are too many to test one by one on every board page (it took
    1.6 s for an area; bench/NOTES.md), so each kind of row is found through an index
    and the exact test applied to those alone:

    - dated in the period: by decision date;
    - earlier, hand-off not acknowledged by the end: unacknowledged ones through the
      partial index of those, ones acknowledged after the end through acknowledged_at;
    - earlier, no payment by the end: such a request is either not paid in full today
      (the status index) or was paid after the end (the payment date index). Those of
      them paid by the end after all are left to ``_timeliness``, which counts an earlier
      approval only while it is unpaid at the end: asking the database "no payment by the
      end" for each hand-off, through a payment's allocation and decision, made PostgreSQL
      compare every hand-off with every payment (0.1 s to 1.2 s on two years of history).
    """
    after_end = _day_start(end + dt.timedelta(days=1))
    ours = Handoff.objects.filter(request__community_id__in=ids)
    earlier = ours.filter(decision_date__lt=start)
    payment_due_by_end = earlier.filter(payment_due_date__lt=end)
    paid_after_end = Payment.objects.filter(paid_on__gt=end).values(
        "allocation__decision__request_id"
    )
    found: dict[int, tuple] = {}
    for handoffs in (
        ours.filter(decision_date__range=(start, end)),
        earlier.filter(
            Q(acknowledged_at__isnull=True) | Q(acknowledged_at__gte=after_end), due_date__lt=end
        ),
        payment_due_by_end.filter(request__status__in=OPEN_STATUSES),
        payment_due_by_end.filter(request_id__in=paid_after_end),
    ):
        for pk, *row in handoffs.order_by().values_list(
            "pk",
            "request__community_id",
            "decision_date",
            "due_date",
            "payment_due_date",
            "acknowledged_at",
            "first_paid_on",
        ):
            found[pk] = tuple(row)
    return list(found.values())


def _timeliness(result: dict[int, Figures], ids: list[int], start: dt.date, end: dt.date) -> None:
    handoffs = _timeliness_rows(ids, start, end)
    for community_id, decided_on, due, payment_due, acknowledged_at, first_paid in handoffs:
        t = result[community_id].timeliness
        acknowledged = _local(acknowledged_at)
        if acknowledged is not None and acknowledged > end:
            acknowledged = None  # not known at the end of the period
        if first_paid is not None and first_paid > end:
            first_paid = None
        if decided_on < start:
            # An earlier approval: only whether it is still in breach at the end.
            if acknowledged is None and due < end:
                t.earlier_handoff_overdue += 1
            if first_paid is None and payment_due < end:
                t.earlier_payment_overdue += 1
            continue
        t.approvals += 1
        if acknowledged is not None:
            t.handoff_days.append(working_days_between(decided_on, acknowledged))
            if acknowledged <= due:
                t.handoff_on_time += 1
            else:
                t.handoff_late += 1
        elif due < end:
            t.handoff_overdue += 1
        else:
            t.handoff_pending += 1
        if first_paid is not None:
            t.payment_days.append(working_days_between(decided_on, first_paid))
            if paid_on_time(first_paid, payment_due):
                t.payment_on_time += 1
            else:
                t.payment_late += 1
        elif payment_due < end:
            t.payment_overdue += 1
        else:
            t.payment_pending += 1


def _attendance(result: dict[int, Figures], ids: list[int], start: dt.date, end: dt.date) -> None:
    meetings: dict[int, list[int]] = defaultdict(list)
    for pk, community_id in Meeting.objects.filter(
        community_id__in=ids, date__range=(start, end)
    ).values_list("pk", "community_id"):
        meetings[community_id].append(pk)
    schools: dict[int, dict[int, AttendanceRow]] = defaultdict(dict)
    for pk, name, community_id in School.objects.filter(
        community_id__in=ids, kind=School.Kind.MAINSTREAM, is_open=True
    ).values_list("pk", "name", "community_id"):
        schools[community_id][pk] = AttendanceRow(school=name)
    recorded: Counter = Counter()
    rows = Attendance.objects.filter(
        meeting__community_id__in=ids, meeting__date__range=(start, end)
    ).values_list("meeting__community_id", "school_id", "school__name", "status")
    for community_id, school_id, name, status in rows:
        row = schools[community_id].setdefault(school_id, AttendanceRow(school=name))
        setattr(row, status, getattr(row, status) + 1)
        recorded[(community_id, school_id)] += 1
    for community_id in ids:
        held = len(meetings[community_id])
        result[community_id].meetings = held
        for school_id, row in schools[community_id].items():
            row.not_recorded = max(held - recorded[(community_id, school_id)], 0)
        result[community_id].attendance = sorted(
            schools[community_id].values(), key=lambda row: row.school
        )


def report_figures(
    *,
    area_id: int | None = None,
    community_id: int | None = None,
    start: dt.date,
    end: dt.date,
    as_at: dt.date | None = None,
) -> ReportFigures:
    """Everything a report on an area (a section per CoS) or on one CoS shows."""
    period = Period(start, end, as_at if as_at is not None and as_at < end else None)
    if area_id is not None:
        from communities.models import Area

        area = Area.objects.get(pk=area_id)
        communities = list(CommunityOfSchools.objects.filter(area_id=area_id).order_by("name"))
        title = f"{area.name} area"
    else:
        communities = [CommunityOfSchools.objects.select_related("area").get(pk=community_id)]
        title = communities[0].name
    by_cos = figures_for(communities, period)
    sections = [by_cos[c.pk] for c in communities]
    total = Figures(name="All Communities of Schools" if area_id else title)
    for figures in sections:
        total.merge(figures)
    if area_id is None:
        total = sections[0]
        hide_small_counts(sections)
    else:
        hide_small_counts([*sections, total], [(total, sections)])
    return ReportFigures(
        period=period, title=title, sections=sections, total=total, is_area=area_id is not None
    )


@dataclass
class KentFigures:
    """A Kent-wide report: Kent in all, then each area with its CoS side by side."""

    period: Period
    areas: list[ReportFigures]
    total: Figures
    title: str = "Kent"


def kent_report_figures(
    *, start: dt.date, end: dt.date, as_at: dt.date | None = None
) -> KentFigures:
    """Every CoS's figures for the period, in one pass, grouped by area; each area's and
    Kent's totals; the small-number rule applied across all of them."""
    period = Period(start, end, as_at if as_at is not None and as_at < end else None)
    communities = list(
        CommunityOfSchools.objects.select_related("area").order_by("area__name", "name")
    )
    by_cos = figures_for(communities, period)
    by_area: dict[int, ReportFigures] = {}
    for community in communities:
        if community.area_id not in by_area:
            title = f"{community.area.name} area"
            by_area[community.area_id] = ReportFigures(
                period=period, title=title, sections=[], total=Figures(name=title), is_area=True
            )
        area = by_area[community.area_id]
        area.sections.append(by_cos[community.pk])
        area.total.merge(by_cos[community.pk])
    areas = list(by_area.values())
    kent = Figures(name="Kent")
    for area in areas:
        kent.merge(area.total)
    hide_small_counts(
        [*(s for a in areas for s in a.sections), *(a.total for a in areas), kent],
        [*((a.total, a.sections) for a in areas), (kent, [a.total for a in areas])],
    )
    return KentFigures(period=period, areas=areas, total=kent)
