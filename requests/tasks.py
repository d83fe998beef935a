"""Background work for requests. Tasks take primary keys, load the row and call a
service; a row that has gone is a quiet no-op; only transient errors are retried."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from communities.models import User
from kentlocality.background import email_task, queue
from kentlocality.emails import absolute_url, send_templated

from .models import ResourceRequest
from .services import handoffs
from .workflow import Status

logger = logging.getLogger(__name__)


@email_task()
def submission_confirm(request_id: int, user_id: int) -> None:
    """Tell the submitter their request arrived. No pupil identity: the reference only."""
    request = (
        ResourceRequest.objects.select_related("school", "community").filter(pk=request_id).first()
    )
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if request is None or user is None or not request.reference:
        return
    send_templated(
        "request_submitted",
        [user.email],
        {
            "reference": request.reference,
            "school": request.school.name,
            "community": request.community.name if request.community else "",
            # The status as the request's page, its timeline and the filters word it.
            "status": Status.SUBMITTED.label,
            "url": absolute_url(reverse("requests:detail", args=[request.pk])),
        },
    )


# A send that hangs is stopped well inside the claim's lease (prefork workers enforce
# time limits), so that no other worker can take the claim over while it still runs.
_SEND_TIME_LIMIT = max(settings.HANDOFF_CLAIM_LEASE_SECONDS // 2, 5)


@email_task(
    bind=True,
    max_retries=10,
    soft_time_limit=_SEND_TIME_LIMIT,
    time_limit=_SEND_TIME_LIMIT + 5,
)
def handoff_send_task(self, handoff_id: int) -> bool:
    """Send one hand-off to the area's officers, once (see services.handoffs). Running
    it twice, or after the hand-off has gone, does nothing. An SMTP or network error is
    retried with backoff; after the last retry the sweep keeps trying."""
    return handoffs.handoff_send(handoff_id=handoff_id)


@shared_task
def handoff_sweep() -> int:
    """Every 10 minutes: queue hand-offs not yet sent (the broker was down at approval, or
    a worker died). Returns how many were queued."""
    queued = 0
    for handoff_id in handoffs.unsent_handoffs():
        if queue(handoff_send_task, handoff_id):
            queued += 1
    return queued


@shared_task
def handoff_escalate_task(handoff_id: int) -> bool:
    """Escalate one unacknowledged hand-off to KCC administrators and the chair, once (a
    claim on escalated_at; their emails are the notifications'). A hand-off acknowledged
    or deleted meanwhile is a no-op."""
    return handoffs.handoff_escalate(handoff_id=handoff_id)


@shared_task
def handoff_deadline_check() -> dict[str, int]:
    """Hourly: flag hand-offs unacknowledged past their due date as breaches, and queue
    the escalation of those due within one working day. Safe to run at any time and any
    number of times."""
    today = timezone.localdate()
    breached = handoffs.handoff_flag_breaches(today)
    escalations = handoffs.escalation_due(today)
    for handoff_id in escalations:
        queue(handoff_escalate_task, handoff_id)
    return {"breached": breached, "escalations_queued": len(escalations)}
