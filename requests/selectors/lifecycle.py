"""Reads of requests that are more than one filter: lists scoped to a person, counts."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from communities.models import User

from ..models import Decision, PupilIdentityView, ResourceRequest, TimelineEvent
from ..workflow import Status


def search_requests(queryset: QuerySet[ResourceRequest], q: str) -> QuerySet[ResourceRequest]:
    """Search by reference or pupil name ("Alex", "Example", "Alex Example")."""
    q = " ".join(q.split())[:100]
    if not q:
        return queryset
    condition = Q(reference__icontains=q)
    words = q.split(" ")
    name_match = Q()
    for word in words:
        name_match &= Q(first_name__icontains=word) | Q(last_name__icontains=word)
    return queryset.filter(condition | name_match)


def status_counts(queryset: QuerySet[ResourceRequest]) -> list[tuple[str, str, int]]:
    """(status, label, count) for every status present, in workflow order."""
    counts = dict(queryset.order_by().values_list("status").annotate(n=Count("pk")))
    return [(value, label, counts[value]) for value, label in Status.choices if counts.get(value)]


def timeline(request: ResourceRequest) -> QuerySet[TimelineEvent]:
    return request.events.select_related("actor").order_by("at", "pk")


def decisions(request: ResourceRequest) -> list[Decision]:
    """The request's decisions in order, each with its meeting. A revision is a decision
    on the same request (services.decision_revise), so which interim decision was revised
    (``revised_by``) is filled in from these rows rather than asked once a decision."""
    rows = list(request.decisions.select_related("meeting").order_by("decided_at", "pk"))
    revisions = {row.revises_id: row for row in rows if row.revises_id is not None}
    for row in rows:
        Decision.revised_by.related.set_cached_value(row, revisions.get(row.pk))
    return rows


def log_identity_view(user: User, request: ResourceRequest, page: str) -> None:
    """Record that this person saw the pupil's identity on this request: one row per
    view, kept even after the request is gone (models.PupilIdentityView)."""
    PupilIdentityView.objects.create(
        user=user,
        request=request,
        reference=str(request)[:30],
        school_id=request.school_id,
        page=page[:100],
    )
