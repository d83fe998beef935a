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
from collections.abc import Callable, Iterable

from django.template.loader import render_to_string

from kentlocality.templatetags.formatting import MONTHS, format_date

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


def _ordinal(n: int) -> str:
    return "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def _date_spellings(day: dt.date) -> set[str]:
    # Written out by hand rather than with Django's date_format (the service is in
    # English only): a meeting's case summaries take a date of birth out of six texts
    # for each of 30 items, and date_format's translation machinery was a fifth of the
    # meeting page's time (bench: 31 ms median).
    month = MONTHS[day.month - 1]
    return {
        day.isoformat(),
        f"{day:%d/%m/%Y}",
        f"{day.day}/{day.month}/{day.year}",
        f"{day:%d.%m.%Y}",
        f"{day:%d-%m-%Y}",
        format_date(day),  # 9 March 2015
        f"{day:%d} {month} {day.year}",  # 09 March 2015
        f"{day.day} {month[:3]} {day.year}",  # 9 Mar 2015
        f"{day.day}{_ordinal(day.day)} {month} {day.year}",  # 9th March 2015
    }


def _any_of(spellings: Iterable[str]) -> str:
    # Longest first, so that a spelling inside a longer one never wins.
    return "|".join(re.escape(s) for s in sorted(spellings, key=len, reverse=True))


def redactor(pupils: Iterable[ResourceRequest]) -> Callable[[str], str]:
    """A function that takes the names, UPN and date of birth of each pupil out of a
    text. Made once for texts about the same pupils (a meeting's case summaries redact
    six answers a request): the patterns are built once."""
    patterns: list[tuple[re.Pattern[str], str]] = []
    for pupil in pupils:
        names = [n.strip() for n in (pupil.first_name, pupil.last_name) if len(n.strip()) >= 2]
        if names:
            patterns.append((re.compile(rf"(?<!\w)(?:{_any_of(names)})(?!\w)", re.I), REMOVED_NAME))
        if pupil.upn:
            patterns.append((re.compile(re.escape(pupil.upn), re.I), REMOVED_UPN))
        if pupil.date_of_birth:
            spellings = _date_spellings(pupil.date_of_birth)
            patterns.append((re.compile(_any_of(spellings), re.I), REMOVED_DATE))

    def clean(text: str) -> str:
        for pattern, replacement in patterns:
            text = pattern.sub(replacement, text)
        return text

    return clean


def redact(text: str, pupils: Iterable[ResourceRequest]) -> str:
    """``text`` with the names, UPN and date of birth of each pupil taken out."""
    return redactor(pupils)(text)


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
