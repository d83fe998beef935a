"""Background work for notifications. Tasks take primary keys, call ``delivery`` and are
safe to run twice (each send is claimed by a compare-and-set)."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from kentlocality.background import email_task, queue

from . import delivery

# A send that hangs is stopped well inside the claim's lease, as the hand-off's is.
_SEND_TIME_LIMIT = max(settings.HANDOFF_CLAIM_LEASE_SECONDS // 2, 5)


@email_task(soft_time_limit=_SEND_TIME_LIMIT, time_limit=_SEND_TIME_LIMIT + 5)
def notification_email(notification_id: int) -> bool:
    """Email one notification that goes at once (see delivery.notification_send)."""
    return delivery.notification_send(notification_id=notification_id)


@email_task(soft_time_limit=_SEND_TIME_LIMIT, time_limit=_SEND_TIME_LIMIT + 5)
def daily_summary_email(summary_id: int) -> bool:
    """Email one person's daily summary (see delivery.summary_send)."""
    return delivery.summary_send(summary_id=summary_id)


@shared_task
def daily_summaries() -> int:
    """Each working day at 8:00: everyone's summary of what they chose to hear of once a
    day. Returns how many summaries were queued."""
    return len(delivery.summaries_prepare(timezone.localdate()))


@shared_task
def payments_due() -> int:
    """Each working day at 8:00: the officers' summary of payments due within 5 working
    days or overdue. Returns how many areas were told."""
    return delivery.payments_due_tell(timezone.localdate())


@shared_task
def notifications_sweep() -> int:
    """Every 10 minutes: queue emails not yet sent (the broker was down when they were
    made, or a worker died mid-send). Returns how many were queued."""
    notifications, summaries = delivery.unsent()
    queued = sum(queue(notification_email, pk) for pk in notifications)
    return queued + sum(queue(daily_summary_email, pk) for pk in summaries)


@shared_task
def notifications_purge() -> int:
    """Nightly: notifications are kept 12 months (NOTIFICATION_KEEP_MONTHS)."""
    return delivery.notifications_purge()
