"""Background work: queueing a Celery task without letting a broker outage break the
change that asked for it, and the retry policy of tasks that send email.

Every task the service queues goes through ``queue`` or ``queue_on_commit``. When Redis
cannot be reached, publishing raises; the work that matters is already committed in
PostgreSQL (a hand-off row, a report row, a statement not yet emailed) and a periodic
sweep queues it again, so the error is logged and the caller carries on. A confirmation
email is not worth a failed page.
"""

from __future__ import annotations

import logging
import smtplib

from celery import shared_task
from django.db import transaction

logger = logging.getLogger(__name__)

# What sending an email can fail with and succeed on a later try: connections refused or
# reset, time-outs (all OSError) and SMTP refusals. Anything else is a bug: not retried.
EMAIL_SEND_ERRORS = (smtplib.SMTPException, OSError)


def queue(task, *args) -> bool:
    """Queue ``task(*args)`` now. False (and a warning) when the broker is unreachable."""
    try:
        task.delay(*args)
    except Exception:
        # kombu's OperationalError, or redis-py's own errors on some publish paths: either
        # way nothing was queued, and the sweep for this kind of work will queue it.
        logger.warning("broker unreachable: %s%r not queued", task.name, args, exc_info=True)
        return False
    return True


def queue_on_commit(task, *args) -> None:
    """Queue ``task(*args)`` once the current transaction commits (never if it rolls
    back), as ``queue`` does."""
    transaction.on_commit(lambda: queue(task, *args))


def email_task(**options):
    """``shared_task`` for a task that sends email: transient send errors are retried
    with backoff (up to about an hour and a half), then the task gives up."""
    return shared_task(
        **{
            "autoretry_for": EMAIL_SEND_ERRORS,
            "retry_backoff": True,
            "retry_backoff_max": 600,
            "max_retries": 8,
            **options,
        }
    )
