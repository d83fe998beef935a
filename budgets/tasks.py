"""Background work for budgets: the monthly budget updates. Tasks take primary keys, load
the row and call a service; a row that has gone is a quiet no-op; only transient errors
are retried."""

from __future__ import annotations

import smtplib
import socket

from celery import shared_task
from django.utils import timezone

from . import statements

TRANSIENT = (smtplib.SMTPException, socket.error, TimeoutError, ConnectionError)


@shared_task
def monthly_statements_if_due() -> int:
    """Daily at 06:30: on the first working day of a month, store each CoS's statement
    for the month just ended and queue the emails to the chairs. On any other day it
    only catches up statements or emails a stopped service missed. Returns how many
    emails were queued."""
    pending = statements.monthly_statements_run(timezone.localdate())
    for statement_id in pending:
        statement_email_task.delay(statement_id)
    return len(pending)


@shared_task(autoretry_for=TRANSIENT, retry_backoff=True, retry_backoff_max=600, max_retries=8)
def statement_email_task(statement_id: int) -> bool:
    """Email one statement's link to the CoS chair, once (a claim on emailed_at)."""
    return statements.statement_email(statement_id=statement_id)
