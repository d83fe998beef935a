"""Correcting a decision while its meeting is open and nothing has been paid: a new
decision that revises the old, both kept in the history and the timeline; the budget, the
hand-off, the reports and the notifications follow. Refusals save nothing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from budgets.models import Allocation
from budgets.selectors import budget_position
from communities.tests.factories import SchoolFactory, UserFactory, make_officer, make_senco
from kentlocality.financial_years import financial_year_of
from reporting.figures import Period, figures_for
from requests.models import AgendaItem, Decision, Handoff, Notification, TimelineEvent
from requests.services import (
    RequestError,
    decision_correct,
    handoff_acknowledge,
    meeting_close,
    request_update,
)
from requests.services.decisions import Award
from requests.workflow import Action, Status
from tests.worlds.cos import make_cos
from tests.worlds.steps import attended_by_all, decided, paid, submitted

pytestmark = pytest.mark.django_db

D = dt.date
REASON = "The wrong outcome was chosen when the decision was typed in."


@pytest.fixture
def cos():
    cos = make_cos()
    cos.budget_this_year("100000.00")
    return cos


@pytest.fixture
def officer(cos):
    return make_officer(cos.community.area)


def _decided(cos, outcome="approved", **kwargs):
    meeting = cos.meeting()
    item = cos.on_agenda(meeting, amount=Decimal("6000.00"))
    decided(outcome, item=item, chair=cos.chair, **kwargs)
    item.refresh_from_db()
    return item


def _correct(cos, item, award, reason=REASON):
    return decision_correct(actor=cos.chair, item_id=item.pk, award=award, correction_reason=reason)


def _committed(cos):
    """Committed in every financial year an award of these tests can touch."""
    year = financial_year_of(timezone.localdate())
    return sum(budget_position(cos.community.pk, y).committed for y in range(year, year + 3))


def test_an_approval_corrected_to_a_decline_gives_back_the_budget_and_the_hand_off(
    cos, officer, django_capture_on_commit_callbacks
):
    item = _decided(cos)
    request = item.request
    first = request.decision
    assert _committed(cos) > 0 and Handoff.objects.filter(request=request).exists()
    with django_capture_on_commit_callbacks(execute=True):
        corrected = _correct(cos, item, Award(outcome="declined", reason="Needs met in school"))
    request.refresh_from_db()
    item.refresh_from_db()
    first.refresh_from_db()
    assert request.status == Status.DECLINED
    assert request.decision == corrected and corrected.revises == first
    assert item.outcome == "declined" and item.decision == corrected
    assert first.meeting == corrected.meeting == item.meeting  # both kept
    assert list(request.decisions.order_by("pk")) == [first, corrected]
    assert first.allocation.cancelled_on == item.meeting.date
    assert _committed(cos) == 0
    assert not Handoff.objects.filter(request=request).exists()
    actions = list(
        TimelineEvent.objects.filter(request=request)
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert Action.APPROVE in actions  # the first decision stays on the timeline
    assert actions[-2:] == [Action.CORRECT_DECISION, Action.DECLINE]
    correction = TimelineEvent.objects.get(request=request, action=Action.CORRECT_DECISION)
    assert "The decision was Approved: £6,000.00" in correction.note
    assert REASON in correction.note
    senco_notice = Notification.objects.get(user=cos.senco, key=f"decision:{corrected.pk}")
    assert "corrected" in senco_notice.subject and "declined" in senco_notice.subject
    officer_notice = Notification.objects.get(user=officer, key=f"award_corrected:{corrected.pk}")
    assert "do not pay it" in officer_notice.subject
    # Reports count the corrected decision in place of the first.
    figures = figures_for([cos.community], Period(item.meeting.date, item.meeting.date))
    mine = figures[cos.community.pk]
    assert (mine.final_decisions, mine.final_approvals, mine.revisions) == (1, 0, 0)
    assert mine.awards.counts == {}


def test_a_decline_corrected_to_a_part_approval_is_handed_off_from_the_meeting_date(
    cos, officer, django_capture_on_commit_callbacks
):
    item = _decided(cos, "declined")
    with django_capture_on_commit_callbacks(execute=True):
        corrected = _correct(
            cos,
            item,
            Award(outcome="part_approved", amount=Decimal("4000.00"), reason="Part of it"),
        )
    request = item.request
    request.refresh_from_db()
    assert request.status == Status.WITH_OFFICER  # the corrected award has been sent
    handoff = Handoff.objects.get(request=request)
    assert handoff.decision == corrected and handoff.decision_date == item.meeting.date
    assert corrected.allocation.amount == Decimal("4000.00")
    assert _committed(cos) == Decimal("4000.00")
    # The officers never had the decline: they get the ordinary hand-off only.
    assert Notification.objects.filter(user=officer, key=f"handoff:{handoff.pk}").exists()
    assert not Notification.objects.filter(key__startswith="award_corrected").exists()


def test_an_acknowledged_award_corrected_to_a_lower_one_is_handed_off_again(
    cos, officer, django_capture_on_commit_callbacks
):
    item = _decided(cos)
    handoff_acknowledge(actor=officer, request_id=item.request_id)
    old_handoff = Handoff.objects.get(request=item.request)
    with django_capture_on_commit_callbacks(execute=True):
        corrected = _correct(
            cos,
            item,
            Award(outcome="part_approved", amount=Decimal("5000.00"), reason="Lower"),
        )
    handoff = Handoff.objects.get(request=item.request)
    assert handoff.pk != old_handoff.pk and handoff.acknowledged_at is None
    assert handoff.decision == corrected
    assert _committed(cos) == Decimal("5000.00")
    assert Allocation.objects.filter(cancelled_on__isnull=True).get() == corrected.allocation
    notice = Notification.objects.get(user=officer, key=f"award_corrected:{corrected.pk}")
    assert "now £5,000.00" in notice.subject
    handoff_acknowledge(actor=officer, request_id=item.request_id)  # acknowledged again


def _snapshot(item):
    request = item.request
    request.refresh_from_db()
    return (
        request.status,
        request.decision_id,
        Decision.objects.count(),
        Allocation.objects.filter(cancelled_on__isnull=True).count(),
        Handoff.objects.count(),
        TimelineEvent.objects.filter(request=request).count(),
        AgendaItem.objects.get(pk=item.pk).outcome,
    )


def test_no_reason_for_the_correction_is_refused(cos):
    item = _decided(cos)
    before = _snapshot(item)
    with pytest.raises(RequestError, match="Enter why the decision is corrected"):
        _correct(cos, item, Award(outcome="declined", reason="No"), reason="  ")
    assert _snapshot(item) == before


def test_a_closed_meeting_refuses_a_correction(cos):
    item = _decided(cos, "declined")
    attended_by_all(item.meeting, cos.chair)
    meeting_close(actor=cos.chair, meeting_id=item.meeting_id)
    before = _snapshot(item)
    with pytest.raises(RequestError, match="meeting is closed"):
        _correct(cos, item, Award(outcome="approved"))
    assert _snapshot(item) == before


def test_a_paid_award_refuses_a_correction(cos, officer):
    item = _decided(cos)
    request = handoff_acknowledge(actor=officer, request_id=item.request_id).request
    paid(request, "100.00", officer=officer)
    before = _snapshot(item)
    with pytest.raises(RequestError, match="payment has been made"):
        _correct(cos, item, Award(outcome="declined", reason="No"))
    assert _snapshot(item) == before


def test_a_request_resubmitted_since_refuses_a_correction(cos):
    item = _decided(cos, "more_information")
    request = item.request
    request_update(actor=cos.senco, request_id=request.pk, values={"needs_summary": "More"})
    submitted(request)
    before = _snapshot(item)
    with pytest.raises(RequestError, match="cannot be corrected"):
        _correct(cos, item, Award(outcome="approved"))
    assert _snapshot(item) == before


def test_a_wrong_corrected_award_is_refused_with_nothing_saved(cos):
    item = _decided(cos, "declined")
    before = _snapshot(item)
    with pytest.raises(RequestError, match="cannot be more than"):
        _correct(
            cos, item, Award(outcome="part_approved", amount=Decimal("9000.00"), reason="More")
        )
    assert _snapshot(item) == before


# The page.


def _url(item):
    return reverse("requests:correct", args=[item.meeting_id, item.pk])


def _post(client, item, **data):
    base = {"correction_reason": REASON, "reason": ""}
    return client.post(_url(item), {**base, **data})


def test_the_chair_corrects_a_decision_through_the_check_page(client, cos):
    item = _decided(cos)
    client.force_login(cos.chair)
    meeting_page = client.get(reverse("requests:meeting", args=[item.meeting_id])).content
    assert _url(item).encode() in meeting_page
    page = client.get(_url(item))
    assert page.status_code == 200
    assert "Correct the decision on" in page.content.decode()
    check = _post(client, item, outcome="declined", reason="Needs met in school")
    assert "Check the decision before recording it" in check.content.decode()
    done = _post(client, item, outcome="declined", reason="Needs met in school", record="1")
    assert done.status_code == 302
    item.refresh_from_db()
    assert item.outcome == "declined"
    assert Decision.objects.count() == 2


def test_the_correction_page_refuses_bad_input_with_a_message(client, cos):
    item = _decided(cos)
    client.force_login(cos.chair)
    response = _post(client, item, correction_reason="", outcome="declined", reason="")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter why the decision is corrected" in html
    assert "Enter why the request is declined" in html
    assert Decision.objects.count() == 1


def test_a_decision_that_cannot_be_corrected_leads_back_to_the_meeting(client, cos):
    item = _decided(cos, "declined")
    attended_by_all(item.meeting, cos.chair)
    meeting_close(actor=cos.chair, meeting_id=item.meeting_id)
    client.force_login(cos.chair)
    response = client.get(_url(item))
    assert response.status_code == 302
    assert response.url == reverse("requests:meeting", args=[item.meeting_id])


def test_the_correction_page_is_the_chairs_only(client, cos):
    item = _decided(cos)
    client.force_login(cos.senco)
    assert client.get(_url(item)).status_code == 403
    outsider = make_senco(SchoolFactory())
    client.force_login(outsider)
    assert client.get(_url(item)).status_code == 404
    client.force_login(UserFactory())
    assert client.get(_url(item)).status_code == 404
