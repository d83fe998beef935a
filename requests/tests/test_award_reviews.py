"""Reviewing what an award achieved: from 4 weeks before its end date, each planned outcome
achieved, partly or not, with a note; refused before the window, for an award never
approved, and twice; the chair sees the last review on a request that continues the
support."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from communities.tests.factories import SchoolFactory, make_senco
from requests.models import AwardReview, ResourceRequest, TimelineEvent
from requests.services import RequestError, request_continue, request_submit, request_update
from requests.services.reviews import OutcomeResult, award_review_record, planned_outcomes
from requests.tests.factories import DraftFactory
from requests.workflow import Action
from tests.worlds.steps import clock, decided, on_agenda, scheduled, submitted

pytestmark = pytest.mark.django_db

D = dt.date
OUTCOMES = "- Follows classroom instructions independently\n\n- Joins group work twice a week\n"
END = D(2027, 7, 16)


def _award(outcome="approved"):
    """An award made at a meeting on 4 January 2027, ending on 16 July 2027."""
    with clock(D(2026, 12, 1)):
        request = submitted(
            DraftFactory(
                outcomes=OUTCOMES,
                amount=Decimal("6000.00"),
                start_date=D(2027, 1, 11),
                end_date=END,
            )
        )
        meeting = scheduled(request.community, date=D(2027, 1, 4))
        item = on_agenda(request, meeting=meeting)
    with clock(D(2027, 1, 4), 18):
        return decided(outcome, item=item)


RESULTS = [OutcomeResult("achieved", "Now follows instructions."), OutcomeResult("partly")]


def test_the_planned_outcomes_are_the_lines_of_the_expected_outcomes():
    request = ResourceRequest(outcomes=OUTCOMES)
    assert planned_outcomes(request) == [
        "Follows classroom instructions independently",
        "Joins group work twice a week",
    ]


def test_a_review_from_four_weeks_before_the_end_records_each_outcome():
    request = _award()
    with clock(D(2027, 6, 18)):  # 16 July less 4 weeks
        review = award_review_record(
            actor=request.created_by, request_id=request.pk, results=RESULTS
        )
    rows = list(review.outcomes.values_list("position", "planned", "result", "note"))
    assert rows == [
        (
            1,
            "Follows classroom instructions independently",
            "achieved",
            "Now follows instructions.",
        ),
        (2, "Joins group work twice a week", "partly", ""),
    ]
    assert review.decision == request.decision
    event = TimelineEvent.objects.get(request=request, action=Action.REVIEW_AWARD)
    assert event.note == "Achieved: 1; Partly achieved: 1; Not achieved: 0"
    with clock(D(2027, 6, 20)), pytest.raises(RequestError, match="already been reviewed"):
        award_review_record(actor=request.created_by, request_id=request.pk, results=RESULTS)
    assert AwardReview.objects.count() == 1


def test_a_review_before_the_window_is_refused():
    request = _award()
    with clock(D(2027, 6, 17)), pytest.raises(RequestError, match="from 18 June 2027"):
        award_review_record(actor=request.created_by, request_id=request.pk, results=RESULTS)
    assert not AwardReview.objects.exists()


def test_a_review_of_an_award_never_approved_is_refused():
    request = _award("declined")
    with clock(D(2027, 7, 1)), pytest.raises(RequestError, match="Only an approved award"):
        award_review_record(actor=request.created_by, request_id=request.pk, results=RESULTS)
    assert not AwardReview.objects.exists()


@pytest.mark.parametrize(
    ("results", "message"),
    [
        ([OutcomeResult("achieved")], "every planned outcome"),
        ([OutcomeResult("achieved"), OutcomeResult("maybe")], "outcome 2"),
        ([OutcomeResult("achieved"), OutcomeResult("not", "x" * 2001)], "2,000 characters"),
    ],
)
def test_a_wrong_review_is_refused_with_nothing_saved(results, message):
    request = _award()
    with clock(D(2027, 7, 1)), pytest.raises(RequestError, match=message):
        award_review_record(actor=request.created_by, request_id=request.pk, results=results)
    assert not AwardReview.objects.exists()
    assert not TimelineEvent.objects.filter(action=Action.REVIEW_AWARD).exists()


def test_the_school_reviews_on_its_page_and_the_chair_sees_it_on_the_continuation(client):
    request = _award()
    senco = request.created_by
    client.force_login(senco)
    url = reverse("requests:review", args=[request.pk])
    with clock(D(2027, 6, 1)):
        page = client.get(reverse("requests:detail", args=[request.pk])).content.decode()
        assert "You can review what the award achieved from 18 June 2027" in page
        early = client.get(url, follow=True).content.decode()
        assert "This award can be reviewed from 18 June 2027" in early
    with clock(D(2027, 7, 1)):
        page = client.get(reverse("requests:detail", args=[request.pk])).content.decode()
        assert url in page
        missing = client.post(url, {"result_1": "achieved"})
        assert "Say whether outcome 2 was achieved, partly or not" in missing.content.decode()
        assert not AwardReview.objects.exists()
        done = client.post(
            url, {"result_1": "achieved", "note_1": "Settled", "result_2": "not", "note_2": ""}
        )
        assert done.status_code == 302
        continuation = request_continue(actor=senco, request_id=request.pk)
        request_update(
            actor=senco,
            request_id=continuation.pk,
            values={
                "consent_given": True,
                "consent_date": D(2027, 6, 30),
                "funding_purpose": "More support",
                "amount": Decimal("5000.00"),
                "start_date": D(2027, 9, 6),
                "end_date": D(2028, 3, 31),
                "outcomes": "Reads with a partner",
                "review_arrangements": "Termly",
                "is_exceptional": False,
            },
        )
        continuation = request_submit(actor=senco, request_id=continuation.pk, declaration=True)
        client.force_login(request.community.chair)
        page = client.get(reverse("requests:detail", args=[continuation.pk])).content.decode()
    assert f"Last review of {request.reference}" in page
    assert "Settled" in page and "Not achieved" in page


def test_another_school_cannot_review(client):
    request = _award()
    client.force_login(make_senco(SchoolFactory()))
    assert client.get(reverse("requests:review", args=[request.pk])).status_code == 404
    client.force_login(request.community.chair)
    assert client.get(reverse("requests:review", args=[request.pk])).status_code == 403
