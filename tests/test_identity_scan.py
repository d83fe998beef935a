"""The scan every test ends with finds a pupil's identity where it is told, and only
there: a name as a word (not inside another word, nor a school's or a person's name that
happens to share it), a UPN in any case, a date of birth as the service writes dates."""

import datetime as dt
import re

from django.core.mail import EmailMultiAlternatives

from tests.identity_scan import Pupil, message_texts, patterns, scan

TODAY = dt.date(2026, 12, 2)
PUPIL = Pupil("Alex", "Marsh", "E886200026001", dt.date(2018, 3, 1))


def found(text: str, other_words: set[str] = frozenset()) -> list[str]:
    return scan({"text": [text]}, patterns([PUPIL], set(other_words), TODAY))


def test_each_part_of_a_pupils_identity_is_found():
    assert found("About Alex, year 3") == ["text: name Alex"]
    assert found("upn e886200026001 given") == ["text: UPN E886200026001"]
    assert found("Born 1 March 2018.") == ["text: date of birth 1 March 2018"]
    assert found("born 2018-03-01") == ["text: date of birth 2018-03-01"]
    assert found("born 01/03/2018") == ["text: date of birth 01/03/2018"]


def test_what_only_looks_like_it_is_not():
    assert found("Alexander Hall, alex@example.org") == []
    # The school is called Marsh: the surname alone is the school's, the full name is not.
    assert found("Marsh Primary School", {"marsh", "primary", "school"}) == []
    assert found("Alex Marsh at Marsh Primary", {"marsh", "primary"}) == [
        "text: name Alex Marsh",
        "text: name Alex",
    ]


def test_an_email_is_read_whole_attachments_included():
    message = EmailMultiAlternatives("Subject", "Body", to=["x@example.org"])
    message.attach_alternative("<p>HTML</p>", "text/html")
    message.attach("meeting.ics", "ATTENDEE;CN=Alex Marsh:mailto:x@example.org", "text/calendar")
    texts = message_texts(message)
    assert texts[:3] == ["Subject", "Body", "<p>HTML</p>"]
    assert any(re.search("Alex Marsh", text) for text in texts)
    assert "text: name Alex Marsh" in scan({"text": texts}, patterns([PUPIL], set(), TODAY))
