"""A vice-chair and a clerk per CoS (issue 15 item 7), in the permission matrix's style:
the same world of real objects, each URL requested by each role.

A vice-chair can do everything a chair can. A clerk schedules meetings, builds agendas,
records attendance and declarations and publishes the minutes (closes the meeting), but
never decides, and never sees a pupil's identity."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from communities.models import RoleAssignment
from communities.tests.factories import RoleAssignmentFactory, UserFactory
from requests.services import (
    agenda_add,
    decision_record,
    declaration_add,
    meeting_close,
    meeting_create,
)
from tests.worlds.steps import approval, attended_by_all, submitted
from tests.worlds.world import World


def _role(w: World, role: str):
    return RoleAssignmentFactory(
        user=UserFactory(), role=role, community=w.objects["community"]
    ).user


def _upcoming(w: World, key: str) -> dict:
    return {"pk": w.objects["upcoming"].pk, key: w.objects["upcoming_item"].pk}


# url name -> (kwargs, what the vice-chair gets, what the clerk gets)
RULES = {
    "requests:community": (lambda w: {"community_id": w.objects["community"].pk}, 200, 200),
    "requests:meetings": (lambda w: {"community_id": w.objects["community"].pk}, 200, 200),
    "requests:meeting_new": (lambda w: {"community_id": w.objects["community"].pk}, 200, 200),
    "requests:meeting": (lambda w: {"pk": w.objects["upcoming"].pk}, 200, 200),
    "requests:meeting_edit": (lambda w: {"pk": w.objects["upcoming"].pk}, 200, 200),
    "requests:meeting_cancel": (lambda w: {"pk": w.objects["upcoming"].pk}, 200, 200),
    "requests:agenda_add": (lambda w: {"pk": w.objects["upcoming"].pk}, 200, 200),
    "requests:attendance": (lambda w: {"pk": w.objects["upcoming"].pk}, 200, 200),
    "requests:declarations": (lambda w: {"pk": w.objects["upcoming"].pk}, 200, 200),
    "requests:meeting_close": (lambda w: {"pk": w.objects["upcoming"].pk}, 200, 200),
    "requests:minutes": (lambda w: {"pk": w.objects["held"].pk}, 200, 200),
    "requests:minutes_pdf": (lambda w: {"pk": w.objects["held"].pk}, 200, 200),
    "requests:agenda_pdf": (lambda w: {"pk": w.objects["upcoming"].pk}, 200, 200),
    # Deciding is the chair's and the vice-chair's alone.
    "requests:decide": (lambda w: _upcoming(w, "item_id"), 200, 403),
    "requests:ratify": (lambda w: _upcoming(w, "item_id"), 302, 403),
    # A request itself, with its pupil: the chair's, not the clerk's.
    "requests:detail": (lambda w: {"pk": w.objects["waiting"].pk}, 200, 404),
    "requests:interim": (lambda w: {"pk": w.objects["waiting"].pk}, 302, 404),
    "requests:meeting_summary": (lambda w: {"pk": w.objects["waiting"].pk}, 200, 404),
}


@pytest.mark.parametrize("name", sorted(RULES))
def test_vice_chair_and_clerk_on_each_page(client, world, name):
    kwargs, vice_chair_gets, clerk_gets = RULES[name]
    url = reverse(name, kwargs=kwargs(world))
    for role, want in (
        (RoleAssignment.Role.VICE_CHAIR, vice_chair_gets),
        (RoleAssignment.Role.CLERK, clerk_gets),
    ):
        client.force_login(_role(world, role))
        response = client.get(url)
        assert response.status_code == want, f"{role} GET {url}: {response.status_code}"
        if role == RoleAssignment.Role.CLERK and want == 200 and not url.endswith(".pdf"):
            html = response.content.decode()
            assert not [s for s in world.secrets if s in html], f"clerk reads a pupil on {url}"


def test_the_clerk_runs_a_meeting_but_cannot_decide(world):
    clerk = _role(world, RoleAssignment.Role.CLERK)
    community = world.objects["community"]
    meeting = meeting_create(
        actor=clerk,
        community=community,
        date=timezone.localdate(),
        start_time=dt.time(0, 0),
        place="Library",
    )
    request = submitted(school=world.objects["school"], created_by=world.people["senco"])
    item = agenda_add(actor=clerk, meeting_id=meeting.pk, request_id=request.pk)
    declaration_add(actor=clerk, meeting_id=meeting.pk, person_name="A", details="Governor")
    with pytest.raises(PermissionDenied):
        decision_record(actor=clerk, item_id=item.pk, award=approval())
    item.refresh_from_db()
    assert item.outcome == ""
    decision_record(actor=world.people["chair"], item_id=item.pk, award=approval())
    attended_by_all(meeting, clerk)
    assert meeting_close(actor=clerk, meeting_id=meeting.pk).is_closed


def test_the_vice_chair_decides_as_the_chair_does(world):
    vice_chair = _role(world, RoleAssignment.Role.VICE_CHAIR)
    meeting = world.objects["upcoming"]
    meeting.date = timezone.localdate()
    meeting.save(update_fields=["date"])
    decision = decision_record(
        actor=vice_chair, item_id=world.objects["upcoming_item"].pk, award=approval()
    )
    assert decision.decided_by == vice_chair


def test_the_clerks_meeting_page_offers_no_decision(client, world):
    client.force_login(_role(world, RoleAssignment.Role.CLERK))
    page = client.get(reverse("requests:meeting", args=[world.objects["upcoming"].pk]))
    html = page.content.decode()
    assert "Record attendance" in html and "Add requests to the agenda" in html
    assert reverse("requests:decide", kwargs=_upcoming(world, "item_id")) not in html
    assert reverse("requests:detail", args=[world.objects["waiting"].pk]) not in html


def test_a_clerk_of_another_cos_finds_nothing(client, world):
    from communities.tests.factories import CommunityFactory

    other = RoleAssignmentFactory(
        user=UserFactory(), role=RoleAssignment.Role.CLERK, community=CommunityFactory()
    ).user
    client.force_login(other)
    for name, (kwargs, _, _) in RULES.items():
        url = reverse(name, kwargs=kwargs(world))
        assert client.get(url).status_code == 404, url
