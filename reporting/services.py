"""Writes to reports: asking for one, the quarterly schedule, building the PDF, and the
email that tells the board (or the chair) a scheduled report is ready.

A report row is written first (queued); a task builds it after commit. The build claims
the row with a compare-and-set on its state, so a redelivered task does no harm; the
email is claimed the same way on ``emailed_at``, so it is sent once.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from communities.models import Area, CommunityOfSchools, RoleAssignment, User
from communities.selectors import role_emails
from kentlocality.background import queue_on_commit
from kentlocality.emails import absolute_url, send_templated
from kentlocality.financial_years import Quarter
from kentlocality.pdf import render_pdf

from . import permissions
from .figures import report_figures
from .models import Report
from .presentation import present

logger = logging.getLogger(__name__)

# A build claimed this long ago by a worker that has since died may be taken over.
BUILD_LEASE = dt.timedelta(minutes=15)
# Worth another try later: the database went away for a moment.
TRANSIENT = (OperationalError, InterfaceError)


class ReportError(Exception):
    """A report that cannot be asked for. The message is shown to the person as it is."""


def _scope(area_id: int | None, community_id: int | None) -> Q:
    return Q(area_id=area_id) if area_id is not None else Q(community_id=community_id)


def _next_version(area_id: int | None, community_id: int | None, start, end) -> int:
    last = Report.objects.filter(
        _scope(area_id, community_id), period_start=start, period_end=end
    ).aggregate(last=Max("version"))["last"]
    return (last or 0) + 1


def _create(
    *,
    actor: User,
    area_id: int | None,
    community_id: int | None,
    start: dt.date,
    end: dt.date,
    scheduled: bool = False,
) -> Report:
    # One new version at a time for a place and period: lock the place's row so that two
    # clicks at once do not both pass the check below.
    if area_id is not None:
        Area.objects.select_for_update().get(pk=area_id)
    else:
        CommunityOfSchools.objects.select_for_update().get(pk=community_id)
    same = Report.objects.filter(_scope(area_id, community_id), period_start=start, period_end=end)
    waiting = same.filter(state__in=[Report.State.QUEUED, Report.State.GENERATING])
    # The schedule acts on one day only: it never waits for a person's version.
    if not scheduled and waiting.exists():
        raise ReportError(
            "A report for this period is already being made. Wait for it to be ready."
        )
    report = Report.objects.create(
        area_id=area_id,
        community_id=community_id,
        period_start=start,
        period_end=end,
        version=_next_version(area_id, community_id, start, end),
        is_scheduled=scheduled,
        requested_by=actor,
    )
    from .tasks import report_generate

    # If the broker is down the report stays queued and the daily schedule queues it
    # again.
    queue_on_commit(report_generate, report.pk)
    return report


@transaction.atomic
def report_request(
    *,
    actor: User,
    start: dt.date,
    end: dt.date,
    area_id: int | None = None,
    community_id: int | None = None,
) -> Report:
    """Ask for a report on an area or a CoS over any dates up to today. It is queued and
    built by a worker; the person may ask only for places whose reports they see."""
    community = None
    if community_id is not None:
        community = CommunityOfSchools.objects.filter(pk=community_id).first()
    if not permissions.can_request_report(actor, area_id=area_id, community=community):
        raise PermissionDenied
    if end < start:
        raise ReportError("The end date must be the same as or after the start date")
    if end > timezone.localdate():
        raise ReportError("The end date must be today or in the past")
    return _create(actor=actor, area_id=area_id, community_id=community_id, start=start, end=end)


@transaction.atomic
def report_regenerate(*, actor: User, report_id: int) -> Report:
    """Make a new version of a report (same place and period) with today's figures.
    Officers of its area and administrators only."""
    report = permissions.get_report_for_user(actor, report_id)
    if not permissions.can_regenerate_report(actor, report):
        raise PermissionDenied
    return _create(
        actor=actor,
        area_id=report.area_id,
        community_id=report.community_id,
        start=report.period_start,
        end=report.period_end,
    )


def quarterly_reports_schedule(*, quarter: Quarter) -> list[Report]:
    """The quarter's reports: one for each area that has CoS and one for each CoS, made
    once however often this runs. Returns the reports created now."""
    created = []
    places = [
        (area_id, None)
        for area_id in Area.objects.filter(communities__isnull=False)
        .distinct()
        .order_by("name")
        .values_list("pk", flat=True)
    ] + [
        (None, pk)
        for pk in CommunityOfSchools.objects.order_by("name").values_list("pk", flat=True)
    ]
    for area_id, community_id in places:
        exists = Report.objects.filter(
            _scope(area_id, community_id),
            period_start=quarter.start,
            period_end=quarter.end,
            is_scheduled=True,
        ).exists()
        if exists:
            continue
        try:
            with transaction.atomic():
                created.append(
                    _create(
                        actor=None,
                        area_id=area_id,
                        community_id=community_id,
                        start=quarter.start,
                        end=quarter.end,
                        scheduled=True,
                    )
                )
        except IntegrityError:
            continue  # another run made it at the same moment
    return created


def stale_reports() -> list[int]:
    """Reports waiting too long: not queued (the broker was down) or whose worker died."""
    cutoff = timezone.now() - BUILD_LEASE
    return list(
        Report.objects.filter(
            Q(state=Report.State.QUEUED, requested_at__lt=cutoff)
            | Q(state=Report.State.GENERATING, started_at__lt=cutoff)
        ).values_list("pk", flat=True)
    )


def render_report(report: Report) -> bytes:
    figures = report_figures(
        area_id=report.area_id,
        community_id=report.community_id,
        start=report.period_start,
        end=report.period_end,
    )
    return render_pdf(
        "reporting/pdf/report.html",
        {
            "report": report,
            "generated_at": timezone.now(),
            "period_text": f"{date_format(report.period_start, 'j F Y')} to {date_format(report.period_end, 'j F Y')}",
            **present(figures),
        },
    )


def report_build(*, report_id: int) -> bool:
    """Build and store a queued report's PDF. Returns False when there is nothing to do
    (already built, or gone). An error other than a transient one marks the report
    failed with the reason; a transient one puts it back in the queue and re-raises for
    the task's retry. A scheduled report, once ready, is emailed."""
    now = timezone.now()
    claimable = Q(state=Report.State.QUEUED) | Q(
        state=Report.State.GENERATING, started_at__lt=now - BUILD_LEASE
    )
    if not Report.objects.filter(claimable, pk=report_id).update(
        state=Report.State.GENERATING, started_at=now
    ):
        return False
    report = Report.objects.select_related("area", "community", "requested_by").get(pk=report_id)
    try:
        content = render_report(report)
        name = storages["private"].save(
            f"reports/{report.period_start:%Y}/{uuid.uuid4().hex}.pdf", ContentFile(content)
        )
    except TRANSIENT:
        Report.objects.filter(pk=report_id, state=Report.State.GENERATING).update(
            state=Report.State.QUEUED
        )
        raise
    except Exception as exc:
        logger.exception("report %s could not be made", report_id)
        report_fail(report_id=report_id, reason=_reason(exc))
        return False
    with transaction.atomic():
        finished = Report.objects.filter(pk=report_id, state=Report.State.GENERATING).update(
            state=Report.State.READY,
            pdf=name,
            pdf_size=len(content),
            generated_at=timezone.now(),
            failure_reason="",
        )
        if not finished:
            transaction.on_commit(lambda: storages["private"].delete(name))
            return False
        if report.is_scheduled:
            from .tasks import report_notify

            queue_on_commit(report_notify, report_id)
    return True


def _reason(exc: Exception) -> str:
    if isinstance(exc, OSError):
        return (
            "The PDF could not be stored: the file store could not be written to. Ask for a "
            "new version; if this happens again, tell the KCC administrator."
        )
    return (
        "The PDF could not be made because of an unexpected error "
        f"({type(exc).__name__}). Ask for a new version; if this happens again, tell the "
        "KCC administrator."
    )


def report_fail(*, report_id: int, reason: str) -> None:
    Report.objects.filter(
        pk=report_id, state__in=[Report.State.QUEUED, Report.State.GENERATING]
    ).update(state=Report.State.FAILED, failure_reason=reason)


def recipients(report: Report) -> list[str]:
    """Board members of the area for an area report; the chair for a CoS report."""
    if report.area_id:
        return role_emails(RoleAssignment.Role.BOARD, area_id=report.area_id)
    return role_emails(RoleAssignment.Role.CHAIR, community_id=report.community_id)


def report_notify(*, report_id: int) -> bool:
    """Email the people a scheduled report is for that it is ready, once. The email says
    which report and links to it: no figures, no pupil."""
    if not Report.objects.filter(
        pk=report_id, state=Report.State.READY, emailed_at__isnull=True
    ).update(emailed_at=timezone.now()):
        return False
    report = Report.objects.select_related("area", "community").get(pk=report_id)
    try:
        send_templated(
            "report_ready",
            recipients(report),
            {
                "subject": report.subject,
                "title": report.title,
                "version": report.version,
                "url": absolute_url(reverse("reporting:detail", args=[report.pk])),
            },
        )
    except Exception:
        Report.objects.filter(pk=report_id).update(emailed_at=None)
        raise
    return True
