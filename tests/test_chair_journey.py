"""The chair runs a whole meeting in a real Chromium: schedules it, adds requests, records
attendance, approves one, part-approves one, declines one, defers one, sees the budget
move, closes the meeting. axe-core finds no WCAG 2.2 AA violation on any page visited.
A member school's SENCO then reads the agenda without any pupil named."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from budgets.selectors import budget_position
from communities.models import RoleAssignment, School, User
from kentlocality.financial_years import financial_year_of, year_bounds
from kentlocality.templatetags.formatting import format_pounds
from requests.models import Decision, Meeting
from tests.fixtures import sign_in
from tests.worlds.steps import submitted

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUPILS = [
    ("Ottoline", "Quartermaine", Decimal("8000.00")),
    ("Peregrine", "Wolstenholme", Decimal("12000.00")),
    ("Hermione", "Featherstonehaugh", Decimal("6400.00")),
    ("Barnaby", "Cholmondeley", Decimal("9000.00")),
]


def _submitted_requests(community) -> list:
    """Four requests from member schools of the chair's CoS, submitted by their SENCOs.
    Each award falls wholly in this financial year, so the budget moves by its amount."""
    start = year_bounds(financial_year_of(timezone.localdate()))[0] + dt.timedelta(days=1)
    made = []
    schools = School.objects.filter(community=community, kind=School.Kind.MAINSTREAM)
    for (first, last, amount), school in zip(PUPILS, schools.order_by("pk"), strict=False):
        senco = User.objects.get(roles__role=RoleAssignment.Role.SENCO, roles__school=school)
        made.append(
            submitted(
                school=school,
                created_by=senco,
                first_name=first,
                last_name=last,
                amount=amount,
                start_date=start,
                end_date=start + dt.timedelta(days=180),
            )
        )
    return made


def _remaining(page):
    return page.locator('[data-figure="remaining"]').first


def _decide(page, axe, reference: str, choose, *, expect_below: str | None = None) -> None:
    page.get_by_role("link", name=re.compile(rf"^Decide item \d+, {reference}$")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Decide {reference}")
    axe(page)
    choose()
    page.get_by_role("button", name="Continue").click()
    expect(
        page.get_by_role("heading", name="Check the decision before recording it")
    ).to_be_visible()
    if expect_below is not None:
        expect(page.locator("#budget-effect")).to_contain_text(expect_below)
    axe(page)
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text(f"Decision recorded for {reference}")).to_be_visible()


def test_a_chair_runs_a_whole_meeting(page, live_server, demo, axe):
    chair = User.objects.get(email="chair@example.org")
    community = chair.roles.get(role=RoleAssignment.Role.CHAIR).community
    year = financial_year_of(timezone.localdate())
    approve_me, part_me, decline_me, defer_me = _submitted_requests(community)
    before = budget_position(community.pk, year)

    sign_in(page, live_server, "chair@example.org")
    expect(page.get_by_role("heading", level=1)).to_have_text(community.name)
    expect(_remaining(page)).to_have_text(format_pounds(before.in_whole_pounds.remaining))
    for request in (approve_me, part_me, decline_me, defer_me):
        expect(page.get_by_role("link", name=request.reference, exact=True)).to_be_visible()
    axe(page)

    # Schedule the meeting: first with a mistake, then properly.
    page.get_by_role("link", name="Schedule a meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Schedule a meeting")
    axe(page)
    page.get_by_label("Start time").fill("half past four")
    page.get_by_role("button", name="Schedule the meeting").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.get_by_role("link", name="Enter the date of the meeting")).to_be_visible()
    axe(page)
    today = timezone.localdate()
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    # Midnight: the meeting has started, and can be closed, whenever the test runs.
    page.get_by_label("Start time").fill("00:00")
    page.get_by_label("Where the meeting is held").fill("Spring Primary School, library")
    page.get_by_role("button", name="Schedule the meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Meeting of {today:%-d %B %Y}")
    meeting = Meeting.objects.get(community=community)
    axe(page)

    # Build the agenda from the waiting requests.
    page.get_by_role("link", name="Add requests to the agenda").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add requests to the agenda")
    axe(page)
    for request in (approve_me, part_me, decline_me, defer_me):
        page.get_by_label(re.compile(rf"{request.reference},")).check()
    page.get_by_role("button", name="Add to the agenda").click()
    expect(page.get_by_text("4 requests added to the agenda.")).to_be_visible()
    agenda = page.get_by_role("table", name=re.compile("Agenda of the meeting"))
    expect(agenda.get_by_role("row")).to_have_count(5)
    axe(page)
    # Reorder: the last item up one place, and back down again.
    page.get_by_role("button", name=f"Move up item 4, {defer_me.reference}").click()
    expect(agenda.get_by_role("row").nth(3)).to_contain_text(defer_me.reference)
    expect(agenda.get_by_role("row").nth(4)).to_contain_text(decline_me.reference)
    page.get_by_role("button", name=f"Move down item 3, {defer_me.reference}").click()
    expect(agenda.get_by_role("row").nth(4)).to_contain_text(defer_me.reference)

    # Attendance for every member school.
    page.get_by_role("link", name="Record attendance").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Attendance")
    axe(page)
    members = list(
        School.objects.filter(community=community, kind=School.Kind.MAINSTREAM, is_open=True)
        .order_by("name")
        .values_list("name", flat=True)
    )
    host, represented, *others = members
    group = page.get_by_role("group", name=host, exact=True)
    group.get_by_label("Attended", exact=True).check()
    page.get_by_label(f"Name of the representative of {host}").fill("Sarah Senco")
    page.get_by_role("group", name=represented, exact=True).get_by_label(
        "Represented by another school"
    ).check()
    page.get_by_label(f"School that represented {represented}").select_option(label=host)
    for name in others:
        page.get_by_role("group", name=name, exact=True).get_by_label("Sent apologies").check()
    axe(page)
    page.get_by_role("button", name="Save attendance").click()
    expect(page.get_by_text("Attendance has been recorded.")).to_be_visible()
    expect(
        page.get_by_text(f"Recorded for {len(members)} of {len(members)} member schools")
    ).to_be_visible()

    # Approve one.
    _decide(
        page,
        axe,
        approve_me.reference,
        lambda: page.get_by_label("Approve the amount requested (£8,000.00)").check(),
    )
    # Part-approve one: first above the amount requested, then a lower amount.
    page.get_by_role("link", name=re.compile(rf"^Decide item \d+, {part_me.reference}$")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Decide {part_me.reference}")
    page.get_by_label("Part-approve a lower amount").check()
    page.get_by_label("Amount awarded").fill("12,500")
    page.get_by_label("Reason for the decision").fill("Two terms now; review in the spring.")
    page.get_by_role("button", name="Continue").click()
    expect(
        page.get_by_role("link", name="Amount awarded cannot be more than the £12,000.00 requested")
    ).to_be_visible()
    axe(page)
    page.get_by_label("Amount awarded").fill("7,500.50")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("#budget-effect")).to_contain_text("£7,500.50")
    axe(page)
    page.get_by_role("button", name="Record the decision").click()
    expect(
        page.get_by_text(f"Decision recorded for {part_me.reference}: part-approved")
    ).to_be_visible()
    # Decline one.
    _decide(
        page,
        axe,
        decline_me.reference,
        lambda: (
            page.get_by_label("Decline", exact=True).check(),
            page.get_by_label("Reason for the decision").fill(
                "The school's own provision has not yet been tried."
            ),
        ),
    )
    # Defer one.
    _decide(
        page,
        axe,
        defer_me.reference,
        lambda: (
            page.get_by_label("Defer to a later meeting").check(),
            page.get_by_label("Reason for the decision").fill("Waiting for the therapy report."),
        ),
    )

    # The budget has moved by the two awards, to the penny.
    awarded = Decimal("8000.00") + Decimal("7500.50")
    after = budget_position(community.pk, year)
    assert after.remaining == before.remaining - awarded
    expect(_remaining(page)).to_have_text(format_pounds(after.in_whole_pounds.remaining))
    for word in ("Approved", "Part-approved", "Declined", "Deferred", "£7,500.50"):
        expect(agenda).to_contain_text(word)
    assert {d.outcome for d in Decision.objects.all()} == {
        "approved",
        "part_approved",
        "declined",
        "deferred",
    }
    axe(page)

    # Close the meeting and read the minutes.
    page.get_by_role("link", name="Close the meeting").click()
    expect(page.get_by_role("button", name="Close the meeting")).to_be_visible()
    axe(page)
    page.get_by_role("button", name="Close the meeting").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Minutes of the meeting")
    minutes = page.locator("main").inner_text()
    assert "Attended: Sarah Senco" in minutes and f"Represented by {host}" in minutes
    for first, last, _amount in PUPILS:
        assert first not in minutes and last not in minutes
    axe(page)

    # Back home: the new position, and the deferred request waiting again.
    page.get_by_role("link", name="Community of Schools").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(community.name)
    expect(_remaining(page)).to_have_text(format_pounds(after.in_whole_pounds.remaining))
    waiting = page.get_by_role("table", name="Requests waiting for a meeting, oldest first")
    expect(waiting).to_contain_text(defer_me.reference)
    expect(waiting).not_to_contain_text(approve_me.reference)
    axe(page)
    page.get_by_role("link", name="Financial information").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Financial information")
    expect(_remaining(page)).to_have_text(format_pounds(after.in_whole_pounds.remaining))
    axe(page)

    # A member school's SENCO reads the agenda: no pupil is named.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server, "senco@example.org")
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    expect(page.get_by_role("heading", level=2, name="Agenda")).to_be_visible()
    text = page.locator("main").inner_text()
    assert approve_me.reference in text and "£8,000.00" in text
    for first, last, _amount in PUPILS:
        assert first not in text and last not in text
    assert approve_me.upn not in text
    axe(page)


def test_an_interim_decision_is_ratified_at_the_next_meeting(page, live_server, demo, axe):
    chair = User.objects.get(email="chair@example.org")
    community = chair.roles.get(role=RoleAssignment.Role.CHAIR).community
    senco = User.objects.get(email="senco@example.org")
    school = senco.roles.get(role=RoleAssignment.Role.SENCO).school
    start = year_bounds(financial_year_of(timezone.localdate()))[0] + dt.timedelta(days=1)
    request = submitted(
        school=school,
        created_by=senco,
        amount=Decimal("3000.00"),
        start_date=start,
        end_date=start + dt.timedelta(days=90),
        is_exceptional=True,
        exceptional_reason="tribunal",
        exceptional_why_now="A tribunal ordered support from next week.",
    )

    sign_in(page, live_server, "chair@example.org")
    page.get_by_role("link", name=request.reference, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(request.reference)
    expect(page.get_by_text("Exceptional request").first).to_be_visible()
    axe(page)
    page.get_by_role("link", name="Make an interim decision").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Interim decision on")
    axe(page)
    page.get_by_label("Part-approve a lower amount").check()
    page.get_by_label("Amount awarded").fill("2500")
    page.get_by_label("Reason for the decision").fill("Until the annual review.")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("#budget-effect")).to_contain_text("£2,500.00")
    axe(page)
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("It will be put to the next meeting for ratification")).to_be_visible()
    expect(
        page.get_by_role("heading", name="Interim decisions waiting for ratification")
    ).to_be_visible()
    axe(page)

    # The next meeting takes it for ratification; the chair ratifies it there.
    page.get_by_role("link", name="Schedule a meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Schedule a meeting")
    today = timezone.localdate()
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_label("Start time").fill("00:00")
    page.get_by_label("Link to join online (optional)").fill("https://teams.example.org/meet/42")
    page.get_by_role("button", name="Schedule the meeting").click()
    expect(page.get_by_text("Interim decision to ratify")).to_be_visible()
    page.get_by_role("link", name="Change the meeting's details").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change the meeting's details")
    axe(page)
    page.get_by_label("Where the meeting is held").fill("Council chamber")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Council chamber")).to_be_visible()

    page.get_by_role("link", name="Record declarations of interest").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Declarations of interest")
    axe(page)
    page.get_by_label("Name of the person declaring an interest").fill("Tom Taylor")
    page.get_by_label("Interest declared").fill("Governor at the requesting school")
    page.get_by_role("button", name="Record the declaration").click()
    expect(page.get_by_role("cell", name="Tom Taylor", exact=True)).to_be_visible()
    axe(page)
    page.get_by_role("link", name="Back to the meeting").first.click()

    page.get_by_role(
        "link", name=re.compile(rf"^Ratify or revise item 1, {request.reference}$")
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ratify the interim decision")
    axe(page)
    page.get_by_role("button", name="Continue").click()
    expect(
        page.get_by_role("link", name="Select whether to ratify or revise the interim decision")
    ).to_be_visible()
    axe(page)
    page.get_by_label("Ratify the interim decision").check()
    page.get_by_role("button", name="Continue").click()
    expect(
        page.get_by_text(f"The interim decision on {request.reference} has been ratified.")
    ).to_be_visible()

    # Closing needs an attendance entry for every member school: it says which are missing.
    page.get_by_role("link", name="Close the meeting").click()
    page.get_by_role("button", name="Close the meeting").click()
    expect(page.get_by_text("Not yet recorded:")).to_be_visible()
    page.get_by_role("link", name="Record attendance", exact=True).click()
    page.get_by_role("link", name="Mark all as attended").click()
    members = School.objects.filter(
        community=community, kind=School.Kind.MAINSTREAM, is_open=True
    ).values_list("name", flat=True)
    for name in members:
        page.get_by_label(f"Name of the representative of {name}").fill("A representative")
    page.get_by_role("button", name="Save attendance").click()
    expect(page.get_by_text("Attendance has been recorded.")).to_be_visible()
    page.get_by_role("link", name="Close the meeting").click()
    page.get_by_role("button", name="Close the meeting").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Minutes of the meeting")
    minutes = page.locator("main")
    for text in ("Ratified", "£2,500.00", "Tom Taylor"):
        expect(minutes).to_contain_text(text)
    page.get_by_role("link", name="Back to the meeting").click()
    page.get_by_role("link", name=f"Back to {community.name}").click()
    page.get_by_role("link", name="All meetings and minutes").click()
    expect(page.get_by_role("link", name=re.compile("Minutes of the meeting of"))).to_be_visible()
    axe(page)

    # The school sees the decision, its amount and reason.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server, "senco@example.org")
    page.get_by_role("link", name=re.compile(request.reference)).click()
    decision = page.locator(".govuk-summary-card").first
    expect(decision).to_contain_text("Interim decision: part-approved")
    expect(decision).to_contain_text("£2,500.00")
    expect(decision).to_contain_text("Until the annual review.")
    axe(page)
