"""Tags for the chair's parts of pages: the chair's actions on a request page, the upcoming
meetings on a member school's home, and the colour of an agenda item's outcome."""

from __future__ import annotations

from django import template

from ..models import AgendaItem, Meeting, ResourceRequest
from ..selectors.meetings import upcoming_meetings
from ..workflow import WAITING_STATUSES

register = template.Library()

_OUTCOME_COLOURS = {
    AgendaItem.Outcome.APPROVED: "green",
    AgendaItem.Outcome.PART_APPROVED: "green",
    AgendaItem.Outcome.RATIFIED: "green",
    AgendaItem.Outcome.DECLINED: "red",
    AgendaItem.Outcome.DEFERRED: "yellow",
    AgendaItem.Outcome.MORE_INFORMATION: "orange",
    AgendaItem.Outcome.REVISED: "turquoise",
}


@register.simple_tag
def school_upcoming_meetings(school) -> list[Meeting]:
    """The upcoming meetings of a member school's CoS."""
    if school is None or not school.community_id or not school.is_member:
        return []
    return list(upcoming_meetings(school.community_id)[:5])


@register.simple_tag
def open_agenda_item(request_obj: ResourceRequest) -> AgendaItem | None:
    """The undecided item that puts this request to a scheduled meeting, if any."""
    return (
        request_obj.agenda_items.filter(outcome="", meeting__state=Meeting.State.SCHEDULED)
        .select_related("meeting")
        .first()
    )


@register.filter
def can_have_interim_decision(request_obj: ResourceRequest) -> bool:
    return bool(request_obj.is_exceptional) and request_obj.status in WAITING_STATUSES


@register.filter
def outcome_colour(outcome: str) -> str:
    """The GOV.UK tag colour of an agenda item's outcome."""
    return _OUTCOME_COLOURS.get(outcome, "grey")
