"""Who is told: the active people holding a role at a place, in one query each.

"The chair" is the chair and the vice-chair (a vice-chair can do everything a chair can:
``scope_for``). A meeting's people are also its clerks, who run meetings. Member schools
are the CoS's open mainstream schools (``member_schools``), the schools expected at its
meetings.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from communities.models import RoleAssignment, User

Role = RoleAssignment.Role
CHAIR_ROLES = (Role.CHAIR, Role.VICE_CHAIR)


def _people(condition: Q) -> QuerySet[User]:
    return (
        User.objects.filter(condition, is_active=True)
        .distinct()
        .only("pk", "email", "full_name")
        .order_by("pk")
    )


def school_sencos(school_id: int) -> list[User]:
    return list(_people(Q(roles__role=Role.SENCO, roles__school_id=school_id)))


def chairs(community_id: int) -> list[User]:
    return list(_people(Q(roles__role__in=CHAIR_ROLES, roles__community_id=community_id)))


def meeting_people(community_id: int) -> list[User]:
    """The chair, vice-chair and clerks of the CoS and the SENCOs of every member school."""
    # Imported here: the meeting services tell people through this package.
    from ..services.meetings import member_schools

    members = member_schools(community_id).values("pk")
    return list(
        _people(
            Q(
                roles__role__in=(*CHAIR_ROLES, Role.CLERK),
                roles__community_id=community_id,
            )
            | Q(roles__role=Role.SENCO, roles__school_id__in=members)
        )
    )


def officers(area_id: int) -> list[User]:
    return list(_people(Q(roles__role=Role.OFFICER, roles__area_id=area_id)))


def administrators(area_id: int) -> list[User]:
    """The KCC administrators given the area, and those who cover all of Kent."""
    return list(
        _people(
            Q(roles__role=Role.KCC_ADMIN)
            & (Q(roles__area_id=area_id) | Q(roles__area__isnull=True))
        )
    )
