"""Requests for Resource, their evidence and timeline, meetings and decisions, and the
hand-off of approved requests to the area's HNF Monitoring Officer."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.formats import date_format
from simple_history import register

from budgets.models import Payment
from communities.models import Area, CommunityOfSchools, School
from kentlocality.storage import private_storage

from .choices import ExceptionalReason, HomeLocalAuthority, Need, SenProvision, YearGroup
from .workflow import Action, Status

MONEY = {"max_digits": 12, "decimal_places": 2}
NOTIONAL_SEN_THRESHOLD = Decimal("6000.00")


def _private_storage():
    return private_storage


def _evidence_path(instance: Attachment, filename: str) -> str:
    # Never the uploaded name: it may carry the pupil's name.
    return f"evidence/{uuid.uuid4().hex}"


class FormSettings(models.Model):
    """Settings administrators change without a deployment. One row."""

    amount_ceiling = models.DecimalField(
        "largest amount a school may ask for",
        default=Decimal("50000.00"),
        validators=[MinValueValidator(Decimal("0.01"))],
        **MONEY,
    )

    class Meta:
        verbose_name = "Request for Resource settings"
        verbose_name_plural = "Request for Resource settings"

    def __str__(self) -> str:
        return "Request for Resource settings"

    def save(self, *args, **kwargs) -> None:
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def load(cls) -> FormSettings:
        obj, _ = cls.objects.get_or_create(pk=1)
        return obj


class PRGService(models.Model):
    """A service of the Professional Resources Group, kept by administrators."""

    name = models.CharField(max_length=150, unique=True)
    offers = models.TextField("what it offers")
    audience = models.TextField("who it is for")
    contact = models.TextField("how to contact it")
    website = models.URLField(blank=True)
    is_active = models.BooleanField("listed", default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = "Professional Resources Group service"

    def __str__(self) -> str:
        return self.name


class ReferenceCounter(models.Model):
    """The last reference number given in a calendar year (RFR-2026-000123)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class ResourceRequest(models.Model):
    """A Request for Resource: one pupil at one school asking for HNF top-up."""

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    reference = models.CharField(max_length=20, unique=True, null=True, blank=True)
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="requests")
    # The CoS of the school when the request was submitted; later moves of the school do
    # not move its requests.
    community = models.ForeignKey(
        CommunityOfSchools,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requests",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    first_submitted_at = models.DateTimeField(null=True, blank=True)

    # 1. Pupil
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    upn = models.CharField("UPN", max_length=13, blank=True)
    year_group = models.CharField(max_length=2, choices=YearGroup.choices, blank=True)
    sen_provision = models.CharField(
        "SEN provision", max_length=1, choices=SenProvision.choices, blank=True
    )
    primary_need = models.CharField(max_length=4, choices=Need.choices, blank=True)
    secondary_need = models.CharField(max_length=4, choices=Need.choices, blank=True)
    home_la = models.CharField(
        "home local authority", max_length=5, choices=HomeLocalAuthority.choices, blank=True
    )
    home_la_name = models.CharField("other local authority", max_length=100, blank=True)
    consent_given = models.BooleanField("parental consent given", null=True, blank=True)
    consent_date = models.DateField(null=True, blank=True)
    receives_saf = models.BooleanField(
        "already receives Specific Allocation Funding", null=True, blank=True
    )

    # 2. Needs and current provision
    needs_summary = models.TextField(blank=True)
    graduated_assess = models.TextField("assess", blank=True)
    graduated_plan = models.TextField("plan", blank=True)
    graduated_do = models.TextField("do", blank=True)
    graduated_review = models.TextField("review", blank=True)
    current_provision = models.TextField("what the school already provides", blank=True)
    current_cost = models.DecimalField(
        "yearly cost from the notional SEN budget", null=True, blank=True, **MONEY
    )
    below_threshold_reason = models.TextField(
        "why top-up is needed now although the school spends less than £6,000", blank=True
    )
    prg_services = models.ManyToManyField(PRGService, blank=True, related_name="+")
    prg_other = models.CharField("other services involved", max_length=300, blank=True)

    # 3. What is requested
    funding_purpose = models.TextField("what the top-up will pay for", blank=True)
    amount = models.DecimalField("amount requested", null=True, blank=True, **MONEY)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    long_duration_reason = models.TextField(
        "why the support is needed for more than 12 months", blank=True
    )
    outcomes = models.TextField("expected outcomes", blank=True)
    review_arrangements = models.TextField("how the outcomes will be reviewed", blank=True)
    # What members of the CoS read on the agenda: written by the SENCO without naming the
    # pupil, and editable by the chair until the request is decided.
    meeting_summary = models.TextField("summary for the meeting", blank=True)

    # 4. Exceptional request
    is_exceptional = models.BooleanField("exceptional request", null=True, blank=True)
    exceptional_reason = models.CharField(
        max_length=20, choices=ExceptionalReason.choices, blank=True
    )
    exceptional_why_now = models.TextField("why it cannot wait for the next meeting", blank=True)

    # 6. Declaration
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    declared_at = models.DateTimeField(null=True, blank=True)

    # The latest decision (kept by services.decision_record), for lists and reports.
    decision = models.ForeignKey(
        "Decision", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The decided request whose support this one continues ("Continue support").
    continues = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="continuations"
    )
    anonymised_at = models.DateTimeField(null=True, blank=True)
    # Answers saved as a draft that were not yet right (a date that does not exist, a UPN
    # with the wrong check letter), exactly as typed, by section: {"pupil": {"upn":
    # ["E88620002600"]}}. The section shows them again with its errors until they are
    # corrected; a request holding any cannot be submitted (validation.py).
    answers_as_typed = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "Request for Resource"
        verbose_name_plural = "Requests for Resource"
        permissions = [
            ("subject_access", "Can find a pupil's records and export them (subject access)"),
        ]
        indexes = [
            models.Index(fields=["school", "status", "-created_at"]),
            models.Index(fields=["community", "status", "submitted_at"]),
            models.Index(fields=["status", "submitted_at"]),
            models.Index(fields=["-submitted_at"]),
            # Reports: requests a CoS received in a period.
            models.Index(fields=["community", "first_submitted_at"]),
            # The default order, newest first (the administrators' list of requests).
            models.Index(fields=["-created_at", "-id"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="amount_positive", condition=Q(amount__isnull=True) | Q(amount__gt=0)
            ),
            models.CheckConstraint(
                name="end_after_start",
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gt=models.F("start_date")),
            ),
            models.CheckConstraint(
                name="submitted_has_reference",
                condition=Q(status="draft") | Q(reference__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.reference or f"Draft {self.pk}"

    @property
    def pupil_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def consent_summary(self) -> str:
        if not self.consent_given:
            return ""
        return f"Given on {date_format(self.consent_date)}" if self.consent_date else "Given"

    @property
    def display_reference(self) -> str:
        return self.reference or "Draft"

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT


class Attachment(models.Model):
    """Evidence for a request. Stored privately and served only through a view that checks
    permission (requests.views.evidence_download)."""

    request = models.ForeignKey(
        ResourceRequest, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(storage=_private_storage, upload_to=_evidence_path, max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class TimelineEvent(models.Model):
    """Every change to a request: who, when, from, to, and a note."""

    request = models.ForeignKey(ResourceRequest, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=40, choices=Action.choices)
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["request", "at"])]

    def __str__(self) -> str:
        return f"{self.request}: {self.action}"

    @property
    def action_label(self) -> str:
        return self.get_action_display()


class Meeting(models.Model):
    class State(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CLOSED = "closed", "Closed"
        CANCELLED = "cancelled", "Cancelled"

    community = models.ForeignKey(
        CommunityOfSchools, on_delete=models.PROTECT, related_name="meetings"
    )
    date = models.DateField()
    start_time = models.TimeField()
    place = models.CharField(max_length=200, blank=True)
    online_link = models.URLField("online meeting link", blank=True, max_length=500)
    state = models.CharField(max_length=10, choices=State.choices, default=State.SCHEDULED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancel_reason = models.TextField("why the meeting is cancelled", blank=True)
    # The calendar invitation's SEQUENCE (RFC 5545): raised on each change and on
    # cancellation, so calendar programs replace the event they hold with the newer one.
    sequence = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-date", "-start_time"]
        indexes = [models.Index(fields=["community", "state", "date"])]

    def __str__(self) -> str:
        return f"{self.community} meeting, {self.date.day} {self.date:%B %Y}"

    @property
    def is_closed(self) -> bool:
        return self.state == self.State.CLOSED

    @property
    def is_cancelled(self) -> bool:
        return self.state == self.State.CANCELLED

    @property
    def is_open(self) -> bool:
        """Scheduled: neither closed nor cancelled, so its agenda may still change."""
        return self.state == self.State.SCHEDULED


class AgendaItem(models.Model):
    class Kind(models.TextChoices):
        DECISION = "decision", "For decision"
        RATIFICATION = "ratification", "Interim decision to ratify"

    class Outcome(models.TextChoices):
        APPROVED = "approved", "Approved"
        PART_APPROVED = "part_approved", "Part-approved"
        DECLINED = "declined", "Declined"
        DEFERRED = "deferred", "Deferred"
        MORE_INFORMATION = "more_information", "More information asked for"
        WITHDRAWN = "withdrawn", "Withdrawn by the school"
        RATIFIED = "ratified", "Ratified"
        REVISED = "revised", "Revised"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    request = models.ForeignKey(
        ResourceRequest, on_delete=models.PROTECT, related_name="agenda_items"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.DECISION)
    position = models.PositiveIntegerField(default=0)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "request"], name="one_item_per_request")
        ]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.request}"


class Attendance(models.Model):
    class Status(models.TextChoices):
        ATTENDED = "attended", "Attended"
        REPRESENTED = "represented", "Represented by another school"
        APOLOGIES = "apologies", "Sent apologies"
        ABSENT = "absent", "Absent"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=Status.choices)
    representative_name = models.CharField(max_length=150, blank=True)
    represented_by = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["school__name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "school"], name="one_attendance_per_school")
        ]

    def __str__(self) -> str:
        return f"{self.school}: {self.get_status_display()}"


class Representation(models.Model):
    """A school with a request on a meeting's agenda has asked another member school to
    represent it there: arranged ahead by the requesting school's SENCO, shown to the
    chair and used to pre-fill attendance."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="representations")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    represented_by = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    arranged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    arranged_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["school__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "school"], name="one_representation_per_school"
            ),
            models.CheckConstraint(
                condition=~models.Q(school=models.F("represented_by")),
                name="school_never_represents_itself",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school} represented by {self.represented_by}"


class DeclarationOfInterest(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="declarations")
    person_name = models.CharField(max_length=150)
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.CASCADE, related_name="declarations"
    )
    details = models.TextField()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.person_name}: {self.details[:40]}"


class Decision(models.Model):
    """What the chair decided on a request: at a meeting, or as an interim decision."""

    class Outcome(models.TextChoices):
        APPROVED = "approved", "Approved"
        PART_APPROVED = "part_approved", "Part-approved"
        DECLINED = "declined", "Declined"
        DEFERRED = "deferred", "Deferred"
        MORE_INFORMATION = "more_information", "More information asked for"

    request = models.ForeignKey(ResourceRequest, on_delete=models.CASCADE, related_name="decisions")
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="decisions"
    )
    item = models.OneToOneField(
        AgendaItem, null=True, blank=True, on_delete=models.PROTECT, related_name="decision"
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    amount = models.DecimalField("amount awarded", null=True, blank=True, **MONEY)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    long_award_reason = models.TextField(blank=True)
    reason = models.TextField(blank=True)
    is_interim = models.BooleanField(default=False)
    over_budget = models.BooleanField("takes the remaining budget below zero", default=False)
    over_budget_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField()
    decision_date = models.DateField()
    # An interim decision is ratified at the next meeting, or revised by a later decision.
    ratified_at = models.DateTimeField(null=True, blank=True)
    ratified_item = models.OneToOneField(
        AgendaItem,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ratified_decision",
    )
    revises = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="revised_by"
    )
    # The money an award commits, in the ledger (none for a decline, deferral or request
    # for more information).
    allocation = models.OneToOneField(
        "budgets.Allocation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decision",
    )

    class Meta:
        ordering = ["decided_at", "pk"]
        indexes = [
            models.Index(fields=["decision_date", "outcome"]),
            models.Index(fields=["request", "decided_at"]),
            # The chair's interim decisions waiting for ratification: a handful among
            # ten years of decisions.
            models.Index(
                fields=["request"],
                name="decision_unratified_interim",
                condition=Q(is_interim=True, ratified_at__isnull=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="award_has_amount_and_dates",
                condition=~Q(outcome__in=["approved", "part_approved"])
                | Q(amount__gt=0, start_date__isnull=False, end_date__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request}: {self.get_outcome_display()}"

    @property
    def awards_money(self) -> bool:
        return self.outcome in (self.Outcome.APPROVED, self.Outcome.PART_APPROVED)


class Handoff(models.Model):
    """An approved request on its way to the area's HNF Monitoring Officer.

    Written in the same transaction as the approval, so nothing is lost between
    "approved" and "the officer has it"; a task sends it and a sweep re-queues any not
    yet sent. ``sent_at`` is set by a compare-and-set claim, so it is sent only once.
    """

    request = models.OneToOneField(
        ResourceRequest, on_delete=models.CASCADE, related_name="handoff"
    )
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="handoffs")
    created_at = models.DateTimeField(auto_now_add=True)
    decision_date = models.DateField()
    due_date = models.DateField("hand-off due")
    payment_due_date = models.DateField("payment due")
    # How the school is to be paid, which sets the payment due date
    # (budgets.payment_clock); the officer chooses it on the request's page.
    payment_method = models.CharField(
        "payment route",
        max_length=10,
        choices=Payment.Method.choices,
        default=Payment.Method.ONE_OFF,
    )
    send_claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    escalated_at = models.DateTimeField(null=True, blank=True)
    breached_at = models.DateTimeField(null=True, blank=True)
    # The date of the school's first payment on the request that was not reversed: the
    # payment clock stops on it. The ledger holds the payments; this is its copy, written
    # only by requests.services.payments (from the ledger, under the request's lock) so
    # that the officer's list need not work it out for each hand-off (a correlated
    # subquery through decision, award and payment: the officer home was 3.0 to 4.1
    # times the floor with it, bench/NOTES.md). tests/ledger_checks.py compares the copy
    # with the ledger, after payments and reversals and after both demo histories.
    first_paid_on = models.DateField("first paid on", null=True, blank=True)

    class Meta:
        ordering = ["-decision_date", "-pk"]
        indexes = [
            models.Index(fields=["area", "-decision_date"]),
            models.Index(fields=["area", "payment_due_date"]),
            # Reports: approvals dated in a period, and hand-offs acknowledged after it.
            models.Index(fields=["decision_date"]),
            models.Index(fields=["acknowledged_at"]),
            models.Index(
                fields=["created_at"], name="handoff_unsent", condition=Q(sent_at__isnull=True)
            ),
            models.Index(
                fields=["due_date"],
                name="handoff_unacknowledged",
                condition=Q(acknowledged_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"Hand-off of {self.request}"


class PupilIdentityView(models.Model):
    """Who saw a pupil's identity, on which request, and when.

    An audit record: the database refuses to change or delete its rows (migration 0007),
    and it outlives the request it names. A discarded or expired draft is deleted, but
    that someone saw its pupil is not: the request is referred to without a foreign-key
    constraint (nothing cascades), with its reference and school copied at the time."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    request = models.ForeignKey(
        ResourceRequest,
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="identity_views",
    )
    reference = models.CharField(
        max_length=30, blank=True, help_text="The request's reference, or Draft and its number."
    )
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    viewed_at = models.DateTimeField(auto_now_add=True)
    page = models.CharField(max_length=100)

    class Meta:
        ordering = ["-viewed_at"]
        indexes = [
            models.Index(fields=["request", "-viewed_at"]),
            models.Index(fields=["user", "-viewed_at"]),
        ]
        verbose_name = "view of a pupil's identity"
        verbose_name_plural = "views of pupil identities"

    def __str__(self) -> str:
        return f"{self.user} viewed {self.reference}"


class AwardReview(models.Model):
    """What an award achieved, reviewed by the school from 4 weeks before it ends: each
    planned outcome (a line of the request's expected outcomes) achieved, partly achieved
    or not, with a note. One review per award (the decision in force)."""

    request = models.ForeignKey(ResourceRequest, on_delete=models.CASCADE, related_name="reviews")
    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="review")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField()

    class Meta:
        ordering = ["-reviewed_at", "-pk"]

    def __str__(self) -> str:
        return f"Review of {self.request}"


class ReviewedOutcome(models.Model):
    class Result(models.TextChoices):
        ACHIEVED = "achieved", "Achieved"
        PARTLY = "partly", "Partly achieved"
        NOT = "not", "Not achieved"

    review = models.ForeignKey(AwardReview, on_delete=models.CASCADE, related_name="outcomes")
    position = models.PositiveSmallIntegerField()
    planned = models.TextField("planned outcome")
    result = models.CharField(max_length=8, choices=Result.choices)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["review", "position"]

    def __str__(self) -> str:
        return f"{self.planned[:40]}: {self.get_result_display()}"


# Who changed what and when: decisions keep their history in the admin.
register(Decision)

# Notifications live in their own module (requests/notifications/); Django finds an app's
# models through this one.
from .notifications.models import (  # noqa: E402, F401
    DailySummary,
    Notification,
    NotificationPreference,
)
