import datetime as dt

import pytest

from kentlocality.models import ClosureDay
from kentlocality.tests.factories import ClosureDayFactory
from kentlocality.workdays import add_working_days, is_working_day, working_days_between

D = dt.date

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2026, 4, 3), False),  # Good Friday
        (D(2026, 4, 6), False),  # Easter Monday
        (D(2026, 4, 7), True),
        (D(2026, 12, 25), False),  # Christmas Day, a Friday
        (D(2026, 12, 26), False),  # Boxing Day, a Saturday
        (D(2026, 12, 28), False),  # Boxing Day (substitute day), Monday
        (D(2026, 12, 29), True),
        (D(2027, 12, 27), False),  # Christmas Day 2027 falls on Saturday: Monday substitute
        (D(2027, 12, 28), False),  # Boxing Day 2027 falls on Sunday: Tuesday substitute
        (D(2027, 1, 1), False),  # New Year's Day, a Friday
        (D(2028, 1, 3), False),  # New Year's Day 2028 is a Saturday: Monday substitute
        (D(2026, 11, 28), False),  # an ordinary Saturday
        (D(2026, 11, 27), True),  # an ordinary Friday
    ],
)
def test_is_working_day(day, expected):
    assert is_working_day(day) is expected


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2026, 11, 27), 0, D(2026, 11, 27)),
        (D(2026, 11, 23), 3, D(2026, 11, 26)),  # Monday + 3 = Thursday
        (D(2026, 11, 26), 3, D(2026, 12, 1)),  # Thursday + 3 crosses the weekend
        (D(2026, 11, 28), 1, D(2026, 11, 30)),  # Saturday: the day itself never counts
        (D(2026, 11, 29), 3, D(2026, 12, 2)),  # Sunday
        # Easter 2026: Thursday 2 April + 3 skips Good Friday, the weekend, Easter Monday.
        (D(2026, 4, 2), 3, D(2026, 4, 9)),
        (D(2026, 4, 3), 1, D(2026, 4, 7)),  # from the bank holiday itself
        # Christmas 2026 with the Boxing Day substitute on Monday 28 December.
        (D(2026, 12, 24), 1, D(2026, 12, 29)),
        (D(2026, 12, 23), 3, D(2026, 12, 30)),
        # Across the year end: 1 January 2027 is a Friday bank holiday.
        (D(2026, 12, 30), 3, D(2027, 1, 5)),
        # Christmas 2027: both substitutes (27 and 28 December).
        (D(2027, 12, 24), 1, D(2027, 12, 29)),
        (D(2027, 12, 24), 30, D(2028, 2, 9)),  # counted by hand
    ],
)
def test_add_working_days(start, n, expected):
    assert add_working_days(start, n) == expected


def test_add_then_count_agree_over_two_years():
    start = D(2026, 1, 1)
    for offset in range(0, 730, 7):
        day = start + dt.timedelta(days=offset)
        for n in (1, 3, 30):
            assert working_days_between(day, add_working_days(day, n)) == n


def test_working_days_between_counts_after_start_up_to_end():
    assert working_days_between(D(2026, 11, 23), D(2026, 11, 27)) == 4
    assert working_days_between(D(2026, 11, 27), D(2026, 11, 27)) == 0
    assert working_days_between(D(2026, 12, 24), D(2027, 1, 4)) == 4  # 29, 30, 31 Dec, 4 Jan
    assert working_days_between(D(2026, 11, 27), D(2026, 11, 23)) == -4


def test_closure_day_added_by_an_administrator_is_not_a_working_day():
    day = D(2026, 12, 1)
    assert is_working_day(day)
    ClosureDayFactory(date=day)
    assert not is_working_day(day)
    assert add_working_days(D(2026, 11, 30), 1) == D(2026, 12, 2)
    assert working_days_between(D(2026, 11, 30), D(2026, 12, 2)) == 1
    ClosureDay.objects.filter(date=day).delete()
    assert is_working_day(day)


def test_negative_n_is_refused():
    with pytest.raises(ValueError):
        add_working_days(D(2026, 1, 1), -1)
