"""Who a person is to the service: their roles and the places they cover.

Every scoped queryset and permission check starts from ``scope_for(user)``, computed once
per request and kept on the user object.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Area, RoleAssignment, School, User


@dataclass(frozen=True)
class Scope:
    """The places a person's roles cover. ``chair_community_ids`` holds the CoS the person
    chairs or vice-chairs (a vice-chair can do everything a chair can); a clerk's CoS are
    apart, as a clerk runs meetings but never decides. ``kent_roles`` holds the KCC roles,
    which cover all of Kent; staff status alone grants nothing."""

    school_ids: frozenset[int]
    chair_community_ids: frozenset[int]
    officer_area_ids: frozenset[int]
    board_area_ids: frozenset[int]
    is_admin: bool
    headteacher_school_ids: frozenset[int] = frozenset()
    clerk_community_ids: frozenset[int] = frozenset()
    kent_roles: frozenset[str] = frozenset()
    # The CoS this person chairs (not as vice-chair): they manage its vice-chair and clerk.
    chaired_community_ids: frozenset[int] = frozenset()

    @property
    def is_senco(self) -> bool:
        return bool(self.school_ids)

    @property
    def is_chair(self) -> bool:
        return bool(self.chair_community_ids)

    @property
    def is_officer(self) -> bool:
        return bool(self.officer_area_ids)

    @property
    def is_board(self) -> bool:
        return bool(self.board_area_ids)

    @property
    def has_any_role(self) -> bool:
        return bool(
            self.is_senco
            or self.is_chair
            or self.is_officer
            or self.is_board
            or self.is_admin
            or self.headteacher_school_ids
            or self.clerk_community_ids
            or self.kent_roles
        )


EMPTY_SCOPE = Scope(frozenset(), frozenset(), frozenset(), frozenset(), False)


def scope_for(user: User | AnonymousUser) -> Scope:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return EMPTY_SCOPE
    cached = getattr(user, "_kent_scope", None)
    if cached is not None:
        return cached
    Role = RoleAssignment.Role
    places: dict[str, set[int]] = {role: set() for role in Role.values}
    kent_roles: set[str] = set()
    rows = RoleAssignment.objects.filter(user=user).values_list(
        "role", "school_id", "community_id", "area_id"
    )
    for role, school_id, community_id, area_id in rows:
        if role in RoleAssignment.KENT_ROLES:
            kent_roles.add(role)
        else:
            places[role].add(school_id or community_id or area_id)
    scope = Scope(
        school_ids=frozenset(places[Role.SENCO]),
        chair_community_ids=frozenset(places[Role.CHAIR] | places[Role.VICE_CHAIR]),
        officer_area_ids=frozenset(places[Role.OFFICER]),
        board_area_ids=frozenset(places[Role.BOARD]),
        is_admin=Role.KCC_ADMIN in kent_roles or user.is_superuser,
        headteacher_school_ids=frozenset(places[Role.HEADTEACHER]),
        clerk_community_ids=frozenset(places[Role.CLERK]),
        kent_roles=frozenset(kent_roles),
        chaired_community_ids=frozenset(places[Role.CHAIR]),
    )
    user._kent_scope = scope
    return scope


def is_officer_of_area(user: User, area_id: int | None) -> bool:
    """Is this person an HNF Monitoring Officer of the area? (The one check of it.)"""
    return area_id is not None and area_id in scope_for(user).officer_area_ids


def is_chair_of_community(user: User, community_id: int | None) -> bool:
    """Does this person chair the Community of Schools?"""
    return community_id is not None and community_id in scope_for(user).chair_community_ids


def runs_meetings_of(user: User, community_id: int | None) -> bool:
    """Does this person run the CoS's meetings: its chair, vice-chair or clerk? A clerk
    schedules meetings, builds agendas, records attendance and declarations and
    publishes minutes, but never decides (``is_chair_of_community``)."""
    scope = scope_for(user)
    return community_id is not None and (
        community_id in scope.chair_community_ids or community_id in scope.clerk_community_ids
    )


def member_community_ids(user: User) -> frozenset[int]:
    """The CoS whose member schools the person works at (as SENCO or headteacher), and
    those whose meetings they run: the CoS they are one of the members of."""
    scope = scope_for(user)
    schools = scope.school_ids | scope.headteacher_school_ids
    ids = set(scope.chair_community_ids | scope.clerk_community_ids)
    if schools:
        ids |= set(
            School.objects.filter(
                pk__in=schools, kind=School.Kind.MAINSTREAM, community__isnull=False
            ).values_list("community_id", flat=True)
        )
    return frozenset(ids)


def is_member_of_community(user: User, community_id: int | None) -> bool:
    """Does this person see the CoS as its members do: its money, meetings, agendas
    (without pupil identity), minutes and quarterly reports?"""
    return community_id is not None and community_id in member_community_ids(user)


def get_area_for_officer(user: User, area_id: int) -> Area:
    """The area if this person is its HNF Monitoring Officer; 404 otherwise (whether or
    not the area exists)."""
    if not is_officer_of_area(user, area_id):
        raise Http404("No such area")
    return get_object_or_404(Area, pk=area_id)


def has_administration_access(person: User) -> bool:
    """A superuser, a member of staff, or the holder of a KCC role: an account whose
    rights reach beyond one school, CoS or area."""
    return (
        person.is_superuser
        or person.is_staff
        or RoleAssignment.objects.filter(user=person, role__in=RoleAssignment.KENT_ROLES).exists()
    )


def can_manage_person(actor: User, person: User) -> bool:
    """Change a person's account in the administration (name, email, password, two-factor
    sign-in, roles). A superuser may change anyone. Anyone else never changes their own
    account's access, nor an account with administration access: taking one over
    (its email or password) would give them its rights."""
    if actor.is_superuser:
        return True
    if person.pk is None:  # a new account, being made
        return True
    return person.pk != actor.pk and not has_administration_access(person)


def can_grant_role(actor: User, person: User, role: str) -> bool:
    """Give or take away this role. KCC roles carry permissions across Kent (and staff
    status), so only superusers give them, except the read-only KCC oversight and
    governance reader roles, which a KCC administrator manages too; place roles follow
    can_manage_person."""
    if actor.is_superuser:
        return True
    if role in READ_ONLY_KENT_ROLES:
        # Read-only roles: never on the administrator's own account, nor on one that can
        # change things across Kent.
        return (
            scope_for(actor).is_admin
            and person.pk != actor.pk
            and not person.is_superuser
            and not RoleAssignment.objects.filter(
                user_id=person.pk,
                role__in=[RoleAssignment.Role.KCC_ADMIN, RoleAssignment.Role.KCC_DATA_PROTECTION],
            ).exists()
        )
    return role not in RoleAssignment.KENT_ROLES and can_manage_person(actor, person)


READ_ONLY_KENT_ROLES = (
    RoleAssignment.Role.KCC_OVERSIGHT,
    RoleAssignment.Role.GOVERNANCE_READER,
)
