"""Background work for reports. Tasks take primary keys, load the row and call a
service; a row that has gone is a quiet no-op; only transient errors are retried."""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task
from celery.signals import worker_process_init
from django.utils import timezone

from kentlocality.background import email_task, queue
from kentlocality.financial_years import quarter_of
from kentlocality.workdays import add_working_days

from . import services

logger = logging.getLogger(__name__)


@worker_process_init.connect
def _load_weasyprint(**kwargs) -> None:
    """Workers load WeasyPrint (about a second with its fonts) when they start, not while
    the first report of the day waits; web processes never load it."""
    from weasyprint import HTML

    HTML(string="<p>Kent</p>").render()


@shared_task(bind=True, max_retries=5)
def report_generate(self, report_id: int) -> bool:
    """Build one report's PDF and store it (see services.report_build). A database that
    went away for a moment is retried with backoff; after the last try the report is
    marked failed so that the page stops waiting."""
    try:
        return services.report_build(report_id=report_id)
    except services.TRANSIENT as exc:
        if self.request.retries >= self.max_retries:
            services.report_fail(
                report_id=report_id,
                reason="The database could not be reached. Ask for a new version later.",
            )
            return False
        raise self.retry(exc=exc, countdown=min(2 ** (self.request.retries + 2), 300)) from exc


@email_task()
def report_notify(report_id: int) -> bool:
    """Email the board (or the chair) that a scheduled report is ready, once."""
    return services.report_notify(report_id=report_id)


def is_report_day(today: dt.date) -> bool:
    """The first working day after a quarter ends."""
    return today == add_working_days(quarter_of(today).previous().end, 1)


@shared_task
def quarterly_reports_if_due(today: str | None = None) -> int:
    """Daily (06:45): on the first working day after a quarter ends, make last quarter's
    reports for every area and every CoS (each emailed when ready). Every day, queue
    again any report left waiting (the broker was down, or a worker died). Returns how
    many reports were made. ``today`` (ISO date) is for tests and reruns by hand."""
    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    for report_id in services.stale_reports():
        queue(report_generate, report_id)
    if not is_report_day(day):
        return 0
    quarter = quarter_of(day).previous()
    created = services.quarterly_reports_schedule(quarter=quarter)
    logger.info("quarterly reports for %s: %d made", quarter.label, len(created))
    return len(created)
