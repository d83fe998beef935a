"""The GOV.UK date filters give exactly what Django's ``date`` filter gives."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.template import Context, Template
from django.utils import timezone

from kentlocality.templatetags.formatting import format_date, format_datetime

UTC = dt.UTC
LONDON = zoneinfo.ZoneInfo("Europe/London")


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def test_dates():
    assert format_date(dt.date(2026, 11, 27)) == "27 November 2026"
    assert format_date(dt.date(2027, 1, 1)) == "1 January 2027"
    assert format_date(dt.date(2026, 5, 9)) == "9 May 2026"


def test_nothing_and_not_a_date():
    assert format_date(None) == ""
    assert format_date("") == ""
    assert format_date("2026-11-27") == ""
    assert format_datetime(None) == ""
    assert format_datetime(dt.date(2026, 11, 27)) == ""


def test_naive_datetime_is_taken_as_local():
    assert format_date(dt.datetime(2026, 11, 27, 23, 30)) == "27 November 2026"
    assert format_datetime(dt.datetime(2026, 11, 27, 9, 5)) == "27 November 2026, 09:05"


@pytest.mark.parametrize(
    ("utc", "date", "date_time"),
    [
        # GMT (winter): local time is UTC.
        (dt.datetime(2026, 1, 31, 23, 30, tzinfo=UTC), "31 January 2026", "31 January 2026, 23:30"),
        # The night the clocks go forward (29 March 2026, 01:00 UTC): 23:30 UTC on the
        # 28th is still GMT; 23:30 UTC on the 29th is 00:30 BST on the 30th.
        (dt.datetime(2026, 3, 28, 23, 30, tzinfo=UTC), "28 March 2026", "28 March 2026, 23:30"),
        (dt.datetime(2026, 3, 29, 0, 59, tzinfo=UTC), "29 March 2026", "29 March 2026, 00:59"),
        (dt.datetime(2026, 3, 29, 1, 0, tzinfo=UTC), "29 March 2026", "29 March 2026, 02:00"),
        (dt.datetime(2026, 3, 29, 23, 30, tzinfo=UTC), "30 March 2026", "30 March 2026, 00:30"),
        # BST (summer): an evening in UTC is the next day in London.
        (dt.datetime(2026, 6, 30, 23, 15, tzinfo=UTC), "1 July 2026", "1 July 2026, 00:15"),
        # The night the clocks go back (25 October 2026, 01:00 UTC).
        (
            dt.datetime(2026, 10, 24, 23, 30, tzinfo=UTC),
            "25 October 2026",
            "25 October 2026, 00:30",
        ),
        (dt.datetime(2026, 10, 25, 0, 30, tzinfo=UTC), "25 October 2026", "25 October 2026, 01:30"),
        (dt.datetime(2026, 10, 25, 1, 30, tzinfo=UTC), "25 October 2026", "25 October 2026, 01:30"),
        (
            dt.datetime(2026, 12, 31, 23, 59, tzinfo=UTC),
            "31 December 2026",
            "31 December 2026, 23:59",
        ),
    ],
)
def test_aware_datetimes_in_london_time(utc, date, date_time):
    assert format_date(utc) == date
    assert format_datetime(utc) == date_time
    # Another zone's datetime is shown in London time too.
    assert format_date(utc.astimezone(zoneinfo.ZoneInfo("America/New_York"))) == date


def test_same_as_djangos_date_filter_in_a_template():
    values = [
        None,
        "",
        dt.date(2026, 2, 3),
        dt.datetime(2026, 7, 4, 12, 0),
        *(
            dt.datetime(2026, 1, 1, 23, 30, tzinfo=UTC) + dt.timedelta(days=days)
            for days in range(0, 365, 7)
        ),
    ]
    for value in values:
        assert render("{{ v|govuk_date }}", v=value) == render("{{ v|date }}", v=value)
        assert render("{{ v|govuk_date }}", v=value) == render('{{ v|date:"j F Y" }}', v=value)
        if isinstance(value, dt.datetime) or value in (None, ""):
            assert render("{{ v|govuk_datetime }}", v=value) == render(
                '{{ v|date:"j F Y, H:i" }}', v=value
            )


def test_follows_the_current_time_zone():
    with timezone.override(zoneinfo.ZoneInfo("Asia/Tokyo")):
        assert format_date(dt.datetime(2026, 6, 30, 16, 0, tzinfo=UTC)) == "1 July 2026"
    assert format_date(dt.datetime(2026, 6, 30, 16, 0, tzinfo=LONDON)) == "30 June 2026"
