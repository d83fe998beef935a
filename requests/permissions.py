"""Who may see and do what with Requests for Resource (DESIGN §5).

Every list starts from ``visible_requests(user)``. A request outside it answers 404; an
allowed reader who lacks the right to change it gets 403 from the ``can_*`` checks.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from communities.models import User
from communities.permissions import (
    is_chair_of_community,
    is_officer_of_area,
    member_community_ids,
    runs_meetings_of,
    scope_for,
)

from .models import Meeting, ResourceRequest
from .workflow import DISCARD, EDIT, FUNDED_STATUSES, Action, Status, allows


def visible_requests(user: User) -> QuerySet[ResourceRequest]:
    scope = scope_for(user)
    condition = Q(pk__in=[])
    if scope.school_ids:
        condition |= Q(school_id__in=scope.school_ids)
    if scope.chair_community_ids:
        condition |= Q(community_id__in=scope.chair_community_ids) & ~Q(status=Status.DRAFT)
    if scope.officer_area_ids:
        condition |= Q(community__area_id__in=scope.officer_area_ids, status__in=FUNDED_STATUSES)
    return ResourceRequest.objects.filter(condition)


def get_request_for_user(user: User, pk: int) -> ResourceRequest:
    # No ORDER BY (the model's default order, or first()'s): by primary key there is one
    # row, and planning the join against the ordering index cost PostgreSQL about 1 ms.
    found = list(
        visible_requests(user)
        .select_related("school", "community", "community__area", "decision")
        .filter(pk=pk)
        .order_by()[:1]
    )
    if not found:
        raise Http404("No such request")
    return found[0]


def is_school_staff(user: User, request: ResourceRequest) -> bool:
    return request.school_id in scope_for(user).school_ids


def is_chair_of(user: User, request: ResourceRequest) -> bool:
    return is_chair_of_community(user, request.community_id)


def is_officer_of(user: User, request: ResourceRequest) -> bool:
    return request.community_id is not None and is_officer_of_area(user, request.community.area_id)


def sees_pupil_identity(user: User, request: ResourceRequest) -> bool:
    """Names, date of birth and UPN: the requesting school, the chair of its CoS and the
    area's officer only."""
    return (
        is_school_staff(user, request) or is_chair_of(user, request) or is_officer_of(user, request)
    )


def can_edit_request(user: User, request: ResourceRequest) -> bool:
    return is_school_staff(user, request) and allows(request.status, EDIT)


def can_withdraw_request(user: User, request: ResourceRequest) -> bool:
    return is_school_staff(user, request) and allows(request.status, Action.WITHDRAW)


def can_discard_request(user: User, request: ResourceRequest) -> bool:
    return is_school_staff(user, request) and allows(request.status, DISCARD)


def can_continue_request(user: User, request: ResourceRequest) -> bool:
    """Whether the user may start a new request continuing this decided one's support."""
    return is_school_staff(user, request) and allows(request.status, Action.CONTINUE_SUPPORT)


def can_decide_request(user: User, request: ResourceRequest) -> bool:
    return is_chair_of(user, request)


def can_record_payment(user: User, request: ResourceRequest) -> bool:
    return is_officer_of(user, request) and allows(request.status, Action.PAY)


def visible_meetings(user: User) -> QuerySet[Meeting]:
    """The people who run a CoS's meetings see them; so does every member school (with
    the pseudonymised agenda)."""
    return Meeting.objects.filter(community_id__in=member_community_ids(user))


def get_meeting_for_user(user: User, pk: int) -> Meeting:
    meeting = visible_meetings(user).select_related("community").filter(pk=pk).first()
    if meeting is None:
        raise Http404("No such meeting")
    return meeting


def can_manage_meeting(user: User, meeting: Meeting) -> bool:
    """Run the meeting (its details, agenda, attendance, declarations, closing): the
    chair, vice-chair or clerk of its CoS."""
    return runs_meetings_of(user, meeting.community_id)


def can_read_minutes(user: User, meeting: Meeting) -> bool:
    """The people who run the meeting, at any time; its member schools once it is closed
    and its minutes are final."""
    return can_manage_meeting(user, meeting) or meeting.is_closed


def can_decide_at_meeting(user: User, meeting: Meeting) -> bool:
    """Record decisions and ratify interim decisions: the chair or vice-chair, never the
    clerk."""
    return is_chair_of_community(user, meeting.community_id)
