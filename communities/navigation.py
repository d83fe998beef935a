"""The places a signed-in person works in, by role, and the navigation built from them."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from .models import Area, CommunityOfSchools, RoleAssignment, School, User
from .permissions import scope_for


@dataclass(frozen=True)
class RolePlace:
    role: str  # "senco", "chair", "clerk", "officer", "board"
    role_label: str
    place: str
    url: str


def role_places(user: User) -> list[RolePlace]:
    cached = getattr(user, "_kent_role_places", None)
    if cached is not None:
        return cached
    scope = scope_for(user)
    places: list[RolePlace] = []
    if scope.school_ids:
        for school in School.objects.filter(pk__in=scope.school_ids).only("pk", "name"):
            places.append(
                RolePlace(
                    "senco", "SENCO", school.name, reverse("requests:school", args=[school.pk])
                )
            )
    if scope.chair_community_ids:
        for cos in CommunityOfSchools.objects.filter(pk__in=scope.chair_community_ids).only(
            "pk", "name"
        ):
            places.append(
                RolePlace(
                    "chair", "CoS chair", cos.name, reverse("requests:community", args=[cos.pk])
                )
            )
    clerk_only = scope.clerk_community_ids - scope.chair_community_ids
    if clerk_only:
        for cos in CommunityOfSchools.objects.filter(pk__in=clerk_only).only("pk", "name"):
            places.append(
                RolePlace(
                    "clerk", "CoS clerk", cos.name, reverse("requests:community", args=[cos.pk])
                )
            )
    area_ids = scope.officer_area_ids | scope.board_area_ids
    if area_ids:
        areas = {a.pk: a.name for a in Area.objects.filter(pk__in=area_ids)}
        for area_id in sorted(scope.officer_area_ids, key=lambda pk: areas[pk]):
            places.append(
                RolePlace(
                    "officer",
                    "HNF Monitoring Officer",
                    f"{areas[area_id]} area",
                    reverse("requests:officer", args=[area_id]),
                )
            )
        for area_id in sorted(scope.board_area_ids, key=lambda pk: areas[pk]):
            places.append(
                RolePlace(
                    "board",
                    "Area Board member",
                    f"{areas[area_id]} area",
                    reverse("reporting:board", args=[area_id]),
                )
            )
    # Kent-wide pages (reporting's, named by URL only: this app imports none above it).
    Role = RoleAssignment.Role
    if scope.is_admin or Role.KCC_OVERSIGHT in scope.kent_roles:
        label = "KCC administrator" if scope.is_admin else "KCC oversight"
        places.append(RolePlace("kent", label, "Kent", reverse("reporting:kent_overview")))
    elif Role.GOVERNANCE_READER in scope.kent_roles:
        places.append(
            RolePlace(
                "kent_reports", "Governance reader", "Kent", reverse("reporting:kent_reports")
            )
        )
    user._kent_role_places = places
    return places


def manages_people(user: User) -> bool:
    """A headteacher (the school's SENCOs) or a chair (the CoS's vice-chair and clerk)."""
    scope = scope_for(user)
    return bool(scope.headteacher_school_ids or scope.chaired_community_ids)


_NAV_LABELS = {
    "senco": "Requests",
    "chair": "Community of Schools",
    "clerk": "Community of Schools",
    "officer": "Approved requests",
    "board": "Area Board",
    "kent": "Kent overview",
    "kent_reports": "Kent-wide reports",
}


def nav_items(request) -> list[dict]:
    user = request.user
    if not user.is_authenticated:
        return []
    path = request.path
    items = [{"label": "Home", "url": reverse("home")}]
    by_role: dict[str, list[RolePlace]] = {}
    for place in role_places(user):
        by_role.setdefault(place.role, []).append(place)
    for role, places in by_role.items():
        # One place: straight to it. Several: the home page lists them.
        url = places[0].url if len(places) == 1 else reverse("home")
        items.append({"label": _NAV_LABELS[role], "url": url})
    items.append({"label": "Support services", "url": reverse("requests:prg_directory")})
    if manages_people(user):
        items.append({"label": "People", "url": reverse("people")})
    if user.is_staff:
        items.append({"label": "Administration", "url": reverse("admin:index")})
    # Mark the most specific item whose address starts the current path.
    best = None
    for item in items:
        matches = item["url"] != "/" and path.startswith(item["url"])
        if matches and (best is None or len(item["url"]) > len(best["url"])):
            best = item
    if best is None and path == "/":
        best = items[0]
    if best is not None:
        best["active"] = True
    return items
