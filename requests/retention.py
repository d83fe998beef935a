"""Retention (run nightly by beat, and by ``manage.py apply_retention``).

- Pupil identities in finished requests (declined, withdrawn, paid and closed) are
  removed once the pupil is older than RETENTION_PUPIL_AGE_YEARS (31 by default: date of
  birth + 31 years, the schools' records management guidance for SEN files). What
  identifies or describes the child goes: names, date of birth, UPN, the written
  narrative, evidence files and timeline notes. What reports count stays: year group,
  needs, SEN provision, amounts, dates, decisions and payments, so every figure is
  unchanged.
- Drafts never submitted and untouched for RETENTION_DRAFT_MONTHS (12) are deleted.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import ResourceRequest, TimelineEvent
from .services.lifecycle import lock_request, record_event
from .workflow import FINISHED_STATUSES, Action, Status

logger = logging.getLogger(__name__)

NARRATIVE_FIELDS = [
    "needs_summary",
    "graduated_assess",
    "graduated_plan",
    "graduated_do",
    "graduated_review",
    "current_provision",
    "below_threshold_reason",
    "prg_other",
    "funding_purpose",
    "long_duration_reason",
    "outcomes",
    "review_arrangements",
    "meeting_summary",
    "exceptional_why_now",
    "home_la_name",
]


@dataclass
class RetentionResult:
    anonymised: int
    drafts_deleted: int


def _years_ago(today: dt.date, years: int) -> dt.date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def due_for_anonymising(today: dt.date):
    born_before = _years_ago(today, settings.RETENTION_PUPIL_AGE_YEARS)
    return ResourceRequest.objects.filter(
        status__in=FINISHED_STATUSES,
        anonymised_at__isnull=True,
        date_of_birth__isnull=False,
        date_of_birth__lte=born_before,
    )


def abandoned_drafts(now: dt.datetime):
    cutoff = now - dt.timedelta(days=round(settings.RETENTION_DRAFT_MONTHS * 30.44))
    return ResourceRequest.objects.filter(status=Status.DRAFT, updated_at__lt=cutoff)


@transaction.atomic
def request_anonymise(request_id: int) -> bool:
    request = lock_request(request_id)
    if request.anonymised_at is not None:
        return False
    files = [(a.file.storage, a.file.name) for a in request.attachments.all()]
    request.attachments.all().delete()
    request.first_name = ""
    request.last_name = ""
    request.upn = ""
    request.date_of_birth = None
    request.answers_as_typed = {}
    for name in NARRATIVE_FIELDS:
        setattr(request, name, "")
    request.anonymised_at = timezone.now()
    request.save()
    TimelineEvent.objects.filter(request=request).update(note="")
    record_event(request, actor=None, action=Action.ANONYMISE)

    def delete_files() -> None:
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(delete_files)
    return True


def apply_retention(*, dry_run: bool = False, now: dt.datetime | None = None) -> RetentionResult:
    now = now or timezone.now()
    to_anonymise = list(due_for_anonymising(timezone.localdate(now)).values_list("pk", flat=True))
    drafts = list(abandoned_drafts(now).values_list("pk", flat=True))
    if dry_run:
        return RetentionResult(anonymised=len(to_anonymise), drafts_deleted=len(drafts))
    anonymised = sum(request_anonymise(pk) for pk in to_anonymise)
    deleted = 0
    for pk in drafts:
        with transaction.atomic():
            draft = (
                ResourceRequest.objects.select_for_update()
                .filter(pk=pk, status=Status.DRAFT)
                .first()
            )
            if draft is None:
                continue
            files = [(a.file.storage, a.file.name) for a in draft.attachments.all()]
            draft.delete()
            deleted += 1
            transaction.on_commit(
                lambda files=files: [storage.delete(name) for storage, name in files]
            )
    logger.info(
        "retention: %s identities removed, %s abandoned drafts deleted", anonymised, deleted
    )
    return RetentionResult(anonymised=anonymised, drafts_deleted=deleted)


@shared_task
def retention_run() -> dict:
    """Nightly: apply the retention policy (see the module's docstring)."""
    result = apply_retention()
    return {"anonymised": result.anonymised, "drafts_deleted": result.drafts_deleted}
