"""Every write that matters to a Request for Resource, a meeting or a decision."""

from .decisions import (
    decision_ratify,
    decision_record,
    decision_revise,
    interim_decision_record,
)
from .errors import AlreadySubmitted, IncompleteRequest, RequestError
from .handoffs import handoff_acknowledge, handoff_send
from .lifecycle import (
    evidence_add,
    evidence_remove,
    request_discard,
    request_start,
    request_submit,
    request_update,
    request_withdraw,
    transition,
)
from .meetings import (
    agenda_add,
    agenda_move,
    agenda_remove,
    attendance_record,
    declaration_add,
    declaration_remove,
    meeting_cancel,
    meeting_close,
    meeting_create,
    meeting_starts_at,
    meeting_summary_edit,
    meeting_update,
    representation_arrange,
    representation_cancel,
)
from .payments import payment_record, payment_reverse

__all__ = [
    "AlreadySubmitted",
    "IncompleteRequest",
    "RequestError",
    "agenda_add",
    "agenda_move",
    "agenda_remove",
    "attendance_record",
    "decision_ratify",
    "decision_record",
    "decision_revise",
    "declaration_add",
    "declaration_remove",
    "evidence_add",
    "evidence_remove",
    "handoff_acknowledge",
    "handoff_send",
    "interim_decision_record",
    "meeting_cancel",
    "meeting_close",
    "meeting_create",
    "meeting_starts_at",
    "meeting_summary_edit",
    "meeting_update",
    "payment_record",
    "payment_reverse",
    "representation_arrange",
    "representation_cancel",
    "request_discard",
    "request_start",
    "request_submit",
    "request_update",
    "request_withdraw",
    "transition",
]
