"""Factories build places and people in their initial state."""

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
    full_name = factory.Faker("name", locale="en_GB")
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


def make_senco(school: School, **kwargs) -> User:
    user = UserFactory(**kwargs)
    RoleAssignment.objects.create(user=user, role=RoleAssignment.Role.SENCO, school=school)
    return user


def make_chair(community: CommunityOfSchools, **kwargs) -> User:
    user = UserFactory(**kwargs)
    RoleAssignment.objects.create(user=user, role=RoleAssignment.Role.CHAIR, community=community)
    return user


def make_officer(area_: Area, **kwargs) -> User:
    user = UserFactory(**kwargs)
    RoleAssignment.objects.create(user=user, role=RoleAssignment.Role.OFFICER, area=area_)
    return user


def make_board(area_: Area, **kwargs) -> User:
    user = UserFactory(**kwargs)
    RoleAssignment.objects.create(user=user, role=RoleAssignment.Role.BOARD, area=area_)
    return user


def make_kcc(
    role: str = RoleAssignment.Role.KCC_ADMIN, area_: Area | None = None, **kwargs
) -> User:
    """A person with a KCC role (a KCC administrator unless told): all of Kent, or, for an
    administrator, one area."""
    user = UserFactory(**kwargs)
    RoleAssignment.objects.create(user=user, role=role, area=area_)
    user.refresh_from_db()  # staff status follows the role
    return user
