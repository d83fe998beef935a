"""The agenda pack and the minutes as PDFs (WeasyPrint), read back with pypdf: the right
figures, and no pupil identity."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from requests.services import (
    attendance_record,
    decision_record,
    declaration_add,
    interim_decision_record,
    meeting_close,
)
from requests.services.decisions import Award
from requests.services.meetings import AttendanceEntry
from requests.tests.factories import VALID_UPN
from tests.worlds.cos import make_cos
from tests.worlds.steps import approval, part_approval

pytestmark = pytest.mark.django_db

D = dt.date


def _text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    reader = PdfReader(io.BytesIO(response.content))
    # Collapse the line breaks WeasyPrint puts inside table cells (a word broken at its
    # hyphen, "Part-approved", reads back as "Part- approved").
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    return text.replace("- ", "-")


@pytest.fixture
def meeting_with_items():
    cos = make_cos()
    cos.budget(2026, "300000.00")
    cos.budget(2027, "300000.00")
    exceptional = cos.request(
        first_name="Ottoline",
        last_name="Quartermaine",
        is_exceptional=True,
        exceptional_reason="tribunal",
        exceptional_why_now="Order",
        amount=Decimal("4250.00"),
        start_date=D(2027, 1, 4),
        end_date=D(2027, 3, 26),
    )
    interim_decision_record(actor=cos.chair, request_id=exceptional.pk, award=approval())
    meeting = cos.meeting()
    first = cos.on_agenda(
        meeting,
        first_name="Peregrine",
        last_name="Wolstenholme",
        amount=Decimal("12345.67"),
        year_group="5",
        primary_need="ASD",
        secondary_need="SLCN",
        start_date=D(2027, 2, 1),
        end_date=D(2027, 7, 31),
    )
    second = cos.on_agenda(
        meeting,
        first_name="Hermione",
        last_name="Featherstonehaugh",
        amount=Decimal("8000.00"),
        year_group="R",
        primary_need="SEMH",
        secondary_need="",
    )
    return cos, meeting, first, second, exceptional


def test_the_agenda_pack_has_the_figures_and_no_pupil_identity(client, meeting_with_items):
    cos, meeting, first, second, exceptional = meeting_with_items
    client.force_login(cos.chair)
    text = _text(client.get(reverse("requests:agenda_pdf", args=[meeting.pk])))
    assert f"Agenda pack: meeting of {meeting.date.day}" in text
    for expected in (
        first.request.reference,
        second.request.reference,
        exceptional.reference,
        "£12,345.67",
        "£8,000.00",
        "Year 5",
        "Reception",
        "Autistic Spectrum Disorder (ASD)",
        "(SLCN)",
        "Social, Emotional and Mental Health (SEMH)",
        "Interim decision to ratify",
        "Interim award £4,250.00",
        "1 February 2027 to 31 July 2027",
        "Spring Primary School, library",
        cos.chair.full_name,
    ):
        assert expected in text, expected
    for request in (first.request, second.request, exceptional):
        for identity in (request.first_name, request.last_name, request.upn):
            assert identity not in text
        assert request.date_of_birth.strftime("%B %Y") not in text
    assert VALID_UPN not in text


def test_the_minutes_have_attendance_declarations_and_each_decision(client, meeting_with_items):
    cos, meeting, first, second, exceptional = meeting_with_items
    attendance_record(
        actor=cos.chair,
        meeting_id=meeting.pk,
        entries=[AttendanceEntry(cos.school.pk, "attended", representative_name="Sarah Senco")],
    )
    declaration_add(
        actor=cos.chair,
        meeting_id=meeting.pk,
        person_name="Tom Taylor",
        details="Governor at the requesting school",
        item_id=first.pk,
    )
    decision_record(
        actor=cos.chair, item_id=first.pk, award=part_approval("10000.00", "Two terms only")
    )
    decision_record(
        actor=cos.chair, item_id=second.pk, award=Award(outcome="declined", reason="Below need")
    )
    from requests.services import decision_ratify

    decision_ratify(actor=cos.chair, item_id=meeting.items.get(kind="ratification").pk)
    meeting_close(actor=cos.chair, meeting_id=meeting.pk)

    client.force_login(cos.chair)
    text = _text(client.get(reverse("requests:minutes_pdf", args=[meeting.pk])))
    for expected in (
        "Minutes of the meeting of",
        "Spring Primary School",
        "Attended: Sarah Senco",
        "Tom Taylor",
        "Governor at the requesting school",
        f"on {first.request.reference}",
        "Part-approved",
        "£12,345.67",
        "£10,000.00",
        "Two terms only",
        "Declined",
        "Below need",
        "Ratified",
        "£4,250.00",
    ):
        assert expected in text, expected
    assert "draft" not in text.lower()
    for request in (first.request, second.request, exceptional):
        assert request.first_name not in text and request.last_name not in text
    assert VALID_UPN not in text


def test_draft_minutes_say_so(client, meeting_with_items):
    cos, meeting, *_ = meeting_with_items
    client.force_login(cos.chair)
    text = _text(client.get(reverse("requests:minutes_pdf", args=[meeting.pk])))
    assert "Draft minutes" in text
