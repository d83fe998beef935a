"""The decision pages: the form, the check page with the effect on the budget of each
financial year, the second confirmation when it goes below zero, and the messages for
every kind of wrong input (never a 500, nothing half-saved)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from budgets.models import Allocation
from kentlocality.financial_years import year_label
from requests.models import Decision, PupilIdentityView
from requests.services import interim_decision_record
from requests.services.decisions import Award, decision_ratify, decision_revise
from tests.worlds.cos import make_cos
from tests.worlds.steps import approval

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def cos():
    cos = make_cos()
    cos.budget(2026, "30000.00")
    cos.budget(2027, "40000.00")
    return cos


@pytest.fixture
def item(cos):
    return cos.on_agenda(
        cos.meeting(),
        amount=Decimal("18100.00"),
        start_date=D(2027, 2, 1),
        end_date=D(2027, 7, 31),
        first_name="Ottoline",
    )


def _url(item):
    return reverse("requests:decide", args=[item.meeting_id, item.pk])


def _post(client, item, **data):
    base = {
        "start_date_0": "1",
        "start_date_1": "2",
        "start_date_2": "2027",
        "end_date_0": "31",
        "end_date_1": "7",
        "end_date_2": "2027",
        "reason": "",
    }
    return client.post(_url(item), {**base, **data})


def test_the_decision_page_shows_the_request_to_the_chair_and_logs_it(client, cos, item):
    client.force_login(cos.chair)
    response = client.get(_url(item))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ottoline Example" in html and "£18,100.00" in html
    assert 'value="2027"' in html  # the award dates default from the request
    assert PupilIdentityView.objects.filter(user=cos.chair, request=item.request).exists()


def test_the_check_page_shows_the_effect_on_each_financial_year(client, cos, item):
    client.force_login(cos.chair)
    response = _post(client, item, outcome="approved")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Check the decision before recording it" in html
    # 59 days in 2026-27 and 122 in 2027-28: £5,900.00 and £12,200.00.
    assert year_label(2026) in html and year_label(2027) in html
    for figure in ("£5,900.00", "£12,200.00", "£24,100.00", "£27,800.00"):
        assert figure in html
    assert "below zero" not in html.lower().replace("takes the remaining budget below zero", "")
    assert not Decision.objects.exists()  # nothing is recorded before "Record the decision"

    response = _post(client, item, outcome="approved", record="1")
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert decision.amount == Decimal("18100.00") and not decision.over_budget
    item.request.refresh_from_db()
    assert item.request.status == "approved"


def test_change_the_decision_goes_back_to_the_form_with_the_answers(client, cos, item):
    client.force_login(cos.chair)
    response = _post(
        client, item, outcome="part_approved", amount="9000", reason="Half now", change="1"
    )
    html = response.content.decode()
    assert "Check the decision" not in html
    assert 'value="9000"' in html and "Half now" in html


def test_the_check_page_carries_the_answers_to_the_record_step(client, cos, item):
    client.force_login(cos.chair)
    html = _post(client, item, outcome="part_approved", amount="£9,000.50", reason="Half").content
    html = html.decode()
    assert 'name="amount" value="£9,000.50"' in html
    assert 'name="start_date_2" value="2027"' in html


def test_part_approve_records_the_lower_amount(client, cos, item):
    client.force_login(cos.chair)
    response = _post(
        client, item, outcome="part_approved", amount="9,000.50", reason="Half", record="1"
    )
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert (decision.outcome, decision.amount, decision.reason) == (
        "part_approved",
        Decimal("9000.50"),
        "Half",
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Select a decision"),
        ({"outcome": "approve_everything"}, "Select a valid choice"),
        ({"outcome": "part_approved", "reason": "x"}, "Enter the amount awarded"),
        (
            {"outcome": "part_approved", "amount": "18100.01", "reason": "x"},
            "Amount awarded cannot be more than the £18,100.00 requested",
        ),
        (
            {"outcome": "part_approved", "amount": "18100", "reason": "x"},
            "choose approve instead",
        ),
        ({"outcome": "part_approved", "amount": "-50", "reason": "x"}, "must be more than £0"),
        ({"outcome": "part_approved", "amount": "0", "reason": "x"}, "must be more than £0"),
        (
            {"outcome": "part_approved", "amount": "12,34.5.6", "reason": "x"},
            "must be an amount in pounds and pence",
        ),
        ({"outcome": "part_approved", "amount": "1e5", "reason": "x"}, "pounds and pence"),
        (
            {"outcome": "part_approved", "amount": "9" * 40, "reason": "x"},
            "amount in pounds and pence",
        ),
        ({"outcome": "part_approved", "amount": "500"}, "Enter why a lower amount is awarded"),
        ({"outcome": "declined"}, "Enter why the request is declined"),
        ({"outcome": "deferred", "reason": "   "}, "Enter why the request is deferred"),
        ({"outcome": "more_information"}, "Enter the information the school needs to give"),
        (
            {"outcome": "approved", "end_date_0": "31", "end_date_1": "1", "end_date_2": "2027"},
            "Award end date must be after the award start date",
        ),
        (
            {"outcome": "approved", "end_date_0": "30", "end_date_1": "2", "end_date_2": "2027"},
            "Award end date must be a real date",
        ),
        (
            {"outcome": "approved", "start_date_0": "", "start_date_1": "", "start_date_2": ""},
            "Enter the award start date",
        ),
        (
            {"outcome": "approved", "end_date_0": "1", "end_date_1": "8", "end_date_2": "2028"},
            "Explain why the award runs for more than 12 months",
        ),
        ({"outcome": "declined", "reason": "x" * 2001}, "2,000 characters or fewer"),
    ],
)
def test_wrong_input_gets_a_clear_message_and_nothing_is_saved(client, cos, item, data, message):
    client.force_login(cos.chair)
    response = _post(client, item, record="1", **data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert message in html
    assert not Decision.objects.exists() and not Allocation.objects.exists()
    item.request.refresh_from_db()
    assert item.request.status == "on_agenda"


def test_hidden_answers_do_not_count(client, cos, item):
    """Dates and amount typed then hidden by choosing decline do not stop the decline."""
    client.force_login(cos.chair)
    response = _post(
        client,
        item,
        outcome="declined",
        reason="Not eligible",
        amount="rubbish",
        end_date_0="99",
        record="1",
    )
    assert response.status_code == 302
    assert Decision.objects.get().outcome == "declined"


def test_over_budget_needs_a_second_confirmation_with_a_reason(client, cos):
    cos.budget(2026, "1000.00")
    item = cos.on_agenda(
        cos.meeting(), amount=Decimal("5000.00"), start_date=D(2027, 1, 1), end_date=D(2027, 3, 31)
    )
    client.force_login(cos.chair)
    data = {
        "outcome": "approved",
        "start_date_0": "1",
        "start_date_1": "1",
        "start_date_2": "2027",
        "end_date_0": "31",
        "end_date_1": "3",
        "end_date_2": "2027",
    }
    url = _url(item)
    html = client.post(url, data).content.decode()
    assert "This decision takes the remaining budget below zero" in html
    assert "-£4,000.00" in html and "Below zero" in html

    html = client.post(url, {**data, "record": "1"}).content.decode()
    assert "Confirm that this decision takes the remaining budget below zero" in html
    assert "Enter why the Community of Schools is going over its budget" in html
    html = client.post(url, {**data, "record": "1", "confirm_over_budget": "on"}).content.decode()
    assert "Enter why the Community of Schools is going over its budget" in html
    assert not Decision.objects.exists()

    response = client.post(
        url,
        {
            **data,
            "record": "1",
            "confirm_over_budget": "on",
            "over_budget_reason": "Tribunal order",
        },
    )
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert decision.over_budget and decision.over_budget_reason == "Tribunal order"


def test_a_budget_that_moved_since_the_check_asks_for_the_confirmation(client, cos):
    cos.budget(2026, "6000.00")
    dates = {"start_date": D(2027, 1, 1), "end_date": D(2027, 3, 31)}
    meeting = cos.meeting()
    item = cos.on_agenda(meeting, amount=Decimal("5000.00"), **dates)
    rival = cos.on_agenda(meeting, amount=Decimal("5000.00"), **dates)
    client.force_login(cos.chair)
    data = {
        "outcome": "approved",
        "start_date_0": "1",
        "start_date_1": "1",
        "start_date_2": "2027",
        "end_date_0": "31",
        "end_date_1": "3",
        "end_date_2": "2027",
    }
    html = client.post(_url(item), data).content.decode()
    assert "below zero" not in html.split("Effect on the remaining budget")[1].split("<form")[0]
    # Meanwhile, in another tab, the rival request takes most of the budget.
    from requests.services import decision_record

    decision_record(actor=cos.chair, item_id=rival.pk, award=approval())
    html = client.post(_url(item), {**data, "record": "1"}).content.decode()
    assert "This decision takes the remaining budget below zero" in html
    assert "Confirm that this decision takes the remaining budget below zero" in html
    assert Decision.objects.count() == 1


def test_interim_decision_pages(client, cos):
    request = cos.request(
        is_exceptional=True,
        exceptional_reason="tribunal",
        exceptional_why_now="Order",
        amount=Decimal("3000.00"),
        start_date=D(2027, 1, 4),
        end_date=D(2027, 3, 26),
    )
    client.force_login(cos.chair)
    url = reverse("requests:interim", args=[request.pk])
    html = client.get(url).content.decode()
    assert "Defer" not in html and "Ask the school for more information" not in html
    dates = {
        "start_date_0": "4",
        "start_date_1": "1",
        "start_date_2": "2027",
        "end_date_0": "26",
        "end_date_1": "3",
        "end_date_2": "2027",
    }
    response = client.post(url, {"outcome": "deferred", "reason": "x", **dates})
    assert "Select a valid choice" in response.content.decode()
    response = client.post(url, {"outcome": "approved", **dates})
    assert "£3,000.00" in response.content.decode()
    response = client.post(url, {"outcome": "approved", "record": "1", **dates})
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert decision.is_interim
    # Once decided, the page refuses another interim decision.
    response = client.get(url, follow=True)
    assert "Only an exceptional request waiting for a meeting" in response.content.decode()


def _interim(cos):
    request = cos.request(
        is_exceptional=True,
        exceptional_reason="tribunal",
        exceptional_why_now="Order",
        amount=Decimal("3000.00"),
        start_date=D(2027, 1, 4),
        end_date=D(2027, 3, 26),
    )
    interim_decision_record(actor=cos.chair, request_id=request.pk, award=approval())
    return request


def test_ratify_and_revise_pages(client, cos):
    _interim(cos)
    meeting = cos.meeting()
    item = meeting.items.get()
    client.force_login(cos.chair)
    url = reverse("requests:ratify", args=[meeting.pk, item.pk])
    html = client.get(url).content.decode()
    assert "Ratify the interim decision" in html and "£3,000.00" in html
    response = client.post(url, {"action": "revise", "amount": "2000", "reason": ""})
    assert "Enter the reason for revising the interim decision" in response.content.decode()
    response = client.post(
        url,
        {
            "action": "revise",
            "amount": "2000",
            "reason": "Shorter placement",
            "start_date_0": "4",
            "start_date_1": "1",
            "start_date_2": "2027",
            "end_date_0": "26",
            "end_date_1": "3",
            "end_date_2": "2027",
        },
    )
    html = response.content.decode()
    assert "Check the decision" in html and "-£1,000.00" in html  # the net change
    response = client.post(url, {"action": "ratify"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.outcome == "ratified"


def test_a_decision_page_for_an_item_of_another_meeting_is_404(client, cos, item):
    other_meeting = cos.meeting(timezone.localdate() + dt.timedelta(days=7))
    client.force_login(cos.chair)
    url = reverse("requests:decide", args=[other_meeting.pk, item.pk])
    assert client.get(url).status_code == 404


def test_the_request_page_says_whether_an_interim_decision_was_ratified_or_revised(
    client, cos, django_assert_max_num_queries
):
    ratified, revised = _interim(cos), _interim(cos)
    meeting = cos.meeting()
    items = {item.request_id: item for item in meeting.items.all()}
    decision_ratify(actor=cos.chair, item_id=items[ratified.pk].pk)
    award = Award(
        outcome="part_approved",
        amount=Decimal("2000.00"),
        start_date=D(2027, 1, 4),
        end_date=D(2027, 3, 26),
        reason="Shorter placement",
    )
    decision_revise(actor=cos.chair, item_id=items[revised.pk].pk, award=award)
    client.force_login(cos.chair)
    html = client.get(reverse("requests:detail", args=[ratified.pk])).content.decode()
    assert "Ratified on" in html and "Revised at the next meeting" not in html
    # The revised request's page asks no query for each decision it shows.
    with django_assert_max_num_queries(20) as captured:
        html = client.get(reverse("requests:detail", args=[revised.pk])).content.decode()
    assert "Revised at the next meeting" in html and "Ratified on" not in html
    assert not [
        q for q in captured.captured_queries if '"requests_decision"."revises_id" =' in q["sql"]
    ]
