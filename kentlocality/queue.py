"""Queue a Celery task without letting a broker outage break the web request.

When Redis cannot be reached, publishing raises kombu's OperationalError. The work that
matters is already committed in PostgreSQL (a hand-off row, a report row) and a periodic
sweep picks it up; a confirmation email is not worth a failed page. So the error is
logged and the caller carries on.
"""

from __future__ import annotations

import logging

from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


def enqueue(task, *args) -> bool:
    try:
        task.delay(*args)
    except OperationalError:
        logger.warning("broker unreachable: %s%r not queued", task.name, args)
        return False
    return True


def enqueue_on_commit(task, *args) -> None:
    transaction.on_commit(lambda: enqueue(task, *args))
