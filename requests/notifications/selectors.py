"""Reads: a person's notifications, their unread count, and what they may choose."""

from __future__ import annotations

from django.db.models import QuerySet

from communities.models import User
from communities.permissions import scope_for

from .models import CHOOSABLE_KINDS, Kind, Notification, NotificationPreference, Timing


def notifications_for(user: User) -> QuerySet[Notification]:
    """The person's notifications, newest first (only the columns the page shows)."""
    return (
        Notification.objects.filter(user=user)
        .only("pk", "user_id", "subject", "body", "url", "created_at", "read_at", "kind")
        .order_by("-created_at", "-pk")
    )


def unread_count(user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def _kinds_by_role(user: User) -> tuple[set[str], set[str]]:
    """(kinds the person receives, of which the ones told at once whatever they choose),
    from their roles."""
    scope = scope_for(user)
    received: set[str] = set()
    if scope.school_ids:
        received |= {
            Kind.AGENDA,
            Kind.DECISION,
            Kind.PAYMENT,
            Kind.MEETING,
            Kind.MINUTES,
            Kind.REPRESENTATION,
        }
    if scope.chair_community_ids:
        received |= {
            Kind.REQUEST_SUBMITTED,
            Kind.REQUEST_RESUBMITTED,
            Kind.PAYMENT,
            Kind.MEETING,
            Kind.MINUTES,
            Kind.ESCALATION,
            Kind.BREACH,
        }
    if scope.clerk_community_ids:
        received |= {Kind.MEETING, Kind.MINUTES}
    if scope.officer_area_ids:
        received |= {Kind.HANDOFF, Kind.AWARD_REVISED, Kind.PAYMENTS_DUE}
    if scope.is_admin:
        received |= {Kind.ESCALATION, Kind.BREACH}
    return received, received - set(CHOOSABLE_KINDS)


def choosable_kinds(user: User) -> list[str]:
    """The kinds this person receives and may have in their daily summary, in the order
    of ``CHOOSABLE_KINDS``."""
    received, _ = _kinds_by_role(user)
    return [kind for kind in CHOOSABLE_KINDS if kind in received]


def always_at_once_kinds(user: User) -> list[str]:
    """The kinds this person receives that are always sent at once."""
    _, always = _kinds_by_role(user)
    return [kind for kind in Kind if kind in always]


def chosen_timings(user: User) -> dict[str, str]:
    """Each choosable kind's timing for the person (at once unless they chose)."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "timing"))
    return {kind: chosen.get(kind, Timing.AT_ONCE) for kind in choosable_kinds(user)}
