"""What each person is told, and how they chose to be told it.

A ``Notification`` is one event told to one person: unique on both (``key`` names the
event), so a task run twice, a replayed message or a sweep never tells anyone twice. It is
written in the transaction of the change that causes it and holds its own text (made
when the event happened, without any pupil's identity), shown in the service and sent by
email: at once, in the person's daily summary, or (for the hand-off) by the hand-off's own
email.

The models refer to the request models by name rather than importing them: this module is
imported at the end of ``requests/models.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Kind(models.TextChoices):
    """What happened. The labels are how the preferences page and the administration
    name each kind."""

    REQUEST_SUBMITTED = "request_submitted", "A request is submitted to your Community of Schools"
    REQUEST_RESUBMITTED = "request_resubmitted", "A request is resubmitted with more information"
    AGENDA = "agenda", "Your school's request is put on a meeting agenda"
    DECISION = "decision", "A decision on your school's request"
    PAYMENT = "payment", "A payment is recorded or reversed"
    MEETING = "meeting", "A meeting is scheduled, changed or cancelled"
    MINUTES = "minutes", "A meeting is closed and its minutes are ready"
    REPRESENTATION = (
        "representation",
        "Another member school asks yours to represent it at a meeting",
    )
    HANDOFF = "handoff", "An approved request is handed off to you"
    AWARD_REVISED = "award_revised", "An interim award is revised after its hand-off"
    PAYMENTS_DUE = "payments_due", "Payments due within 5 working days, or overdue"
    ESCALATION = "escalation", "A hand-off is not yet acknowledged, a working day before it is due"
    BREACH = "breach", "A hand-off was not acknowledged by its due date"


# The kinds a person may have in their daily summary instead of at once. Everything else
# is sent at once: the clocks (hand-off, escalation, breach, revised awards), decisions
# and meeting invitations (DESIGN §4); the payments due are one summary of their own each
# working day. An exceptional request's submission is always sent at once too.
CHOOSABLE_KINDS = (
    Kind.REQUEST_SUBMITTED,
    Kind.REQUEST_RESUBMITTED,
    Kind.AGENDA,
    Kind.PAYMENT,
    Kind.MINUTES,
)


class Timing(models.TextChoices):
    AT_ONCE = "at_once", "At once"
    DAILY = "daily", "In one summary each working day at 8:00"
    WITH_HANDOFF = "handoff", "By the hand-off's own email"


class EmailState(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed: the mail server refused it after every retry"
    NOT_SENT = "not_sent", "Not sent (see why)"


class DailySummary(models.Model):
    """One person's email of a working day, listing every notification they chose to have
    in a summary that was waiting when it was made. Claimed by a compare-and-set on
    ``claimed_at``, so it is sent once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="daily_summaries"
    )
    day = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-day", "-pk"]
        verbose_name = "daily summary"
        verbose_name_plural = "daily summaries"
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="one_summary_per_person_and_day")
        ]
        indexes = [
            models.Index(
                fields=["created_at"],
                name="summary_unsent",
                condition=Q(sent_at__isnull=True, failed_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"Summary for {self.user} on {self.day:%d %B %Y}"


class Notification(models.Model):
    """One event told to one person."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    # The event, as "<what>:<its row>[:<version>]" (for example "decision:42"): unique
    # with the person.
    key = models.CharField(max_length=120)
    request = models.ForeignKey(
        "requests.ResourceRequest",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    meeting = models.ForeignKey(
        "requests.Meeting",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    subject = models.CharField(max_length=200)
    body = models.TextField()
    # A path of this site: links in emails put SITE_URL in front.
    url = models.CharField(max_length=300)
    # The calendar invitation sent with a meeting's notification (iCalendar text).
    calendar = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    timing = models.CharField(max_length=10, choices=Timing.choices, default=Timing.AT_ONCE)
    email_state = models.CharField(
        max_length=10, choices=EmailState.choices, default=EmailState.PENDING
    )
    email_claimed_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    summary = models.ForeignKey(
        DailySummary,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        permissions = [("send_again", "Can send a notification's email again")]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], name="one_notification_per_event_and_person"
            )
        ]
        indexes = [
            # The person's page, newest first.
            models.Index(fields=["user", "-created_at", "-id"]),
            # The header's unread count, on every page.
            models.Index(
                fields=["user"], name="notification_unread", condition=Q(read_at__isnull=True)
            ),
            # The sweep and the daily summaries: emails still to send.
            models.Index(
                fields=["timing", "created_at"],
                name="notification_unsent",
                condition=Q(email_state="pending"),
            ),
            # Kept 12 months: the nightly purge.
            models.Index(fields=["created_at"]),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class NotificationPreference(models.Model):
    """How a person wants to be told of one kind of event (at once unless chosen)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    timing = models.CharField(
        max_length=10, choices=[(t.value, t.label) for t in (Timing.AT_ONCE, Timing.DAILY)]
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["user", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind"),
            models.CheckConstraint(
                name="preference_for_a_choosable_kind",
                condition=Q(kind__in=[k.value for k in CHOOSABLE_KINDS]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_kind_display()} {self.get_timing_display().lower()}"
