import datetime as dt
from decimal import Decimal

import pytest

from kentlocality.financial_years import (
    Quarter,
    apportion_by_days,
    financial_year_of,
    quarter_of,
    year_label,
)

D = dt.date


def test_financial_year_runs_april_to_march():
    assert financial_year_of(D(2026, 3, 31)) == 2025
    assert financial_year_of(D(2026, 4, 1)) == 2026
    assert year_label(2025) == "2025-26"
    assert year_label(2099) == "2099-00"


@pytest.mark.parametrize(
    ("day", "label", "start", "end"),
    [
        (D(2026, 4, 1), "Q1 2026-27", D(2026, 4, 1), D(2026, 6, 30)),
        (D(2026, 9, 30), "Q2 2026-27", D(2026, 7, 1), D(2026, 9, 30)),
        (D(2026, 12, 31), "Q3 2026-27", D(2026, 10, 1), D(2026, 12, 31)),
        (D(2027, 1, 1), "Q4 2026-27", D(2027, 1, 1), D(2027, 3, 31)),
        (D(2027, 3, 31), "Q4 2026-27", D(2027, 1, 1), D(2027, 3, 31)),
    ],
)
def test_quarters(day, label, start, end):
    quarter = quarter_of(day)
    assert (quarter.label, quarter.start, quarter.end) == (label, start, end)


def test_quarter_steps():
    assert Quarter(2026, 4).next() == Quarter(2027, 1)
    assert Quarter(2026, 1).previous() == Quarter(2025, 4)


def test_award_from_1_february_to_31_july_splits_between_two_years_by_days():
    # 1 Feb - 31 Mar 2027: 59 days; 1 Apr - 31 Jul 2027: 122 days; 181 in all.
    shares = apportion_by_days(Decimal("18100.00"), D(2027, 2, 1), D(2027, 7, 31))
    assert shares == {2026: Decimal("5900.00"), 2027: Decimal("12200.00")}


def test_apportionment_pennies_add_up():
    shares = apportion_by_days(Decimal("1000.00"), D(2026, 1, 15), D(2028, 5, 3))
    assert sum(shares.values()) == Decimal("1000.00")
    assert list(shares) == [2025, 2026, 2027, 2028]


def test_award_within_one_year():
    assert apportion_by_days(Decimal("5000"), D(2026, 9, 1), D(2027, 3, 31)) == {
        2026: Decimal("5000")
    }
