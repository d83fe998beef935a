"""The one call a service makes when something happens that someone must hear of.

Each function below is called inside the service's transaction, after the change: it
works out who is told (``recipients``), writes one ``Notification`` per person (unique on
the event and the person, so running it again tells nobody twice) and queues each email
that goes at once for after the commit, through the one queue helper. Emails a person
chose to have in their daily summary wait for it (``delivery.summaries_prepare``).

Telling people must never undo the change that caused it: each event's notifications are
written in a savepoint (``never_undoes_the_change``), and a failure there is logged (with
no pupil identity) and rolled back alone.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from budgets.models import Payment
from communities.models import User
from kentlocality.background import queue_on_commit

from ..models import AgendaItem, Decision, Handoff, Meeting, Representation, ResourceRequest
from ..selectors.pupils import open_duplicates
from . import recipients
from .calendar import meeting_invitation
from .models import EmailState, Kind, Notification, NotificationPreference, Timing
from .text import about, redact, render

logger = logging.getLogger(__name__)


@dataclass
class Event:
    """Something that happened, as its notifications will say it."""

    kind: str
    key: str  # "<what>:<its row>[:<version>]", unique with the person told
    message: str  # the templates' name under requests/notifications/messages/
    context: dict
    url: str
    request: ResourceRequest | None = None
    meeting: Meeting | None = None
    # Sent at once whatever the person chose (exceptional requests).
    at_once: bool = False
    # Sent by the hand-off's own email rather than by the notifications' (the hand-off).
    with_handoff: bool = False
    # Per person: the page they are sent to, where it differs from ``url``.
    url_for: Callable[[User], str] | None = None
    calendar: bool = False


def _timings(people: list[User], event: Event) -> dict[int, str]:
    if event.with_handoff:
        return dict.fromkeys((p.pk for p in people), Timing.WITH_HANDOFF)
    chosen: dict[int, str] = {}
    if not event.at_once:
        chosen = dict(
            NotificationPreference.objects.filter(
                user__in=[p.pk for p in people], kind=event.kind
            ).values_list("user_id", "timing")
        )
    return {p.pk: chosen.get(p.pk, Timing.AT_ONCE) for p in people}


def _named(value: object) -> str:
    pk = getattr(value, "pk", None)
    return f"{type(value).__name__} {pk}" if pk is not None else type(value).__name__


def never_undoes_the_change(event: Callable[..., None]) -> Callable[..., None]:
    """An event's notifications are written in a savepoint: if anything fails there (who
    is told, the words, the rows), that alone is rolled back and logged, naming the rows
    involved (never a pupil), and the change that caused it stands."""

    @functools.wraps(event)
    def guarded(*args, **kwargs) -> None:
        try:
            with transaction.atomic():
                event(*args, **kwargs)
        except Exception:
            logger.exception(
                "notifications of %s (%s) could not be written",
                event.__name__,
                ", ".join(_named(arg) for arg in args),
            )

    return guarded


def tell(people: Iterable[User], event: Event) -> list[int]:
    """Write the event's notification for each person (once) and queue the emails that go
    at once. Returns the ids of the notifications written or found."""
    people = list({person.pk: person for person in people}.values())
    if not people:
        return []
    return _write(people, event)


def _write(people: list[User], event: Event) -> list[int]:
    # Imported here: the tasks module imports the services, which import this one.
    from .tasks import notification_email

    subject, body = render(event.message, event.context)
    timings = _timings(people, event)
    now = timezone.now()
    Notification.objects.bulk_create(
        [
            Notification(
                user=person,
                kind=event.kind,
                key=event.key,
                request=event.request,
                meeting=event.meeting,
                subject=subject,
                body=body,
                url=event.url_for(person) if event.url_for else event.url,
                calendar=meeting_invitation(event.meeting, person) if event.calendar else "",
                created_at=now,
                timing=timings[person.pk],
            )
            for person in people
        ],
        ignore_conflicts=True,
    )
    written = Notification.objects.filter(key=event.key, user__in=[p.pk for p in people])
    for pk in written.filter(timing=Timing.AT_ONCE, email_state=EmailState.PENDING).values_list(
        "pk", flat=True
    ):
        queue_on_commit(notification_email, pk)
    return list(written.values_list("pk", flat=True))


def _request_url(request: ResourceRequest, anchor: str = "") -> str:
    return reverse("requests:detail", args=[request.pk]) + anchor


def _meeting_context(meeting: Meeting) -> dict:
    return {
        "community": meeting.community.name,
        "date": meeting.date,
        "start_time": meeting.start_time,
        "place": meeting.place,
        "online_link": meeting.online_link,
    }


# A request's life ---------------------------------------------------------------------


@never_undoes_the_change
def request_submitted(request: ResourceRequest, *, resubmitted: bool) -> None:
    """A request reached the CoS: its chair is told (at once for an exceptional request,
    which may need an interim decision). A resubmission keeps its place in the queue."""
    if resubmitted:
        # A request may come back more than once: each resubmission is its own event.
        moment = round(request.submitted_at.timestamp() * 1_000_000)
        kind, key = Kind.REQUEST_RESUBMITTED, f"resubmitted:{request.pk}:{moment}"
    else:
        kind, key = Kind.REQUEST_SUBMITTED, f"submitted:{request.pk}"
    tell(
        recipients.chairs(request.community_id),
        Event(
            kind=kind,
            key=key,
            message=kind,
            context={
                **about(request),
                "first_submitted_at": request.first_submitted_at,
                # The pupil's other open requests at any school: a possible duplicate.
                "duplicates": [
                    f"{row.reference} from {row.school_name}" for row in open_duplicates(request)
                ],
            },
            url=_request_url(request),
            request=request,
            at_once=bool(request.is_exceptional) and not resubmitted,
        ),
    )


@never_undoes_the_change
def agenda_added(item: AgendaItem, meeting: Meeting, request: ResourceRequest) -> None:
    """The school's SENCOs: when and where the meeting is, and that someone should be
    there for the school (or another school represent it)."""
    tell(
        recipients.school_sencos(request.school_id),
        Event(
            kind=Kind.AGENDA,
            key=f"agenda:{item.pk}",
            message="agenda",
            context={**about(request), **_meeting_context(meeting)},
            url=_request_url(request),
            request=request,
            meeting=meeting,
        ),
    )


@never_undoes_the_change
def decision_recorded(decision: Decision, request: ResourceRequest) -> None:
    """A decision at a meeting or an interim decision: the school's SENCOs, at once."""
    tell(
        recipients.school_sencos(request.school_id),
        Event(
            kind=Kind.DECISION,
            key=f"decision:{decision.pk}",
            message="decision",
            context={
                **about(request),
                "decision": decision,
                "outcome": decision.outcome,
                "reason": redact(decision.reason, [request]),
            },
            url=_request_url(request),
            request=request,
            meeting=decision.meeting,
        ),
    )


@never_undoes_the_change
def decision_ratified(decision: Decision, request: ResourceRequest, meeting: Meeting) -> None:
    tell(
        recipients.school_sencos(request.school_id),
        Event(
            kind=Kind.DECISION,
            key=f"ratified:{decision.pk}",
            message="ratified",
            context={**about(request), "decision": decision, "meeting_date": meeting.date},
            url=_request_url(request),
            request=request,
            meeting=meeting,
        ),
    )


@never_undoes_the_change
def decision_corrected(
    decision: Decision, request: ResourceRequest, meeting: Meeting, *, officers: bool
) -> None:
    """A decision corrected while its meeting is open: the school's SENCOs, and (when
    ``officers``: they had the first award's hand-off) the area's officers, who are to
    pay the corrected award only, or nothing."""
    context = {
        **about(request),
        "decision": decision,
        "outcome": decision.outcome,
        "previous": decision.revises,
        "meeting_date": meeting.date,
        "reason": redact(decision.reason, [request]),
    }
    tell(
        recipients.school_sencos(request.school_id),
        Event(
            kind=Kind.DECISION,
            key=f"decision:{decision.pk}",
            message="corrected",
            context=context,
            url=_request_url(request),
            request=request,
            meeting=meeting,
        ),
    )
    if officers:
        tell(
            recipients.officers(request.community.area_id),
            Event(
                kind=Kind.AWARD_REVISED,
                key=f"award_corrected:{decision.pk}",
                message="award_corrected",
                context=context,
                url=_request_url(request),
                request=request,
            ),
        )


@never_undoes_the_change
def decision_revised(decision: Decision, request: ResourceRequest, meeting: Meeting) -> None:
    """An interim award revised at the meeting: the school's SENCOs, and the area's
    officers, who already have the hand-off of the first award."""
    context = {
        **about(request),
        "decision": decision,
        "previous": decision.revises,
        "meeting_date": meeting.date,
        "reason": redact(decision.reason, [request]),
    }
    tell(
        recipients.school_sencos(request.school_id),
        Event(
            kind=Kind.DECISION,
            key=f"decision:{decision.pk}",
            message="revised",
            context=context,
            url=_request_url(request),
            request=request,
            meeting=meeting,
        ),
    )
    tell(
        recipients.officers(request.community.area_id),
        Event(
            kind=Kind.AWARD_REVISED,
            key=f"award_revised:{decision.pk}",
            message="award_revised",
            context=context,
            url=_request_url(request),
            request=request,
        ),
    )


@never_undoes_the_change
def payment_recorded(payment: Payment, request: ResourceRequest) -> None:
    """A payment or a reversal: the school's SENCOs and the CoS's chair."""
    people = recipients.school_sencos(request.school_id) + recipients.chairs(request.community_id)
    tell(
        people,
        Event(
            kind=Kind.PAYMENT,
            key=f"payment:{payment.pk}",
            message="payment_reversed" if payment.is_reversal else "payment",
            context={
                **about(request),
                "amount": abs(payment.amount),
                "paid_on": payment.paid_on,
                "method": payment.get_method_display(),
                "finance_reference": payment.finance_reference,
                "note": redact(payment.note, [request]),
            },
            url=_request_url(request, "#payments"),
            request=request,
        ),
    )


# Meetings -----------------------------------------------------------------------------


def _meeting_event(meeting: Meeting, message: str, **context) -> Event:
    return Event(
        kind=Kind.MEETING,
        key=f"meeting:{meeting.pk}:{meeting.sequence}",
        message=message,
        context={**_meeting_context(meeting), **context},
        url=reverse("requests:meeting", args=[meeting.pk]),
        meeting=meeting,
        calendar=True,
    )


@never_undoes_the_change
def meeting_scheduled(meeting: Meeting) -> None:
    """The chair and every member school, with a calendar invitation."""
    tell(recipients.meeting_people(meeting.community_id), _meeting_event(meeting, "meeting_new"))


@never_undoes_the_change
def meeting_changed(meeting: Meeting, changes: list[str]) -> None:
    """``changes`` names what changed ("date", "start time", "place", "online link")."""
    tell(
        recipients.meeting_people(meeting.community_id),
        _meeting_event(meeting, "meeting_changed", changes=changes),
    )


@never_undoes_the_change
def meeting_cancelled(meeting: Meeting, agenda: list[ResourceRequest]) -> None:
    """``agenda``: the requests that were on its agenda (their pupils are taken out of the
    reason, which every member school reads)."""
    tell(
        recipients.meeting_people(meeting.community_id),
        _meeting_event(
            meeting,
            "meeting_cancelled",
            reason=redact(meeting.cancel_reason, agenda),
            had_agenda=bool(agenda),
        ),
    )


@never_undoes_the_change
def minutes_ready(meeting: Meeting) -> None:
    """The chair and every member school. The chair's link opens the minutes; a member
    school's opens the meeting's agenda with its outcomes (without pupil identities)."""
    chair_ids = {p.pk for p in recipients.chairs(meeting.community_id)}
    minutes = reverse("requests:minutes", args=[meeting.pk])
    agenda = reverse("requests:meeting", args=[meeting.pk])
    tell(
        recipients.meeting_people(meeting.community_id),
        Event(
            kind=Kind.MINUTES,
            key=f"minutes:{meeting.pk}",
            message="minutes",
            context=_meeting_context(meeting),
            url=agenda,
            url_for=lambda person: minutes if person.pk in chair_ids else agenda,
            meeting=meeting,
        ),
    )


@never_undoes_the_change
def representation_arranged(representation: Representation) -> None:
    """The SENCOs of the school asked to represent another at a meeting (the chair sees
    it on the meeting page)."""
    meeting = representation.meeting
    tell(
        recipients.school_sencos(representation.represented_by_id),
        Event(
            kind=Kind.REPRESENTATION,
            key=(
                f"representation:{representation.pk}:{representation.represented_by_id}"
                f":{meeting.sequence}"
            ),
            message="representation",
            context={
                **_meeting_context(meeting),
                "school": representation.school.name,
                "represented_by": representation.represented_by.name,
            },
            url=reverse("requests:meeting", args=[meeting.pk]),
            meeting=meeting,
        ),
    )


# The officer's clocks -----------------------------------------------------------------


def _handoff_context(handoff: Handoff, request: ResourceRequest) -> dict:
    return {
        **about(request),
        "area": handoff.area.name,
        "decision_date": handoff.decision_date,
        "due_date": handoff.due_date,
        "payment_due_date": handoff.payment_due_date,
    }


@never_undoes_the_change
def handed_off(handoff: Handoff, request: ResourceRequest) -> None:
    """The approval waiting for the area's officers. Their email is the hand-off's own
    (``handoffs.handoff_send``), which marks these sent."""
    tell(
        recipients.officers(handoff.area_id),
        Event(
            kind=Kind.HANDOFF,
            key=f"handoff:{handoff.pk}",
            message="handoff",
            context=_handoff_context(handoff, request),
            url=_request_url(request),
            request=request,
            with_handoff=True,
        ),
    )


@never_undoes_the_change
def handoff_emailed(handoff: Handoff, request: ResourceRequest, addresses: list[str]) -> None:
    """The hand-off's email has gone to ``addresses``: the officers' notifications
    (written now for an officer who joined after the approval) are marked sent."""
    handed_off(handoff, request)
    Notification.objects.filter(key=f"handoff:{handoff.pk}", user__email__in=addresses).exclude(
        email_state=EmailState.SENT
    ).update(email_state=EmailState.SENT, emailed_at=timezone.now(), last_error="")


@never_undoes_the_change
def handoff_acknowledged_before_email(handoff: Handoff) -> None:
    """An officer found the approval in their list before its email went: no email will
    go, and the officers' notifications say so."""
    Notification.objects.filter(key=f"handoff:{handoff.pk}", email_state=EmailState.PENDING).update(
        email_state=EmailState.NOT_SENT,
        last_error="Not emailed: an HNF Monitoring Officer acknowledged the request first.",
    )


def _clock_event(handoff: Handoff, request: ResourceRequest, what: str, **context) -> Event:
    admin_page = reverse("admin:requests_handoff_change", args=[handoff.pk])
    chair_ids = {p.pk for p in recipients.chairs(request.community_id)}
    return Event(
        kind=Kind.ESCALATION if what == "escalation" else Kind.BREACH,
        key=f"{what}:{handoff.pk}",
        message=what,
        context={**_handoff_context(handoff, request), **context},
        url=_request_url(request),
        # Administrators open the hand-off in the administration; the chair (who may not
        # use the administration) the request.
        url_for=lambda person: _request_url(request) if person.pk in chair_ids else admin_page,
        request=request,
    )


def _administrators_and_chairs(handoff: Handoff, request: ResourceRequest) -> list[User]:
    return recipients.administrators(handoff.area_id) + recipients.chairs(request.community_id)


@never_undoes_the_change
def handoff_escalated(handoff: Handoff, request: ResourceRequest) -> None:
    """One working day before the hand-off is due and still unacknowledged: the area's
    KCC administrators (and those of all Kent) and the CoS's chair."""
    has_officer = bool(recipients.officers(handoff.area_id))
    tell(
        _administrators_and_chairs(handoff, request),
        _clock_event(handoff, request, "escalation", has_officer=has_officer),
    )


@never_undoes_the_change
def handoff_breached(handoff: Handoff, request: ResourceRequest) -> None:
    """Past its due date and still unacknowledged: the same people as the escalation."""
    tell(_administrators_and_chairs(handoff, request), _clock_event(handoff, request, "breach"))
