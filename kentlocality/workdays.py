"""Kent's working-day calendar: Monday to Friday, except bank holidays in England and
Wales and closure days an administrator adds.

"Within N working days of D" means by ``add_working_days(D, N)``: D itself never counts,
whatever day D is. Bank holidays come from the ``holidays`` package (subdivision
England). It lists both a holiday that falls at a weekend and its substitute weekday
("observed"); testing membership of a weekday is therefore right, and the weekend date
itself changes nothing because weekends are never working days.
"""

from __future__ import annotations

import datetime as dt
import time
from functools import lru_cache

import holidays

_CLOSURES_CACHE_SECONDS = 60
_closures_cache: tuple[float, frozenset[dt.date]] | None = None


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def _closure_days() -> frozenset[dt.date]:
    """Closure days from the database, cached briefly in the process; saving or deleting a
    ClosureDay clears the cache (see KentlocalityConfig.ready)."""
    global _closures_cache
    from .models import ClosureDay

    now = time.monotonic()
    if _closures_cache is None or now - _closures_cache[0] > _CLOSURES_CACHE_SECONDS:
        _closures_cache = (now, frozenset(ClosureDay.objects.values_list("date", flat=True)))
    return _closures_cache[1]


def clear_closure_cache() -> None:
    global _closures_cache
    _closures_cache = None


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year) and day not in _closure_days()


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The date n working days after start (start itself not counted). n >= 0; with n == 0
    the answer is start."""
    if n < 0:
        raise ValueError("n must not be negative")
    day = start
    remaining = n
    while remaining:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """How many working days fall after start, up to and including end.

    ``working_days_between(d, add_working_days(d, n)) == n``. Negative when end is before
    start (the number of working days from end up to start, negated)."""
    if end < start:
        return -working_days_between(end, start)
    total_days = (end - start).days
    full_weeks, extra = divmod(total_days, 7)
    weekdays = full_weeks * 5
    first_weekday = (start.weekday() + 1) % 7
    for offset in range(extra):
        if (first_weekday + offset) % 7 < 5:
            weekdays += 1
    closed = {
        d
        for year in range(start.year, end.year + 1)
        for d in _bank_holidays(year) | _closure_days()
        if start < d <= end and d.weekday() < 5
    }
    return weekdays - len(closed)
