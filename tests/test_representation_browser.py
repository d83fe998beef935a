"""Representation arranged ahead, in a real Chromium (issue 15 item 3): a SENCO whose
school has a request on the agenda names another member school to represent it; the
chair sees it on the meeting page, finds attendance pre-filled with it, and cannot close
the meeting until every member school has an entry. axe-clean on every page visited."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from communities.models import RoleAssignment, School, User
from requests.models import Attendance, Representation
from requests.services import decision_record
from tests.fixtures import sign_in
from tests.test_end_to_end import sign_out
from tests.worlds.steps import approval, on_agenda, submitted

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_senco_arranges_representation_and_the_chair_closes_with_full_attendance(
    page, live_server, demo, axe
):
    senco = User.objects.get(email="senco@example.org")
    school = senco.roles.get(role=RoleAssignment.Role.SENCO).school
    chair = User.objects.get(email="chair@example.org")
    members = list(
        School.objects.filter(community=school.community, kind=School.Kind.MAINSTREAM, is_open=True)
        .exclude(pk=school.pk)
        .order_by("name")
    )
    representing = members[0]
    item = on_agenda(submitted(school=school, created_by=senco), chair=chair)
    meeting = item.meeting
    decision_record(actor=chair, item_id=item.pk, award=approval())
    meeting_url = f"{live_server.url}{reverse('requests:meeting', args=[meeting.pk])}"

    # The SENCO names the representing school from the meeting's agenda.
    sign_in(page, live_server, "senco@example.org")
    page.goto(meeting_url)
    page.get_by_role("link", name=f"Ask another school to represent {school.name}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Ask another school to represent yours"
    )
    axe(page)
    page.get_by_role("button", name="Ask this school to represent us").click()
    expect(
        page.get_by_role("link", name="Select the member school that will represent yours")
    ).to_be_visible()
    axe(page)
    page.get_by_label("Which member school will represent yours?").select_option(
        label=representing.name
    )
    page.get_by_role("button", name="Ask this school to represent us").click()
    expect(
        page.get_by_text(f"{representing.name} will represent {school.name}.").first
    ).to_be_visible()
    axe(page)
    assert Representation.objects.get(meeting=meeting).represented_by == representing
    sign_out(page)

    # The chair sees it, and cannot close the meeting before every school has an entry.
    sign_in(page, live_server, "chair@example.org")
    page.goto(meeting_url)
    expect(page.get_by_text(f"{school.name} is represented by {representing.name}")).to_be_visible()
    axe(page)
    page.get_by_role("link", name="Close the meeting").click()
    page.get_by_role("button", name="Close the meeting").click()
    expect(page.get_by_role("link", name=re.compile("Not yet recorded: "))).to_be_visible()
    axe(page)
    page.get_by_role("link", name="Record attendance", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Attendance")
    group = page.get_by_role("group", name=school.name, exact=True)
    expect(group.get_by_label("Represented by another school")).to_be_checked()
    expect(page.get_by_label(f"School that represented {school.name}")).to_have_value(
        str(representing.pk)
    )
    axe(page)
    # Only the representing school answered for: the others are still missing.
    page.get_by_role("group", name=representing.name, exact=True).get_by_label(
        "Attended", exact=True
    ).check()
    page.get_by_label(f"Name of the representative of {representing.name}").fill("Rita Rep")
    page.get_by_role("button", name="Save attendance").click()
    expect(page.get_by_text("Attendance has been recorded.")).to_be_visible()
    others = [s.name for s in members[1:]]
    page.get_by_role("link", name="Close the meeting").click()
    if others:
        page.get_by_role("button", name="Close the meeting").click()
        expect(page.get_by_role("link", name=re.compile("Not yet recorded: "))).to_contain_text(
            others[0]
        )
        page.get_by_role("link", name="Record attendance", exact=True).click()
        page.get_by_role("link", name="Mark all as attended").click()
        for name in others:
            page.get_by_label(f"Name of the representative of {name}").fill("A representative")
        axe(page)
        page.get_by_role("button", name="Save attendance").click()
        expect(page.get_by_text("Attendance has been recorded.")).to_be_visible()
        page.get_by_role("link", name="Close the meeting").click()
    page.get_by_role("button", name="Close the meeting").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Minutes of the meeting")
    axe(page)
    recorded = dict(meeting.attendance.values_list("school_id", "status"))
    assert recorded[school.pk] == Attendance.Status.REPRESENTED
    assert len(recorded) == len(members) + 1
