"""The hand-off of approved requests to the area's HNF Monitoring Officer.

The Handoff row is written in the decision's transaction. After commit a task sends it;
a sweep every 10 minutes queues any not yet sent. The send is claimed with a
compare-and-set on ``send_claimed_at`` and finished with one on ``sent_at``, so two
workers, a retry or a redelivered task never send it twice. A claim left by a worker
that died mid-send is taken over only after ``claim_lease()``.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from budgets.models import Payment
from budgets.payment_clock import payment_due_date
from communities.models import RoleAssignment, User
from communities.selectors import role_emails
from kentlocality.background import queue_on_commit
from kentlocality.emails import absolute_url, send_templated
from kentlocality.templatetags.formatting import format_date
from kentlocality.workdays import add_working_days, clear_closure_cache

from ..models import Decision, Handoff, ResourceRequest
from ..notifications import events as notify
from ..permissions import is_officer_of
from ..selectors.officer import not_yet_paid
from ..workflow import OPEN_STATUSES, Action, allows
from .errors import RequestError
from .lifecycle import lock_request, record_event, transition

logger = logging.getLogger(__name__)

HANDOFF_WORKING_DAYS = 3


def claim_lease() -> dt.timedelta:
    """How long a claim protects a send in progress before another worker may take it."""
    return dt.timedelta(seconds=settings.HANDOFF_CLAIM_LEASE_SECONDS)


def handoff_due_dates(decision_date: dt.date, method: str) -> tuple[dt.date, dt.date]:
    """(hand-off due, payment due): 3 working days after the decision date, which itself
    never counts (DESIGN §3); payment by the payment clock for the route the school is
    paid by (``budgets.payment_clock``)."""
    return (
        add_working_days(decision_date, HANDOFF_WORKING_DAYS),
        payment_due_date(decision_date, method),
    )


@transaction.atomic
def handoff_deadlines_follow_closure(*, day: dt.date, description: str, added: bool) -> int:
    """A closure day was added (or taken away) after deadlines were set: every open
    deadline whose run of working days it falls in is worked out again, with a timeline
    note on each request that moved. Open: a hand-off not yet acknowledged, a payment on
    a request not yet paid in full. Met or closed ones keep their dates. Returns how many
    requests moved.

    Called in the closure day's own transaction (requests/apps.py), so the calendar and
    the deadlines change together."""
    clear_closure_cache()  # this process must count the day from now on
    candidates = (
        Handoff.objects.select_for_update(of=("self",))
        .select_related("request")
        .filter(decision_date__lt=day, request__status__in=OPEN_STATUSES)
        .filter(Q(acknowledged_at__isnull=True, due_date__gte=day) | Q(payment_due_date__gte=day))
        .order_by("pk")
    )
    what = f"{'Closure day' if added else 'Closure day taken away'}: {format_date(day)}"
    if description:
        what += f" ({description})"
    moved = 0
    for handoff in candidates:
        due_date, payment_due = handoff_due_dates(handoff.decision_date, handoff.payment_method)
        changes = []
        if handoff.acknowledged_at is None and due_date != handoff.due_date:
            changes.append(
                f"hand-off now due {format_date(due_date)} (was {format_date(handoff.due_date)})"
            )
            handoff.due_date = due_date
        if payment_due != handoff.payment_due_date:
            changes.append(
                f"payment now due {format_date(payment_due)} "
                f"(was {format_date(handoff.payment_due_date)})"
            )
            handoff.payment_due_date = payment_due
        if not changes:
            continue
        handoff.save(update_fields=["due_date", "payment_due_date"])
        record_event(
            handoff.request,
            actor=None,
            action=Action.MOVE_DEADLINES,
            note=f"{what}: {'; '.join(changes)}.",
        )
        moved += 1
    return moved


def handoff_create(request: ResourceRequest, decision: Decision) -> Handoff:
    """Inside the decision's transaction: the record that the officer must get this
    request, due 3 working days after the decision, with payment due as a one-off
    payment until the officer says it goes through the schools' advance. The send is
    queued when the transaction commits.

    A decision typed in after its hand-off was due (a meeting's decisions entered days
    late) is flagged as a breach at once, and the people the hourly check would tell are
    told now; it is not escalated as well, as the escalation would say "due within a
    working day" of a hand-off already late."""
    method = Payment.Method.ONE_OFF
    due_date, payment_due = handoff_due_dates(decision.decision_date, method)
    now = timezone.now()
    late = timezone.localdate(now) > due_date
    handoff = Handoff.objects.create(
        request=request,
        decision=decision,
        area_id=request.community.area_id,
        decision_date=decision.decision_date,
        due_date=due_date,
        payment_due_date=payment_due,
        payment_method=method,
        escalated_at=now if late else None,
        breached_at=now if late else None,
    )
    from ..tasks import handoff_send_task

    # If the broker is down the hand-off waits in the database for the sweep: the
    # decision is saved either way.
    queue_on_commit(handoff_send_task, handoff.pk)
    notify.handed_off(handoff, request)
    if late:
        notify.handoff_breached(handoff, request)
    return handoff


def _handoff_for_email(handoff_id: int) -> Handoff | None:
    """A hand-off with what its emails name: the request's reference, school and CoS, and
    the area (never the pupil)."""
    return (
        Handoff.objects.select_related("request", "request__school", "request__community", "area")
        .filter(pk=handoff_id)
        .first()
    )


def officer_emails(area_id: int) -> list[str]:
    return role_emails(RoleAssignment.Role.OFFICER, area_id=area_id)


def _claim(handoff_id: int) -> bool:
    now = timezone.now()
    claimable = Q(send_claimed_at__isnull=True) | Q(send_claimed_at__lt=now - claim_lease())
    return bool(
        Handoff.objects.filter(claimable, pk=handoff_id, sent_at__isnull=True).update(
            send_claimed_at=now, attempts=F("attempts") + 1
        )
    )


def handoff_send(*, handoff_id: int) -> bool:
    """Email the area's officers that an approved request is waiting for them, once.

    Returns False when there is nothing to do (already sent, claimed by another worker,
    or gone). An email failure releases the claim and re-raises for the task's retry.
    With no active officer in the area nothing is sent and the claim is released: the
    sweep tries again every 10 minutes, and the escalation reaches the administrators
    before the due date.

    The one window left is between the mail server accepting the message and the
    ``sent_at`` update below (a worker killed there sends it again after the lease).
    It is kept as short as it can be: nothing but that update happens in between.
    """
    if not _claim(handoff_id):
        return False
    handoff = _handoff_for_email(handoff_id)
    if handoff is None:
        return False
    request = handoff.request
    recipients = officer_emails(handoff.area_id)
    if not recipients:
        logger.warning(
            "hand-off %s waits: the %s area has no HNF Monitoring Officer", handoff_id, handoff.area
        )
        Handoff.objects.filter(pk=handoff_id, sent_at__isnull=True).update(
            send_claimed_at=None,
            last_error=f"No active HNF Monitoring Officer for the {handoff.area} area",
        )
        return False
    try:
        send_templated(
            "handoff",
            recipients,
            {
                "reference": request.reference,
                "school": request.school.name,
                "community": request.community.name,
                "area": handoff.area.name,
                "decision_date": handoff.decision_date,
                "due_date": handoff.due_date,
                "payment_due_date": handoff.payment_due_date,
                "url": absolute_url(reverse("requests:detail", args=[request.pk])),
            },
        )
    except Exception as exc:
        Handoff.objects.filter(pk=handoff_id, sent_at__isnull=True).update(
            send_claimed_at=None, last_error=str(exc)[:500]
        )
        raise
    with transaction.atomic():
        finished = Handoff.objects.filter(pk=handoff_id, sent_at__isnull=True).update(
            sent_at=timezone.now(), last_error=""
        )
        if finished:
            locked = lock_request(request.pk)
            if allows(locked.status, Action.HAND_OFF):
                transition(locked, actor=None, action=Action.HAND_OFF)
            notify.handoff_emailed(handoff, request, recipients)
    return bool(finished)


def unsent_handoffs() -> list[int]:
    """Hand-offs the sweep should queue: not sent, and not claimed within the lease."""
    now = timezone.now()
    return list(
        Handoff.objects.filter(sent_at__isnull=True)
        .filter(Q(send_claimed_at__isnull=True) | Q(send_claimed_at__lt=now - claim_lease()))
        .values_list("pk", flat=True)
    )


def escalation_due(today: dt.date) -> list[int]:
    """Unacknowledged hand-offs not yet escalated whose due date is at most one working
    day away (or already past: an escalation missed while the service was down is still
    sent)."""
    return list(
        Handoff.objects.filter(
            acknowledged_at__isnull=True,
            escalated_at__isnull=True,
            due_date__lte=add_working_days(today, 1),
        ).values_list("pk", flat=True)
    )


@transaction.atomic
def handoff_escalate(*, handoff_id: int) -> bool:
    """Tell the area's KCC administrators (and those of all Kent) and the CoS's chair
    that an approved request has not been acknowledged by the HNF Monitoring Officer and
    is due within a working day. Once per hand-off: claimed by a compare-and-set on
    ``escalated_at``, in the transaction that writes the notifications, whose emails go
    at once after it commits (``requests.notifications``). Returns whether this call
    escalated it. Only the reference, school, year group, need and dates are told, never
    the pupil."""
    claimed = Handoff.objects.filter(
        pk=handoff_id, acknowledged_at__isnull=True, escalated_at__isnull=True
    ).update(escalated_at=timezone.now())
    if not claimed:
        return False
    handoff = _handoff_for_email(handoff_id)
    notify.handoff_escalated(handoff, handoff.request)
    return True


@transaction.atomic
def handoff_flag_breaches(today: dt.date) -> int:
    """Flag hand-offs still unacknowledged after their due date (reports count them), and
    tell the same people as an escalation. Returns how many were newly flagged; a flag is
    set once and kept."""
    late = list(
        Handoff.objects.select_for_update(skip_locked=True)
        .filter(acknowledged_at__isnull=True, breached_at__isnull=True, due_date__lt=today)
        .values_list("pk", flat=True)
    )
    Handoff.objects.filter(pk__in=late).update(breached_at=timezone.now())
    for handoff_id in late:
        handoff = _handoff_for_email(handoff_id)
        notify.handoff_breached(handoff, handoff.request)
    return len(late)


@transaction.atomic
def handoff_acknowledge(*, actor: User, request_id: int) -> Handoff:
    """The officer confirms they have the approved request. If the email has not gone
    yet, the officer found it in their list: it counts as handed off and no email is
    sent afterwards. An acknowledgement after the due date is flagged as a breach, in
    case the hourly check has not flagged it yet."""
    request = lock_request(request_id)
    if not is_officer_of(actor, request):
        raise PermissionDenied
    handoff = Handoff.objects.select_for_update().filter(request=request).first()
    if handoff is None:
        raise RequestError("This request has not been approved.")
    if handoff.acknowledged_at is not None:
        raise RequestError("This request has already been acknowledged.")
    now = timezone.now()
    if allows(request.status, Action.HAND_OFF):
        transition(request, actor=actor, action=Action.HAND_OFF, note="Found in the officer's list")
    transition(request, actor=actor, action=Action.ACKNOWLEDGE)
    handoff.acknowledged_at = now
    handoff.acknowledged_by = actor
    if handoff.sent_at is None:
        handoff.sent_at = now
        notify.handoff_acknowledged_before_email(handoff)
    if handoff.breached_at is None and timezone.localdate(now) > handoff.due_date:
        handoff.breached_at = now
    handoff.save(update_fields=["acknowledged_at", "acknowledged_by", "sent_at", "breached_at"])
    return handoff


def _move_payment_due(handoff: Handoff, payment_due: dt.date, why: str, actor=None) -> bool:
    """Set a hand-off's payment due date, with a timeline note on its request when it
    moves. Returns whether it moved."""
    if payment_due == handoff.payment_due_date:
        return False
    note = (
        f"{why}: payment now due {format_date(payment_due)} "
        f"(was {format_date(handoff.payment_due_date)})."
    )
    handoff.payment_due_date = payment_due
    handoff.save(update_fields=["payment_method", "payment_due_date"])
    record_event(handoff.request, actor=actor, action=Action.MOVE_DEADLINES, note=note)
    return True


@transaction.atomic
def handoff_payment_method(*, actor: User, request_id: int, method: str) -> Handoff:
    """The officer says how the school will be paid: through the schools' advance or as a
    one-off payment. The payment due date follows the payment clock for that route. Only
    before the first payment: once paid, the clock has stopped."""
    if method not in Payment.Method.values:
        raise RequestError("Select how the school will be paid.")
    request = lock_request(request_id)
    if not is_officer_of(actor, request):
        raise PermissionDenied
    handoff = Handoff.objects.select_for_update().filter(request=request).first()
    if handoff is None:
        raise RequestError("This request has not been approved.")
    if request.status not in OPEN_STATUSES or handoff.first_paid_on is not None:
        raise RequestError("The school has been paid: the payment route can no longer change.")
    handoff.request = request
    handoff.payment_method = method
    label = Payment.Method(method).label
    if not _move_payment_due(
        handoff, payment_due_date(handoff.decision_date, method), label, actor=actor
    ):
        handoff.save(update_fields=["payment_method"])
        record_event(request, actor=actor, action=Action.MOVE_DEADLINES, note=f"{label}.")
    return handoff


@transaction.atomic
def payment_dates_follow_advances() -> int:
    """The schools' advance calendar changed: every open payment through the advance
    not yet made is worked out again, with a timeline note on each request that moved.
    Called in the calendar change's own transaction (requests/apps.py). Returns how many
    moved."""
    moved = 0
    handoffs = (
        Handoff.objects.select_for_update(of=("self",))
        .select_related("request")
        .filter(
            payment_method=Payment.Method.SCHOOLS_ADVANCE,
            request__status__in=OPEN_STATUSES,
        )
        .order_by("pk")
    )
    for handoff in not_yet_paid(handoffs):
        due = payment_due_date(handoff.decision_date, handoff.payment_method)
        moved += _move_payment_due(handoff, due, "Schools' advance calendar changed")
    return moved
