"""The Request for Resource lifecycle, declared once as data (DESIGN §4): what each
status allows.

``TRANSITIONS[status][action]`` is the status a request moves to when ``action`` is taken
in ``status``. Anything not in the table is refused by ``requests.services.transition``,
the one function that changes a request's status. ``IN_PLACE[status]`` is what may be
done to a request in ``status`` that leaves its status as it is (editing a draft, adding
evidence, recording a payment, ...). ``allows(status, action)`` answers from both; the
permissions, the services and the groupings of statuses below all ask it, so no other
module lists the statuses that allow something.
"""

from django.db import models


class Status(models.TextChoices):
    """The label is the one set of words for a status: tags, the timeline, the filters,
    the counts and the emails all show it. Plain words for the school, saying what
    happens next (issue 18, item 6), rather than the name of a step."""

    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Sent – waiting for a meeting"
    ON_AGENDA = "on_agenda", "On a meeting agenda"
    DEFERRED = "deferred", "Deferred – waiting for a later meeting"
    MORE_INFORMATION = "more_information", "More information needed"
    APPROVED = "approved", "Approved – being sent for payment"
    PART_APPROVED = "part_approved", "Part-approved – being sent for payment"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"
    WITH_OFFICER = "with_officer", "Approved – payment on its way"
    ACKNOWLEDGED = "acknowledged", "Approved – payment being made"
    CLOSED = "closed", "Paid in full"


class Action(models.TextChoices):
    """Everything the timeline records. The label is what the timeline shows; the actions
    that move a request between statuses are the keys of ``TRANSITIONS``."""

    CREATE = "created", "Draft started"
    ADD_EVIDENCE = "evidence_added", "Evidence added"
    REMOVE_EVIDENCE = "evidence_removed", "Evidence removed"
    SUBMIT = "submit", "Submitted"
    RESUBMIT = "resubmit", "Resubmitted with more information"
    WITHDRAW = "withdraw", "Withdrawn"
    ADD_TO_AGENDA = "add_to_agenda", "Added to a meeting agenda"
    REMOVE_FROM_AGENDA = "remove_from_agenda", "Removed from a meeting agenda"
    APPROVE = "approve", "Approved"
    PART_APPROVE = "part_approve", "Part-approved"
    DECLINE = "decline", "Declined"
    DEFER = "defer", "Deferred"
    ASK_MORE_INFORMATION = "more_information", "More information asked for"
    HAND_OFF = "hand_off", "Sent to the HNF Monitoring Officer"
    ACKNOWLEDGE = "acknowledge", "Acknowledged by the HNF Monitoring Officer"
    CLOSE = "close", "Paid in full and closed"
    REOPEN = "reopen", "Reopened after a payment was reversed"
    INTERIM_DECISION = "interim_decision", "Interim decision recorded"
    RATIFY = "ratified", "Interim decision ratified"
    REVISE = "revised", "Interim decision revised"
    PAY = "payment", "Payment recorded"
    REVERSE_PAYMENT = "payment_reversed", "Payment reversed"
    ANONYMISE = "anonymised", "Pupil identity removed under the retention policy"
    MOVE_DEADLINES = "deadlines_moved", "Deadlines moved by a closure day"
    MOVE_MEETING = "meeting_moved", "Meeting moved"
    CORRECT_DECISION = "decision_corrected", "Decision corrected at the meeting"
    CONTINUE_SUPPORT = "support_continued", "Support continued in a new request"
    REVIEW_AWARD = "award_reviewed", "What the award achieved reviewed"
    EDIT_SUMMARY = "summary_edited", "Summary for the meeting edited by the chair"


S, A = Status, Action

# Decisions outside a meeting (interim decisions on exceptional requests) use the same
# actions from the statuses of the queue; services.py checks that the request is
# exceptional and that the actor chairs its CoS.
_WAITING = {
    A.ADD_TO_AGENDA: S.ON_AGENDA,
    A.WITHDRAW: S.WITHDRAWN,
    A.APPROVE: S.APPROVED,
    A.PART_APPROVE: S.PART_APPROVED,
    A.DECLINE: S.DECLINED,
}

# A decision recorded by mistake is corrected while its meeting is open and nothing has
# been paid: the request goes back on the agenda and the corrected decision is recorded
# from there, as any decision is (services/decisions.py checks the meeting and payments).
_CORRECTABLE = {A.CORRECT_DECISION: S.ON_AGENDA}

TRANSITIONS: dict[str, dict[str, str]] = {
    S.DRAFT: {A.SUBMIT: S.SUBMITTED},
    S.SUBMITTED: dict(_WAITING),
    S.DEFERRED: {**_WAITING, **_CORRECTABLE},
    S.ON_AGENDA: {
        A.REMOVE_FROM_AGENDA: S.SUBMITTED,
        A.APPROVE: S.APPROVED,
        A.PART_APPROVE: S.PART_APPROVED,
        A.DECLINE: S.DECLINED,
        A.DEFER: S.DEFERRED,
        A.ASK_MORE_INFORMATION: S.MORE_INFORMATION,
        A.WITHDRAW: S.WITHDRAWN,
    },
    S.MORE_INFORMATION: {A.RESUBMIT: S.SUBMITTED, A.WITHDRAW: S.WITHDRAWN, **_CORRECTABLE},
    S.DECLINED: dict(_CORRECTABLE),
    S.APPROVED: {A.HAND_OFF: S.WITH_OFFICER, **_CORRECTABLE},
    S.PART_APPROVED: {A.HAND_OFF: S.WITH_OFFICER, **_CORRECTABLE},
    S.WITH_OFFICER: {A.ACKNOWLEDGE: S.ACKNOWLEDGED, **_CORRECTABLE},
    S.ACKNOWLEDGED: {A.CLOSE: S.CLOSED, **_CORRECTABLE},
    S.CLOSED: {A.REOPEN: S.ACKNOWLEDGED},
}

# Done to a request without a move and not written on its timeline: changing the answers
# (the answers are their own record) and discarding a draft (nothing is left to show).
EDIT = "edit"
DISCARD = "discard"

_EVIDENCE = {A.ADD_EVIDENCE, A.REMOVE_EVIDENCE}
_PAYMENTS = {A.PAY, A.REVERSE_PAYMENT}

IN_PLACE: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({EDIT, *_EVIDENCE, DISCARD}),
    S.MORE_INFORMATION: frozenset({EDIT, *_EVIDENCE}),
    # A decided request: the school may start a new one to continue the pupil's support.
    S.APPROVED: frozenset({A.CONTINUE_SUPPORT}),
    S.PART_APPROVED: frozenset({A.CONTINUE_SUPPORT}),
    S.WITH_OFFICER: frozenset({A.CONTINUE_SUPPORT}),
    S.DECLINED: frozenset({A.CONTINUE_SUPPORT}),
    S.ACKNOWLEDGED: frozenset({*_PAYMENTS, A.CONTINUE_SUPPORT}),
    S.CLOSED: frozenset({*_PAYMENTS, A.CONTINUE_SUPPORT}),
}

# Every action the table speaks of: the timeline's, and the two it does not record.
ACTIONS: tuple[str, ...] = (*Action.values, EDIT, DISCARD)


def next_status(status: str, action: str) -> str | None:
    return TRANSITIONS.get(status, {}).get(action)


def allows(status: str, action: str) -> bool:
    """Whether a request in ``status`` may have ``action`` taken: a move of the table or
    something done in place. Who may take it is the permissions' and services' question."""
    return action in TRANSITIONS.get(status, {}) or action in IN_PLACE.get(status, ())


def statuses_allowing(action: str) -> tuple[str, ...]:
    return tuple(status for status in Status if allows(status, action))


# Requests waiting for a meeting: the chair's queue.
WAITING_STATUSES = statuses_allowing(A.ADD_TO_AGENDA)
# Before a decision: the school may still withdraw.
UNDECIDED_STATUSES = statuses_allowing(A.WITHDRAW)
# Money awarded: the officer's work.
FUNDED_STATUSES = (S.APPROVED, S.PART_APPROVED, S.WITH_OFFICER, S.ACKNOWLEDGED, S.CLOSED)
# Funded and not yet paid in full (only closing pays a request in full). A request with a
# hand-off never leaves FUNDED_STATUSES, so "not closed" among hand-offs is these: naming
# them lets PostgreSQL find the few open hand-offs through the status index instead of
# reading every hand-off of ten years (bench/NOTES.md).
OPEN_STATUSES = tuple(s for s in FUNDED_STATUSES if s != S.CLOSED)
# Nothing more will happen (retention may anonymise these).
FINISHED_STATUSES = (S.DECLINED, S.WITHDRAWN, S.CLOSED)
