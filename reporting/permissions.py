"""Who may see and ask for reports.

Reports hold aggregates only. Area Board members and HNF Monitoring Officers see the
reports of their area and of its CoS; a CoS chair sees the reports of their CoS; KCC
administrators see all. SENCOs see none. Outside that: 404. Anyone who may see a place's
reports may ask for one over other dates (a governing body may require it); making a new
version of an existing report is for officers and administrators (others: 403).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from communities.models import Area, CommunityOfSchools, User
from communities.permissions import is_officer_of_area, scope_for

from .models import Report


def _area_ids(user: User) -> frozenset[int]:
    scope = scope_for(user)
    return scope.board_area_ids | scope.officer_area_ids


def can_view_area(user: User, area_id: int) -> bool:
    return scope_for(user).is_admin or area_id in _area_ids(user)


def can_view_community(user: User, community: CommunityOfSchools) -> bool:
    scope = scope_for(user)
    return (
        scope.is_admin
        or community.pk in scope.chair_community_ids
        or community.area_id in _area_ids(user)
    )


def visible_reports(user: User) -> QuerySet[Report]:
    scope = scope_for(user)
    if scope.is_admin:
        return Report.objects.all()
    areas = _area_ids(user)
    return Report.objects.filter(
        Q(area_id__in=areas)
        | Q(community__area_id__in=areas)
        | Q(community_id__in=scope.chair_community_ids)
    )


def get_report_for_user(user: User, pk: int) -> Report:
    report = (
        visible_reports(user)
        .select_related("area", "community", "community__area", "requested_by")
        .filter(pk=pk)
        .first()
    )
    if report is None:
        raise Http404("No such report")
    return report


def get_area_for_user(user: User, area_id: int) -> Area:
    if not can_view_area(user, area_id):
        raise Http404
    return get_object_or_404(Area, pk=area_id)


def get_community_for_user(user: User, community_id: int) -> CommunityOfSchools:
    community = get_object_or_404(
        CommunityOfSchools.objects.select_related("area"), pk=community_id
    )
    if not can_view_community(user, community):
        raise Http404
    return community


def report_area_id(report: Report) -> int:
    return report.area_id or report.community.area_id


def can_regenerate_report(user: User, report: Report) -> bool:
    scope = scope_for(user)
    return scope.is_admin or is_officer_of_area(user, report_area_id(report))


def can_request_report(user: User, *, area_id: int | None = None, community=None) -> bool:
    if area_id is not None:
        return can_view_area(user, area_id)
    return community is not None and can_view_community(user, community)
