"""In a real Chromium: the chair records a decision, the school's SENCO sees one unread
notification in the header and follows it, with the keyboard alone, to the request and
its decision; the notifications and preferences pages fit a 390 px screen, work with the
keyboard, and axe-core finds no WCAG 2.2 AA violation on them."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from communities.models import RoleAssignment, User
from requests.models import NotificationPreference
from requests.notifications.services import notifications_mark_all_read
from tests.fixtures import sign_in
from tests.keyboard import choose_radio, press
from tests.worlds.steps import on_agenda

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "The school's own provision has not yet been tried for a full term."


def fits(page, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    overflow = page.evaluate("() => document.documentElement.scrollWidth")
    assert overflow <= width, f"{page.url} is {overflow} px wide at {width} px"


def test_the_school_hears_of_the_chairs_decision_and_follows_it(page, live_server, demo, axe):
    senco = User.objects.get(email="senco@example.org")
    school = senco.roles.get(role=RoleAssignment.Role.SENCO).school
    chair = school.community.chair
    item = on_agenda(school=school, created_by=senco, chair=chair)
    request = item.request
    notifications_mark_all_read(user=senco)  # the meeting and the agenda: already read

    sign_in(page, live_server, chair.email)
    page.goto(f"{live_server.url}/meetings/{item.meeting_id}/")
    page.get_by_role("link", name=re.compile(rf"^Decide item \d+, {request.reference}$")).click()
    page.get_by_label("Decline", exact=True).check()
    page.get_by_label("Reason for the decision").fill(REASON)
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text(f"Decision recorded for {request.reference}")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/login/")
    # The email went at once (after the decision's commit), to the school's SENCOs.
    told = [m for m in mail.outbox if m.subject == f"{request.reference} declined"]
    assert sorted(m.to[0] for m in told) == sorted(
        User.objects.filter(roles__role="senco", roles__school=school).values_list(
            "email", flat=True
        )
    )

    sign_in(page, live_server, "senco@example.org")
    header = page.get_by_role("link", name="Notifications 1 unread")
    expect(header).to_be_visible()
    axe(page)
    press(page, 'a[href="/notifications/"]')
    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    expect(page.get_by_text("You have 1 unread notification.")).to_be_visible()
    axe(page)
    fits(page, 390)
    axe(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    newest = page.get_by_role("link", name=f"{request.reference} declined")
    expect(newest).to_be_visible()
    press(page, f'a:text-is("{request.reference} declined")')
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Request for Resource {request.reference}"
    )
    decision = page.locator(".govuk-summary-card", has_text="Decision: declined")
    expect(decision).to_be_visible()
    expect(decision.get_by_text(REASON)).to_be_visible()
    # Opened, so read: the header counts nothing now.
    expect(page.get_by_role("link", name="Notifications", exact=True)).to_be_visible()


def test_the_senco_chooses_a_daily_summary_with_the_keyboard(page, live_server, demo, axe):
    senco = User.objects.get(email="senco@example.org")
    sign_in(page, live_server, senco.email)
    page.goto(f"{live_server.url}/notifications/preferences/")
    expect(page.get_by_role("heading", level=1)).to_have_text("How you are told")
    axe(page)
    fits(page, 390)
    axe(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    choose_radio(page, "agenda", 2)
    press(page, "button:text-is('Save preferences')")
    expect(page.get_by_text("Your notification preferences have been saved.")).to_be_visible()
    assert NotificationPreference.objects.get(user=senco, kind="agenda").timing == "daily"
    axe(page)
