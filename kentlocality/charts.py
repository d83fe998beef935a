"""Horizontal bar charts drawn on the server as SVG: no JavaScript, the same markup on
screen and in a PDF. Colours and fonts are attributes, not ``style``, so the pages'
Content Security Policy (no inline style) allows them. Each chart names itself for screen
readers, and its page shows the same figures beside it.

The one chart module of the service. Its functions place the bars; the templates under
``kentlocality/charts/`` draw them. There are two looks, each as it has always been:

- ``bar_chart`` (the reports: the Area Board's and a CoS's pages and the report PDFs):
  labels right-aligned against an axis, the value after each bar; drawn by
  ``kentlocality/charts/bar_chart.svg`` inside a line of its page.
- ``summary_chart`` (a CoS's budget page): a few bars on one scale, labels at the
  left, the value after each bar and a description read out after the title; drawn as
  a figure by ``kentlocality/charts/summary_chart.html``.

Who draws a chart writes each bar's ``text`` (a sum of money, a count, a share) the way
its page writes that figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

# GOV.UK colours; each passes WCAG 1.4.11 (3:1) against white.
BLUE = "#1d70b8"
GREEN = "#00703c"
PURPLE = "#4c2c92"
GREY = "#505a5f"
RED = "#d4351c"


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal | int | float | None  # None: not drawn (a hidden small number)
    text: str  # written after the bar
    colour: str = BLUE


@dataclass(frozen=True)
class PlacedBar:
    label: str
    text: str
    colour: str
    y: int | float  # the top of the bar
    length: int | float
    text_x: int | float  # where the text after the bar starts
    text_y: int  # the baseline of the label and of the text


@dataclass(frozen=True)
class BarChart:
    chart_id: str  # the ids of its title (and description) start with it
    title: str
    width: int
    height: int
    label_width: int  # the bars start here
    bar_height: int
    bars: list[PlacedBar]
    description: str = ""

    @property
    def label_x(self) -> int:
        """Where a label right-aligned before the axis ends."""
        return self.label_width - 8


# The reports' look.
WIDTH = 740
LABEL_WIDTH = 270
BAR_WIDTH = 340
ROW = 30
BAR = 20


def bar_chart(
    *,
    chart_id: str,
    title: str,
    bars: list[Bar],
    scale: float | None = None,
    description: str = "",
) -> BarChart:
    """A chart in the reports' look. ``scale`` is the value of a full-length bar (the
    largest value when not given); ``description`` says what it shows in words."""
    values = [float(b.value) for b in bars if b.value is not None]
    top = scale if scale is not None else max([v for v in values if v > 0] or [1.0])
    placed = []
    for index, bar in enumerate(bars):
        y = 4 + index * ROW
        value = float(bar.value) if bar.value is not None else 0.0
        length = round(max(0.0, min(value / top, 1.0)) * BAR_WIDTH, 1) if top else 0
        placed.append(
            PlacedBar(
                label=bar.label,
                text=bar.text,
                colour=bar.colour,
                y=y + (ROW - BAR) / 2,
                length=length,
                text_x=LABEL_WIDTH + length + 6,
                text_y=y + 19,
            )
        )
    return BarChart(
        chart_id=chart_id,
        title=title,
        width=WIDTH,
        height=len(bars) * ROW + 8,
        label_width=LABEL_WIDTH,
        bar_height=BAR,
        bars=placed,
        description=description,
    )


# The budget page's look.
SUMMARY_WIDTH = 640
SUMMARY_LABEL_WIDTH = 170
SUMMARY_BAR_SPACE = SUMMARY_WIDTH - SUMMARY_LABEL_WIDTH - 110
SUMMARY_ROW = 44
SUMMARY_BAR = 28


def summary_chart(*, chart_id: str, title: str, description: str, bars: list[Bar]) -> BarChart:
    """A chart in the budget page's look: every bar on the scale of the largest, and at
    least a pixel long when its value is not zero."""
    scale = max([bar.value for bar in bars] + [Decimal("1")])
    placed = []
    for index, bar in enumerate(bars):
        y = 10 + index * SUMMARY_ROW
        length = max(
            int(SUMMARY_BAR_SPACE * max(bar.value, Decimal("0")) / scale), 1 if bar.value else 0
        )
        placed.append(
            PlacedBar(
                label=bar.label,
                text=bar.text,
                colour=bar.colour,
                y=y,
                length=length,
                text_x=SUMMARY_LABEL_WIDTH + length + 8,
                text_y=y + SUMMARY_BAR // 2 + 6,
            )
        )
    return BarChart(
        chart_id=chart_id,
        title=title,
        width=SUMMARY_WIDTH,
        height=10 + len(bars) * SUMMARY_ROW,
        label_width=SUMMARY_LABEL_WIDTH,
        bar_height=SUMMARY_BAR,
        bars=placed,
        description=description,
    )
