"""Emails of notifications: one at once, a person's daily summary, the officers' payments
due, the sweep that re-queues what the broker missed, and the 12 months they are kept.

Each send is claimed with a compare-and-set (``email_claimed_at``, a summary's
``claimed_at``) and finished with another, as the hand-off is: a task run twice, a
redelivered message or two workers never send one twice. A claim left by a worker that
died mid-send is taken over after the hand-offs' lease (``HANDOFF_CLAIM_LEASE_SECONDS``).
A send that fails gives its claim back for the retry; after ``MAX_ATTEMPTS`` it is marked
failed, and an administrator can send it again.

Only active people whose email address is confirmed are emailed: someone who has never
followed their invitation to choose a password has not shown that the address reaches
them. Their notification waits in the service, marked "not sent" with the reason.
"""

from __future__ import annotations

import datetime as dt
import logging
from email.mime.text import MIMEText

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from communities.models import Area, User
from kentlocality.background import queue_on_commit
from kentlocality.emails import absolute_url, send_templated
from kentlocality.workdays import is_working_day

from ..selectors.officer import amber_limit, area_handoffs, not_yet_paid, unpaid_in_area
from ..services.handoffs import claim_lease
from . import recipients
from .events import Event, tell
from .models import DailySummary, EmailState, Kind, Notification, Timing

logger = logging.getLogger(__name__)

# One send and the eight retries of ``kentlocality.background.email_task`` (about an hour
# and a half with backoff): then the email is marked failed.
MAX_ATTEMPTS = 9


def why_not_emailed(user: User) -> str:
    """Why a person is not emailed, or "" when they can be."""
    if not user.is_active:
        return "Not emailed: the account is switched off."
    if not user.has_usable_password():
        return (
            f"Not emailed: {user.email} is not confirmed (the person has not yet followed "
            "their invitation to choose a password). They see it in the service when they "
            "sign in; send the invitation again from their account."
        )
    return ""


def link_text(url: str) -> str:
    if "/minutes/" in url:
        return "Read the minutes"
    if "/meetings/" in url:
        return "Open the meeting"
    if url.startswith("/admin/"):
        return "Open the hand-off"
    if "/officer/" in url:
        return "Open your approved requests"
    return "Open the request"


def _invitation(notification: Notification) -> MIMEText:
    method = "CANCEL" if "METHOD:CANCEL" in notification.calendar else "REQUEST"
    part = MIMEText(notification.calendar, "calendar", "utf-8")
    part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename="meeting.ics")
    return part


def _item(notification: Notification) -> dict:
    return {
        "subject": notification.subject,
        "body": notification.body,
        "url": absolute_url(notification.url),
        "link_text": link_text(notification.url),
    }


def _footer() -> dict:
    return {
        "preferences_url": absolute_url(reverse("requests:notification_preferences")),
        "notifications_url": absolute_url(reverse("requests:notifications")),
    }


# One notification at once --------------------------------------------------------------


def _claim(model, pk: int, field: str, **still) -> bool:
    now = timezone.now()
    claimable = Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__lt": now - claim_lease()})
    return bool(
        model.objects.filter(claimable, pk=pk, **still).update(
            **{field: now, "attempts": F("attempts") + 1}
        )
    )


def notification_send(*, notification_id: int) -> bool:
    """Email one notification that goes at once, once. Returns whether this call sent it.

    Nothing to do (already sent, claimed by another worker, not at once, or gone): False.
    A person who cannot be emailed: marked not sent, with the reason. A failed send gives
    the claim back and re-raises for the task's retry, until the last attempt, which marks
    it failed for an administrator to see. As for the hand-off, the one window left is
    between the mail server accepting the message and the update that marks it sent.
    """
    pending = {"email_state": EmailState.PENDING, "timing": Timing.AT_ONCE}
    if not _claim(Notification, notification_id, "email_claimed_at", **pending):
        return False
    notification = Notification.objects.select_related("user").filter(pk=notification_id).first()
    if notification is None:
        return False
    mine = Notification.objects.filter(pk=notification_id, **pending)
    refusal = why_not_emailed(notification.user)
    if refusal:
        mine.update(email_state=EmailState.NOT_SENT, email_claimed_at=None, last_error=refusal)
        return False
    attachments = [_invitation(notification)] if notification.calendar else []
    try:
        send_templated(
            "notification",
            [notification.user.email],
            {**_item(notification), **_footer(), "has_invitation": bool(attachments)},
            attachments,
        )
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"[:500]
        if notification.attempts >= MAX_ATTEMPTS:
            mine.update(email_state=EmailState.FAILED, email_claimed_at=None, last_error=error)
            logger.warning(
                "notification %s failed after %s attempts", notification_id, MAX_ATTEMPTS
            )
            return False
        mine.update(email_claimed_at=None, last_error=error)
        raise
    return bool(mine.update(email_state=EmailState.SENT, emailed_at=timezone.now(), last_error=""))


# The daily summary ---------------------------------------------------------------------


def summaries_prepare(today: dt.date) -> list[int]:
    """On a working day: each person's notifications waiting for a summary are put in
    today's, which is queued to send. One summary a person a day; a notification that
    arrives after it was made waits for the next working day's. Returns the summaries
    queued."""
    from .tasks import daily_summary_email

    if not is_working_day(today):
        return []
    waiting = Notification.objects.filter(
        timing=Timing.DAILY, email_state=EmailState.PENDING, summary__isnull=True
    )
    queued = []
    for user_id in waiting.values_list("user_id", flat=True).distinct().order_by("user_id"):
        with transaction.atomic():
            summary, _ = DailySummary.objects.get_or_create(user_id=user_id, day=today)
            summary = DailySummary.objects.select_for_update().get(pk=summary.pk)
            if summary.claimed_at or summary.sent_at or summary.failed_at:
                continue  # today's has gone (or is going): the rest waits for tomorrow's
            waiting.filter(user_id=user_id).update(summary=summary)
            queued.append(summary.pk)
            queue_on_commit(daily_summary_email, summary.pk)
    return queued


def summary_send(*, summary_id: int) -> bool:
    """Email one daily summary, once, listing each of its notifications once; they are
    marked sent with it. Failures as ``notification_send``."""
    if not _claim(DailySummary, summary_id, "claimed_at", sent_at=None, failed_at=None):
        return False
    summary = DailySummary.objects.select_related("user").filter(pk=summary_id).first()
    if summary is None:
        return False
    mine = DailySummary.objects.filter(pk=summary_id, sent_at=None, failed_at=None)
    items = list(
        summary.notifications.filter(email_state=EmailState.PENDING).order_by("created_at", "pk")
    )
    listed = Notification.objects.filter(pk__in=[n.pk for n in items])
    refusal = why_not_emailed(summary.user)
    if refusal or not items:
        with transaction.atomic():
            mine.update(sent_at=timezone.now(), last_error=refusal)
            listed.update(email_state=EmailState.NOT_SENT, last_error=refusal)
        return False
    try:
        send_templated(
            "daily_summary",
            [summary.user.email],
            {"day": summary.day, "items": [_item(n) for n in items], **_footer()},
        )
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"[:500]
        if summary.attempts >= MAX_ATTEMPTS:
            with transaction.atomic():
                mine.update(failed_at=timezone.now(), claimed_at=None, last_error=error)
                listed.update(email_state=EmailState.FAILED, last_error=error)
            logger.warning("daily summary %s failed after %s attempts", summary_id, MAX_ATTEMPTS)
            return False
        mine.update(claimed_at=None, last_error=error)
        raise
    now = timezone.now()
    with transaction.atomic():
        finished = mine.update(sent_at=now, last_error="")
        if finished:
            listed.update(email_state=EmailState.SENT, emailed_at=now, last_error="")
    return bool(finished)


# The officers' payments due ------------------------------------------------------------


def payments_due_tell(today: dt.date) -> int:
    """On a working day: each area's officers get one summary of the payments due within
    5 working days or overdue (none when there are none). Returns the areas told."""
    if not is_working_day(today):
        return 0
    limit = amber_limit(today)
    told = 0
    for area in Area.objects.order_by("name"):
        rows = list(
            not_yet_paid(area_handoffs(area.pk))
            .filter(unpaid_in_area(area.pk), payment_due_date__lte=limit)
            .order_by("payment_due_date", "pk")
            .values(
                "request__reference",
                "request__school__name",
                "payment_due_date",
                "approved",
                "paid",
            )
        )
        if not rows:
            continue
        for row in rows:
            row["outstanding"] = max(row["approved"] - row["paid"], 0)
        written = tell(
            recipients.officers(area.pk),
            Event(
                kind=Kind.PAYMENTS_DUE,
                key=f"payments_due:{area.pk}:{today.isoformat()}",
                message="payments_due",
                context={
                    "area": area.name,
                    "today": today,
                    "overdue": [r for r in rows if r["payment_due_date"] < today],
                    "due_soon": [r for r in rows if r["payment_due_date"] >= today],
                },
                url=reverse("requests:officer", args=[area.pk]),
                at_once=True,
            ),
        )
        told += bool(written)
    return told


# The sweep, sending again and keeping 12 months ----------------------------------------


def unsent(now: dt.datetime | None = None) -> tuple[list[int], list[int]]:
    """(notifications, summaries) the sweep should queue: waiting to be sent at once, and
    not claimed within the lease."""
    now = now or timezone.now()
    expired = now - claim_lease()
    notifications = Notification.objects.filter(
        Q(email_claimed_at__isnull=True) | Q(email_claimed_at__lt=expired),
        email_state=EmailState.PENDING,
        timing=Timing.AT_ONCE,
    ).values_list("pk", flat=True)
    summaries = DailySummary.objects.filter(
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=expired),
        sent_at__isnull=True,
        failed_at__isnull=True,
    ).values_list("pk", flat=True)
    return list(notifications), list(summaries)


def notifications_purge(now: dt.datetime | None = None) -> int:
    """Delete notifications (and daily summaries) older than NOTIFICATION_KEEP_MONTHS.
    Returns how many notifications went."""
    now = now or timezone.now()
    cutoff = now - relativedelta(months=settings.NOTIFICATION_KEEP_MONTHS)
    deleted, _ = Notification.objects.filter(created_at__lt=cutoff).delete()
    DailySummary.objects.filter(created_at__lt=cutoff).delete()
    return deleted
