"""No email and no notification names a pupil: the check every test of the suite ends
with (tests/fixtures.py ``_nothing_told_names_a_pupil``).

Every pupil of the test's data (each request's first name, last name, UPN and date of
birth) is looked for in every email sent in the test (subject, text, HTML and
attachments) and every notification written (subject, text, link and calendar
invitation). A name is looked for as a whole word, as typed; one that is also a word of a
school's, a Community of Schools' or a member of staff's name (the demo's pupil Jude Marsh
and its Marsh Primary School, its pupil Reuben Clarke and a SENCO named Clarke) is looked
for in full only, since naming the school, or a calendar invitation naming the person it
invites, is right.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.formats import date_format

# A date of birth is looked for only when it is a child's: test data with a random date
# (the hostile-input test's) would otherwise match the day's own dates.
_MIN_AGE = dt.timedelta(days=2 * 365)


@dataclass(frozen=True)
class Needle:
    """One thing to look for: found where ``pattern`` matches. ``literal`` (lower case when
    the pattern ignores case) is in every text the pattern matches, so a text without it
    is passed over without running the pattern: a test with two years of demo data has
    thousands of notifications and pupils, and the patterns' look-behinds make each search
    walk the whole text (32 s after each test of demo/tests/test_past_years.py; now 2)."""

    literal: str
    pattern: re.Pattern
    ignore_case: bool = False


@dataclass(frozen=True)
class Pupil:
    first_name: str
    last_name: str
    upn: str
    date_of_birth: dt.date | None


def _plausible_name(name: str) -> bool:
    return len(name) >= 3 and re.fullmatch(r"[A-Za-z][A-Za-z' -]+", name) is not None


def patterns(pupils: list[Pupil], other_words: set[str], today: dt.date) -> dict[str, Needle]:
    """What to look for, by what it is."""
    found: dict[str, Needle] = {}

    def word(text: str) -> Needle:
        return Needle(text, re.compile(rf"(?<![\w]){re.escape(text)}(?![\w])"))

    for pupil in pupils:
        first, last = pupil.first_name.strip(), pupil.last_name.strip()
        if _plausible_name(first) and _plausible_name(last):
            found[f"name {first} {last}"] = word(f"{first} {last}")
        for name in (first, last):
            if _plausible_name(name) and name.lower() not in other_words:
                found[f"name {name}"] = word(name)
        if re.fullmatch(r"[A-Z0-9]{13}", pupil.upn or ""):
            found[f"UPN {pupil.upn}"] = Needle(
                pupil.upn.lower(), re.compile(re.escape(pupil.upn), re.I), ignore_case=True
            )
        born = pupil.date_of_birth
        if born and born < today - _MIN_AGE:
            for spelling in {born.isoformat(), f"{born:%d/%m/%Y}", date_format(born, "j F Y")}:
                found[f"date of birth {spelling}"] = Needle(
                    spelling, re.compile(re.escape(spelling))
                )
    return found


def message_texts(message) -> list[str]:
    """Everything an email carries that a person reads."""
    texts = [message.subject, message.body]
    texts += [content for content, _type in getattr(message, "alternatives", [])]
    for attachment in message.attachments:
        if hasattr(attachment, "get_payload"):
            payload = attachment.get_payload(decode=True)
            texts.append(payload.decode("utf-8", "replace") if payload else "")
        else:
            content = attachment[1]
            texts.append(
                content.decode("utf-8", "replace") if isinstance(content, bytes) else content
            )
    return texts


def scan(texts: dict[str, list[str]], looked_for: dict[str, Needle]) -> list[str]:
    """Each (where, what) found, as "where: what"."""
    found = []
    for where, items in texts.items():
        items = [text or "" for text in items]
        joined = "\n".join(items)
        folded = joined.lower()
        for what, needle in looked_for.items():
            if needle.literal in (folded if needle.ignore_case else joined) and any(
                needle.pattern.search(text) for text in items
            ):
                found.append(f"{where}: {what}")
    return found


def identities_told(outbox: list) -> list[str]:
    """The pupil identities found in the emails of ``outbox`` and in every notification in
    the database, as "where: what" (none is the only right answer)."""
    from django.utils import timezone

    from communities.models import CommunityOfSchools, School, User
    from requests.models import Notification, ResourceRequest

    notifications = list(
        Notification.objects.values_list("pk", "subject", "body", "url", "calendar")
    )
    if not notifications and not outbox:
        return []
    pupils = [
        Pupil(*row)
        for row in ResourceRequest.objects.values_list(
            "first_name", "last_name", "upn", "date_of_birth"
        )
    ]
    other_words = {
        word.lower()
        for name in [
            *School.objects.values_list("name", flat=True),
            *CommunityOfSchools.objects.values_list("name", flat=True),
            *User.objects.values_list("full_name", flat=True),
        ]
        for word in re.findall(r"[A-Za-z']+", name)
    }
    looked_for = patterns(pupils, other_words, timezone.localdate())
    texts = {f"notification {pk}": list(rest) for pk, *rest in notifications}
    texts |= {
        f"email {index} ({message.subject!r})": message_texts(message)
        for index, message in enumerate(outbox)
    }
    return scan(texts, looked_for)
