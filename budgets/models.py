"""CoS budgets per financial year, school budgets, allocations (commitments) made by
decisions, payments, and monthly statements."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history import register

from communities.models import CommunityOfSchools, School
from kentlocality.financial_years import year_label

MONEY = {"max_digits": 12, "decimal_places": 2}


class CosBudget(models.Model):
    """A Community of Schools' HNF top-up budget for one financial year. Its row is
    locked while a decision checks what remains."""

    community = models.ForeignKey(
        CommunityOfSchools, on_delete=models.PROTECT, related_name="budgets"
    )
    year = models.PositiveSmallIntegerField(
        help_text="The calendar year the financial year starts in"
    )
    total = models.DecimalField(**MONEY)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["community__name", "-year"]
        verbose_name = "CoS budget"
        constraints = [
            models.UniqueConstraint(fields=["community", "year"], name="one_budget_per_year"),
            models.CheckConstraint(name="budget_not_negative", condition=Q(total__gte=0)),
        ]

    def __str__(self) -> str:
        return f"{self.community} {year_label(self.year)}"

    @property
    def year_label(self) -> str:
        return year_label(self.year)


class SchoolBudget(models.Model):
    """Financial information KCC sends each CoS yearly for each member school."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="budgets")
    year = models.PositiveSmallIntegerField()
    notional_sen_budget = models.DecimalField(**MONEY)
    historic_hnf_allocation = models.DecimalField("historic HNF allocation", **MONEY)

    class Meta:
        ordering = ["school__name", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["school", "year"], name="one_school_budget_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.school} {year_label(self.year)}"


class Allocation(models.Model):
    """Money committed by an award (an approval or part-approval), apportioned to financial
    years by days. Cancelled, never deleted, when an interim award is revised.

    The ledger holds its own reference to the award: the school paid and the request's
    reference (RFR-2026-000123, fixed once the request is submitted), which the finance
    exports and the admin show. A revised award's allocations share the reference, and the
    ledger counts an award's payments by it. The decision that made an allocation points
    to it (``requests.Decision.allocation``); the ledger never looks the other way."""

    community = models.ForeignKey(
        CommunityOfSchools, on_delete=models.PROTECT, related_name="allocations"
    )
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="allocations")
    reference = models.CharField(max_length=20, db_index=True)
    amount = models.DecimalField(**MONEY)
    start_date = models.DateField()
    end_date = models.DateField()
    decided_on = models.DateField(help_text="The date of the decision that committed it")
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(name="allocation_positive", condition=Q(amount__gt=0))
        ]
        # The few cancelled allocations (revised interim awards): budget positions leave
        # their shares out by looking here (budgets.selectors.budget_positions).
        indexes = [
            models.Index(
                fields=["id"], name="allocation_cancelled", condition=Q(cancelled_on__isnull=False)
            )
        ]

    def __str__(self) -> str:
        return f"Allocation for {self.reference}"


class AllocationYear(models.Model):
    allocation = models.ForeignKey(Allocation, on_delete=models.CASCADE, related_name="years")
    community = models.ForeignKey(CommunityOfSchools, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    amount = models.DecimalField(**MONEY)

    class Meta:
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(fields=["allocation", "year"], name="one_share_per_year"),
        ]
        indexes = [models.Index(fields=["community", "year"])]

    def __str__(self) -> str:
        return f"{self.allocation}: {year_label(self.year)}"


class Payment(models.Model):
    """A payment to a school against an award (its allocation in force when paid). A mistake is put right by a reversal (a
    negative payment pointing at the one it reverses), never by deleting."""

    class Method(models.TextChoices):
        SCHOOLS_ADVANCE = "advance", "Schools' advance"
        ONE_OFF = "one_off", "One-off payment"

    allocation = models.ForeignKey(Allocation, on_delete=models.PROTECT, related_name="payments")
    community = models.ForeignKey(CommunityOfSchools, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(**MONEY)
    paid_on = models.DateField("date paid")
    finance_reference = models.CharField(max_length=60)
    method = models.CharField(max_length=10, choices=Method.choices)
    note = models.TextField(blank=True)
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["paid_on", "pk"]
        indexes = [
            models.Index(fields=["community", "paid_on"]),
            models.Index(fields=["allocation", "paid_on"]),
            # Reports: requests paid after the end of a period.
            models.Index(fields=["paid_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="reversal_is_negative",
                condition=Q(reverses__isnull=True, amount__gt=0)
                | Q(reverses__isnull=False, amount__lt=0),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.finance_reference}: {self.amount}"

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None


class MonthlyStatement(models.Model):
    """The budget update a CoS sees each month, stored as it stood on the day."""

    community = models.ForeignKey(
        CommunityOfSchools, on_delete=models.PROTECT, related_name="statements"
    )
    month = models.DateField(help_text="First day of the month the statement is for")
    year = models.PositiveSmallIntegerField()
    total = models.DecimalField(**MONEY)
    committed = models.DecimalField("spend to date", **MONEY)
    paid = models.DecimalField(**MONEY)
    remaining = models.DecimalField(**MONEY)
    # [{"month": "2026-04", "committed": "1234.00", "paid": "1000.00"}, ...]
    monthly = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["community__name", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["community", "month"], name="one_statement_per_month"),
        ]

    def __str__(self) -> str:
        return f"{self.community} {self.month:%B %Y}"


class SchoolsAdvance(models.Model):
    """One of the schools' advances in KCC's calendar: what the officer has passed to
    finance by the cut-off date reaches the school on the payment date. Administrators
    keep the calendar (``budgets.payment_clock`` reads it)."""

    cut_off = models.DateField("cut-off date", unique=True)
    paid_on = models.DateField("payment date")

    class Meta:
        ordering = ["cut_off"]
        verbose_name = "schools' advance"
        verbose_name_plural = "schools' advance calendar"
        constraints = [
            models.CheckConstraint(
                name="advance_paid_after_cut_off", condition=Q(paid_on__gte=models.F("cut_off"))
            ),
        ]

    def __str__(self) -> str:
        return f"Advance paid {self.paid_on:%-d %B %Y} (cut-off {self.cut_off:%-d %B %Y})"


class ImportRun(models.Model):
    """A yearly data file uploaded in the admin (GIAS, memberships or budgets): previewed,
    then imported by a background task once confirmed (``budgets.yearly_imports``). Kept:
    who, when, the file and its SHA-256, the counts and every row's outcome."""

    class Kind(models.TextChoices):
        GIAS = "gias", "GIAS establishments file"
        MEMBERSHIPS = "memberships", "School memberships of Communities of Schools"
        BUDGETS = "budgets", "Budgets (CoS budgets or school budgets)"

    class State(models.TextChoices):
        PREVIEWED = "previewed", "Previewed, waiting for confirmation"
        QUEUED = "queued", "Confirmed, waiting to run"
        RUNNING = "running", "Importing"
        DONE = "done", "Imported"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    file_name = models.CharField(max_length=200)
    data = models.BinaryField()
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    encoding = models.CharField(max_length=20, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PREVIEWED)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    preview_counts = models.JSONField(default=dict)
    # [[row, outcome, reason], ...]: the preview's, then the import's.
    preview_rows = models.JSONField(default=list)
    counts = models.JSONField(default=dict)
    rows = models.JSONField(default=list)
    problem = models.TextField(blank=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = "yearly data import"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.file_name}"


# Who changed what and when: budgets and payments keep their history in the admin.
register(CosBudget)
register(SchoolBudget)
register(Payment)
register(SchoolsAdvance)
