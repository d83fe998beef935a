"""What members of a CoS see, in a real Chromium (issue 15 items 1 and 2): the SENCO goes
from the school's page to their Community of Schools, reads its budget, a meeting's case
summaries and the financial pages; the chair edits a summary for the meeting. axe-core
finds no WCAG 2.2 AA violation on any of these pages, at 1280 and 390 px wide."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from communities.models import RoleAssignment, School, User
from tests.fixtures import sign_in
from tests.test_end_to_end import sign_out
from tests.worlds.steps import on_agenda, submitted

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} is {width} px wide"


def test_a_member_reads_the_cos_and_the_chair_edits_a_summary(page, live_server, demo, axe):
    senco = User.objects.get(email="senco@example.org")
    school = senco.roles.get(role=RoleAssignment.Role.SENCO).school
    other = (
        School.objects.filter(community=school.community, kind=School.Kind.MAINSTREAM)
        .exclude(pk=school.pk)
        .order_by("name")
        .first()
    )
    item = on_agenda(
        submitted(
            school=other,
            meeting_summary="Reading age two years behind despite daily phonics.",
        ),
        chair=User.objects.get(email="chair@example.org"),
    )

    sign_in(page, live_server, "senco@example.org")
    page.get_by_role("link", name="Your Community of Schools").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(school.community.name)
    expect(page.locator('[data-figure="remaining"]')).to_be_visible()
    axe(page)
    page.get_by_role("link", name="Monthly budget updates").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Budget and monthly updates")
    axe(page)
    page.go_back()
    page.get_by_role("link", name="Financial information").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Financial information")
    axe(page)
    page.goto(f"{live_server.url}{reverse('requests:meeting', args=[item.meeting_id])}")
    expect(page.get_by_text("Reading age two years behind despite daily phonics.")).to_be_visible()
    axe(page)
    page.set_viewport_size({"width": 390, "height": 844})
    _fits(page)
    axe(page)
    page.goto(f"{live_server.url}{reverse('requests:members', args=[school.community_id])}")
    _fits(page)
    axe(page)
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_out(page)

    sign_in(page, live_server, "chair@example.org")
    page.goto(f"{live_server.url}{reverse('requests:detail', args=[item.request_id])}")
    page.get_by_role("link", name="Edit the summary for the meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Summary for the meeting")
    axe(page)
    page.get_by_label("Summary for the meeting").fill("x" * 1001)
    page.get_by_role("button", name="Save the summary").click()
    expect(
        page.get_by_role("link", name="Summary for the meeting must be 1,000 characters or fewer")
    ).to_be_visible()
    axe(page)
    page.get_by_label("Summary for the meeting").fill("Reading age two years behind.")
    page.get_by_role("button", name="Save the summary").click()
    expect(page.get_by_text("The summary for the meeting has been saved.")).to_be_visible()
