"""Quarterly (and on-demand) reports to the Area Board: one PDF per area or per CoS for a
period, built by a worker and kept privately, in versions."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.text import slugify

from communities.models import Area, CommunityOfSchools
from kentlocality.financial_years import Quarter, quarter_of
from kentlocality.storage import private_storage


def _private_storage():
    return private_storage


def _report_path(instance: Report, filename: str) -> str:
    return f"reports/{instance.period_start:%Y}/{filename}"


def quarter_for(start: dt.date, end: dt.date) -> Quarter | None:
    """The financial-year quarter these dates span exactly, or None."""
    quarter = quarter_of(start)
    return quarter if quarter.start == start and quarter.end == end else None


def period_title(start: dt.date, end: dt.date) -> str:
    quarter = quarter_for(start, end)
    if quarter is not None:
        return quarter.label
    return f"{date_format(start, 'j F Y')} to {date_format(end, 'j F Y')}"


class Report(models.Model):
    """A report on one area (with a section for each of its CoS), on one CoS, or on all
    of Kent (neither: a section for each area, its CoS side by side)."""

    class PreparedFor(models.TextChoices):
        """Whom a report is prepared for: the guidance makes CoS accountable to the Area
        Boards, the Schools' Funding Forum and the Kent SEND Partnership Board, and says
        they report to another governing body where it requires it."""

        AREA_BOARD = "area_board", "Area Board"
        FUNDING_FORUM = "funding_forum", "Schools' Funding Forum"
        SEND_BOARD = "send_board", "Kent SEND Partnership Board"
        OTHER = "other", "Another body"

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        GENERATING = "generating", "Being made"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    area = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.PROTECT, related_name="reports"
    )
    community = models.ForeignKey(
        CommunityOfSchools, null=True, blank=True, on_delete=models.PROTECT, related_name="reports"
    )
    period_start = models.DateField()
    period_end = models.DateField()
    version = models.PositiveIntegerField(default=1)
    # Made by the quarterly schedule (and emailed to the board or the chair when ready),
    # rather than asked for by a person.
    is_scheduled = models.BooleanField(default=False)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    failure_reason = models.TextField(blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    generated_at = models.DateTimeField(null=True, blank=True)
    pdf = models.FileField(storage=_private_storage, upload_to=_report_path, blank=True)
    pdf_size = models.PositiveIntegerField(default=0)
    emailed_at = models.DateTimeField(null=True, blank=True)
    prepared_for = models.CharField(
        max_length=20, choices=PreparedFor.choices, default=PreparedFor.AREA_BOARD
    )
    # The body's name when prepared for another body.
    prepared_for_other = models.CharField("name of the body", max_length=120, blank=True)
    # Asked for by a person over dates of their choosing (the daily limit counts these);
    # not a new version of an existing report, nor one of the schedule's.
    is_custom = models.BooleanField(default=False)

    class Meta:
        ordering = ["-period_end", "-period_start", "-version"]
        indexes = [
            models.Index(fields=["area", "-period_end"]),
            models.Index(fields=["community", "-period_end"]),
            models.Index(fields=["state", "requested_at"]),
        ]
        constraints = [
            # An area, a CoS, or (neither) all of Kent.
            models.CheckConstraint(
                name="report_on_one_place_at_most",
                condition=Q(area__isnull=True) | Q(community__isnull=True),
            ),
            models.CheckConstraint(
                name="report_other_body_named",
                condition=~Q(prepared_for="other") | ~Q(prepared_for_other=""),
            ),
            models.CheckConstraint(
                name="report_period_in_order", condition=Q(period_end__gte=models.F("period_start"))
            ),
            # A report is for an area or for a CoS: one constraint for each kind, so that
            # no NULL takes part (SQLite, the embedded default, has no NULLS NOT DISTINCT).
            models.UniqueConstraint(
                fields=["area", "period_start", "period_end", "version"],
                condition=Q(community__isnull=True),
                name="one_area_report_per_version",
            ),
            models.UniqueConstraint(
                fields=["community", "period_start", "period_end", "version"],
                condition=Q(area__isnull=True),
                name="one_cos_report_per_version",
            ),
            # The schedule makes one report per place and quarter, however often beat fires.
            models.UniqueConstraint(
                fields=["area", "period_start", "period_end"],
                condition=Q(is_scheduled=True, community__isnull=True),
                name="one_scheduled_area_report",
            ),
            models.UniqueConstraint(
                fields=["community", "period_start", "period_end"],
                condition=Q(is_scheduled=True, area__isnull=True),
                name="one_scheduled_cos_report",
            ),
            models.UniqueConstraint(
                fields=["period_start", "period_end", "version"],
                condition=Q(area__isnull=True, community__isnull=True),
                name="one_kent_report_per_version",
            ),
            models.UniqueConstraint(
                fields=["period_start", "period_end"],
                condition=Q(is_scheduled=True, area__isnull=True, community__isnull=True),
                name="one_scheduled_kent_report",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject}, {self.title}, version {self.version}"

    @property
    def is_kent(self) -> bool:
        return self.area_id is None and self.community_id is None

    @property
    def subject(self) -> str:
        if self.is_kent:
            return "Kent"
        return f"{self.area} area" if self.area_id else str(self.community)

    @property
    def prepared_for_name(self) -> str:
        if self.prepared_for == self.PreparedFor.OTHER:
            return self.prepared_for_other
        return self.get_prepared_for_display()

    @property
    def title(self) -> str:
        return period_title(self.period_start, self.period_end)

    @property
    def quarter(self) -> Quarter | None:
        return quarter_for(self.period_start, self.period_end)

    @property
    def is_waiting(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.GENERATING)

    @property
    def download_name(self) -> str:
        return slugify(f"{self.subject} {self.title} version {self.version}") + ".pdf"
