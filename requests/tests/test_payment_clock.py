"""The payment clock as schools live it (budgets.payment_clock): a one-off payment is due
30 working days after the decision, a payment through the schools' advance on the payment
date of the first advance whose cut-off falls on or after the decision. The officer's
red / amber / green, the overdue list and the reports use the one rule, and count a
payment as made on time by its first payment (not reversed)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from budgets.models import Allocation, Payment, SchoolsAdvance
from budgets.payment_clock import PAID_ON_TIME_RULE, payment_due_date
from communities.tests.factories import area, make_officer
from kentlocality.workdays import add_working_days
from reporting.figures import report_figures
from requests.models import Decision, Handoff
from requests.selectors.officer import area_counts
from requests.services import (
    handoff_acknowledge,
    handoff_payment_method,
    payment_record,
    payment_reverse,
)
from requests.services.errors import RequestError
from tests.worlds.steps import approved

pytestmark = pytest.mark.django_db

D = dt.date
ADVANCE, ONE_OFF = Payment.Method.SCHOOLS_ADVANCE, Payment.Method.ONE_OFF


def test_one_off_is_due_30_working_days_after_the_decision():
    assert payment_due_date(D(2026, 12, 7), ONE_OFF) == D(2027, 1, 21)


def test_advance_is_due_on_the_first_advance_whose_cut_off_is_on_or_after_the_decision():
    SchoolsAdvance.objects.create(cut_off=D(2026, 12, 4), paid_on=D(2026, 12, 15))
    SchoolsAdvance.objects.create(cut_off=D(2027, 1, 8), paid_on=D(2027, 1, 19))
    assert payment_due_date(D(2026, 12, 1), ADVANCE) == D(2026, 12, 15)
    assert payment_due_date(D(2026, 12, 4), ADVANCE) == D(2026, 12, 15)  # on the cut-off
    assert payment_due_date(D(2026, 12, 5), ADVANCE) == D(2027, 1, 19)
    # No advance in the calendar yet: due as a one-off payment would be.
    assert payment_due_date(D(2027, 1, 9), ADVANCE) == add_working_days(D(2027, 1, 9), 30)


@pytest.fixture
def officer():
    return make_officer(area("North"), email="olu@example.org")


def approved_on(day: dt.date, officer, method: str = ONE_OFF):
    """An approved request, acknowledged, decided on ``day`` (moved back in time: the
    decision, its hand-off and its allocation), paid by ``method``."""
    request = approved(amount=Decimal("3000.00"))
    Decision.objects.filter(request=request).update(decision_date=day)
    Allocation.objects.filter(decision__request=request).update(decided_on=day)
    Handoff.objects.filter(request=request).update(
        decision_date=day,
        due_date=add_working_days(day, 3),
        payment_due_date=payment_due_date(day, ONE_OFF),
    )
    handoff_acknowledge(actor=officer, request_id=request.pk)
    if method != ONE_OFF:
        handoff_payment_method(actor=officer, request_id=request.pk, method=method)
    return request


def pay(request, officer, day: dt.date, amount: str = "1000.00") -> Payment:
    return payment_record(
        actor=officer,
        request_id=request.pk,
        amount=Decimal(amount),
        paid_on=day,
        finance_reference=f"FIN-{request.pk}-{day:%m%d}",
        method=Handoff.objects.get(request=request).payment_method,
    )


def test_the_officer_chooses_the_route_and_the_due_date_follows(officer):
    today = timezone.localdate()
    SchoolsAdvance.objects.create(
        cut_off=today + dt.timedelta(days=3), paid_on=today + dt.timedelta(days=9)
    )
    request = approved_on(today, officer, ADVANCE)
    handoff = Handoff.objects.get(request=request)
    assert handoff.payment_due_date == today + dt.timedelta(days=9)
    assert "Schools' advance: payment now due" in request.events.last().note
    # The administrators move the advance: the due date follows, with a note.
    advance = SchoolsAdvance.objects.get()
    advance.paid_on = today + dt.timedelta(days=11)
    advance.save()
    handoff.refresh_from_db()
    assert handoff.payment_due_date == today + dt.timedelta(days=11)
    assert "Schools' advance calendar changed" in request.events.last().note
    # Once the school has been paid the clock has stopped.
    pay(request, officer, today)
    with pytest.raises(RequestError, match="can no longer change"):
        handoff_payment_method(actor=officer, request_id=request.pk, method=ONE_OFF)


def test_the_route_is_set_on_the_request_page(client, officer):
    today = timezone.localdate()
    request = approved_on(today, officer)
    client.force_login(officer)
    html = client.get(reverse("requests:detail", args=[request.pk])).content.decode()
    assert "How will the school be paid?" in html
    response = client.post(
        reverse("requests:payment_route", args=[request.pk]), {"method": "nonsense"}, follow=True
    )
    assert "Select how the school will be paid." in response.content.decode()
    assert Handoff.objects.get(request=request).payment_method == ONE_OFF


def test_officer_page_and_report_agree_on_paid_on_time(client, officer):
    """Five approvals: through the advance and paid on time; one-off and paid late;
    through the advance, not paid and overdue; one-off paid, the payment reversed, so
    overdue again; one-off decided yesterday, not yet due. The officer's tags and counts
    and the report's timeliness give the same answer for each."""
    today = timezone.localdate()
    d = today - dt.timedelta(days=70)
    SchoolsAdvance.objects.create(
        cut_off=d + dt.timedelta(days=5), paid_on=d + dt.timedelta(days=12)
    )
    SchoolsAdvance.objects.create(
        cut_off=d + dt.timedelta(days=20), paid_on=d + dt.timedelta(days=25)
    )

    on_time = approved_on(d, officer, ADVANCE)
    pay(on_time, officer, d + dt.timedelta(days=12))  # on the advance's payment date
    late = approved_on(d, officer)
    pay(late, officer, add_working_days(d, 31))
    overdue = approved_on(d + dt.timedelta(days=6), officer, ADVANCE)  # the second advance
    assert Handoff.objects.get(request=overdue).payment_due_date == d + dt.timedelta(days=25)
    reversed_ = approved_on(d, officer)
    payment_reverse(
        actor=officer,
        payment_id=pay(reversed_, officer, d + dt.timedelta(days=3)).pk,
        reason="Wrong school",
    )
    pending = approved_on(today - dt.timedelta(days=1), officer)

    client.force_login(officer)
    html = client.get(reverse("requests:officer", args=[area("North").pk])).content.decode()
    assert PAID_ON_TIME_RULE.replace("'", "&#x27;") in html
    rows = {
        r.reference: html.split(r.reference, 1)[1].split("</tr>", 1)[0]
        for r in (on_time, late, overdue, reversed_, pending)
    }
    assert "Paid on time" in rows[on_time.reference]
    assert "Paid late" in rows[late.reference]
    assert "Overdue" in rows[overdue.reference] and "Overdue" in rows[reversed_.reference]
    assert "Overdue" not in rows[pending.reference] and "Paid" not in rows[pending.reference]
    counts = area_counts(area("North").pk, today)
    assert counts["overdue"] == 2
    overdue_list = client.get(
        reverse("requests:officer", args=[area("North").pk]), {"status": "overdue"}
    ).content.decode()
    assert overdue.reference in overdue_list and reversed_.reference in overdue_list
    assert on_time.reference not in overdue_list and late.reference not in overdue_list

    t = report_figures(area_id=area("North").pk, start=d, end=today).total.timeliness
    assert (t.payment_on_time, t.payment_late, t.payment_overdue, t.payment_pending) == (
        1,
        1,
        counts["overdue"],
        1,
    )
    tags = list(rows.values())
    assert sum("Paid on time" in row for row in tags) == t.payment_on_time
    assert sum("Paid late" in row for row in tags) == t.payment_late

    # The reports say the rule in the same words.
    board = client.get(reverse("reporting:board", args=[area("North").pk])).content.decode()
    assert PAID_ON_TIME_RULE.replace("'", "&#x27;") in board
