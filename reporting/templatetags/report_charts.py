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
            Bar("Committed (spend to date)", budget.committed, format_money(budget.committed)),
            Bar("Paid", budget.paid, format_money(budget.paid), GREEN),
            Bar(
                "Remaining",
                budget.remaining,
                format_money(budget.remaining),
                PURPLE if budget.remaining >= 0 else RED,
            ),
        ],
        scale=float(max(budget.total, budget.committed, budget.paid, Decimal(1))),
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
                percent(used) if used is not None else "no budget",
                RED if used is not None and used > 1 else BLUE,
            )
        )
    top = max([float(b.value) for b in bars if b.value is not None] + [1.0])
    return bar_chart(
        chart_id=f"{chart_id}-share",
        title=f"Share of budget used by each CoS in {figures.title}",
        bars=bars,
        scale=top,
    )
