"""Background work for requests. Tasks take primary keys, load the row and call a
service; a row that has gone is a quiet no-op; only transient errors are retried."""

from __future__ import annotations

import logging
import smtplib
import socket

from celery import shared_task
from django.urls import reverse

from communities.models import User
from kentlocality.emails import absolute_url, send_templated

from .models import ResourceRequest
from .services import handoffs

logger = logging.getLogger(__name__)

TRANSIENT = (smtplib.SMTPException, socket.error, TimeoutError, ConnectionError)


@shared_task(autoretry_for=TRANSIENT, retry_backoff=True, retry_backoff_max=600, max_retries=8)
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
            "url": absolute_url(reverse("requests:detail", args=[request.pk])),
        },
    )


@shared_task(
    bind=True, autoretry_for=TRANSIENT, retry_backoff=True, retry_backoff_max=600, max_retries=10
)
def handoff_send_task(self, handoff_id: int) -> bool:
    """Send one hand-off to the area's officers, once (see services.handoffs)."""
    return handoffs.handoff_send(handoff_id=handoff_id)


@shared_task
def handoff_sweep() -> int:
    """Every 10 minutes: queue hand-offs not yet sent (the broker was down at approval, or
    a worker died). Returns how many were queued."""
    queued = 0
    for handoff_id in handoffs.unsent_handoffs():
        if handoffs.queue_handoff(handoff_id):
            queued += 1
    return queued
