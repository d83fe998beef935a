"""One request through the whole service, in a real Chromium: the SENCO submits it with
the keyboard alone; the chair puts it on an agenda, records attendance and approves it;
the officer acknowledges it and records a payment; an Area Board member downloads the
quarter's PDF and finds it counted. axe-core finds no WCAG 2.2 AA violation on any page
visited."""

import datetime as dt
import io
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader
from stdnum.gb import upn

from communities.models import RoleAssignment, School, User
from kentlocality.financial_years import quarter_of
from requests.models import ResourceRequest
from tests.fixtures import sign_in
from tests.test_senco_journey import evidence_pdf, submit_with_the_keyboard  # noqa: F401
from tests.worlds.steps import submitted

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/login/")


def other_requests_this_quarter(community, count: int = 5) -> None:
    """Requests from the CoS's other schools this quarter, so the area's count is shown
    as a number (counts below 5 are shown as "fewer than 5")."""
    schools = School.objects.filter(community=community, kind=School.Kind.MAINSTREAM).order_by(
        "pk"
    )[1:]
    for n, school in enumerate(schools[:count]):
        senco = User.objects.get(roles__role=RoleAssignment.Role.SENCO, roles__school=school)
        body = f"8862000260{n + 10:02d}"
        submitted(school=school, created_by=senco, upn=upn.calc_check_digit(body) + body)


def test_one_request_through_the_whole_service(page, live_server, demo, axe, evidence_pdf):  # noqa: F811
    chair = User.objects.get(email="chair@example.org")
    community = chair.roles.get(role=RoleAssignment.Role.CHAIR).community
    other_requests_this_quarter(community)

    # The SENCO, with the keyboard alone.
    sign_in(page, live_server, "senco@example.org")
    request = submit_with_the_keyboard(page, axe, evidence_pdf)
    sign_out(page)

    # The chair: a meeting today, the request on its agenda, attendance, approval.
    sign_in(page, live_server, "chair@example.org")
    expect(page.get_by_role("link", name=request.reference, exact=True)).to_be_visible()
    axe(page)
    page.get_by_role("link", name="Schedule a meeting").click()
    today = timezone.localdate()
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_label("Start time").fill("00:00")  # started whenever the test runs
    page.get_by_label("Where the meeting is held").fill("Spring Primary School, library")
    axe(page)
    page.get_by_role("button", name="Schedule the meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Meeting of {today:%-d %B %Y}")
    axe(page)
    page.get_by_role("link", name="Add requests to the agenda").click()
    page.get_by_label(re.compile(rf"{request.reference},")).check()
    axe(page)
    page.get_by_role("button", name="Add to the agenda").click()
    expect(page.get_by_text("1 request added to the agenda.")).to_be_visible()
    page.get_by_role("link", name="Record attendance").click()
    for group in page.get_by_role("group").all():
        label = group.get_by_label("Sent apologies")
        if label.count():
            label.check()
    axe(page)
    page.get_by_role("button", name="Save attendance").click()
    expect(page.get_by_text("Attendance has been recorded.")).to_be_visible()
    page.get_by_role("link", name=re.compile(rf"^Decide item \d+, {request.reference}$")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Decide {request.reference}")
    axe(page)
    page.get_by_label("Approve the amount requested (£7,500.00)").check()
    page.get_by_role("button", name="Continue").click()
    expect(
        page.get_by_role("heading", name="Check the decision before recording it")
    ).to_be_visible()
    axe(page)
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text(f"Decision recorded for {request.reference}")).to_be_visible()
    axe(page)
    sign_out(page)

    # The officer: the approved request is in the list; acknowledge it and pay.
    sign_in(page, live_server, "officer@example.org")
    expect(page.get_by_role("heading", level=1)).to_have_text("Approved requests")
    axe(page)
    page.get_by_role("link", name=request.reference).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Request for Resource {request.reference}"
    )
    axe(page)
    page.get_by_role("button", name="Acknowledge request").click()
    page.get_by_role("button", name="Record a payment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a payment")
    axe(page)
    page.get_by_label("Amount paid").fill("7,500.00")
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_label("Finance reference").fill("FIN-E2E-0001")
    page.get_by_label("Schools' advance").check()
    page.get_by_role("button", name="Record payment").click()
    expect(page.get_by_role("cell", name="FIN-E2E-0001")).to_be_visible()
    axe(page)
    request.refresh_from_db()
    assert request.status == "closed"
    sign_out(page)

    # The Area Board member: this quarter's report, downloaded, with the request counted.
    sign_in(page, live_server, "board@example.org")
    axe(page)
    page.get_by_role("link", name="Ask for a report for other dates").click()
    quarter = quarter_of(today)
    # A report over other dates covers a calendar month at least.
    start = min(quarter.start, today - dt.timedelta(days=31))
    for group_name, day in (("Start date", start), ("End date", today)):
        group = page.get_by_role("group", name=group_name)
        group.get_by_label("Day").fill(str(day.day))
        group.get_by_label("Month").fill(str(day.month))
        group.get_by_label("Year").fill(str(day.year))
    axe(page)
    page.get_by_role("button", name="Ask for the report").click()
    expect(page.get_by_role("link", name=re.compile("Download the PDF"))).to_be_visible(
        timeout=60_000
    )
    axe(page)
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("Download the PDF")).click()
    with open(info.value.path(), "rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)
    received = ResourceRequest.objects.filter(
        community__area=community.area, first_submitted_at__date__gte=start
    ).count()
    assert received == 6  # five others and ours
    assert re.search(r"Requests received 6\b", text), text[:2000]
    # Ours is the one award: a count of fewer than 5, so its amount is not shown.
    assert re.search(r"Approvals and part-approvals \(awards\) fewer than 5", text), text[:3000]
    assert "Amount approved not shown" in text
    assert (
        request.first_name not in text and request.upn not in text and request.reference not in text
    )
