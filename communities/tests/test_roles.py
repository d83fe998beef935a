import pytest
from django.db import IntegrityError

from communities.permissions import scope_for
from communities.tests.factories import (
    CommunityFactory,
    RoleAssignmentFactory,
    SchoolFactory,
    UserFactory,
    area,
    make_chair,
    make_senco,
)

pytestmark = pytest.mark.django_db


def test_a_person_may_hold_several_roles():
    school = SchoolFactory()
    other = SchoolFactory(community=school.community)
    person = make_senco(school)
    RoleAssignmentFactory(user=person, role="senco", school=other)
    RoleAssignmentFactory(user=person, role="chair", community=school.community)
    RoleAssignmentFactory(user=person, role="board", area=area("East"))
    scope = scope_for(person)
    assert scope.school_ids == {school.pk, other.pk}
    assert scope.chair_community_ids == {school.community_id}
    assert scope.board_area_ids == {area("East").pk}
    assert not scope.is_officer


def test_each_role_points_at_its_kind_of_place():
    person = UserFactory()
    with pytest.raises(IntegrityError):
        RoleAssignmentFactory(user=person, role="senco", area=area("North"))


def test_the_same_role_is_not_given_twice():
    community = CommunityFactory()
    person = make_chair(community)
    with pytest.raises(IntegrityError):
        RoleAssignmentFactory(user=person, role="chair", community=community)


def test_chair_is_read_from_the_role():
    community = CommunityFactory()
    assert community.chair is None
    person = make_chair(community)
    assert community.chair == person


def test_inactive_people_have_no_scope():
    person = make_senco(SchoolFactory(), is_active=False)
    assert not scope_for(person).has_any_role


def test_email_signs_in_whatever_its_case(client):
    UserFactory(email="mixed.case@example.org")
    assert (
        client.post(
            "/accounts/login/",
            {"username": "Mixed.Case@Example.org", "password": "correct-horse-battery"},
        ).status_code
        == 302
    )


def test_home_sends_a_person_with_one_place_straight_there(client):
    school = SchoolFactory()
    client.force_login(make_senco(school))
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == f"/schools/{school.pk}/"


def test_role_homes_are_404_outside_the_persons_places(client):
    school, other = SchoolFactory(), SchoolFactory()
    client.force_login(make_senco(school))
    assert client.get(f"/schools/{other.pk}/").status_code == 404
    assert client.get(f"/communities/{school.community_id}/").status_code == 404
    assert client.get(f"/areas/{area('North').pk}/officer/").status_code == 404
    assert client.get(f"/areas/{area('North').pk}/board/").status_code == 404


def test_anonymous_people_are_sent_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
