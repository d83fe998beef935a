"""Least privilege in the administration (issue 17, item 1): only superusers give access.

A KCC administrator (a non-superuser with the permission to change people) manages the
people of schools, CoS and areas: never their own access, never that of an account with
administration access, and never a KCC role. Staff status alone opens nothing.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from communities.models import RoleAssignment, User
from communities.tests.factories import (
    CommunityFactory,
    RoleAssignmentFactory,
    SchoolFactory,
    UserFactory,
    area,
    make_board,
    make_kcc,
)
from reporting import services as report_services
from reporting.models import Report

pytestmark = pytest.mark.django_db
Role = RoleAssignment.Role


def _user_form(person: User, roles: list[dict] | None = None, **access) -> dict:
    """What the change form of a person posts: their details, the access fields given,
    and the role rows (existing ones kept as they are)."""
    data = {
        "email": person.email,
        "full_name": person.full_name,
        "job_title": person.job_title,
        "is_active": "on",
        **access,
    }
    existing = list(person.roles.all())
    rows = [
        {"id": r.pk, "role": r.role, "school": r.school_id or "", "area": r.area_id or ""}
        for r in existing
    ] + (roles or [])
    data.update(
        {
            "roles-TOTAL_FORMS": str(len(rows)),
            "roles-INITIAL_FORMS": str(len(existing)),
            "roles-MIN_NUM_FORMS": "0",
            "roles-MAX_NUM_FORMS": "1000",
        }
    )
    for i, row in enumerate(rows):
        data[f"roles-{i}-user"] = person.pk
        data[f"roles-{i}-community"] = ""
        for key, value in row.items():
            data[f"roles-{i}-{key}"] = value if value is not None else ""
    return data


def _change_url(person: User) -> str:
    return reverse("admin:communities_user_change", args=[person.pk])


@pytest.fixture
def administrator(client) -> User:
    admin = make_kcc(email="kcc-admin@example.org")
    assert admin.has_perm("communities.change_user") and not admin.is_superuser
    client.force_login(admin)
    return admin


def test_an_administrator_cannot_grant_itself_superuser_staff_groups_or_roles(
    client, administrator
):
    protection = Group.objects.get(name="KCC data protection")
    posted = _user_form(
        administrator,
        roles=[{"role": Role.KCC_DATA_PROTECTION}],
        is_superuser="on",
        is_staff="on",
        groups=[protection.pk],
    )
    response = client.post(_change_url(administrator), posted)
    assert response.status_code == 403
    administrator.refresh_from_db()
    assert not administrator.is_superuser
    assert not administrator.groups.filter(pk=protection.pk).exists()
    assert list(administrator.roles.values_list("role", flat=True)) == [Role.KCC_ADMIN]
    assert not administrator.has_perm("requests.subject_access")
    # Nor a role at a school, which would show it the school's pupils.
    school = SchoolFactory()
    response = client.post(
        reverse("admin:communities_roleassignment_add"),
        {"user": administrator.pk, "role": Role.SENCO, "school": school.pk},
    )
    assert response.status_code == 200
    assert "Only a superuser can give or take away this role" in response.content.decode()
    assert not administrator.roles.filter(role=Role.SENCO).exists()
    # Nor by making itself the chair of a Community of Schools.
    community = CommunityFactory()
    response = client.post(
        reverse("admin:communities_communityofschools_change", args=[community.pk]),
        {
            "name": community.name,
            "area": community.area_id,
            "primary_care_network": "",
            "role_assignments-TOTAL_FORMS": "1",
            "role_assignments-INITIAL_FORMS": "0",
            "role_assignments-MIN_NUM_FORMS": "0",
            "role_assignments-MAX_NUM_FORMS": "1000",
            "role_assignments-0-user": administrator.pk,
            "role_assignments-0-role": Role.CHAIR,
            "role_assignments-0-community": community.pk,
        },
    )
    assert response.status_code == 200
    assert "Only a superuser can give or take away this role" in response.content.decode()
    assert not RoleAssignment.objects.filter(user=administrator, role=Role.CHAIR).exists()


def test_an_administrator_manages_school_people_but_never_their_access(client, administrator):
    person = UserFactory(email="new.senco@example.org")
    protection = Group.objects.get(name="KCC data protection")
    school = SchoolFactory()
    # The fields of access are not on the form: what is posted for them is ignored, and
    # the place role is given.
    response = client.post(
        _change_url(person),
        _user_form(
            person,
            roles=[{"role": Role.SENCO, "school": school.pk}],
            is_superuser="on",
            is_staff="on",
            groups=[protection.pk],
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    person.refresh_from_db()
    assert not person.is_superuser and not person.is_staff
    assert not person.groups.exists()
    assert list(person.roles.values_list("role", "school")) == [(Role.SENCO, school.pk)]
    # A KCC role is not among the choices, and posting one anyway is refused whole.
    page = client.get(_change_url(person)).content.decode()
    assert 'value="kcc_data_protection"' not in page
    response = client.post(
        _change_url(person),
        _user_form(person, roles=[{"role": Role.KCC_DATA_PROTECTION}], full_name="Changed"),
    )
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.full_name != "Changed"
    assert not person.roles.filter(role=Role.KCC_DATA_PROTECTION).exists()
    assert not person.groups.exists()
    # Nor through the list of roles.
    response = client.post(
        reverse("admin:communities_roleassignment_add"),
        {"user": person.pk, "role": Role.KCC_ADMIN},
    )
    assert response.status_code == 200
    assert not person.roles.filter(role=Role.KCC_ADMIN).exists()


def test_accounts_with_administration_access_are_the_superusers_to_change(client, administrator):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    colleague = make_kcc(Role.KCC_DATA_PROTECTION)
    for person in (superuser, colleague):
        # Read only: no new email or password to take the account over with.
        assert client.get(_change_url(person)).status_code == 200
        assert client.post(_change_url(person), _user_form(person)).status_code == 403
        password_url = reverse("admin:auth_user_password_change", args=[person.pk])
        refused = client.post(
            password_url,
            {"password1": "a-new-password-2026!", "password2": "a-new-password-2026!"},
        )
        assert refused.status_code == 403
        person.refresh_from_db()
        assert person.check_password("correct-horse-battery")
    role = colleague.roles.get()
    assert (
        client.post(
            reverse("admin:communities_roleassignment_delete", args=[role.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert colleague.roles.filter(pk=role.pk).exists()


def test_a_superuser_gives_access(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    person = UserFactory()
    protection = Group.objects.get(name="KCC data protection")
    response = client.post(
        _change_url(person),
        _user_form(person, roles=[{"role": Role.KCC_DATA_PROTECTION}], groups=[protection.pk]),
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.is_staff  # follows the KCC role
    assert person.has_perm("requests.subject_access")


def _report(area_name: str) -> Report:
    place = area(area_name)
    today = timezone.localdate()
    return report_services.report_request(
        actor=make_board(place), area_id=place.pk, start=today - dt.timedelta(days=31), end=today
    )


@pytest.mark.parametrize("with_board_role", [False, True])
def test_staff_status_alone_opens_no_subject_access_and_no_other_areas_reports(
    client, with_board_role
):
    staff = UserFactory(is_staff=True)
    if with_board_role:
        RoleAssignmentFactory(user=staff, role=Role.BOARD, area=area("North"))
        staff.is_staff = True  # the role made it follow the (absent) KCC roles
        staff.save(update_fields=["is_staff"])
    client.force_login(staff)
    subject_access = client.get(reverse("requests:subject_access"))
    assert subject_access.status_code == 403
    assert "KCC data protection" in subject_access.content.decode()
    east = area("East")
    report = _report("East")
    for url in (
        reverse("reporting:board", args=[east.pk]),
        reverse("reporting:detail", args=[report.pk]),
        reverse("reporting:download", args=[report.pk]),
        reverse("reporting:status", args=[report.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Your role does not give you access to these reports" in response.content.decode()
    # Someone outside KCC who is not staff is told nothing exists there.
    outsider = make_board(area("North"))
    client.force_login(outsider)
    assert client.get(reverse("reporting:detail", args=[report.pk])).status_code == 404
    # And the KCC administrator's role does open them.
    client.force_login(make_kcc())
    assert client.get(reverse("reporting:detail", args=[report.pk])).status_code == 200
