"""Bar charts as SVG made on the server: no JavaScript, the same markup on screen and in
the PDF. Colours and fonts are attributes, not ``style``, so the page's Content Security
Policy (no inline style) allows them. Each chart names itself for screen readers, and the
page shows the same figures in a table beside it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from kentlocality.templatetags.formatting import format_money, percent

from .figures import Figures

BLUE = "#1d70b8"
GREEN = "#00703c"
PURPLE = "#4c2c92"
GREY = "#505a5f"
RED = "#d4351c"
TEXT = "#0b0c0c"
FONT = "Arial, Helvetica, sans-serif"

WIDTH = 740
LABEL_WIDTH = 270
BAR_WIDTH = 340
ROW = 30
BAR = 20
FONT_SIZE = 15


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal | int | float | None  # None: not drawn (a hidden small number)
    text: str
    colour: str = BLUE


def bar_chart(*, chart_id: str, title: str, bars: list[Bar], scale: float | None = None) -> str:
    """A horizontal bar chart. ``scale`` is the value of a full-length bar (the largest
    value when not given)."""
    values = [float(b.value) for b in bars if b.value is not None]
    top = scale if scale is not None else max([v for v in values if v > 0] or [1.0])
    height = len(bars) * ROW + 8
    rows = []
    for index, bar in enumerate(bars):
        y = 4 + index * ROW
        value = float(bar.value) if bar.value is not None else 0.0
        length = round(max(0.0, min(value / top, 1.0)) * BAR_WIDTH, 1) if top else 0
        text_x = LABEL_WIDTH + length + 6
        # Built as text, escaping only the words: format_html's escaping of every number
        # cost an Area Board page hundreds of calls (bench/NOTES.md).
        rows.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 19}" text-anchor="end" font-family="{FONT}" '
            f'font-size="{FONT_SIZE}" fill="{TEXT}">{conditional_escape(bar.label)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y + (ROW - BAR) / 2}" width="{length}" height="{BAR}" '
            f'fill="{conditional_escape(bar.colour)}"></rect>'
            f'<text x="{text_x}" y="{y + 19}" font-family="{FONT}" font-size="{FONT_SIZE}" '
            f'fill="{TEXT}">{conditional_escape(bar.text)}</text>'
        )
    chart_id, title = conditional_escape(chart_id), conditional_escape(title)
    return mark_safe(  # noqa: S308 (every text above is escaped; the rest are numbers)
        f'<svg xmlns="http://www.w3.org/2000/svg" class="kent-chart" width="{WIDTH}" '
        f'height="{height}" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{chart_id}-title"><title id="{chart_id}-title">{title}</title>'
        f'<line x1="{LABEL_WIDTH}" y1="0" x2="{LABEL_WIDTH}" y2="{height}" stroke="{GREY}" '
        f'stroke-width="1"></line>{"".join(rows)}</svg>'
    )


def budget_chart(figures: Figures, chart_id: str) -> SafeString | str:
    budget = figures.budget
    if budget is None:
        return ""
    return bar_chart(
        chart_id=chart_id,
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


def outcome_chart(figures: Figures, chart_id: str) -> SafeString | str:
    result = figures.outcome_breakdown
    if not result.total or result.withheld:
        return ""
    return bar_chart(
        chart_id=chart_id,
        title=f"Decisions by outcome for {figures.name}",
        bars=[Bar(row.label, row.shown_count, row.count_text) for row in result.rows],
    )


def share_used_chart(sections: list[Figures], chart_id: str, name: str) -> SafeString | str:
    if not sections:
        return ""
    bars = []
    for figures in sections:
        used = figures.budget.share_used if figures.budget else None
        bars.append(
            Bar(
                figures.name,
                used,
                percent(used) if used is not None else "no budget",
                RED if used is not None and used > 1 else BLUE,
            )
        )
    top = max([float(b.value) for b in bars if b.value is not None] + [1.0])
    return bar_chart(
        chart_id=chart_id, title=f"Share of budget used by each CoS in {name}", bars=bars, scale=top
    )
