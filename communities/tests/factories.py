"""Places and people in their initial state. Later states (a request submitted, decided,
paid) are reached through the services: tests/worlds/steps.py."""

import factory

from communities.geography import ensure_geography
from communities.models import Area, CommunityOfSchools, District, RoleAssignment, School, User


def area(name: str = "North") -> Area:
    """Areas and districts come from a data migration (and are put back after a test
    that empties the tables)."""
    ensure_geography(Area, District)
    return Area.objects.get(name=name)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    # Not a random name: one with "Alex" in it (about 1 in 100 of Faker's) failed the
    # checks that DraftFactory's pupil, Alex Example, is not named on pages, PDFs and
    # emails that name the people.
    full_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class CommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommunityOfSchools

    name = factory.Sequence(lambda n: f"Test Community {n} CoS")
    area = factory.LazyFunction(lambda: area("North"))
    primary_care_network = factory.LazyAttribute(lambda o: o.name.replace("CoS", "PCN"))


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    urn = factory.Sequence(lambda n: 200000 + n)
    dfe_number = factory.Sequence(lambda n: f"886/{3000 + n}")
    name = factory.Sequence(lambda n: f"Test Primary School {n}")
    kind = School.Kind.MAINSTREAM
    phase = School.Phase.PRIMARY
    district = factory.LazyAttribute(
        lambda o: District.objects.filter(area=o.community.area).first() if o.community else None
    )
    community = factory.SubFactory(CommunityFactory)


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    """A role a person holds. Name the role and the one place it covers (``school``,
    ``community`` or ``area``; none for a Kent-wide role): the database refuses a role
    pointing at the wrong kind of place."""

    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)


# A new person in one role, for the alice / bob / charlie of each test.


def make_senco(school: School, **kwargs) -> User:
    return RoleAssignmentFactory(
        user=UserFactory(**kwargs), role=RoleAssignment.Role.SENCO, school=school
    ).user


def make_chair(community: CommunityOfSchools, **kwargs) -> User:
    return RoleAssignmentFactory(
        user=UserFactory(**kwargs), role=RoleAssignment.Role.CHAIR, community=community
    ).user


def make_officer(area_: Area, **kwargs) -> User:
    return RoleAssignmentFactory(
        user=UserFactory(**kwargs), role=RoleAssignment.Role.OFFICER, area=area_
    ).user


def make_board(area_: Area, **kwargs) -> User:
    return RoleAssignmentFactory(
        user=UserFactory(**kwargs), role=RoleAssignment.Role.BOARD, area=area_
    ).user


def make_kcc(
    role: str = RoleAssignment.Role.KCC_ADMIN, area_: Area | None = None, **kwargs
) -> User:
    """A person with a KCC role (a KCC administrator unless told): all of Kent, or, for an
    administrator, one area."""
    user = RoleAssignmentFactory(user=UserFactory(**kwargs), role=role, area=area_).user
    user.refresh_from_db()  # staff status follows the role
    return user
