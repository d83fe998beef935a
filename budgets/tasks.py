"""Background work for budgets: the monthly budget updates. Tasks take primary keys, load
the row and call a service; a row that has gone is a quiet no-op; only transient errors
are retried."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from kentlocality.background import email_task, queue

from . import statements


@shared_task
def monthly_statements_if_due() -> int:
    """Daily at 06:30: on the first working day of a month, store each CoS's statement
    for the month just ended and queue the emails to the chairs. On any other day it
    only catches up statements or emails a stopped service missed. Returns how many
    emails were queued."""
    pending = statements.monthly_statements_run(timezone.localdate())
    for statement_id in pending:
        queue(statement_email_task, statement_id)
    return len(pending)


@email_task()
def statement_email_task(statement_id: int) -> bool:
    """Email one statement's link to the CoS chair, once (a claim on emailed_at)."""
    return statements.statement_email(statement_id=statement_id)


@shared_task
def import_run_task(run_id: int) -> bool:
    """Import a confirmed yearly data file (``budgets.yearly_imports``)."""
    from .yearly_imports import import_run

    return import_run(run_id=run_id)
