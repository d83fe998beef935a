"""The reports' charts (kentlocality.charts, drawn by kentlocality/charts/bar_chart.svg):
a place's budget and its decisions by outcome, and each CoS's share of its budget used."""

from __future__ import annotations

from decimal import Decimal

from django import template

from kentlocality.charts import BLUE, GREEN, GREY, PURPLE, RED, Bar, BarChart, bar_chart
from kentlocality.templatetags.formatting import format_money, percent

from ..figures import Figures, ReportFigures

register = template.Library()


@register.simple_tag
def budget_chart(figures: Figures, chart_id: str) -> BarChart | None:
    budget = figures.budget
    if budget is None:
        return None
    return bar_chart(
        chart_id=f"{chart_id}-budget",
        title=f"Budget {budget.year_label} for {figures.name}: total, committed, paid and remaining",
        bars=[
            Bar("Total budget", budget.total, format_money(budget.total), GREY),
            Bar("Committed this year", budget.committed, format_money(budget.committed)),
            Bar("Paid", budget.paid, format_money(budget.paid), GREEN),
            Bar(
                "Remaining",
                budget.remaining,
                format_money(budget.remaining),
                PURPLE if budget.remaining >= 0 else RED,
            ),
        ],
        scale=float(max(budget.total, budget.committed, budget.paid, Decimal(1))),
        description=(
            f"Of a budget of {format_money(budget.total)}, {format_money(budget.committed)} "
            f"is committed ({_share(budget.share_used)}) and {format_money(budget.paid)} paid; "
            f"{format_money(budget.remaining)} remains."
        ),
    )


@register.simple_tag
def outcome_chart(figures: Figures, chart_id: str) -> BarChart | None:
    result = figures.outcome_breakdown
    if not result.total or result.withheld:
        return None
    return bar_chart(
        chart_id=f"{chart_id}-outcomes",
        title=f"Decisions by outcome for {figures.name}",
        bars=[Bar(row.label, row.shown_count, row.count_text) for row in result.rows],
        description="; ".join(f"{row.label}: {row.count_text}" for row in result.rows) + ".",
    )


@register.simple_tag
def share_used_chart(figures: ReportFigures, chart_id: str) -> BarChart | None:
    """An area's CoS side by side."""
    if not figures.is_area or not figures.sections:
        return None
    bars = []
    for section in figures.sections:
        used = section.budget.share_used if section.budget else None
        bars.append(
            Bar(
                section.name,
                used,
                _share(used) if used is not None else "no budget",
                RED if used is not None and used > 1 else BLUE,
            )
        )
    top = max([float(b.value) for b in bars if b.value is not None] + [1.0])
    used = [s for s in figures.sections if s.budget is not None and s.budget.share_used is not None]
    if used:
        high = max(used, key=lambda s: s.budget.share_used)
        low = min(used, key=lambda s: s.budget.share_used)
        over = sum(1 for s in used if s.budget.share_used > 1)
        description = (
            f"Highest: {high.name}, {_share(high.budget.share_used)}. Lowest: {low.name}, "
            f"{_share(low.budget.share_used)}. "
            + (
                "None has committed more than its budget."
                if not over
                else f"{over} committed more than their budget."
            )
        )
    else:
        description = "No Community of Schools has a budget set for the year."
    return bar_chart(
        chart_id=f"{chart_id}-share",
        title=f"Share of budget used by each CoS in {figures.title}",
        bars=bars,
        scale=top,
        description=description,
    )


def _share(value: Decimal | None) -> str:
    """A share used, rounded as the tables round it (one decimal place)."""
    return percent(value, 1)
