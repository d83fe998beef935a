"""Kent's financial year runs from 1 April to 31 March and is named "2025-26". Quarters:
Q1 April-June, Q2 July-September, Q3 October-December, Q4 January-March."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

PENNY = Decimal("0.01")


def financial_year_of(day: dt.date) -> int:
    """The financial year containing day, named by the calendar year it starts in."""
    return day.year if day.month >= 4 else day.year - 1


def year_label(start_year: int) -> str:
    return f"{start_year}-{(start_year + 1) % 100:02d}"


def year_bounds(start_year: int) -> tuple[dt.date, dt.date]:
    return dt.date(start_year, 4, 1), dt.date(start_year + 1, 3, 31)


@dataclass(frozen=True)
class Quarter:
    year: int  # financial year's start year
    number: int  # 1..4

    @property
    def start(self) -> dt.date:
        month = 4 + (self.number - 1) * 3
        year = self.year if month <= 12 else self.year + 1
        return dt.date(year, (month - 1) % 12 + 1, 1)

    @property
    def end(self) -> dt.date:
        return self.next().start - dt.timedelta(days=1)

    @property
    def label(self) -> str:
        return f"Q{self.number} {year_label(self.year)}"

    def next(self) -> Quarter:
        return (
            Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)
        )

    def previous(self) -> Quarter:
        return (
            Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)
        )

    def __str__(self) -> str:
        return self.label


def quarter_of(day: dt.date) -> Quarter:
    year = financial_year_of(day)
    return Quarter(year, (day.month - 4) % 12 // 3 + 1)


def apportion_by_days(amount: Decimal, start: dt.date, end: dt.date) -> dict[int, Decimal]:
    """Split an award running from start to end (both days included) across financial
    years, pro rata by days. The pennies always add up to amount: the last year takes
    what rounding leaves."""
    if end < start:
        raise ValueError("end must not be before start")
    total_days = (end - start).days + 1
    shares: dict[int, Decimal] = {}
    allocated = Decimal("0.00")
    year = financial_year_of(start)
    last_year = financial_year_of(end)
    while year <= last_year:
        year_start, year_end = year_bounds(year)
        days = (min(end, year_end) - max(start, year_start)).days + 1
        if year == last_year:
            share = amount - allocated
        else:
            share = (amount * days / total_days).quantize(PENNY, rounding=ROUND_HALF_UP)
        shares[year] = share
        allocated += share
        year += 1
    return shares
