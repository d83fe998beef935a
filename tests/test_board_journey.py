"""An Area Board member in a real Chromium: the board's home with the quarter's figures,
the archive, a report's page, downloading its PDF, a CoS's page and asking for a report
over other dates. axe-core finds no WCAG 2.2 AA violation on any page."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from communities.models import User
from reporting import services
from reporting.models import Report
from tests.fixtures import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_board_member_opens_the_archive_and_downloads_a_pdf(page, live_server, demo, axe):
    officer = User.objects.get(email="officer@example.org")
    area = officer.roles.get().area
    # Made as the schedule would; tasks run in the test process here, so it is ready.
    report = services.report_request(
        actor=officer, area_id=area.pk, start=dt.date(2026, 7, 1), end=dt.date(2026, 9, 30)
    )
    report.refresh_from_db()
    assert report.state == Report.State.READY, report.failure_reason

    sign_in(page, live_server, "board@example.org")
    # The board member's one place: the area's home.
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{area.name} area")
    expect(page.get_by_role("table", name="Area reports")).to_be_visible()
    expect(page.get_by_role("table", name="Communities of Schools side by side")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("Share of budget used"))).to_be_visible()
    axe(page)

    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile(r"PDF.*Q2 2026-27, version 1")).click()
    download = info.value
    assert download.suggested_filename.endswith("q2-2026-27-version-1.pdf")
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"

    page.get_by_role("link", name=f"{area.name} area: Q2 2026-27").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Report for Q2 2026-27")
    expect(page.get_by_role("link", name=re.compile("Download the PDF"))).to_be_visible()
    # Board members read; only officers and administrators make new versions.
    expect(page.get_by_role("button", name="Make a new version")).to_have_count(0)
    axe(page)

    page.get_by_role("link", name="Back").click()
    first_cos = area.communities.order_by("name").first()
    page.get_by_role("link", name=first_cos.name).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{first_cos.name}: reports")
    expect(page.get_by_role("heading", name="Meeting attendance")).to_be_visible()
    axe(page)

    page.get_by_role("link", name="Ask for a report for other dates").click()
    page.get_by_role("button", name="Ask for the report").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    axe(page)
    start = page.get_by_role("group", name="Start date")
    start.get_by_label("Day").fill("1")
    start.get_by_label("Month").fill("4")
    start.get_by_label("Year").fill("2026")
    end = page.get_by_role("group", name="End date")
    end.get_by_label("Day").fill("30")
    end.get_by_label("Month").fill("9")
    end.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Ask for the report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Report for 1 April 2026 to 30 September 2026"
    )
    expect(page.get_by_role("link", name=re.compile("Download the PDF"))).to_be_visible()
    axe(page)


def test_an_officer_sees_a_new_version_made(page, live_server, demo, axe):
    officer = User.objects.get(email="officer@example.org")
    area = officer.roles.get().area
    first = services.report_request(
        actor=officer, area_id=area.pk, start=dt.date(2026, 4, 1), end=dt.date(2026, 6, 30)
    )
    sign_in(page, live_server, "officer@example.org")
    page.goto(f"{live_server.url}/reports/{first.pk}/")
    page.get_by_role("button", name="Make a new version").click()
    expect(page.get_by_role("main")).to_contain_text("Version 2")
    expect(page.get_by_role("link", name=re.compile("Download the PDF"))).to_be_visible()
    axe(page)
