"""What a person does with their notifications, and what an administrator does with an
email that failed."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from communities.models import User
from kentlocality.background import queue_on_commit

from ..services.errors import RequestError
from .models import EmailState, Notification, NotificationPreference, Timing
from .selectors import choosable_kinds


def notification_open(*, user: User, notification_id: int) -> Notification:
    """The person's own notification, marked read (404 for anyone else's)."""
    notification = Notification.objects.filter(pk=notification_id, user=user).first()
    if notification is None:
        raise Http404("No such notification")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    """Mark every unread notification of the person read. Returns how many."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def preferences_save(*, user: User, choices: dict[str, str]) -> None:
    """Save how the person wants to be told of each kind they may choose for. ``choices``
    maps a kind to a timing (at once, or in the daily summary); a kind they may not
    choose for, or a timing that is not one of the two, is refused and nothing is saved.
    Notifications already waiting keep the timing they were made with."""
    allowed = set(choosable_kinds(user))
    timings = {Timing.AT_ONCE.value, Timing.DAILY.value}
    for kind, timing in choices.items():
        if kind not in allowed:
            raise RequestError("You do not receive that kind of notification.")
        if timing not in timings:
            raise RequestError("Choose at once or in the daily summary")
    for kind, timing in choices.items():
        NotificationPreference.objects.update_or_create(
            user=user, kind=kind, defaults={"timing": timing}
        )


@transaction.atomic
def notifications_send_again(*, actor: User, notification_ids: list[int]) -> int:
    """An administrator sends again the emails of notifications that failed or were not
    sent, each on its own and at once (a summary's item too). The person's address is
    checked again when it goes. Returns how many were queued."""
    if not actor.has_perm("requests.send_again"):
        raise PermissionDenied
    from .tasks import notification_email

    again = list(
        Notification.objects.select_for_update()
        .filter(pk__in=notification_ids, email_state__in=[EmailState.FAILED, EmailState.NOT_SENT])
        .exclude(timing=Timing.WITH_HANDOFF)
        .values_list("pk", flat=True)
    )
    Notification.objects.filter(pk__in=again).update(
        email_state=EmailState.PENDING,
        timing=Timing.AT_ONCE,
        summary=None,
        attempts=0,
        email_claimed_at=None,
        last_error="",
    )
    for pk in again:
        queue_on_commit(notification_email, pk)
    return len(again)
