"""The chart of a budget position on a Community of Schools' budget page."""

from __future__ import annotations

from django import template

from kentlocality.charts import BLUE, GREEN, GREY, Bar, BarChart, summary_chart
from kentlocality.templatetags.formatting import format_pounds

from ..selectors import BudgetPosition

register = template.Library()


@register.simple_tag
def position_chart(position: BudgetPosition) -> BarChart:
    """Total, committed this year and paid this year, on one scale, to the nearest pound
    as the position beside it; the description gives each figure and what remains."""
    position = position.in_whole_pounds
    bars = [
        Bar("Total budget", position.total, format_pounds(position.total), GREY),
        Bar("Committed this year", position.committed, format_pounds(position.committed), BLUE),
        Bar("Paid this year", position.paid, format_pounds(position.paid), GREEN),
    ]
    description = "".join(f"{bar.label} {bar.text}. " for bar in bars)
    return summary_chart(
        chart_id="position-chart",
        title=f"Budget {position.year_label}: total, committed and paid this year",
        description=f"{description}Remaining {format_pounds(position.remaining)}.",
        bars=bars,
    )
