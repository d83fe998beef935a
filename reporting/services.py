"""Writes to reports: asking for one, the quarterly schedule, building the PDF, and the
email that tells the board (or the chair) a scheduled report is ready.

A report row is written first (queued); a task builds it after commit. The build claims
the row with a compare-and-set on its state, so a redelivered task does no harm; the
email is claimed the same way on ``emailed_at``, so it is sent once.
"""

from __future__ import annotations

import calendar
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
from .figures import kent_report_figures, report_figures
from .models import Report
from .presentation import present, present_kent

logger = logging.getLogger(__name__)

# A build claimed this long ago by a worker that has since died may be taken over.
BUILD_LEASE = dt.timedelta(minutes=15)
# Worth another try later: the database went away for a moment.
TRANSIENT = (OperationalError, InterfaceError)


class ReportError(Exception):
    """A report that cannot be asked for. The message is shown to the person as it is,
    beside the form's ``field`` it is about (None: the form as a whole)."""

    def __init__(self, message: str, field: str | None = "end") -> None:
        super().__init__(message)
        self.field = field


# At most this many reports over dates of their choosing a person may ask for in a day:
# each is a worker's minute or so, and a request per month of a year is twelve.
CUSTOM_REPORTS_A_DAY = 10


def _scope(area_id: int | None, community_id: int | None) -> Q:
    if area_id is None and community_id is None:
        return Q(area__isnull=True, community__isnull=True)  # Kent
    return Q(area_id=area_id) if area_id is not None else Q(community_id=community_id)


def one_month_on(start: dt.date) -> dt.date:
    """The same day of the next month (or its last day, when shorter): a period from
    ``start`` is at least one calendar month when it ends on the day before, or later."""
    year, month = (start.year + 1, 1) if start.month == 12 else (start.year, start.month + 1)
    return dt.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def check_custom_period(start: dt.date, end: dt.date, today: dt.date) -> None:
    """A period a person may ask a report for: at least one calendar month, and over."""
    if end < start:
        raise ReportError("The end date must be the same as or after the start date")
    if end > today:
        raise ReportError("The end date must be today or in the past")
    if end < one_month_on(start) - dt.timedelta(days=1):
        last = one_month_on(start) - dt.timedelta(days=1)
        raise ReportError(
            "The period must be at least one calendar month: for a start date of "
            f"{date_format(start, 'j F Y')}, an end date of {date_format(last, 'j F Y')} "
            "or later"
        )


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
    prepared_for: str = Report.PreparedFor.AREA_BOARD,
    prepared_for_other: str = "",
    custom: bool = False,
) -> Report:
    # One new version at a time for a place and period: lock the place's row (for Kent,
    # every area's) so that two clicks at once do not both pass the check below.
    if area_id is not None:
        Area.objects.select_for_update().get(pk=area_id)
    elif community_id is not None:
        CommunityOfSchools.objects.select_for_update().get(pk=community_id)
    else:
        list(Area.objects.select_for_update().order_by("pk").values_list("pk", flat=True))
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
        prepared_for=prepared_for,
        prepared_for_other=prepared_for_other if prepared_for == Report.PreparedFor.OTHER else "",
        is_custom=custom,
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
    prepared_for: str = Report.PreparedFor.AREA_BOARD,
    prepared_for_other: str = "",
) -> Report:
    """Ask for a report on an area, a CoS or (neither given) all of Kent over a period of
    at least a calendar month up to today, for the body named. It is queued and built by
    a worker; the person may ask only for places whose reports they see, and for at most
    ``CUSTOM_REPORTS_A_DAY`` such reports a day."""
    community = None
    if community_id is not None:
        community = CommunityOfSchools.objects.filter(pk=community_id).first()
    kent = area_id is None and community_id is None
    if not permissions.can_request_report(actor, area_id=area_id, community=community, kent=kent):
        raise PermissionDenied
    today = timezone.localdate()
    check_custom_period(start, end, today)
    if prepared_for not in Report.PreparedFor.values:
        raise ReportError("Choose whom the report is prepared for", field="prepared_for")
    prepared_for_other = prepared_for_other.strip()
    if prepared_for == Report.PreparedFor.OTHER and not prepared_for_other:
        raise ReportError(
            "Enter the name of the body the report is prepared for", field="prepared_for_other"
        )
    # The person's row is locked so that two requests at once count each other.
    User.objects.select_for_update().filter(pk=actor.pk).first()
    asked_today = Report.objects.filter(
        requested_by=actor, is_custom=True, requested_at__gte=_day_start(today)
    ).count()
    if asked_today >= CUSTOM_REPORTS_A_DAY:
        raise ReportError(
            f"You have asked for {CUSTOM_REPORTS_A_DAY} reports today, the most a person "
            "may ask for in a day. Ask again tomorrow, or download one of the reports "
            "already made.",
            field=None,
        )
    return _create(
        actor=actor,
        area_id=area_id,
        community_id=community_id,
        start=start,
        end=end,
        prepared_for=prepared_for,
        prepared_for_other=prepared_for_other,
        custom=True,
    )


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


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
        prepared_for=report.prepared_for,
        prepared_for_other=report.prepared_for_other,
    )


def quarterly_reports_schedule(*, quarter: Quarter) -> list[Report]:
    """The quarter's reports: one for Kent (for the Schools' Funding Forum, emailed to
    KCC oversight), one for each area that has CoS and one for each CoS (for the Area
    Board), made once however often this runs. Returns the reports created now."""
    created = []
    places = (
        [(None, None)]
        + [
            (area_id, None)
            for area_id in Area.objects.filter(communities__isnull=False)
            .distinct()
            .order_by("name")
            .values_list("pk", flat=True)
        ]
        + [
            (None, pk)
            for pk in CommunityOfSchools.objects.order_by("name").values_list("pk", flat=True)
        ]
    )
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
                        prepared_for=(
                            Report.PreparedFor.FUNDING_FORUM
                            if area_id is None and community_id is None
                            else Report.PreparedFor.AREA_BOARD
                        ),
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
    if report.is_kent:
        figures = kent_report_figures(start=report.period_start, end=report.period_end)
    else:
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
            **(present_kent(figures) if report.is_kent else present(figures)),
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
    """KCC oversight for a Kent report; board members of the area for an area report;
    the chair for a CoS report."""
    if report.is_kent:
        return role_emails(RoleAssignment.Role.KCC_OVERSIGHT)
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
