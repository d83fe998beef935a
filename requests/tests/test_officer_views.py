"""The HNF Monitoring Officer's pages: the area's approved requests with red / amber /
green payment dates, acknowledging, the request page's actions and the PDF. Each view is
tried by the officer, an allowed reader and an outsider."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from communities.tests.factories import (
    CommunityFactory,
    SchoolFactory,
    area,
    make_chair,
    make_officer,
)
from kentlocality.workdays import add_working_days
from requests.models import Handoff, PupilIdentityView
from requests.selectors.officer import RAG_LABELS, payment_rag
from requests.services import handoff_acknowledge, payment_record
from requests.workflow import Status
from tests.worlds.steps import approved, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def north_officer():
    return make_officer(area("North"), email="olu@example.org")


def officer_url(area_name: str = "North") -> str:
    return reverse("requests:officer", args=[area(area_name).pk])


def east_request():
    return approved(school=SchoolFactory(community=CommunityFactory(area=area("East"))))


def test_the_officer_sees_the_areas_approved_requests_newest_first(client, north_officer):
    first = approved()
    second = approved()
    other_area = east_request()
    waiting = submitted()  # not decided: not the officer's
    client.force_login(north_officer)
    response = client.get(officer_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index(second.reference) < html.index(first.reference)
    assert other_area.reference not in html
    assert waiting.reference not in html
    # The list names no pupil (so it logs no view of pupil identity).
    assert first.first_name not in html and first.upn not in html
    assert "2 approved requests, newest first" in html


def test_other_areas_and_other_roles_get_404(client, north_officer):
    request = approved()
    client.force_login(north_officer)
    assert client.get(officer_url("East")).status_code == 404
    for person in (request.created_by, make_chair(request.community)):
        client.force_login(person)
        assert client.get(officer_url()).status_code == 404
    client.logout()
    assert client.get(officer_url()).status_code == 302


def test_filters_by_community_status_and_reference(client, north_officer):
    cos = CommunityFactory(name="Ashford Central CoS")
    in_cos = approved(school=SchoolFactory(community=cos))
    acknowledged = approved()
    handoff_acknowledge(actor=north_officer, request_id=acknowledged.pk)
    client.force_login(north_officer)

    html = client.get(officer_url(), {"community": cos.pk}).content.decode()
    assert in_cos.reference in html and acknowledged.reference not in html

    html = client.get(officer_url(), {"status": "waiting"}).content.decode()
    assert in_cos.reference in html and acknowledged.reference not in html

    html = client.get(officer_url(), {"status": "acknowledged"}).content.decode()
    assert acknowledged.reference in html and in_cos.reference not in html

    html = client.get(officer_url(), {"reference": acknowledged.reference[-6:]}).content.decode()
    assert acknowledged.reference in html and in_cos.reference not in html

    html = client.get(officer_url(), {"reference": "RFR-1999-999999"}).content.decode()
    assert "No approved requests match your search." in html

    # A CoS of another area, or nonsense, is ignored rather than an error.
    east_cos = CommunityFactory(area=area("East"))
    response = client.get(officer_url(), {"community": east_cos.pk, "status": "nonsense"})
    assert response.status_code == 200
    assert in_cos.reference in response.content.decode()


def test_red_amber_green_boundaries():
    today = dt.date(2026, 11, 27)  # a Friday
    limit = add_working_days(today, 5)  # Friday 4 December
    assert limit == dt.date(2026, 12, 4)

    def rag(due):
        return payment_rag(due, today, first_paid=None, limit=limit)

    assert rag(today - dt.timedelta(days=1)) == "red"
    assert rag(today) == "amber"
    assert rag(limit) == "amber"
    assert rag(add_working_days(today, 6)) == "green"
    due = today - dt.timedelta(days=30)
    assert payment_rag(due, today, first_paid=due, limit=limit) == "paid"
    assert payment_rag(due, today, first_paid=due + dt.timedelta(days=1), limit=limit) == (
        "paid_late"
    )


def test_the_list_shows_the_payment_status_and_filters_by_it(client, north_officer):
    today = timezone.localdate()
    overdue, soon, later = approved(), approved(), approved()
    Handoff.objects.filter(request=overdue).update(payment_due_date=today - dt.timedelta(days=1))
    Handoff.objects.filter(request=soon).update(payment_due_date=add_working_days(today, 5))
    Handoff.objects.filter(request=later).update(payment_due_date=add_working_days(today, 6))
    client.force_login(north_officer)
    response = client.get(officer_url())
    rows = {row["reference"]: RAG_LABELS[row["rag"]] for row in response.context["table"]}
    assert rows == {
        overdue.reference: "Overdue",
        soon.reference: "Due soon",
        later.reference: "On track",
    }
    assert response.context["counts"]["overdue"] == 1
    assert response.context["counts"]["due_soon"] == 1
    overdue_page = client.get(officer_url(), {"status": "overdue"})
    assert [r["reference"] for r in overdue_page.context["table"]] == [overdue.reference]
    soon_page = client.get(officer_url(), {"status": "due_soon"})
    assert [r["reference"] for r in soon_page.context["table"]] == [soon.reference]


def test_the_list_costs_the_same_queries_for_many_rows(
    client, north_officer, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(officer_url()).status_code == 200
        return len(queries)

    client.force_login(north_officer)
    approved()
    few = count()
    for _ in range(6):
        approved()
    assert count() == few


def test_the_list_is_paginated(client, north_officer):
    for _ in range(26):
        approved()
    client.force_login(north_officer)
    first = client.get(officer_url())
    assert len(first.context["table"]) == 25
    second = client.get(officer_url(), {"page": 2})
    assert len(second.context["table"]) == 1


def test_the_officer_acknowledges_from_the_request_page(client, north_officer, mailoutbox):
    request = approved()
    client.force_login(north_officer)
    page = client.get(reverse("requests:detail", args=[request.pk])).content.decode()
    assert "Acknowledge request" in page
    response = client.post(reverse("requests:acknowledge", args=[request.pk]))
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == Status.ACKNOWLEDGED
    page = client.get(reverse("requests:detail", args=[request.pk])).content.decode()
    assert "You have acknowledged Request for Resource" in page
    assert "Record a payment" in page and "Acknowledge request" not in page
    # A second post (another tab) changes nothing and says why.
    client.post(reverse("requests:acknowledge", args=[request.pk]))
    page = client.get(reverse("requests:detail", args=[request.pk])).content.decode()
    assert "already been acknowledged" in page


def test_only_the_areas_officer_may_acknowledge(client):
    request = approved()
    url = reverse("requests:acknowledge", args=[request.pk])
    client.force_login(request.created_by)  # the SENCO reads the request but may not
    assert client.post(url).status_code == 403
    client.force_login(make_chair(request.community))
    assert client.post(url).status_code == 403
    client.force_login(make_officer(area("East")))
    assert client.post(url).status_code == 404
    client.force_login(make_officer(area("North")))
    assert client.get(url).status_code == 405
    request.refresh_from_db()
    assert request.status in (Status.APPROVED, Status.WITH_OFFICER)


def test_the_approved_request_downloads_as_a_pdf_and_the_view_is_logged(client, north_officer):
    request = approved()
    client.force_login(north_officer)
    response = client.get(reverse("requests:request_pdf", args=[request.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="{request.reference}.pdf"' in response["Content-Disposition"]
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert request.reference in text
    assert "Alex Example" in text and request.upn in text
    assert "£8,000.00" in text
    due = request.handoff.payment_due_date
    assert f"Payment due by {due.day} {due:%B %Y}" in " ".join(text.split())
    log = PupilIdentityView.objects.get(user=north_officer, request=request)
    assert log.page == "approved request PDF"


def test_the_pdf_is_for_approved_requests_and_their_readers_only(client, north_officer):
    waiting = submitted()
    client.force_login(make_chair(waiting.community))
    assert client.get(reverse("requests:request_pdf", args=[waiting.pk])).status_code == 404
    request = east_request()
    client.force_login(north_officer)
    assert client.get(reverse("requests:request_pdf", args=[request.pk])).status_code == 404
    assert not PupilIdentityView.objects.filter(user=north_officer).exists()


def test_the_senco_sees_the_payment_status_of_their_own_request(client, north_officer):
    request = approved()
    handoff_acknowledge(actor=north_officer, request_id=request.pk)
    payment_record(
        actor=north_officer,
        request_id=request.pk,
        amount=Decimal("3000.00"),
        paid_on=timezone.localdate(),
        finance_reference="FIN-0001",
        method="advance",
    )
    client.force_login(request.created_by)
    page = client.get(reverse("requests:detail", args=[request.pk])).content.decode()
    assert "Paid so far" in page and "£3,000.00" in page
    assert "£5,000.00 still to pay" in page
    assert "FIN-0001" in page
    assert "Record a payment" not in page and "Reverse" not in page
    # Another school's SENCO cannot see it at all.
    other = submitted()
    client.force_login(other.created_by)
    assert client.get(reverse("requests:detail", args=[request.pk])).status_code == 404
