"""A little recent activity for the demo, made through the real services so that every
role finds work on its pages at ``make run``: drafts and a queue for the school, a held
meeting with decisions for the chair, approved requests and a payment for the officer,
and enough decided requests in the North area for the Area Board's figures."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from unittest import mock

from django.db import transaction
from django.utils import timezone

from communities.models import CommunityOfSchools, RoleAssignment, User
from kentlocality.workdays import is_working_day, working_days_between
from requests.models import ResourceRequest
from requests.services import (
    agenda_add,
    attendance_record,
    decision_record,
    handoff_acknowledge,
    interim_decision_record,
    meeting_close,
    meeting_create,
    request_start,
    request_submit,
    request_update,
)
from requests.services.decisions import Award
from requests.services.meetings import AttendanceEntry, member_schools

PUPILS = [
    ("Maya", "Holloway", "4", "ASD"), ("Reuben", "Clarke", "2", "SLCN"), ("Isla", "Brennan", "6", "SEMH"),
    ("Tomasz", "Nowak", "R", "SLCN"), ("Aisha", "Rahman", "5", "SPLD"), ("Callum", "Reid", "3", "MLD"),
    ("Freya", "Osei", "1", "HI"), ("Jude", "Marsh", "4", "SEMH"), ("Evie", "Carter", "6", "ASD"),
    ("Noah", "Fielding", "2", "PD"), ("Layla", "Hussain", "5", "ASD"), ("Oscar", "Penn", "3", "SEMH"),
]  # fmt: skip


def working_days_before(day: dt.date, n: int) -> dt.date:
    """The working day from which ``day`` is n working days on (a meeting's date, whose
    hand-off falls due 3 working days after it)."""
    earlier = day - dt.timedelta(days=1)
    while not is_working_day(earlier) or working_days_between(earlier, day) < n:
        earlier -= dt.timedelta(days=1)
    return earlier


def held_meeting_day(today: dt.date) -> dt.date:
    """The day of the demo's held meeting: two working days before ``today``."""
    return working_days_before(today, 2)


def _values(
    rng: random.Random,
    day: dt.date,
    first: str,
    last: str,
    year_group: str,
    need: str,
    school_urn: int,
) -> dict:
    """Made-up answers for a complete request written on ``day``: the pupil's age, the
    consent and the support's start are counted from that day."""
    from stdnum.gb.upn import calc_check_digit

    age = 5 + (0 if year_group == "R" else int(year_group))
    born = day - dt.timedelta(days=age * 365 + rng.randrange(300))
    body = f"886{2000 + school_urn % 8000:04d}{born.year % 100:02d}{rng.randrange(1000):03d}"
    start = day + dt.timedelta(days=rng.randint(14, 40))
    return {
        "first_name": first, "last_name": last, "date_of_birth": born, "upn": calc_check_digit(body) + body,
        "year_group": year_group, "sen_provision": rng.choice(["K", "K", "E"]), "primary_need": need,
        "home_la": "kent", "consent_given": True, "consent_date": day - dt.timedelta(days=rng.randint(5, 30)),
        "receives_saf": False,
        "needs_summary": "Needs that affect access to learning every day, set out in the school's SEN support plan.",
        "graduated_assess": "Assessed by the SENCO with advice from the Specialist Teaching and Learning Service.",
        "graduated_plan": "Small-group and one-to-one support planned with the family.",
        "graduated_do": "Support delivered by a trained teaching assistant for two terms.",
        "graduated_review": "Reviewed each term: progress is slower than planned.",
        "current_provision": "Teaching assistant support and adapted resources.",
        "current_cost": Decimal("6000.00"),
        "funding_purpose": "Additional specialist support in class and at unstructured times.",
        "amount": Decimal(rng.choice([3500, 4800, 6200, 7500, 9000, 12000])),
        "start_date": start, "end_date": start + dt.timedelta(days=rng.randint(180, 300)),
        "outcomes": "Manages the school day with less adult support; measurable progress in reading.",
        "review_arrangements": "Termly review with parents and the SENCO.",
        "is_exceptional": False,
    }  # fmt: skip


def community_sencos(community: CommunityOfSchools) -> list[tuple[User, object]]:
    return [
        (r.user, r.school)
        for r in RoleAssignment.objects.filter(
            role=RoleAssignment.Role.SENCO, school__community=community
        )
        .select_related("user", "school")
        .order_by("school__pk")
    ]


@contextmanager
def as_on(day: dt.date, hour: int) -> Iterator[None]:
    """The services record the moment they are called. The demo's story (requests sent two
    weeks before the meeting that decided them) is told by calling them as on those days;
    nothing else is replaced."""
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def submitted_request(rng: random.Random, senco, school, pupil, **extra) -> ResourceRequest:
    """A complete request for ``pupil`` (first name, last name, year group, primary need)
    that the school's SENCO starts, fills in and submits through the services, today (or
    on the day ``as_on`` gives); ``extra`` replaces some of the made-up answers. Uses
    ``rng`` for those answers."""
    draft = request_start(actor=senco, school=school)
    values = _values(rng, timezone.localdate(), *pupil, school.urn)
    request_update(actor=senco, request_id=draft.pk, values={**values, **extra})
    return request_submit(actor=senco, request_id=draft.pk, declaration=True)


@transaction.atomic
def seed_activity() -> None:
    rng = random.Random(27)
    today = timezone.localdate()
    first = CommunityOfSchools.objects.order_by("pk").first()
    chair = first.chair
    officer = User.objects.get(email="officer@example.org")
    sencos = community_sencos(first)
    senco, school = sencos[0]
    pupils = iter(PUPILS)

    # Two drafts at the demo SENCO's school: one complete, one just started.
    draft = request_start(actor=senco, school=school)
    request_update(
        actor=senco, request_id=draft.pk, values=_values(rng, today, *next(pupils), school.urn)
    )
    started = request_start(actor=senco, school=school)
    pupil = next(pupils)
    request_update(
        actor=senco, request_id=started.pk, values={"first_name": pupil[0], "last_name": pupil[1]}
    )

    # A meeting held two working days ago: six requests sent ten working days before it,
    # decided there, attendance taken, closed. Its decisions are dated by the meeting, so
    # their hand-offs fall due tomorrow or later.
    held_on = held_meeting_day(today)
    decided = []
    with as_on(working_days_before(held_on, 10), hour=10):
        held = meeting_create(
            actor=chair, community=first, date=held_on, start_time=dt.time(16, 0),
            place="Dartford Central Library, meeting room 2",
        )  # fmt: skip
        for index in range(6):
            # The demo SENCO's school has the approval, the decline and the request for
            # more information, so that senco@example.org finds them among their
            # notifications.
            user, where = sencos[0 if index in (0, 3, 5) else index % len(sencos)]
            request = submitted_request(rng, user, where, next(pupils))
            item = agenda_add(actor=chair, meeting_id=held.pk, request_id=request.pk)
            decided.append((request, item))
    awards = [
        Award(outcome="approved"),
        Award(outcome="approved"),
        Award(outcome="part_approved", amount=Decimal("2500.00"), reason="The school's notional SEN budget can fund part of the support."),
        Award(outcome="declined", reason="The needs described can be met from the school's own provision."),
        Award(outcome="deferred", reason="The CoS asked for the educational psychologist's report first."),
        Award(outcome="more_information", reason="Please add the latest review notes."),
    ]  # fmt: skip
    with as_on(held_on, hour=17):
        for (_request, item), award in zip(decided, awards, strict=True):
            award.confirm_over_budget, award.over_budget_reason = True, "Agreed at the meeting"
            decision_record(actor=chair, item_id=item.pk, award=award)
        attendance_record(
            actor=chair,
            meeting_id=held.pk,
            entries=[
                AttendanceEntry(school_id=s.pk, status="attended", representative_name="SENCO")
                if n % 5
                else AttendanceEntry(school_id=s.pk, status="apologies")
                for n, s in enumerate(member_schools(first.pk))
            ],
        )
        meeting_close(actor=chair, meeting_id=held.pk)

    # The officer has acknowledged the first approval and paid half of it.
    handoff_acknowledge(actor=officer, request_id=decided[0][0].pk)
    from requests.services import payment_record

    paid = decided[0][0]
    paid.refresh_from_db()
    payment_record(
        actor=officer, request_id=paid.pk, amount=(paid.decision.amount / 2).quantize(Decimal("0.01")),
        paid_on=today, finance_reference="HNF-DEMO-0001", method="advance",
    )  # fmt: skip

    # An exceptional request decided outside the meeting, waiting for ratification, and
    # three requests waiting in the chair's queue.
    user, where = sencos[1 % len(sencos)]
    exceptional = submitted_request(
        rng, user, where, next(pupils), is_exceptional=True, exceptional_reason="new_admission",
        exceptional_why_now="The pupil joins the school next week from another county.",
    )  # fmt: skip
    interim_decision_record(
        actor=chair, request_id=exceptional.pk,
        award=Award(outcome="approved", confirm_over_budget=True, over_budget_reason="Agreed by the chair"),
    )  # fmt: skip
    for index in range(3):
        user, where = sencos[index % len(sencos)]
        submitted_request(rng, user, where, next(pupils))

    # Last quarter's report for the North area, so the board's archive has one.
    from kentlocality.financial_years import quarter_of
    from reporting.services import report_request

    last_quarter = quarter_of(today).previous()
    report_request(
        actor=officer, start=last_quarter.start, end=last_quarter.end, area_id=first.area_id
    )

    # The next meeting, in two weeks.
    meeting_create(
        actor=chair, community=first, date=today + dt.timedelta(days=14), start_time=dt.time(16, 0),
        place="Dartford Central Library, meeting room 2",
    )  # fmt: skip
