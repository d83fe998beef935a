"""The admin cannot mislead (issue 18, items 14, 15 and 17): choices say which school,
CoS or area they are and rank what starts with the words typed first; a role at the wrong
kind of place is a plain form error; new people are invited by default; KCC
administrators see what they use."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from communities.models import RoleAssignment, School, User
from communities.tests.factories import (
    CommunityFactory,
    SchoolFactory,
    UserFactory,
    area,
    make_kcc,
)

pytestmark = pytest.mark.django_db
Role = RoleAssignment.Role


@pytest.fixture
def administrator(client) -> User:
    admin = make_kcc(email="kcc-admin@example.org")
    client.force_login(admin)
    return admin


def _choices(client, model_name: str, field: str, term: str) -> list[str]:
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "term": term,
            "app_label": "communities",
            "model_name": model_name,
            "field_name": field,
        },
    )
    assert response.status_code == 200
    return [result["text"] for result in response.json()["results"]]


def test_school_choices_name_urn_phase_and_cos_and_rank_names_starting_with_the_words_first(
    client, administrator
):
    dover = CommunityFactory(name="Dover Rural CoS", area=area("South"))
    deal = CommunityFactory(name="Deal Town CoS", area=area("South"))
    SchoolFactory(name="Spring Academy", urn=118001, phase=School.Phase.SECONDARY, community=dover)
    SchoolFactory(name="Oakwood Springfield Primary", urn=118002, community=deal)
    SchoolFactory(name="Spring Primary School", urn=118003, community=deal)

    choices = _choices(client, "roleassignment", "school", "Spring Pri")

    assert choices[0] == "Spring Primary School (URN 118003, primary, Deal Town CoS)"
    assert choices.index(choices[0]) < len(choices)
    academy = "Spring Academy (URN 118001, secondary, Dover Rural CoS)"
    if academy in choices:  # matched by its other words, it comes after the name match
        assert choices.index(academy) > 0
    # A word that starts with the term comes before a match inside a word.
    words = _choices(client, "roleassignment", "school", "Spring")
    assert words[:2] == [
        "Spring Academy (URN 118001, secondary, Dover Rural CoS)",
        "Spring Primary School (URN 118003, primary, Deal Town CoS)",
    ]
    assert words[2].startswith("Oakwood Springfield Primary")


def test_cos_and_area_choices_rank_names_starting_with_the_words_first(client, administrator):
    CommunityFactory(name="Ashford Rural CoS", area=area("East"))
    CommunityFactory(name="Rural Ashford CoS", area=area("East"))
    choices = _choices(client, "roleassignment", "community", "Rural")
    assert choices[:2] == ["Rural Ashford CoS (East area)", "Ashford Rural CoS (East area)"]
    assert _choices(client, "roleassignment", "area", "No")[0].startswith("North")


def _role_form(user: User, **place) -> dict:
    return {"user": user.pk, "role": "", "school": "", "community": "", "area": "", **place}


def test_a_role_at_the_wrong_kind_of_place_is_a_plain_form_error(client, administrator):
    person = UserFactory()
    community = CommunityFactory()
    add = reverse("admin:communities_roleassignment_add")

    response = client.post(add, _role_form(person, role=Role.SENCO, community=community.pk))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose the school: a SENCO works for one school." in page
    assert "Leave the Community of Schools empty" in page
    assert "role_matches_place" not in page and "Constraint" not in page
    assert not RoleAssignment.objects.filter(user=person).exists()

    response = client.post(add, _role_form(person, role=Role.OFFICER))
    assert "Choose the area: a HNF Monitoring Officer works for one area." in (
        response.content.decode()
    )
    assert not RoleAssignment.objects.filter(user=person).exists()


def test_the_same_plain_error_on_a_persons_page(client, administrator):
    person = UserFactory()
    school = SchoolFactory()
    data = {
        "email": person.email,
        "full_name": person.full_name,
        "job_title": "",
        "is_active": "on",
        "roles-TOTAL_FORMS": "1",
        "roles-INITIAL_FORMS": "0",
        "roles-MIN_NUM_FORMS": "0",
        "roles-MAX_NUM_FORMS": "1000",
        "roles-0-user": person.pk,
        "roles-0-role": Role.CHAIR,
        "roles-0-school": school.pk,
        "roles-0-community": "",
        "roles-0-area": "",
    }
    response = client.post(reverse("admin:communities_user_change", args=[person.pk]), data)
    page = response.content.decode()
    assert "Choose the Community of Schools: a CoS chair works for one Community of Schools." in (
        page
    )
    assert "Leave the school empty" in page
    assert not person.roles.exists()


def test_a_new_person_is_invited_by_email_unless_a_password_is_chosen(client, administrator):
    add = reverse("admin:communities_user_add")
    page = client.get(add).content.decode()
    assert "Send an invitation email (recommended)" in page
    assert 'value="false" class="radiolist" id="id_usable_password_0" checked' in page

    response = client.post(
        add,
        {
            "email": "new.senco@example.org",
            "full_name": "New Senco",
            "usable_password": "false",
            "roles-TOTAL_FORMS": "0",
            "roles-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302
    person = User.objects.get(email="new.senco@example.org")
    assert not person.has_usable_password()
    assert [m.to for m in mail.outbox] == [["new.senco@example.org"]]


def _without_yearly_imports(page: str) -> str:
    """The page without the admin's yearly data imports (budgets.ImportRun), which exist."""
    return page.lower().replace("yearly data imports", "").replace("importrun", "")


# The admin index's rows, by model.
TECHNICAL = ["attendance", "declarationofinterest", "accesslog"]
USED = [
    "school",
    "communityofschools",
    "user",
    "roleassignment",
    "cosbudget",
    "closureday",
    "resourcerequest",
    "handoff",  # the escalation email links to it
    "accessattempt",  # to clear a lockout
    "importrun",  # yearly data in the browser
    "schoolsadvance",  # the payment clock
]


def test_the_admin_index_shows_kcc_administrators_what_they_use(client, administrator):
    page = client.get(reverse("admin:index")).content.decode()
    for name in USED:
        assert f'class="model-{name}"' in page, name
    for name in TECHNICAL:
        assert f'class="model-{name}"' not in page, name
    # The one import the admin offers is the real one (yearly data in the browser).
    assert "import" not in _without_yearly_imports(page)
    assert client.get(reverse("admin:requests_attendance_changelist")).status_code == 403

    superuser = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    page = client.get(reverse("admin:index")).content.decode()
    for name in TECHNICAL:
        assert f'class="model-{name}"' in page, name


def test_the_help_text_promises_nothing_that_is_not_there(client, administrator):
    person = UserFactory()
    page = client.get(reverse("admin:communities_user_change", args=[person.pk])).content.decode()
    assert "import" not in _without_yearly_imports(page)
