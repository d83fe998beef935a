"""Clocks start at the meeting: a decision made at a meeting is dated by the meeting, however
many days later the chair types it in, and the hand-off (3 working days) and payment (30
working days) clocks, the budget and the reports all follow that date. A decision typed in
after its hand-off was due is flagged late at once. Interim decisions are dated the day
they are made."""

import datetime as dt

import pytest

from budgets.selectors import budget_position
from communities.tests.factories import make_kcc, make_officer
from kentlocality.workdays import clear_closure_cache
from reporting.figures import Period, figures_for
from requests.models import Handoff, Notification
from requests.services import RequestError, decision_record
from requests.services.decisions import Award
from requests.services.handoffs import handoff_flag_breaches
from requests.tests.factories import DraftFactory
from requests.workflow import Status
from tests.worlds.steps import (
    approval,
    budgeted,
    clock,
    decided,
    interim_decided,
    on_agenda,
    scheduled,
    submitted,
)

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture(autouse=True)
def _calendar():
    clear_closure_cache()
    yield
    clear_closure_cache()


def _on_agenda_of_meeting_on(meeting_day: dt.date):
    """A request submitted a week before the meeting and put on its agenda then."""
    with clock(meeting_day - dt.timedelta(days=7)):
        request = submitted()
        meeting = scheduled(request.community, date=meeting_day)
        item = on_agenda(request, meeting=meeting)
    return item


@pytest.mark.parametrize(
    ("meeting_day", "typed_in", "due", "payment_due"),
    [
        # Across a weekend: a Thursday meeting typed in on the Monday after. Friday, Monday,
        # Tuesday are the three working days.
        (D(2026, 12, 3), D(2026, 12, 7), D(2026, 12, 8), D(2027, 1, 19)),
        # Across Christmas bank holidays (Friday 25, Monday 28 for Boxing Day): typed in on
        # Tuesday 29 December, still before the hand-off is due.
        (D(2026, 12, 24), D(2026, 12, 29), D(2026, 12, 31), D(2027, 2, 9)),
        # Across the financial year end (and Good Friday, Easter Monday 2027): a meeting on
        # Thursday 25 March typed in on Wednesday 31 March.
        (D(2027, 3, 25), D(2027, 3, 31), D(2027, 4, 1), D(2027, 5, 11)),
    ],
)
def test_a_decision_typed_in_days_later_is_dated_by_its_meeting(
    meeting_day, typed_in, due, payment_due
):
    item = _on_agenda_of_meeting_on(meeting_day)
    with clock(typed_in, 18, 30) as moment:
        request = decided(item=item)
    decision = request.decision
    assert decision.decision_date == meeting_day
    assert decision.decided_at == moment  # when it was typed in is kept too
    assert decision.allocation.decided_on == meeting_day
    handoff = Handoff.objects.get(request=request)
    assert (handoff.decision_date, handoff.due_date, handoff.payment_due_date) == (
        meeting_day,
        due,
        payment_due,
    )
    assert handoff.breached_at is None
    assert request.status == Status.APPROVED


def test_a_decision_at_a_meeting_before_the_year_end_counts_in_that_year_and_quarter():
    """Typed in on 1 April 2027, in the new financial year: the decision still belongs to
    the meeting's quarter (January to March 2027), and the budget it commits is the one as
    it stood on 31 March."""
    item = _on_agenda_of_meeting_on(D(2027, 3, 25))
    community = item.request.community
    with clock(D(2027, 4, 1)):
        request = decided(item=item)
    march = figures_for([community], Period(D(2027, 1, 1), D(2027, 3, 31)))[community.pk]
    april = figures_for([community], Period(D(2027, 4, 1), D(2027, 6, 30)))[community.pk]
    assert (march.final_decisions, march.final_approvals) == (1, 1)
    assert april.final_decisions == 0
    # Committed as at the year end: the award's share of the year 2026-27 (none, as the
    # award starts in the spring, after the request was written), and all of it counts in
    # 2027-28 from the meeting date on.
    assert budget_position(community.pk, 2027, as_at=D(2027, 3, 25)).committed == (
        request.decision.allocation.years.get(year=2027).amount
    )
    assert budget_position(community.pk, 2027, as_at=D(2027, 3, 24)).committed == 0


def test_a_decision_typed_in_after_its_hand_off_was_due_is_flagged_late_at_once():
    """A Monday meeting (hand-off due Thursday) typed in on the next Monday."""
    item = _on_agenda_of_meeting_on(D(2026, 11, 23))
    request = item.request
    kcc = make_kcc(area_=request.community.area)
    make_officer(request.community.area)
    with clock(D(2026, 11, 30), 9) as moment:
        request = decided(item=item)
    handoff = Handoff.objects.get(request=request)
    assert handoff.due_date == D(2026, 11, 26)
    assert handoff.breached_at == moment
    # The people the hourly check tells of a breach are told now: the chair and the
    # area's administrators; not an escalation "due within a working day" as well.
    told = Notification.objects.filter(key=f"breach:{handoff.pk}")
    assert set(told.values_list("user", flat=True)) == {kcc.pk, request.community.chair.pk}
    assert not Notification.objects.filter(key=f"escalation:{handoff.pk}").exists()
    # The hourly check finds nothing new to flag, and tells no one twice.
    with clock(D(2026, 11, 30), 10):
        assert handoff_flag_breaches(D(2026, 11, 30)) == 0
    assert told.count() == 2


def test_a_decision_typed_in_on_the_day_its_hand_off_is_due_is_not_late():
    item = _on_agenda_of_meeting_on(D(2026, 11, 23))
    with clock(D(2026, 11, 26), 17):
        request = decided(item=item)
    assert Handoff.objects.get(request=request).breached_at is None


def test_an_interim_decision_is_dated_the_day_it_is_made():
    with clock(D(2026, 12, 3)):
        draft = DraftFactory(
            is_exceptional=True,
            exceptional_reason="sudden_change",
            exceptional_why_now="Support cannot wait for the next meeting.",
        )
        request = submitted(draft)
        on_agenda_meeting = scheduled(request.community, date=D(2026, 12, 17))
    with clock(D(2026, 12, 7), 11):
        budgeted(request)
        request = interim_decided(request, award=approval())
    assert request.decision.decision_date == D(2026, 12, 7)
    assert request.decision.meeting is None
    assert Handoff.objects.get(request=request).due_date == D(2026, 12, 10)
    assert on_agenda_meeting.items.filter(request=request).exists()


def test_a_decision_cannot_be_typed_in_before_the_meeting_day():
    """The meeting's date is only a clock start because the decision can't come earlier."""
    item = _on_agenda_of_meeting_on(D(2026, 12, 3))
    with clock(D(2026, 12, 2)), pytest.raises(RequestError, match="from the day of the meeting"):
        decision_record(
            actor=item.request.community.chair, item_id=item.pk, award=Award(outcome="approved")
        )
