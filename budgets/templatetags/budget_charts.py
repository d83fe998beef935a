"""The chart of a budget position on a Community of Schools' budget page."""

from __future__ import annotations

from django import template

from kentlocality.charts import BLUE, GREEN, GREY, Bar, BarChart, summary_chart
from kentlocality.templatetags.formatting import format_money

from ..selectors import BudgetPosition

register = template.Library()


@register.simple_tag
def position_chart(position: BudgetPosition) -> BarChart:
    """Total, spend to date (committed) and paid, on one scale; the description gives
    each figure and what remains."""
    bars = [
        Bar("Total budget", position.total, format_money(position.total), GREY),
        Bar("Spend to date", position.committed, format_money(position.committed), BLUE),
        Bar("Paid", position.paid, format_money(position.paid), GREEN),
    ]
    description = "".join(f"{bar.label} {bar.text}. " for bar in bars)
    return summary_chart(
        chart_id="position-chart",
        title=f"Budget {position.year_label}: total, spend to date and paid",
        description=f"{description}Remaining {format_money(position.remaining)}.",
        bars=bars,
    )
