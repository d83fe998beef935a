"""The HNF Monitoring Officer in a real Chromium: officer@example.org finds an approved
request, acknowledges it, records a payment (after a mistake), downloads the XLSX for
finance, and looks at the CoS budget. axe-core finds no WCAG 2.2 AA violation on any
page visited."""

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from budgets.statements import statements_create
from communities.models import RoleAssignment, User
from requests.models import ResourceRequest
from tests.fixtures import sign_in
from tests.worlds.steps import approved, scheduled, submitted

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def approved_in_demo_cos() -> ResourceRequest:
    """An £8,000 request of senco@example.org approved by chair@example.org, through the
    real services."""
    senco = User.objects.get(email="senco@example.org")
    chair = User.objects.get(email="chair@example.org")
    school = RoleAssignment.objects.get(user=senco, role="senco").school
    request = submitted(school=school, created_by=senco)
    meeting = scheduled(request.community, chair=chair, place="Oak Primary School")
    # The demo CoS has its budgets.
    return approved(request=request, meeting=meeting, chair=chair, budget=None)


def test_officer_acknowledges_pays_and_exports(page, live_server, demo, axe):
    request = approved_in_demo_cos()
    today = timezone.localdate()

    sign_in(page, live_server, "officer@example.org")
    expect(page.get_by_role("heading", level=1)).to_have_text("Approved requests")
    axe(page)
    row = page.get_by_role("row").filter(has_text=request.reference)
    expect(row).to_contain_text("Not yet")
    expect(row).to_contain_text("On track")

    page.get_by_role("link", name=request.reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(request.reference)
    axe(page)
    page.get_by_role("button", name="Acknowledge request").click()
    expect(page.get_by_text(f"You have acknowledged Request for Resource {request.reference}"))
    axe(page)

    page.get_by_role("button", name="Record a payment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a payment")
    axe(page)
    # A mistake first: nothing typed.
    page.get_by_role("button", name="Record payment").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.get_by_role("link", name="Enter the amount paid")).to_be_visible()
    axe(page)
    page.get_by_label("Amount paid").fill("3,000")
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_label("Finance reference").fill("FIN-2026-0042")
    page.get_by_label("Schools' advance").check()
    page.get_by_role("button", name="Record payment").click()
    expect(
        page.get_by_text(f"Payment of £3,000.00 recorded for {request.reference}.")
    ).to_be_visible()
    expect(page.get_by_text("£5,000.00 still to pay")).to_be_visible()
    axe(page)

    # The reversal page (looked at, not used).
    page.get_by_role("link", name=re.compile("^Reverse")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reverse a payment")
    axe(page)
    page.get_by_role("link", name="Back to the request").click()

    page.get_by_role("link", name="Approved requests").first.click()
    row = page.get_by_role("row").filter(has_text=request.reference)
    expect(row).to_contain_text("£3,000.00")
    axe(page)

    page.get_by_role("link", name="Export payments due and made").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Export payments for finance")
    axe(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("spreadsheet, XLSX")).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    workbook = load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
    due, made = workbook.worksheets
    assert due.cell(row=2, column=1).value == request.reference
    assert float(due.cell(row=2, column=11).value) == 5000
    assert made.cell(row=2, column=2).value == request.reference
    assert float(made.cell(row=2, column=6).value) == 3000
    assert made.cell(row=2, column=8).value == "FIN-2026-0042"

    page.get_by_role("link", name="Back to approved requests").click()
    page.get_by_role("link", name="Every Community of Schools' budget").click()
    page.get_by_role("link", name=request.community.name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Budget and monthly updates")
    expect(
        page.get_by_role("img", name=re.compile("total, committed and paid this year"))
    ).to_be_visible()
    axe(page)
    # Last month's update, as beat stores it on the first working day.
    last_month = today.replace(day=1) - dt.timedelta(days=1)
    assert len(statements_create(last_month, [request.community_id])) == 1
    page.reload()
    page.get_by_role("link", name=f"{last_month:%B %Y}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Budget update for {last_month:%B %Y}"
    )
    expect(page.get_by_text("Month by month")).to_be_visible()
    axe(page)
