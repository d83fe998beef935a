"""Decisions through the real services: every outcome, every refusal (with nothing half
saved), the over-budget confirmation, interim decisions, ratification and revision."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from budgets.models import Allocation
from budgets.selectors import budget_position
from budgets.services import OverBudget
from communities.tests.factories import SchoolFactory, make_senco
from kentlocality.financial_years import financial_year_of
from requests.models import AgendaItem, Decision, Handoff, TimelineEvent
from requests.services import (
    RequestError,
    agenda_remove,
    decision_ratify,
    decision_record,
    decision_revise,
    interim_decision_record,
    meeting_close,
    request_submit,
    request_update,
    request_withdraw,
)
from requests.services.decisions import Award
from requests.workflow import Status
from tests.worlds.cos import make_cos
from tests.worlds.steps import approval, attended_by_all, part_approval

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def cos():
    cos = make_cos()
    cos.budget_this_year("100000.00")
    return cos


def _snapshot(item):
    request = item.request
    request.refresh_from_db()
    return (
        request.status,
        Decision.objects.count(),
        Allocation.objects.count(),
        Handoff.objects.count(),
        TimelineEvent.objects.filter(request=request).count(),
        AgendaItem.objects.get(pk=item.pk).outcome,
    )


def test_approve_awards_the_amount_requested_and_hands_off(cos, django_capture_on_commit_callbacks):
    meeting = cos.meeting()
    item = cos.on_agenda(meeting, amount=Decimal("8000.00"))
    # A stray amount typed for an approval does not count: approve is the amount requested.
    decision = decision_record(
        actor=cos.chair, item_id=item.pk, award=Award(outcome="approved", amount=Decimal("5.00"))
    )
    request = item.request
    request.refresh_from_db()
    item.refresh_from_db()
    assert request.status == Status.APPROVED
    assert request.decision == decision
    assert item.outcome == "approved"
    assert decision.amount == Decimal("8000.00")
    assert (decision.start_date, decision.end_date) == (request.start_date, request.end_date)
    assert decision.meeting == meeting and not decision.is_interim and not decision.over_budget
    assert decision.allocation.amount == Decimal("8000.00")
    assert sum(decision.allocation.years.values_list("amount", flat=True)) == Decimal("8000.00")
    handoff = Handoff.objects.get(request=request)
    assert handoff.decision == decision and handoff.area == cos.community.area
    event = request.events.get(action="approve")
    assert (event.from_status, event.to_status, event.actor) == ("on_agenda", "approved", cos.chair)
    assert "£8,000.00" in event.note


def test_an_award_from_1_february_to_31_july_splits_between_two_years_by_days(cos):
    cos.budget(2026, "50000.00")
    cos.budget(2027, "50000.00")
    meeting = cos.meeting()
    item = cos.on_agenda(
        meeting, amount=Decimal("18100.00"), start_date=D(2027, 2, 1), end_date=D(2027, 7, 31)
    )
    decision = decision_record(actor=cos.chair, item_id=item.pk, award=approval())
    # 1 February to 31 March 2027: 59 days; 1 April to 31 July 2027: 122 days; 181 in all.
    shares = dict(decision.allocation.years.values_list("year", "amount"))
    assert shares == {2026: Decimal("5900.00"), 2027: Decimal("12200.00")}
    assert budget_position(cos.community.pk, 2026).remaining == Decimal("44100.00")
    assert budget_position(cos.community.pk, 2027).remaining == Decimal("37800.00")


def test_part_approve_awards_a_lower_amount_with_a_reason(cos):
    item = cos.on_agenda(cos.meeting(), amount=Decimal("8000.00"))
    decision = decision_record(
        actor=cos.chair, item_id=item.pk, award=part_approval("6000.50", "First term only")
    )
    item.request.refresh_from_db()
    assert item.request.status == Status.PART_APPROVED
    assert (decision.outcome, decision.amount, decision.reason) == (
        "part_approved",
        Decimal("6000.50"),
        "First term only",
    )
    assert decision.allocation.amount == Decimal("6000.50")
    assert Handoff.objects.filter(request=item.request).exists()


def test_decline_needs_a_reason_and_commits_nothing(cos):
    item = cos.on_agenda(cos.meeting())
    before = _snapshot(item)
    with pytest.raises(RequestError, match="Enter the reason"):
        decision_record(actor=cos.chair, item_id=item.pk, award=Award(outcome="declined"))
    assert _snapshot(item) == before
    decision = decision_record(
        actor=cos.chair, item_id=item.pk, award=Award(outcome="declined", reason="Not eligible")
    )
    item.request.refresh_from_db()
    assert item.request.status == Status.DECLINED
    assert decision.amount is None and decision.allocation is None
    assert not Handoff.objects.exists()
    assert budget_position(cos.community.pk, financial_year_of(timezone.localdate())).committed == 0


def test_defer_sends_the_request_back_to_the_queue_for_a_later_meeting(cos):
    first = cos.meeting()
    item = cos.on_agenda(first)
    decision_record(
        actor=cos.chair,
        item_id=item.pk,
        award=Award(outcome="deferred", reason="Waiting for the therapy report"),
    )
    request = item.request
    request.refresh_from_db()
    assert request.status == Status.DEFERRED
    later = cos.meeting(timezone.localdate() + dt.timedelta(days=30))
    from requests.services import agenda_add

    again = agenda_add(actor=cos.chair, meeting_id=later.pk, request_id=request.pk)
    request.refresh_from_db()
    assert request.status == Status.ON_AGENDA and again.meeting == later


def test_more_information_goes_back_to_the_school_who_resubmit(cos):
    item = cos.on_agenda(cos.meeting())
    decision_record(
        actor=cos.chair,
        item_id=item.pk,
        award=Award(outcome="more_information", reason="Send the latest EHC plan review"),
    )
    request = item.request
    request.refresh_from_db()
    assert request.status == Status.MORE_INFORMATION
    request_update(actor=cos.senco, request_id=request.pk, values={"outcomes": "Updated"})
    request_submit(actor=cos.senco, request_id=request.pk, declaration=True)
    request.refresh_from_db()
    assert request.status == Status.SUBMITTED


@pytest.mark.parametrize(
    ("award", "message"),
    [
        (Award(outcome=""), "Select a decision"),
        (Award(outcome="ratified"), "Select a decision"),
        (part_approval("8000.01"), "cannot be more than the £8,000.00 requested"),
        (part_approval("8000.00"), "awards less than was requested"),
        (part_approval("-10.00"), "more than £0"),
        (part_approval("0.00"), "more than £0"),
        (Award(outcome="part_approved", amount=Decimal("10")), "Enter the reason"),
        (Award(outcome="deferred"), "Enter the reason"),
        (Award(outcome="more_information", reason="  "), "Enter the reason"),
        (
            Award(outcome="approved", start_date=D(2027, 3, 1), end_date=D(2027, 2, 1)),
            "end date must be after its start date",
        ),
        (
            Award(outcome="approved", start_date=D(2027, 3, 1), end_date=D(2027, 3, 1)),
            "end date must be after its start date",
        ),
        (
            Award(outcome="approved", start_date=D(2027, 1, 1), end_date=D(2028, 6, 1)),
            "more than 12 months",
        ),
    ],
)
def test_a_wrong_decision_is_refused_and_nothing_is_saved(cos, award, message):
    item = cos.on_agenda(cos.meeting(), amount=Decimal("8000.00"))
    before = _snapshot(item)
    with pytest.raises(RequestError, match=message):
        decision_record(actor=cos.chair, item_id=item.pk, award=award)
    assert _snapshot(item) == before


def test_an_award_longer_than_a_year_with_the_chairs_reason(cos):
    cos.budget(2026, "100000")
    cos.budget(2027, "100000")
    item = cos.on_agenda(cos.meeting(), amount=Decimal("8000.00"))
    award = Award(
        outcome="approved",
        start_date=D(2027, 1, 1),
        end_date=D(2028, 3, 31),
        long_award_reason="Support until the pupil moves to secondary school",
    )
    decision = decision_record(actor=cos.chair, item_id=item.pk, award=award)
    assert decision.long_award_reason.startswith("Support until")


def test_a_request_not_on_the_agenda_cannot_be_decided(cos):
    meeting = cos.meeting()
    item = cos.on_agenda(meeting)
    agenda_remove(actor=cos.chair, meeting_id=meeting.pk, item_id=item.pk)
    with pytest.raises(RequestError, match="not on this meeting's agenda"):
        decision_record(actor=cos.chair, item_id=item.pk, award=approval())
    item.request.refresh_from_db()
    assert item.request.status == Status.SUBMITTED
    assert not Decision.objects.exists()


def test_a_second_decision_on_a_decided_item_is_refused(cos):
    item = cos.on_agenda(cos.meeting())
    decision_record(actor=cos.chair, item_id=item.pk, award=approval())
    before = _snapshot(item)
    with pytest.raises(RequestError, match="already been decided: approved"):
        decision_record(
            actor=cos.chair, item_id=item.pk, award=Award(outcome="declined", reason="Oops")
        )
    assert _snapshot(item) == before
    assert Allocation.objects.count() == 1


def test_no_decision_on_a_closed_meeting(cos):
    meeting = cos.meeting()
    item = cos.on_agenda(meeting)
    request_withdraw(actor=cos.senco, request_id=item.request_id, reason="Moved school")
    attended_by_all(meeting)
    meeting_close(actor=cos.chair, meeting_id=meeting.pk)
    with pytest.raises(RequestError, match="meeting is closed"):
        decision_record(actor=cos.chair, item_id=item.pk, award=approval())


def test_a_withdrawn_request_has_nothing_to_decide(cos):
    item = cos.on_agenda(cos.meeting())
    request_withdraw(actor=cos.senco, request_id=item.request_id)
    with pytest.raises(RequestError, match="withdrawn this request"):
        decision_record(actor=cos.chair, item_id=item.pk, award=approval())


def test_no_decision_before_the_day_of_the_meeting(cos):
    meeting = cos.meeting(timezone.localdate() + dt.timedelta(days=7))
    item = cos.on_agenda(meeting)
    with pytest.raises(RequestError, match="from the day of the meeting"):
        decision_record(actor=cos.chair, item_id=item.pk, award=approval())
    assert not Decision.objects.exists()


def test_only_the_chair_of_the_cos_decides(cos):
    item = cos.on_agenda(cos.meeting())
    other = make_cos()
    for outsider in (other.chair, cos.senco, make_senco(SchoolFactory(community=cos.community))):
        with pytest.raises(PermissionDenied):
            decision_record(actor=outsider, item_id=item.pk, award=approval())
    assert not Decision.objects.exists()


def test_over_budget_needs_a_confirmation_with_a_reason_and_is_flagged(cos):
    year = financial_year_of(timezone.localdate())
    cos.budget(year, "1000.00")
    cos.budget(year + 1, "1000.00")
    start = timezone.localdate()
    item = cos.on_agenda(
        cos.meeting(),
        amount=Decimal("8000.00"),
        start_date=start,
        end_date=start + dt.timedelta(days=20),
    )
    before = _snapshot(item)
    with pytest.raises(OverBudget) as caught:
        decision_record(actor=cos.chair, item_id=item.pk, award=approval())
    effects = caught.value.effects
    assert [e.position.year for e in effects] == sorted(e.position.year for e in effects)
    assert any(e.goes_below_zero for e in effects)
    assert sum(e.share for e in effects) == Decimal("8000.00")
    assert _snapshot(item) == before

    with pytest.raises(RequestError, match="reason for going over the budget"):
        decision_record(
            actor=cos.chair,
            item_id=item.pk,
            award=Award(outcome="approved", confirm_over_budget=True),
        )
    assert _snapshot(item) == before

    decision = decision_record(
        actor=cos.chair,
        item_id=item.pk,
        award=Award(
            outcome="approved",
            confirm_over_budget=True,
            over_budget_reason="Tribunal order: the CoS must fund it",
        ),
    )
    assert decision.over_budget
    assert decision.over_budget_reason == "Tribunal order: the CoS must fund it"
    position = budget_position(cos.community.pk, year)
    assert position.remaining < 0
    assert "Over budget, confirmed" in item.request.events.get(action="approve").note


def test_a_confirmation_given_when_not_needed_does_not_flag_the_decision(cos):
    item = cos.on_agenda(cos.meeting(), amount=Decimal("100.00"))
    decision = decision_record(
        actor=cos.chair,
        item_id=item.pk,
        award=Award(
            outcome="approved", confirm_over_budget=True, over_budget_reason="Just in case"
        ),
    )
    assert not decision.over_budget and decision.over_budget_reason == ""


def test_a_year_with_no_budget_counts_as_zero(cos):
    far = D(2031, 4, 1)
    item = cos.on_agenda(
        cos.meeting(), amount=Decimal("100.00"), start_date=far, end_date=far + dt.timedelta(days=9)
    )
    with pytest.raises(OverBudget) as caught:
        decision_record(actor=cos.chair, item_id=item.pk, award=approval())
    (effect,) = caught.value.effects
    assert (effect.position.year, effect.position.total, effect.remaining_after) == (
        2031,
        Decimal("0.00"),
        Decimal("-100.00"),
    )


# Interim decisions


def test_an_interim_decision_on_an_exceptional_request_goes_to_the_next_meeting(cos):
    meeting = cos.meeting(timezone.localdate() + dt.timedelta(days=14))
    request = cos.request(
        is_exceptional=True,
        exceptional_reason="tribunal",
        exceptional_why_now="Tribunal order dated 1 November",
        amount=Decimal("3000.00"),
    )
    decision = interim_decision_record(actor=cos.chair, request_id=request.pk, award=approval())
    request.refresh_from_db()
    assert request.status == Status.APPROVED
    assert decision.is_interim and decision.meeting is None and decision.ratified_at is None
    assert decision.allocation.amount == Decimal("3000.00")
    assert Handoff.objects.filter(request=request).exists()
    item = meeting.items.get()
    assert (item.request, item.kind, item.outcome) == (request, "ratification", "")
    assert request.events.filter(action="interim_decision").exists()


def test_a_meeting_scheduled_after_an_interim_decision_picks_it_up(cos):
    request = cos.request(
        is_exceptional=True,
        exceptional_reason="other_la",
        exceptional_why_now="Arrived from Medway",
    )
    interim_decision_record(
        actor=cos.chair,
        request_id=request.pk,
        award=Award(outcome="declined", reason="Medway pays"),
    )
    meeting = cos.meeting()
    assert list(meeting.items.values_list("request_id", "kind")) == [(request.pk, "ratification")]
    # Only once: a second meeting does not take it again.
    assert not cos.meeting(timezone.localdate() + dt.timedelta(days=30)).items.exists()


def test_interim_decisions_are_for_exceptional_requests_waiting_for_a_meeting(cos):
    ordinary = cos.request()
    with pytest.raises(RequestError, match="Only an exceptional request"):
        interim_decision_record(actor=cos.chair, request_id=ordinary.pk, award=approval())
    exceptional = cos.request(
        is_exceptional=True, exceptional_reason="tribunal", exceptional_why_now="Order"
    )
    with pytest.raises(RequestError, match="approves, part-approves or declines"):
        interim_decision_record(
            actor=cos.chair,
            request_id=exceptional.pk,
            award=Award(outcome="deferred", reason="Next time"),
        )
    with pytest.raises(PermissionDenied):
        interim_decision_record(actor=make_cos().chair, request_id=exceptional.pk, award=approval())
    assert not Decision.objects.exists()


def _interim_award(cos, amount="4000.00"):
    request = cos.request(
        is_exceptional=True,
        exceptional_reason="sudden_change",
        exceptional_why_now="Hospital discharge",
        amount=Decimal("5000.00"),
    )
    interim_decision_record(actor=cos.chair, request_id=request.pk, award=part_approval(amount))
    request.refresh_from_db()
    meeting = cos.meeting()
    return request, meeting, meeting.items.get()


def test_ratify_an_interim_decision_at_the_meeting(cos):
    _request, meeting, item = _interim_award(cos)
    decision = decision_ratify(actor=cos.chair, item_id=item.pk)
    item.refresh_from_db()
    assert item.outcome == "ratified"
    assert decision.ratified_at is not None and decision.ratified_item == item
    with pytest.raises(RequestError, match="already been ratified or revised"):
        decision_ratify(actor=cos.chair, item_id=item.pk)
    attended_by_all(meeting)
    meeting_close(actor=cos.chair, meeting_id=meeting.pk)


def test_revise_an_interim_award_cancels_the_old_allocation(cos):
    year = financial_year_of(timezone.localdate())
    request, _meeting, item = _interim_award(cos, "4000.00")
    old = request.decision
    committed_before = sum(budget_position(cos.community.pk, y).committed for y in (year, year + 1))
    assert committed_before == Decimal("4000.00")
    with pytest.raises(RequestError, match="reason for revising"):
        decision_revise(
            actor=cos.chair, item_id=item.pk, award=Award(outcome="", amount=Decimal(1))
        )
    with pytest.raises(RequestError, match="Enter the amount awarded"):
        decision_revise(actor=cos.chair, item_id=item.pk, award=Award(outcome="", reason="Less"))
    with pytest.raises(RequestError, match="cannot be more than"):
        decision_revise(
            actor=cos.chair,
            item_id=item.pk,
            award=Award(outcome="", amount=Decimal("5000.01"), reason="More"),
        )
    revised = decision_revise(
        actor=cos.chair,
        item_id=item.pk,
        award=Award(outcome="", amount=Decimal("5000.00"), reason="Full amount agreed"),
    )
    old.refresh_from_db()
    item.refresh_from_db()
    assert revised.outcome == "approved" and revised.revises == old and not revised.is_interim
    assert old.allocation.cancelled_on == timezone.localdate()
    assert old.ratified_item == item and item.outcome == "revised"
    committed_after = sum(budget_position(cos.community.pk, y).committed for y in (year, year + 1))
    assert committed_after == Decimal("5000.00")
    # The officer keeps the one hand-off, made by the interim decision.
    assert Handoff.objects.filter(request=request).count() == 1


def test_an_interim_decline_can_be_ratified_but_not_revised(cos):
    request = cos.request(
        is_exceptional=True, exceptional_reason="tribunal", exceptional_why_now="x"
    )
    interim_decision_record(
        actor=cos.chair, request_id=request.pk, award=Award(outcome="declined", reason="No")
    )
    item = cos.meeting().items.get()
    with pytest.raises(RequestError, match="ratify a decline"):
        decision_revise(
            actor=cos.chair,
            item_id=item.pk,
            award=Award(outcome="", amount=Decimal(10), reason="Changed our minds"),
        )
    decision_ratify(actor=cos.chair, item_id=item.pk)


def test_a_decision_item_is_not_ratified_and_a_ratification_is_not_decided(cos):
    meeting = cos.meeting()
    item = cos.on_agenda(meeting)
    with pytest.raises(RequestError, match="not on this meeting's agenda"):
        decision_ratify(actor=cos.chair, item_id=item.pk)
    request = cos.request(
        is_exceptional=True, exceptional_reason="tribunal", exceptional_why_now="x"
    )
    interim_decision_record(actor=cos.chair, request_id=request.pk, award=approval())
    ratification = meeting.items.get(kind="ratification")
    with pytest.raises(RequestError, match="interim decision to ratify"):
        decision_record(actor=cos.chair, item_id=ratification.pk, award=approval())
