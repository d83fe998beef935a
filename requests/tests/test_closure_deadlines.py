"""Closure days added after a deadline was set move the open deadlines they fall in, with a
note on the timeline; met deadlines and closed requests keep theirs (issue 18, item 16)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from communities.tests.factories import make_kcc, make_officer
from kentlocality.models import ClosureDay
from kentlocality.workdays import add_working_days, clear_closure_cache
from requests.models import Handoff
from requests.workflow import Action
from tests.worlds.steps import acknowledged, approved, clock, paid

pytestmark = pytest.mark.django_db

# A Monday with no bank holiday in the next three working days.
MEETING = dt.date(2027, 3, 1)
CLOSED = dt.date(2027, 3, 3)  # the Wednesday: inside the 3 working days and the 30


@pytest.fixture(autouse=True)
def _fresh_calendar():
    clear_closure_cache()
    yield
    clear_closure_cache()


def _approved_on_the_meeting_day():
    with clock(MEETING):
        request = approved()
    return request, Handoff.objects.get(request=request)


def test_a_closure_day_moves_an_open_hand_off_and_payment_deadline_with_a_timeline_note():
    request, handoff = _approved_on_the_meeting_day()
    assert handoff.due_date == dt.date(2027, 3, 4)
    payment_due_before = handoff.payment_due_date

    ClosureDay.objects.create(date=CLOSED, description="Council closure")

    handoff.refresh_from_db()
    assert handoff.due_date == dt.date(2027, 3, 5)
    assert handoff.payment_due_date == add_working_days(MEETING, 30)
    assert handoff.payment_due_date == add_working_days(payment_due_before, 1)
    note = request.events.get(action=Action.MOVE_DEADLINES).note
    assert "Closure day: 3 March 2027 (Council closure)" in note
    assert "hand-off now due 5 March 2027 (was 4 March 2027)" in note
    assert "payment now due" in note


def test_a_met_hand_off_deadline_stays_while_the_unpaid_payment_moves():
    request, handoff = _approved_on_the_meeting_day()
    officer = make_officer(request.community.area)
    with clock(MEETING + dt.timedelta(days=1)):
        acknowledged(request, officer=officer)
    handoff.refresh_from_db()
    hand_off_due, payment_due = handoff.due_date, handoff.payment_due_date

    ClosureDay.objects.create(date=CLOSED, description="Council closure")

    handoff.refresh_from_db()
    assert handoff.due_date == hand_off_due
    assert handoff.payment_due_date == add_working_days(payment_due, 1)
    note = request.events.get(action=Action.MOVE_DEADLINES).note
    assert "hand-off" not in note and "payment now due" in note


def test_a_closed_request_and_a_later_closure_day_move_nothing():
    request, handoff = _approved_on_the_meeting_day()
    officer = make_officer(request.community.area)
    with clock(MEETING + dt.timedelta(days=1)):
        acknowledged(request, officer=officer)
        paid(request, request.amount, officer=officer)
    request.refresh_from_db()
    assert request.status == "closed"
    other, other_handoff = _approved_on_the_meeting_day()
    before = {h.pk: (h.due_date, h.payment_due_date) for h in Handoff.objects.all()}

    ClosureDay.objects.create(date=CLOSED, description="Council closure")
    ClosureDay.objects.create(
        date=other_handoff.payment_due_date + dt.timedelta(days=7), description="After"
    )

    handoff.refresh_from_db()
    assert (handoff.due_date, handoff.payment_due_date) == before[handoff.pk]
    assert not request.events.filter(action=Action.MOVE_DEADLINES).exists()
    other_handoff.refresh_from_db()
    # The open one moved for the first day only: the second is after both its deadlines.
    assert other_handoff.due_date == dt.date(2027, 3, 5)
    assert other.events.filter(action=Action.MOVE_DEADLINES).count() == 1


def test_a_closure_day_added_in_the_admin_says_what_it_does_and_taking_it_away_moves_back(
    client,
):
    request, handoff = _approved_on_the_meeting_day()
    client.force_login(make_kcc(email="kcc-admin@example.org"))
    add = reverse("admin:kentlocality_closureday_add")
    assert "moves every open deadline it falls in" in client.get(add).content.decode()

    response = client.post(
        add, {"date": "03/03/2027", "description": "Council closure"}, follow=True
    )
    assert response.status_code == 200
    handoff.refresh_from_db()
    assert handoff.due_date == dt.date(2027, 3, 5)

    closure = ClosureDay.objects.get(date=CLOSED)
    client.post(reverse("admin:kentlocality_closureday_delete", args=[closure.pk]), {"post": "yes"})
    assert not ClosureDay.objects.exists()
    handoff.refresh_from_db()
    assert handoff.due_date == dt.date(2027, 3, 4)
    notes = list(request.events.filter(action=Action.MOVE_DEADLINES).values_list("note", flat=True))
    assert len(notes) == 2 and notes[1].startswith("Closure day taken away: 3 March 2027")
