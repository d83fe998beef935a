"""The quarter-to-date figures through the shared cache: worked out once in a few minutes,
shown with the time they stand at, and never one place's figures on another's page."""

import datetime as dt
import pickle

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from communities.tests.factories import CommunityFactory, SchoolFactory, area, make_board
from reporting import selectors
from reporting.selectors import CURRENT_SECONDS, PAST_SECONDS, FiguresAsAt, figures_to_date
from tests.worlds.steps import submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def places():
    north, east = area("North"), area("East")
    ashdown = CommunityFactory(name="Ashdown CoS", area=north)
    eastry = CommunityFactory(name="Eastry CoS", area=east)
    return {
        "north": north,
        "east": east,
        "ashdown": ashdown,
        "eastry": eastry,
        "school": SchoolFactory(community=ashdown),
        "board": make_board(north),
        "board_east": make_board(east),
    }


@pytest.fixture
def computed(monkeypatch):
    """Counts the times the figures are really worked out."""
    calls = []
    real = selectors.report_figures

    def counting(**kwargs):
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(selectors, "report_figures", counting)
    return calls


def board_page(client, user, area_):
    client.force_login(user)
    return client.get(reverse("reporting:board", args=[area_.pk]))


def test_the_board_page_says_when_its_figures_were_worked_out(client, places):
    before = timezone.now().replace(microsecond=0)
    response = board_page(client, places["board"], places["north"])
    as_at = response.context["as_at"]
    assert before <= as_at <= timezone.now()
    local = timezone.localtime(as_at)
    assert (
        f"Figures as at {local:%H:%M} on {local.day} {local:%B %Y}. They are worked out again "
        "when more than 5 minutes old." in response.content.decode()
    )


def test_a_cos_page_says_when_its_figures_were_worked_out(client, places):
    client.force_login(places["board"])
    response = client.get(reverse("reporting:community", args=[places["ashdown"].pk]))
    assert "Figures as at " in response.content.decode()


def test_the_figures_are_worked_out_once_in_a_few_minutes(client, places, computed):
    first = board_page(client, places["board"], places["north"])
    assert first.context["total"].received == 0
    submitted(school=places["school"])
    again = board_page(client, places["board"], places["north"])
    # The same figures, and the same time, until the entry is replaced.
    assert len(computed) == 1
    assert again.context["total"].received == 0
    assert again.context["as_at"] == first.context["as_at"]
    cache.clear()  # as when the entry has lived its few minutes
    fresh = board_page(client, places["board"], places["north"])
    assert len(computed) == 2
    assert fresh.context["total"].received == 1
    assert fresh.context["as_at"] > first.context["as_at"]


def test_another_areas_board_member_is_refused_even_when_the_figures_are_cached(
    client, places, computed
):
    assert board_page(client, places["board"], places["north"]).status_code == 200
    assert board_page(client, places["board_east"], places["north"]).status_code == 404


def test_each_area_is_shown_its_own_figures(client, places, computed):
    submitted(school=places["school"])
    north = board_page(client, places["board"], places["north"])
    east = board_page(client, places["board_east"], places["east"])
    assert len(computed) == 2  # one entry each: East did not read North's
    assert north.context["total"].received == 1
    assert east.context["total"].received == 0
    east_html = east.content.decode()
    assert "Eastry CoS" in east_html and "Ashdown CoS" not in east_html
    assert "Ashdown CoS" not in str([s["figures"].name for s in east.context["sections"]])


def test_a_cos_entry_is_never_read_as_an_area_with_the_same_id(places, computed):
    period = {
        "start": dt.date(2026, 4, 1),
        "end": dt.date(2026, 6, 30),
        "today": dt.date(2026, 5, 1),
    }
    cos = places["ashdown"]
    found = figures_to_date(community_id=cos.pk, **period)
    assert found.figures.title == "Ashdown CoS"
    assert cache.get(selectors.figures_key(kind="community", pk=cos.pk, **period)) == found
    assert cache.get(selectors.figures_key(kind="area", pk=cos.pk, **period)) is None
    figures_to_date(area_id=places["north"].pk, **period)
    figures_to_date(community_id=cos.pk, **period)
    assert len(computed) == 2


def test_the_key_names_the_version_the_place_the_period_and_the_day():
    key = selectors.figures_key(
        kind="area",
        pk=3,
        start=dt.date(2026, 4, 1),
        end=dt.date(2026, 6, 30),
        today=dt.date(2026, 5, 1),
    )
    assert key == f"reporting:figures:{selectors.VERSION}:area:3:20260401:20260630:20260501"


def test_the_shape_of_the_figures_is_part_of_the_version(monkeypatch):
    from reporting import figures

    before = selectors._shape()

    @figures.dataclass
    class Timeliness(figures.Timeliness):
        a_new_measure: int = 0

    monkeypatch.setattr(selectors, "Timeliness", Timeliness)
    assert selectors._shape() != before


class RecordingCache:
    def __init__(self):
        self.timeouts = []

    def get(self, key):
        return None

    def set(self, key, value, timeout):
        self.timeouts.append(timeout)


def test_the_quarter_to_date_is_kept_for_minutes_and_a_past_period_longer(places, monkeypatch):
    recording = RecordingCache()
    monkeypatch.setattr(selectors, "cache", recording)
    place = {
        "area_id": places["north"].pk,
        "start": dt.date(2026, 4, 1),
        "end": dt.date(2026, 6, 30),
    }
    figures_to_date(today=dt.date(2026, 5, 1), **place)
    figures_to_date(today=dt.date(2026, 6, 30), **place)
    figures_to_date(today=dt.date(2026, 7, 1), **place)
    assert recording.timeouts == [CURRENT_SECONDS, CURRENT_SECONDS, PAST_SECONDS]
    assert CURRENT_SECONDS == 5 * 60


def test_the_figures_survive_the_trip_through_redis(places):
    submitted(school=places["school"])
    today = timezone.localdate()
    found = figures_to_date(area_id=places["north"].pk, start=today, end=today, today=today)
    back = pickle.loads(pickle.dumps(found))  # noqa: S301 (our own bytes, as Redis would hold)
    assert isinstance(back, FiguresAsAt)
    assert back.figures.total.received == 1
    assert back.figures.total.requested_amount == found.figures.total.requested_amount
    assert back.figures.sections[0].awards.amounts["anything"] == 0
