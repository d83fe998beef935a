"""The chair's pages' reads: the meeting page's attendance count agrees with the rows
the attendance page lists, its agenda rows show each item's outcome as ``item_decision`` does, and the
chair home's rows hold what the page shows."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from communities.models import School
from communities.tests.factories import SchoolFactory
from requests.models import Meeting
from requests.selectors import meetings as meeting_selectors
from requests.services import (
    attendance_record,
    decision_record,
    declaration_add,
    interim_decision_record,
)
from requests.services.meetings import AttendanceEntry
from tests.worlds.cos import make_cos
from tests.worlds.steps import approval, part_approval

pytestmark = pytest.mark.django_db


def test_attendance_count_agrees_with_attendance_rows():
    cos = make_cos()
    meeting = cos.meeting()
    other = SchoolFactory(community=cos.community, name="Other Primary School")
    SchoolFactory(community=cos.community, kind=School.Kind.SPECIAL)  # not a member
    SchoolFactory(community=cos.community, is_open=False)  # closed: not a member
    attendance_record(
        actor=cos.chair,
        meeting_id=meeting.pk,
        entries=[
            AttendanceEntry(cos.school.pk, "attended", representative_name="B Head"),
            AttendanceEntry(other.pk, "apologies"),
        ],
    )
    # A school recorded, then no longer a member, still counts.
    School.objects.filter(pk=other.pk).update(is_open=False)

    count = meeting_selectors.attendance_count(meeting)
    rows = meeting_selectors.attendance_rows(meeting)
    assert count.recorded == sum(1 for row in rows if row.record) == 2
    assert count.total == len(rows) == 2


def test_agenda_rows_links_outcomes_and_declarations():
    cos = make_cos()
    cos.budget_this_year("250000.00")
    meeting = cos.meeting()
    decided = cos.on_agenda(meeting, amount=Decimal("8000.00"))
    waiting = cos.on_agenda(meeting)
    decision_record(actor=cos.chair, item_id=decided.pk, award=part_approval("5000.00"))
    declaration_add(
        actor=cos.chair,
        meeting_id=meeting.pk,
        person_name="A <Governor>",
        details="Related to the pupil",
        school_id=cos.school.pk,
        item_id=waiting.pk,
    )

    rows = meeting_selectors.agenda_rows(meeting, manage=True, own_school_ids=frozenset())
    assert [row.item_id for row in rows] == [decided.pk, waiting.pk]
    first, second = rows
    assert (first.outcome, first.awarded, first.amount) == (
        "part_approved",
        Decimal("5000.00"),
        Decimal("8000.00"),
    )
    assert first.can_open and first.request_id == decided.request_id
    assert (second.outcome, second.awarded) == ("", None)

    # The page formats them and links each item and the chair's actions on it.
    client = Client()
    client.force_login(cos.chair)
    html = client.get(reverse("requests:meeting", args=[meeting.pk])).content.decode()
    assert '<strong class="govuk-tag govuk-tag--green">Part-approved</strong>' in html
    assert '<span class="kent-money">£5,000.00</span> awarded' in html
    assert "£8,000.00" in html
    assert f'href="{reverse("requests:detail", args=[decided.request_id])}"' in html
    assert f'href="{reverse("requests:decide", args=[meeting.pk, waiting.pk])}"' in html
    # An item is decided: the agenda's order is fixed, and its controls are gone.
    assert f'action="{reverse("requests:agenda_move", args=[meeting.pk, waiting.pk])}"' not in html
    assert f'action="{reverse("requests:agenda_remove", args=[meeting.pk, waiting.pk])}"' in html

    # A member school's reader: links only to its own school's requests.
    outsider = meeting_selectors.agenda_rows(meeting, manage=False, own_school_ids=frozenset())
    assert not any(row.can_open for row in outsider)
    own = meeting_selectors.agenda_rows(
        meeting, manage=False, own_school_ids=frozenset({cos.school.pk})
    )
    assert all(row.can_open for row in own)

    (declaration,) = meeting_selectors.declaration_rows(meeting)
    assert declaration.reference == waiting.request.reference
    assert declaration.school_name == cos.school.name


def test_meeting_page_escapes_declarations(client):
    cos = make_cos()
    cos.budget_this_year("250000.00")
    meeting = cos.meeting()
    declaration_add(
        actor=cos.chair,
        meeting_id=meeting.pk,
        person_name="A <Governor>",
        details="<b>bold</b>",
        school_id=None,
        item_id=None,
    )
    client.force_login(cos.chair)
    html = client.get(reverse("requests:meeting", args=[meeting.pk])).content.decode()
    assert "<li>A &lt;Governor&gt;: &lt;b&gt;bold&lt;/b&gt;</li>" in html


def test_chair_home_rows_ratification_meeting_and_meetings_to_close():
    cos = make_cos()
    cos.budget_this_year("250000.00")
    request = cos.request(
        is_exceptional=True,
        exceptional_reason="new_admission",
        exceptional_why_now="Started this week",
        amount=Decimal("2500.00"),
    )
    interim_decision_record(actor=cos.chair, request_id=request.pk, award=approval())
    today = timezone.localdate()
    soon = cos.meeting(date=today + dt.timedelta(days=7))  # takes it for ratification
    later = cos.meeting(date=today + dt.timedelta(days=14))
    passed = cos.meeting(date=today + dt.timedelta(days=21))
    Meeting.objects.filter(pk=passed.pk).update(date=today - dt.timedelta(days=3))

    (row,) = meeting_selectors.ratification_rows(cos.community.pk)
    assert (row.meeting_id, row.meeting_date) == (soon.pk, soon.date)
    assert (row.reference, row.amount) == (request.reference, Decimal("2500.00"))
    client = Client()
    client.force_login(cos.chair)
    html = client.get(reverse("requests:community", args=[cos.community.pk])).content.decode()
    meeting_url = reverse("requests:meeting", args=[soon.pk])
    assert f'<a class="govuk-link" href="{meeting_url}">Meeting of ' in html
    assert "£2,500.00" in html

    meetings = meeting_selectors.scheduled_meetings(cos.community.pk)
    assert [m.pk for m in meetings.upcoming] == [soon.pk, later.pk]
    assert [m.pk for m in meetings.to_close] == [passed.pk]


def test_the_open_meeting_page_counts_the_queue_and_attendance(client):
    cos = make_cos()
    cos.budget_this_year("250000.00")
    meeting = cos.meeting()
    cos.request()
    cos.request()
    cos.on_agenda(meeting)  # no longer waiting
    attendance_record(
        actor=cos.chair,
        meeting_id=meeting.pk,
        entries=[AttendanceEntry(cos.school.pk, "attended", representative_name="B Head")],
    )
    client.force_login(cos.chair)
    html = client.get(reverse("requests:meeting", args=[meeting.pk])).content.decode()
    assert '<p class="govuk-body">2 requests waiting for a meeting.</p>' in html
    assert "Recorded for 1 of 1 member school." in html
