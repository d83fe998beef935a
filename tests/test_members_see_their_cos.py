"""Members see their CoS (issue 15 item 1): every role of a member school sees its own
CoS's budget position (the chair's figures, to the penny), monthly updates, financial
information, quarterly reports, meetings, agendas and minutes, never a pupil; a member
of another CoS finds none of it (404)."""

from __future__ import annotations

import re

from django.urls import reverse
from django.utils import timezone

from budgets.selectors import budget_position
from communities.models import RoleAssignment
from communities.tests.factories import RoleAssignmentFactory, SchoolFactory, UserFactory
from kentlocality.financial_years import financial_year_of
from kentlocality.templatetags.formatting import format_money, format_pounds
from requests.services import meeting_close
from tests.worlds.steps import attended_by_all


def _headteacher(world):
    school = SchoolFactory(community=world.objects["community"])
    return RoleAssignmentFactory(
        user=UserFactory(), role=RoleAssignment.Role.HEADTEACHER, school=school
    ).user


def _figures(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-figure="(\w+)">([^<]+)<', html))


def _pages(w) -> list[str]:
    community = w.objects["community"].pk
    return [
        reverse("requests:members", args=[community]),
        reverse("budgets:statements", args=[community]),
        reverse("budgets:finance", args=[community]),
        reverse("reporting:community", args=[community]),
        reverse("requests:meeting", args=[w.objects["upcoming"].pk]),
    ]


def test_every_role_of_a_member_school_sees_the_cos_without_a_pupil(client, world):
    for person in (world.people["senco_same_cos"], world.people["senco"], _headteacher(world)):
        client.force_login(person)
        for url in _pages(world):
            response = client.get(url)
            assert response.status_code == 200, url
            if person != world.people["senco"]:  # the requesting school sees its own pupils
                html = response.content.decode()
                assert not [s for s in world.secrets if s in html], url


def test_the_members_chairs_officers_and_boards_figures_agree(client, world):
    community = world.objects["community"]
    position = budget_position(community.pk, financial_year_of(timezone.localdate()))
    client.force_login(world.people["senco_same_cos"])
    members = _figures(
        client.get(reverse("requests:members", args=[community.pk])).content.decode()
    )
    client.force_login(world.people["chair"])
    chairs = _figures(
        client.get(reverse("requests:community", args=[community.pk])).content.decode()
    )
    assert members == chairs
    shown = position.in_whole_pounds
    assert members == {
        "total": format_pounds(shown.total),
        "committed": format_pounds(shown.committed),
        "paid": format_pounds(shown.paid),
        "remaining": format_pounds(shown.remaining),
    }
    # The officer's page of the area's budgets has the same row for the CoS, and the
    # board's page the same figures to the penny.
    client.force_login(world.people["officer"])
    area_page = client.get(reverse("budgets:area", args=[community.area_id])).content.decode()
    row = re.search(rf'data-community="{re.escape(community.name)}">(.*?)</tr>', area_page, re.S)
    assert re.findall(r"kent-money\">([^<]+)<", row[1]) == [
        format_pounds(shown.total), format_pounds(shown.committed),
        format_pounds(shown.paid), format_pounds(shown.remaining),
    ]  # fmt: skip
    client.force_login(world.people["board"])
    board_page = client.get(reverse("reporting:community", args=[community.pk])).content.decode()
    for figure in (position.total, position.committed, position.paid, position.remaining):
        assert format_money(figure) in board_page
    assert position.committed > 0 and position.paid > 0  # the world's award and payment


def test_a_member_of_another_cos_finds_none_of_it(client, world):
    client.force_login(world.people["senco_other_cos"])
    for url in _pages(world):
        assert client.get(url).status_code == 404, url
    other_head = RoleAssignmentFactory(
        user=UserFactory(),
        role=RoleAssignment.Role.HEADTEACHER,
        school=world.people["senco_other_cos"].roles.get().school,
    ).user
    client.force_login(other_head)
    for url in _pages(world):
        assert client.get(url).status_code == 404, url


def test_members_read_the_minutes_once_the_meeting_is_closed(client, world):
    held = world.objects["held"]
    client.force_login(world.people["senco_same_cos"])
    url = reverse("requests:minutes", args=[held.pk])
    assert client.get(url).status_code == 403  # not yet published
    attended_by_all(held, world.people["chair"])
    meeting_close(actor=world.people["chair"], meeting_id=held.pk)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert world.objects["approved"].reference in html
    assert not [s for s in world.secrets if s in html]
    members = client.get(reverse("requests:members", args=[world.objects["community"].pk]))
    assert url in members.content.decode()
    assert client.get(reverse("requests:minutes_pdf", args=[held.pk])).status_code == 200


def test_the_sencos_home_links_to_their_cos(client, world):
    client.force_login(world.people["senco"])
    school = world.objects["school"]
    html = client.get(reverse("requests:school", args=[school.pk])).content.decode()
    assert reverse("requests:members", args=[school.community_id]) in html
