"""The Kent overview's chart: each CoS's share of its budget used, with a title and a
summary in words (the same figures as the table beside it, rounded the same way)."""

from __future__ import annotations

from django import template

from kentlocality.charts import BLUE, RED, Bar, BarChart, bar_chart
from kentlocality.templatetags.formatting import percent

from ..overview import Overview, OverviewRow

register = template.Library()

PLACES = 1  # the table's share used: 12.3%


@register.simple_tag
def share_used_text(row: OverviewRow) -> str:
    used = row.share_used
    return "no budget set" if used is None else percent(used, PLACES)


@register.simple_tag
def overview_chart(overview: Overview, rows: list[OverviewRow]) -> BarChart | None:
    if not rows:
        return None
    bars = [
        Bar(
            row.name,
            row.share_used,
            share_used_text(row),
            RED if row.share_used is not None and row.share_used > 1 else BLUE,
        )
        for row in rows
    ]
    top = max([float(b.value) for b in bars if b.value is not None] + [1.0])
    chart = bar_chart(
        chart_id="kent-share-used",
        title=f"Share of budget used by each Community of Schools, {overview.year_label}",
        bars=bars,
        scale=top,
        description=overview_summary(overview),
    )
    return chart


@register.simple_tag
def overview_summary(overview: Overview) -> str:
    """The chart in words: how many CoS, the share Kent has used, the highest and lowest,
    and how many have committed more than their budget."""
    with_budget = [row for row in overview.rows if row.share_used is not None]
    parts = [
        f"{len(overview.rows)} Communities of Schools; together they have committed "
        f"{share_used_text(overview.kent)} of their budgets for {overview.year_label}."
    ]
    if with_budget:
        high = max(with_budget, key=lambda row: row.share_used)
        low = min(with_budget, key=lambda row: row.share_used)
        parts.append(
            f"Highest: {high.name}, {share_used_text(high)}. "
            f"Lowest: {low.name}, {share_used_text(low)}."
        )
        over = sum(1 for row in with_budget if row.share_used > 1)
        parts.append(
            "None has committed more than its budget."
            if not over
            else f"{over} {'has' if over == 1 else 'have'} committed more than its budget."
        )
    without = len(overview.rows) - len(with_budget)
    if without:
        parts.append(f"{without} {'has' if without == 1 else 'have'} no budget set.")
    return " ".join(parts)
