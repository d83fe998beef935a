"""The officer's payments on an approved request, through the request's journey
(requests.services.payments, around the ledger): recording, over-payment with a reason,
reversal, closing and reopening, and the officer's payment pages."""

import datetime as dt
import html
import re
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from budgets.models import Payment
from budgets.selectors import budget_position
from communities.tests.factories import area, make_chair, make_officer
from kentlocality.errors import Refused
from kentlocality.financial_years import financial_year_of
from requests.models import Handoff
from requests.selectors.officer import request_payments
from requests.services import handoff_acknowledge, payment_record, payment_reverse
from requests.workflow import Status
from tests.ledger_checks import first_paid_copies_that_differ
from tests.worlds.steps import approved

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def officer():
    return make_officer(area("North"))


@pytest.fixture
def acknowledged(officer):
    """An £8,000 award the officer has acknowledged."""
    request = approved()
    handoff_acknowledge(actor=officer, request_id=request.pk)
    return request


def pay(officer, request, amount, **kwargs) -> Payment:
    values = {
        "paid_on": TODAY(),
        "finance_reference": "FIN-0001",
        "method": Payment.Method.SCHOOLS_ADVANCE,
        "note": "",
    }
    values.update(kwargs)
    return payment_record(actor=officer, request_id=request.pk, amount=Decimal(amount), **values)


def status_of(request) -> str:
    request.refresh_from_db()
    return request.status


def test_payments_add_up_and_paying_in_full_closes_the_request(officer, acknowledged):
    pay(officer, acknowledged, "3000.00")
    assert status_of(acknowledged) == Status.ACKNOWLEDGED
    pay(officer, acknowledged, "5000.00", finance_reference="FIN-0002", method="one_off")
    assert status_of(acknowledged) == Status.CLOSED
    notes = list(acknowledged.events.filter(action="payment").values_list("note", flat=True))
    assert notes == ["£3,000.00 (FIN-0001)", "£5,000.00 (FIN-0002)"]
    year = financial_year_of(TODAY())
    assert budget_position(acknowledged.community_id, year).paid == Decimal("8000.00")


def test_paying_more_than_approved_needs_a_reason(officer, acknowledged):
    pay(officer, acknowledged, "6000.00")
    with pytest.raises(Refused) as refused:
        pay(officer, acknowledged, "2500.00", finance_reference="FIN-0002")
    assert refused.value.field == "note"
    assert "£8,500.00, more than the £8,000.00 approved" in str(refused.value)
    assert request_payments(acknowledged.pk).count() == 1  # nothing saved
    pay(officer, acknowledged, "2500.00", finance_reference="FIN-0002", note="Agreed extra hours")
    assert status_of(acknowledged) == Status.CLOSED
    event = acknowledged.events.filter(action="payment").last()
    assert "More than approved: Agreed extra hours" in event.note


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"amount": "0.00"}, "amount", "more than £0"),
        ({"amount": "-5.00"}, "amount", "more than £0"),
        ({"paid_on": dt.date.today() + dt.timedelta(days=2)}, "paid_on", "today or in the past"),
        ({"paid_on": dt.date(2020, 1, 1)}, "paid_on", "on or after the date of the decision"),
        ({"finance_reference": "   "}, "finance_reference", "Enter the finance reference"),
        ({"finance_reference": "X" * 61}, "finance_reference", "60 characters or fewer"),
        ({"method": "cheque"}, "method", "Select how the school was paid"),
    ],
)
def test_a_wrong_payment_is_refused_with_the_field_at_fault(
    officer, acknowledged, values, field, message
):
    amount = values.pop("amount", "100.00")
    with pytest.raises(Refused, match=message) as refused:
        pay(officer, acknowledged, amount, **values)
    assert refused.value.field == field
    assert not request_payments(acknowledged.pk).exists()


def test_the_same_payment_posted_twice_is_recorded_once(officer, acknowledged):
    pay(officer, acknowledged, "1000.00")
    with pytest.raises(Refused, match="already recorded") as refused:
        pay(officer, acknowledged, "1000.00")
    assert refused.value.field == "finance_reference"
    assert request_payments(acknowledged.pk).count() == 1
    # Once reversed, the same payment may be recorded again.
    payment_reverse(
        actor=officer, payment_id=request_payments(acknowledged.pk).get().pk, reason="Wrong"
    )
    pay(officer, acknowledged, "1000.00")
    assert request_payments(acknowledged.pk).count() == 3


def test_no_payment_before_acknowledgement_or_outside_the_area(officer):
    request = approved()
    with pytest.raises(Refused, match="Acknowledge the request"):
        pay(officer, request, "100.00")
    handoff_acknowledge(actor=officer, request_id=request.pk)
    for outsider in (make_officer(area("East")), make_chair(request.community), request.created_by):
        with pytest.raises(PermissionDenied):
            pay(outsider, request, "100.00")
    assert not request_payments(request.pk).exists()


def test_a_reversal_puts_a_mistake_right_and_reopens_the_request(officer, acknowledged):
    payment = pay(officer, acknowledged, "8000.00")
    assert status_of(acknowledged) == Status.CLOSED
    reversal = payment_reverse(actor=officer, payment_id=payment.pk, reason="Paid twice")
    assert reversal.amount == Decimal("-8000.00")
    assert reversal.reverses == payment and reversal.note == "Paid twice"
    assert status_of(acknowledged) == Status.ACKNOWLEDGED
    assert Payment.objects.filter(pk=payment.pk).exists()  # never deleted
    year = financial_year_of(TODAY())
    assert budget_position(acknowledged.community_id, year).paid == Decimal("0.00")
    assert acknowledged.events.filter(action="payment_reversed").get().note == (
        "£8,000.00 (FIN-0001): Paid twice"
    )
    with pytest.raises(Refused, match="already been reversed"):
        payment_reverse(actor=officer, payment_id=payment.pk, reason="Again")
    with pytest.raises(Refused, match="cannot itself be reversed"):
        payment_reverse(actor=officer, payment_id=reversal.pk, reason="Undo")
    pay(officer, acknowledged, "8000.00", finance_reference="FIN-0003")
    assert status_of(acknowledged) == Status.CLOSED


def test_a_reversal_needs_a_reason_and_the_areas_officer(officer, acknowledged):
    payment = pay(officer, acknowledged, "100.00")
    with pytest.raises(Refused, match="Enter why"):
        payment_reverse(actor=officer, payment_id=payment.pk, reason="  ")
    with pytest.raises(PermissionDenied):
        payment_reverse(actor=make_officer(area("East")), payment_id=payment.pk, reason="x")
    assert request_payments(acknowledged.pk).count() == 1


def test_the_hand_off_keeps_the_date_of_the_first_payment_not_reversed(officer):
    """The officer's list reads when the school was first paid from the hand-off; the
    payment services keep that copy equal to the ledger through payments and reversals."""
    decided_on = TODAY() - dt.timedelta(days=14)
    moment = timezone.make_aware(dt.datetime.combine(decided_on, dt.time(10)))
    with mock.patch("django.utils.timezone.now", return_value=moment):
        request = approved()
        handoff_acknowledge(actor=officer, request_id=request.pk)

    def first_paid_on():
        return Handoff.objects.get(request=request).first_paid_on

    assert first_paid_on() is None
    later = pay(officer, request, "1000.00", paid_on=decided_on + dt.timedelta(days=3))
    assert first_paid_on() == decided_on + dt.timedelta(days=3)
    earlier = pay(officer, request, "500.00", paid_on=decided_on, finance_reference="FIN-0002")
    assert first_paid_on() == decided_on  # recorded late, paid earlier
    pay(officer, request, "700.00", finance_reference="FIN-0003")
    assert first_paid_on() == decided_on
    payment_reverse(actor=officer, payment_id=earlier.pk, reason="Wrong school")
    assert first_paid_on() == decided_on + dt.timedelta(days=3)
    payment_reverse(actor=officer, payment_id=later.pk, reason="Paid twice")
    assert first_paid_on() == TODAY()  # the third payment, which stands
    assert first_paid_copies_that_differ() == []


# The pages.


def form_data(**overrides) -> dict:
    today = TODAY()
    data = {
        "amount": "2,500.50",
        "paid_on_0": str(today.day),
        "paid_on_1": str(today.month),
        "paid_on_2": str(today.year),
        "finance_reference": "FIN-2026-77",
        "method": "advance",
        "note": "",
    }
    data.update(overrides)
    return data


def test_the_officer_records_a_payment_on_the_form(client, officer, acknowledged):
    url = reverse("requests:payment_record", args=[acknowledged.pk])
    client.force_login(officer)
    page = client.get(url)
    assert page.status_code == 200
    assert "£8,000.00" in page.content.decode()
    response = client.post(url, form_data())
    assert response.status_code == 302
    payment = request_payments(acknowledged.pk).get()
    assert payment.amount == Decimal("2500.50") and payment.finance_reference == "FIN-2026-77"
    detail = client.get(reverse("requests:detail", args=[acknowledged.pk])).content.decode()
    assert "Payment of £2,500.50 recorded" in detail
    assert "£5,499.50 still to pay" in detail


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"amount": "lots"}, "Amount paid must be an amount in pounds and pence"),
        ({"amount": ""}, "Enter the amount paid"),
        ({"paid_on_0": "31", "paid_on_1": "2"}, "Date paid must be a real date"),
        ({"paid_on_2": str(dt.date.today().year + 1)}, "Date paid must be today or in the past"),
        ({"finance_reference": ""}, "Enter the finance reference"),
        ({"method": ""}, "Select how the school was paid"),
        ({"amount": "9000"}, "Give a reason to pay more"),
    ],
)
def test_bad_payment_input_gets_a_clear_message_and_saves_nothing(
    client, officer, acknowledged, overrides, message
):
    client.force_login(officer)
    response = client.post(
        reverse("requests:payment_record", args=[acknowledged.pk]), form_data(**overrides)
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and message in html
    assert "<title>Error:" in html
    assert not request_payments(acknowledged.pk).exists()


def test_payment_pages_answer_403_to_readers_and_404_to_outsiders(client, acknowledged):
    record = reverse("requests:payment_record", args=[acknowledged.pk])
    client.force_login(acknowledged.created_by)  # the school's SENCO reads the request
    assert client.get(record).status_code == 403
    client.force_login(make_chair(acknowledged.community))
    assert client.post(record, form_data()).status_code == 403
    client.force_login(make_officer(area("East")))
    assert client.get(record).status_code == 404
    assert not request_payments(acknowledged.pk).exists()


def test_the_officer_reverses_a_payment_on_the_form(client, officer, acknowledged):
    payment = pay(officer, acknowledged, "8000.00")
    url = reverse("requests:payment_reverse", args=[acknowledged.pk, payment.pk])
    client.force_login(officer)
    detail = client.get(reverse("requests:detail", args=[acknowledged.pk])).content.decode()
    assert url in detail
    response = client.post(url, {"reason": ""})
    assert "Enter why the payment is being reversed" in response.content.decode()
    response = client.post(url, {"reason": "Wrong school"})
    assert response.status_code == 302
    assert status_of(acknowledged) == Status.ACKNOWLEDGED
    detail = client.get(reverse("requests:detail", args=[acknowledged.pk])).content.decode()
    assert "has been reversed" in detail and "(reversal: Wrong school)" in detail
    assert url not in detail  # no second reversal offered
    response = client.post(url, {"reason": "Again"})
    assert "already been reversed" in response.content.decode()
    # A payment of another request cannot be reached through this one.
    other = approved()
    handoff_acknowledge(actor=officer, request_id=other.pk)
    wrong = reverse("requests:payment_reverse", args=[other.pk, payment.pk])
    assert client.get(wrong).status_code == 404


def test_the_payment_form_explains_each_method(client, officer, acknowledged):
    client.force_login(officer)
    page = client.get(reverse("requests:payment_record", args=[acknowledged.pk]))
    text = " ".join(html.unescape(page.content.decode()).split())
    for value, label, hint in [
        ("advance", "Schools' advance", "Added to the school's regular advance from KCC"),
        ("one_off", "One-off payment", "Paid to the school on its own, outside the advance"),
    ]:
        # Each choice carries its own hint, read out with it (aria-describedby).
        choice = re.search(
            rf'value="{value}" aria-describedby="(\w+)" > <label [^>]*> {label} </label> '
            rf'<span id="(\w+)" class="govuk-hint govuk-radios__hint"> {hint}',
            text,
        )
        assert choice and choice[1] == choice[2], label
