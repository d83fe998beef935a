"""Reports made on schedule by a real Celery worker on Redis."""

import time

import pytest

from reporting.models import Report
from reporting.tasks import quarterly_reports_if_due
from tests.worlds import quarter

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_worker_makes_last_quarters_reports_and_emails_them(celery_worker_running, mailoutbox):
    s = quarter.build()
    quarterly_reports_if_due.delay("2026-10-01")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        reports = list(Report.objects.all())
        if len(reports) == 6 and all(r.emailed_at for r in reports):
            break
        time.sleep(0.5)
    reports = list(Report.objects.order_by("pk"))
    assert len(reports) == 6
    assert [r.state for r in reports] == ["ready"] * 6, [r.failure_reason for r in reports]
    assert all(r.pdf_size > 0 and r.emailed_at for r in reports)
    ready = [m for m in mailoutbox if "ready" in m.subject]
    assert any(s.board.email in m.to and "North area" in m.subject for m in ready)
    assert any(s.chair.email in m.to and "Ashdown CoS" in m.subject for m in ready)
