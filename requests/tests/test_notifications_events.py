"""Who is told of each event, row by row of the issue's table: exactly the people named,
and nobody of another school, CoS or area (each set below is compared whole, against a
town where every one of those outsiders exists). Tasks run eagerly here; emails are in
test_notifications_delivery.py, the real worker in tests/test_notifications_reliability.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone

from communities.models import CommunityOfSchools, RoleAssignment, School, User
from communities.tests.factories import (
    CommunityFactory,
    RoleAssignmentFactory,
    SchoolFactory,
    UserFactory,
    area,
    make_board,
    make_chair,
    make_kcc,
    make_officer,
    make_senco,
)
from kentlocality.workdays import add_working_days, is_working_day
from requests.models import Handoff, Notification, NotificationPreference
from requests.notifications.delivery import payments_due_tell
from requests.notifications.models import Kind, Timing
from requests.selectors.meetings import queue_rows
from requests.services import (
    decision_ratify,
    decision_revise,
    meeting_cancel,
    meeting_close,
    meeting_update,
    payment_reverse,
    request_submit,
    request_update,
)
from requests.services.decisions import Award
from requests.services.handoffs import handoff_escalate, handoff_flag_breaches
from tests.worlds.steps import (
    acknowledged,
    approved,
    attended_by_all,
    budgeted,
    decided,
    interim_decided,
    on_agenda,
    paid,
    scheduled,
    submitted,
)

pytestmark = pytest.mark.django_db

Role = RoleAssignment.Role


@dataclass
class Town:
    """One CoS in the North area with a requesting school, and everyone around it who
    must not be told: another member school, a special school of the CoS (not a member),
    a headteacher, a switched-off SENCO, another CoS of the area, the East area."""

    cos: CommunityOfSchools
    school: School
    sencos: list[User]
    chair: User
    vice_chair: User
    clerk: User
    member_senco: User
    officer: User
    kent_admin: User
    north_admin: User
    everyone: list[User]

    def request(self, **values):
        values.setdefault("school", self.school)
        values.setdefault("created_by", self.sencos[0])
        return submitted(**values)


@pytest.fixture
def town() -> Town:
    north, east = area("North"), area("East")
    cos = CommunityFactory(area=north)
    school = SchoolFactory(community=cos, name="Spring Primary School")
    member = SchoolFactory(community=cos, name="Oak Primary School")
    special = SchoolFactory(community=cos, name="Willow Special School", kind=School.Kind.SPECIAL)
    other_cos = CommunityFactory(area=north)
    east_cos = CommunityFactory(area=east)
    sencos = [make_senco(school), make_senco(school)]
    vice_chair = RoleAssignmentFactory(role=Role.VICE_CHAIR, community=cos).user
    clerk = RoleAssignmentFactory(role=Role.CLERK, community=cos).user
    headteacher = RoleAssignmentFactory(role=Role.HEADTEACHER, school=school).user
    switched_off = make_senco(school, is_active=False)
    t = Town(
        cos=cos,
        school=school,
        sencos=sencos,
        chair=make_chair(cos),
        vice_chair=vice_chair,
        clerk=clerk,
        member_senco=make_senco(member),
        officer=make_officer(north),
        kent_admin=make_kcc(),
        north_admin=make_kcc(area_=north),
        everyone=[],
    )
    outsiders = [
        headteacher,
        switched_off,
        make_senco(special),
        make_senco(SchoolFactory(community=other_cos)),
        make_chair(other_cos),
        make_senco(SchoolFactory(community=east_cos)),
        make_chair(east_cos),
        make_officer(east),
        make_kcc(area_=east),
        make_board(north),
        UserFactory(is_staff=True),  # staff status alone is no role
    ]
    t.everyone = [*sencos, t.chair, vice_chair, clerk, t.member_senco, t.officer]
    t.everyone += [t.kent_admin, t.north_admin, *outsiders]
    return t


def told(kind: str, **where) -> set[str]:
    return set(
        Notification.objects.filter(kind=kind, **where).values_list("user__email", flat=True)
    )


def emails(*people: User) -> set[str]:
    return {person.email for person in people}


def chairs(t: Town) -> set[str]:
    return emails(t.chair, t.vice_chair)


def meeting_people(t: Town) -> set[str]:
    return emails(t.chair, t.vice_chair, t.clerk, *t.sencos, t.member_senco)


# A request's life -----------------------------------------------------------------------


def test_a_submission_tells_the_chair_and_vice_chair(town):
    request = town.request()
    assert told(Kind.REQUEST_SUBMITTED, request=request) == chairs(town)
    notification = Notification.objects.get(user=town.chair, request=request)
    assert notification.subject == f"New request {request.reference} from Spring Primary School"
    assert "Year 3, Speech, Language and Communication Needs (SLCN)" in notification.body
    assert notification.url == f"/requests/{request.pk}/"


def test_submissions_follow_the_chairs_choice_but_an_exceptional_one_goes_at_once(town):
    NotificationPreference.objects.create(
        user=town.chair, kind=Kind.REQUEST_SUBMITTED, timing=Timing.DAILY
    )
    ordinary = town.request()
    exceptional = town.request(
        is_exceptional=True,
        exceptional_reason="tribunal",
        exceptional_why_now="The tribunal ordered support from next week.",
    )
    timing = dict(Notification.objects.filter(user=town.chair).values_list("request_id", "timing"))
    assert timing == {ordinary.pk: Timing.DAILY, exceptional.pk: Timing.AT_ONCE}
    # The vice-chair chose nothing: at once.
    assert set(
        Notification.objects.filter(user=town.vice_chair).values_list("timing", flat=True)
    ) == {Timing.AT_ONCE}
    body = Notification.objects.get(user=town.chair, request=exceptional).body
    assert "interim decision" in body and "(tribunal order)" in body
    # What the school typed about why it cannot wait is not repeated.
    assert "tribunal ordered" not in body.lower()


def test_a_resubmission_tells_the_chair_and_keeps_its_place_in_the_queue(town):
    first = town.request()
    on_agenda(first, chair=town.chair)
    item = first.agenda_items.get()
    decided("more_information", item=item, chair=town.chair, reason="Add the latest review.")
    later = town.request()
    request_update(
        actor=town.sencos[0], request_id=first.pk, values={"graduated_review": "Reviewed."}
    )
    request_submit(actor=town.sencos[0], request_id=first.pk, declaration=True)
    assert told(Kind.REQUEST_RESUBMITTED, request=first) == chairs(town)
    rows = queue_rows(town.cos.pk)
    assert [row.request_id for row in rows] == [first.pk, later.pk]
    assert [row.is_resubmitted for row in rows] == [True, False]
    body = Notification.objects.get(user=town.chair, kind=Kind.REQUEST_RESUBMITTED).body
    assert "keeps its place in your queue" in body


def test_a_request_put_on_an_agenda_tells_the_schools_sencos(town):
    request = town.request()
    meeting = scheduled(
        town.cos,
        chair=town.chair,
        date=timezone.localdate() + dt.timedelta(days=10),
        start_time=dt.time(16, 30),
        place="Oak Primary School, library",
        online_link="https://teams.example.org/join/1",
    )
    on_agenda(request, meeting=meeting, chair=town.chair)
    assert told(Kind.AGENDA) == emails(*town.sencos)
    body = Notification.objects.filter(kind=Kind.AGENDA).first().body
    assert f"{meeting.date:%A} {meeting.date.day} {meeting.date:%B %Y} at 16:30" in body
    assert "Oak Primary School, library" in body and "https://teams.example.org/join/1" in body
    assert "another member school to represent you" in body


@pytest.mark.parametrize(
    ("outcome", "subject", "says"),
    [
        ("approved", "approved", ["Amount awarded: £8,000.00, from"]),
        ("part_approved", "part-approved", ["Amount awarded: £5,000.00", "Reason: Less"]),
        ("declined", "declined", ["declined", "Reason: Less"]),
        ("deferred", "deferred to a later meeting", ["back to the queue", "Reason: Less"]),
        (
            "more_information",
            "needs more information",
            ["The chair asked: Less", "submitting it again"],
        ),
    ],
)
def test_a_decision_tells_the_schools_sencos_at_once(town, outcome, subject, says):
    for senco in town.sencos:  # they chose summaries for all they could: not decisions
        NotificationPreference.objects.create(user=senco, kind=Kind.AGENDA, timing=Timing.DAILY)
    request = decided(
        outcome,
        school=town.school,
        created_by=town.sencos[0],
        chair=town.chair,
        amount=Decimal("5000.00") if outcome == "part_approved" else None,
        reason="" if outcome == "approved" else "Less than asked: the school funds part.",
    )
    assert told(Kind.DECISION) == emails(*town.sencos)
    notification = Notification.objects.get(kind=Kind.DECISION, user=town.sencos[0])
    assert notification.timing == Timing.AT_ONCE
    assert notification.subject == f"{request.reference} {subject}"
    for text in says:
        assert text in notification.body
    assert notification.url == f"/requests/{request.pk}/"


def test_interim_decisions_their_ratification_and_revision(town):
    exceptional = {
        "is_exceptional": True,
        "exceptional_reason": "new_admission",
        "exceptional_why_now": "Joins next week.",
    }
    first, second = town.request(**exceptional), town.request(**exceptional)
    budgeted(first)
    ratified = interim_decided(first, award=Award(outcome="approved"))
    revised = interim_decided(second, award=Award(outcome="approved"))
    interim = Notification.objects.filter(kind=Kind.DECISION, request=ratified)
    assert set(interim.values_list("user__email", flat=True)) == emails(*town.sencos)
    assert interim.first().subject == f"Interim decision: {ratified.reference} approved"
    meeting = scheduled(town.cos, chair=town.chair)
    items = {item.request_id: item.pk for item in meeting.items.all()}
    decision_ratify(actor=town.chair, item_id=items[ratified.pk])
    assert told(Kind.DECISION, key__startswith="ratified:") == emails(*town.sencos)
    decision_revise(
        actor=town.chair,
        item_id=items[revised.pk],
        award=Award(outcome="", amount=Decimal("3000.00"), reason="A shorter placement."),
    )
    assert told(Kind.DECISION, request=revised) == emails(*town.sencos)
    # The officer has had the hand-off of the first award: told of the revision at once.
    assert told(Kind.AWARD_REVISED) == emails(town.officer)
    revision = Notification.objects.get(kind=Kind.AWARD_REVISED)
    assert revision.timing == Timing.AT_ONCE
    assert "now £3,000.00" in revision.subject and "it was £8,000.00" in revision.body


def test_payments_and_reversals_tell_the_schools_sencos_and_the_chair(town):
    request = acknowledged(
        school=town.school, created_by=town.sencos[0], chair=town.chair, officer=town.officer
    )
    payment = paid(request, "3000.00", officer=town.officer, finance_reference="FIN-77")
    assert told(Kind.PAYMENT) == emails(*town.sencos) | chairs(town)
    notification = Notification.objects.filter(kind=Kind.PAYMENT).first()
    assert notification.subject == f"Payment of £3,000.00 recorded for {request.reference}"
    assert "FIN-77" in notification.body and notification.url.endswith("#payments")
    payment_reverse(actor=town.officer, payment_id=payment.pk, reason="Paid to the wrong school.")
    reversal = Notification.objects.filter(kind=Kind.PAYMENT, subject__contains="reversed")
    assert set(reversal.values_list("user__email", flat=True)) == emails(*town.sencos) | chairs(
        town
    )
    assert "Reason: Paid to the wrong school." in reversal.first().body


# Meetings ---------------------------------------------------------------------------------


def test_a_meeting_scheduled_changed_or_cancelled_tells_the_chair_and_every_member_school(town):
    meeting = scheduled(town.cos, chair=town.chair, date=timezone.localdate() + dt.timedelta(14))
    assert told(Kind.MEETING, key=f"meeting:{meeting.pk}:0") == meeting_people(town)
    meeting_update(
        actor=town.chair,
        meeting_id=meeting.pk,
        date=meeting.date,
        start_time=dt.time(17),
        place=meeting.place,
        online_link="",
    )
    changed = Notification.objects.filter(key=f"meeting:{meeting.pk}:1")
    assert set(changed.values_list("user__email", flat=True)) == meeting_people(town)
    assert "(start time)" in changed.first().body
    meeting_cancel(actor=town.chair, meeting_id=meeting.pk, reason="The hall is closed.")
    cancelled = Notification.objects.filter(key=f"meeting:{meeting.pk}:2")
    assert set(cancelled.values_list("user__email", flat=True)) == meeting_people(town)
    assert cancelled.first().subject.startswith("Cancelled:")
    # Always at once, each with its calendar invitation.
    assert set(Notification.objects.filter(kind=Kind.MEETING).values_list("timing", flat=True)) == {
        Timing.AT_ONCE
    }
    assert not Notification.objects.filter(kind=Kind.MEETING, calendar="").exists()


def test_saving_a_meeting_unchanged_tells_nobody(town):
    meeting = scheduled(town.cos, chair=town.chair)
    meeting_update(
        actor=town.chair,
        meeting_id=meeting.pk,
        date=meeting.date,
        start_time=meeting.start_time,
        place=meeting.place,
        online_link=meeting.online_link,
    )
    meeting.refresh_from_db()
    assert meeting.sequence == 0
    assert Notification.objects.filter(kind=Kind.MEETING).count() == len(meeting_people(town))


def test_minutes_ready_tell_the_chair_and_every_member_school(town):
    item = on_agenda(town.request(), chair=town.chair)
    decided(item=item, chair=town.chair)
    attended_by_all(item.meeting, town.chair)
    meeting_close(actor=town.chair, meeting_id=item.meeting_id)
    assert told(Kind.MINUTES) == meeting_people(town)
    urls = dict(Notification.objects.filter(kind=Kind.MINUTES).values_list("user__email", "url"))
    # The chair opens the minutes; a member school the meeting's agenda with its outcomes
    # (no pupil identities in either).
    assert urls[town.chair.email] == f"/meetings/{item.meeting_id}/minutes/"
    assert urls[town.member_senco.email] == f"/meetings/{item.meeting_id}/"


# The officer's clocks -----------------------------------------------------------------


def test_the_hand_off_tells_the_areas_officers_by_its_own_email(town, mailoutbox):
    request = approved(school=town.school, created_by=town.sencos[0], chair=town.chair)
    assert told(Kind.HANDOFF) == emails(town.officer)
    notification = Notification.objects.get(kind=Kind.HANDOFF)
    assert notification.timing == Timing.WITH_HANDOFF
    assert notification.subject == (
        f"Approved Request for Resource {request.reference} for you to acknowledge"
    )
    from requests.services import handoff_send

    handoff_send(handoff_id=request.handoff.pk)
    notification.refresh_from_db()
    assert notification.email_state == "sent"
    # One email: the hand-off's own.
    assert [m.to for m in mailoutbox if "acknowledge" in m.subject] == [[town.officer.email]]


def test_payments_due_tell_the_areas_officers_once_a_working_day(town):
    due_soon = acknowledged(
        school=town.school, created_by=town.sencos[0], chair=town.chair, officer=town.officer
    )
    overdue = acknowledged(
        school=town.school, created_by=town.sencos[0], chair=town.chair, officer=town.officer
    )
    later = approved(school=town.school, created_by=town.sencos[0], chair=town.chair)
    day = timezone.localdate()
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    Handoff.objects.filter(request=due_soon).update(payment_due_date=add_working_days(day, 5))
    Handoff.objects.filter(request=overdue).update(payment_due_date=day - dt.timedelta(days=3))
    Handoff.objects.filter(request=later).update(payment_due_date=add_working_days(day, 6))
    assert payments_due_tell(day) == 1
    assert payments_due_tell(day) == 1  # run twice: nobody is told twice
    assert told(Kind.PAYMENTS_DUE) == emails(town.officer)
    notification = Notification.objects.get(kind=Kind.PAYMENTS_DUE)
    assert notification.subject == "1 overdue and 1 due within 5 working days: payments, North area"
    assert overdue.reference in notification.body and due_soon.reference in notification.body
    assert later.reference not in notification.body
    assert notification.timing == Timing.AT_ONCE
    weekend = day + dt.timedelta(days=(5 - day.weekday()) % 7 or 7)
    assert not is_working_day(weekend) and payments_due_tell(weekend) == 0


def test_escalation_and_breach_tell_the_areas_administrators_and_the_chair(town):
    request = approved(school=town.school, created_by=town.sencos[0], chair=town.chair)
    handoff = request.handoff
    assert handoff_escalate(handoff_id=handoff.pk) is True
    expected = emails(town.kent_admin, town.north_admin) | chairs(town)
    assert told(Kind.ESCALATION) == expected
    assert handoff_flag_breaches(handoff.due_date + dt.timedelta(days=1)) == 1
    assert told(Kind.BREACH) == expected
    assert handoff_flag_breaches(handoff.due_date + dt.timedelta(days=2)) == 0
    assert Notification.objects.filter(kind=Kind.BREACH).count() == len(expected)


def test_nobody_outside_is_ever_told_anything(town):
    """The whole life of a request and its meeting: the outsiders' inboxes stay empty."""
    request = town.request()
    item = on_agenda(request, chair=town.chair)
    decided(item=item, chair=town.chair)
    acknowledged(request, officer=town.officer)
    paid(request, "100.00", officer=town.officer)
    attended_by_all(item.meeting, town.chair)
    meeting_close(actor=town.chair, meeting_id=item.meeting_id)
    insiders = meeting_people(town) | emails(town.officer)
    outsiders = [p for p in town.everyone if p.email not in insiders]
    assert len(outsiders) >= 11
    assert not Notification.objects.filter(user__in=outsiders).exists()
