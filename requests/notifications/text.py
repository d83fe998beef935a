"""The words of a notification: its subject and text, made from the templates in
``requests/templates/requests/notifications/messages/`` when the event happens.

A request is named by its reference, school, year group and need, never by its pupil.
What people typed (a decision's reason, a payment's note, why a meeting is cancelled) is
quoted with any pupil's name, UPN or date of birth taken out first: a chair writing
"Alex needs a plan" in a reason must not put Alex's name in an email.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from django.template.loader import render_to_string
from django.utils.formats import date_format

from ..models import ResourceRequest

REMOVED_NAME = "[name removed]"
REMOVED_UPN = "[UPN removed]"
REMOVED_DATE = "[date removed]"
SUBJECT_MAX = 200


def about(request: ResourceRequest) -> dict[str, str]:
    """What a notification may say of a request."""
    return {
        "reference": request.reference or "",
        "school": request.school.name,
        "community": request.community.name if request.community_id else "",
        "year_group": request.get_year_group_display(),
        "need": request.primary_need,
        "need_label": request.get_primary_need_display(),
        "is_exceptional": bool(request.is_exceptional),
        "exceptional_reason": request.get_exceptional_reason_display(),
    }


def _date_spellings(day: dt.date) -> set[str]:
    return {
        day.isoformat(),
        f"{day:%d/%m/%Y}",
        f"{day.day}/{day.month}/{day.year}",
        f"{day:%d.%m.%Y}",
        f"{day:%d-%m-%Y}",
        date_format(day, "j F Y"),
        date_format(day, "d F Y"),
        date_format(day, "j M Y"),
        date_format(day, "jS F Y"),
    }


def redact(text: str, pupils: Iterable[ResourceRequest]) -> str:
    """``text`` with the names, UPN and date of birth of each pupil taken out."""
    for pupil in pupils:
        for name in (pupil.first_name, pupil.last_name):
            name = name.strip()
            if len(name) >= 2:
                text = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", REMOVED_NAME, text, flags=re.I)
        if pupil.upn:
            text = re.sub(re.escape(pupil.upn), REMOVED_UPN, text, flags=re.I)
        if pupil.date_of_birth:
            for spelling in _date_spellings(pupil.date_of_birth):
                text = re.sub(re.escape(spelling), REMOVED_DATE, text, flags=re.I)
    return text


def render(message: str, context: dict) -> tuple[str, str]:
    """(subject, text) of a message: one line of at most 200 characters, and paragraphs
    separated by one blank line."""
    base = f"requests/notifications/messages/{message}"
    subject = " ".join(render_to_string(f"{base}_subject.txt", context).split())
    if len(subject) > SUBJECT_MAX:
        subject = subject[: SUBJECT_MAX - 1].rstrip() + "…"
    text = render_to_string(f"{base}.txt", context)
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text)]
    return subject, "\n\n".join(p for p in paragraphs if p)
