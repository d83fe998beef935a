"""People managed where they work (issue 16 item 5): a headteacher invites and removes
the school's SENCOs, a chair the CoS's vice-chair and clerk, KCC administrators the
read-only KCC roles too. Every role change is recorded (the role's history) and the
person is emailed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from communities.models import RoleAssignment, User
from communities.permissions import can_grant_role
from communities.tests.factories import (
    CommunityFactory,
    RoleAssignmentFactory,
    SchoolFactory,
    UserFactory,
    make_chair,
    make_kcc,
    make_senco,
)

pytestmark = pytest.mark.django_db
Role = RoleAssignment.Role


def make_headteacher(school, **kwargs) -> User:
    return RoleAssignmentFactory(
        user=UserFactory(**kwargs), role=Role.HEADTEACHER, school=school
    ).user


def subjects(mailoutbox) -> list[str]:
    return [m.subject for m in mailoutbox]


def test_a_headteacher_invites_a_senco(client, mailoutbox, django_capture_on_commit_callbacks):
    school = SchoolFactory(name="Oak Primary School")
    head = make_headteacher(school, full_name="Hana Head")
    client.force_login(head)
    page = client.get(reverse("people")).content.decode()
    assert "Oak Primary School" in page and "Invite someone" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("people_invite", args=["school", school.pk]),
            {"full_name": "Sam Senco", "email": "Sam@Example.org", "role": "senco"},
            follow=True,
        )
    assert "Sam Senco is now SENCO of Oak Primary School" in response.content.decode()
    person = User.objects.get(email="sam@example.org")
    assignment = RoleAssignment.objects.get(user=person, role=Role.SENCO, school=school)
    assert assignment.history.count() == 1  # recorded
    assert "You have been invited to Kent Communities of Schools" in subjects(mailoutbox)
    assert "You are now SENCO: Oak Primary School" in subjects(mailoutbox)


def test_an_address_already_in_use_gets_a_clear_message(client):
    school = SchoolFactory()
    client.force_login(make_headteacher(school))
    UserFactory(email="taken@example.org")
    response = client.post(
        reverse("people_invite", args=["school", school.pk]),
        {"full_name": "Someone", "email": "TAKEN@example.org", "role": "senco"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "taken@example.org is already in use by an account" in html
    assert not RoleAssignment.objects.filter(role=Role.SENCO, school=school).exists()


def test_removing_the_last_senco_is_allowed_with_a_warning(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    school = SchoolFactory(name="Elm School")
    first = make_senco(school, full_name="First Senco")
    make_senco(school, full_name="Second Senco")
    client.force_login(make_headteacher(school))
    ids = list(
        RoleAssignment.objects.filter(role=Role.SENCO, school=school).values_list("pk", flat=True)
    )
    response = client.post(reverse("people_remove", args=[ids[0]]), follow=True)
    assert "now has no SENCO" not in response.content.decode()
    page = client.get(reverse("people")).content.decode()
    assert "The school's only SENCO" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("people_remove", args=[ids[1]]), follow=True)
    html = response.content.decode()
    assert "Elm School now has no SENCO" in html
    assert not RoleAssignment.objects.filter(role=Role.SENCO, school=school).exists()
    assert "You are no longer SENCO: Elm School" in subjects(mailoutbox)
    assert first.pk  # the account stays; only the role went


def test_a_chair_manages_the_vice_chair_and_clerk_and_nobody_else(client):
    cos = CommunityFactory(name="Ashford Central CoS")
    chair = make_chair(cos)
    client.force_login(chair)
    response = client.post(
        reverse("people_invite", args=["community", cos.pk]),
        {"full_name": "Cleo Clerk", "email": "cleo@example.org", "role": "clerk"},
    )
    assert response.status_code == 302
    assert RoleAssignment.objects.filter(role=Role.CLERK, community=cos).exists()
    # Not a SENCO of a member school, nor another CoS's clerk.
    school = SchoolFactory(community=cos)
    senco = RoleAssignment.objects.get(user=make_senco(school))
    assert client.post(reverse("people_remove", args=[senco.pk])).status_code == 404
    other = CommunityFactory()
    url = reverse("people_invite", args=["community", other.pk])
    assert client.get(url).status_code == 404
    response = client.post(
        reverse("people_invite", args=["community", cos.pk]),
        {"full_name": "X", "email": "x@example.org", "role": "senco"},
    )
    assert "Select a valid choice" in response.content.decode()


def test_people_who_manage_nobody_get_404(client):
    cos = CommunityFactory()
    vice = RoleAssignmentFactory(role=Role.VICE_CHAIR, community=cos).user
    for person in (vice, make_senco(SchoolFactory())):
        client.force_login(person)
        assert client.get(reverse("people")).status_code == 404


def test_a_kcc_administrator_gives_roles_in_the_admin_and_the_person_is_emailed(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    from communities.tests.factories import area

    admin = make_kcc()
    person = UserFactory(full_name="Olive Officer")
    assert can_grant_role(admin, person, Role.KCC_OVERSIGHT)
    assert not can_grant_role(admin, person, Role.KCC_ADMIN)
    assert not can_grant_role(admin, admin, Role.KCC_OVERSIGHT)
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:communities_roleassignment_add"),
            {"user": person.pk, "role": "officer", "area": area("North").pk},
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    assignment = RoleAssignment.objects.get(user=person, role=Role.OFFICER)
    assert "You are now HNF Monitoring Officer: North" in subjects(mailoutbox)
    assert assignment.history.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:communities_roleassignment_delete", args=[assignment.pk]),
            {"post": "yes"},
        )
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert "You are no longer HNF Monitoring Officer: North" in subjects(mailoutbox)
