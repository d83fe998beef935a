"""Who may see and ask for reports.

Reports hold aggregates only. Area Board members and HNF Monitoring Officers see the
reports of their area and of its CoS; a CoS chair sees the reports of their CoS; people
whose KCC role carries the permission to view reports (KCC administrators) see all.
SENCOs see none. Outside that: 404, except for KCC staff (who can open the
administration, and know every area has reports): they are told plainly that their role
does not allow it (403). Staff status alone grants nothing. Anyone who may see a place's
reports may ask for one over other dates (a governing body may require it); making a new
version of an existing report is for officers and administrators (others: 403).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from communities.models import Area, CommunityOfSchools, RoleAssignment, User
from communities.permissions import (
    is_member_of_community,
    is_officer_of_area,
    member_community_ids,
    scope_for,
)

from .models import Report

NOT_YOUR_REPORTS = "Your role does not give you access to these reports."


def can_view_every_report(user: User) -> bool:
    """Every report (Kent's, every area's and CoS's): the permission of a KCC role's group
    (KCC administrator), a superuser, or KCC oversight (read only). Never staff status
    alone."""
    return user.is_active and (
        user.has_perm("reporting.view_report")
        or RoleAssignment.Role.KCC_OVERSIGHT in scope_for(user).kent_roles
    )


def can_view_kent_reports(user: User) -> bool:
    """Kent-wide reports: whoever sees every report, and governance readers (who see
    Kent-wide reports only)."""
    return can_view_every_report(user) or (
        RoleAssignment.Role.GOVERNANCE_READER in scope_for(user).kent_roles
    )


def _area_ids(user: User) -> frozenset[int]:
    scope = scope_for(user)
    return scope.board_area_ids | scope.officer_area_ids


def _refuse(user: User) -> None:
    """Outside the person's reports: 403 for KCC staff, 404 for everyone else."""
    if user.is_staff:
        raise PermissionDenied(NOT_YOUR_REPORTS)
    raise Http404


def can_view_area(user: User, area_id: int) -> bool:
    return area_id in _area_ids(user) or can_view_every_report(user)


def can_view_community(user: User, community: CommunityOfSchools) -> bool:
    scope = scope_for(user)
    return (
        community.pk in scope.chair_community_ids
        or is_member_of_community(user, community.pk)
        or community.area_id in _area_ids(user)
        or can_view_every_report(user)
    )


def visible_reports(user: User) -> QuerySet[Report]:
    scope = scope_for(user)
    if can_view_every_report(user):
        return Report.objects.all()
    areas = _area_ids(user)
    kent = Q(area__isnull=True, community__isnull=True) if can_view_kent_reports(user) else Q()
    places = (
        Q(area_id__in=areas)
        | Q(community__area_id__in=areas)
        | Q(community_id__in=scope.chair_community_ids | member_community_ids(user))
    )
    return Report.objects.filter(places | kent if kent else places)


def get_report_for_user(user: User, pk: int) -> Report:
    report = (
        visible_reports(user)
        .select_related("area", "community", "community__area", "requested_by")
        .filter(pk=pk)
        .first()
    )
    if report is None:
        if Report.objects.filter(pk=pk).exists():
            _refuse(user)
        raise Http404("No such report")
    return report


def get_area_for_user(user: User, area_id: int) -> Area:
    area = get_object_or_404(Area, pk=area_id)
    if not can_view_area(user, area_id):
        _refuse(user)
    return area


def get_community_for_user(user: User, community_id: int) -> CommunityOfSchools:
    community = get_object_or_404(
        CommunityOfSchools.objects.select_related("area"), pk=community_id
    )
    if not can_view_community(user, community):
        _refuse(user)
    return community


def report_area_id(report: Report) -> int | None:
    """The report's area (None for a Kent-wide report)."""
    if report.is_kent:
        return None
    return report.area_id or report.community.area_id


def can_regenerate_report(user: User, report: Report) -> bool:
    scope = scope_for(user)
    return scope.is_admin or is_officer_of_area(user, report_area_id(report))


def can_request_report(
    user: User, *, area_id: int | None = None, community=None, kent: bool = False
) -> bool:
    """An area's or a CoS's reports: whoever sees them. Kent-wide reports: KCC
    administrators and KCC oversight (governance readers read them only)."""
    if kent:
        return can_view_kent_overview(user)
    if area_id is not None:
        return can_view_area(user, area_id)
    return community is not None and can_view_community(user, community)


# ---------------------------------------------------------------- Kent-wide


def can_view_kent_overview(user: User) -> bool:
    """The Kent overview (every CoS side by side): KCC administrators and KCC oversight
    (read only). Nobody else, whatever their place: a chair, SENCO, officer or board
    member is answered 404, as for any page outside their scope."""
    scope = scope_for(user)
    return scope.is_admin or RoleAssignment.Role.KCC_OVERSIGHT in scope.kent_roles


def check_kent_overview(user: User) -> None:
    if not can_view_kent_overview(user):
        raise Http404
