"""Ten (or N) financial years of realistic history for Kent scale: Requests for Resource
with their decisions at CoS meetings, attendance, allocations, hand-offs, payments,
timelines and monthly budget statements.

Rows are written with bulk inserts, not through the services, so that about 60,000
requests, 50,000 payments and 2,500 meetings load in well under three minutes. They are
built to the same rules the services apply (the status table, apportionment by days,
hand-off due dates in working days), so every page and report reads them as it would
read the service's own.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone
from stdnum.gb.upn import calc_check_digit

from budgets.models import Allocation, AllocationYear, CosBudget, MonthlyStatement, Payment
from kentlocality.financial_years import apportion_by_days, financial_year_of, year_bounds
from kentlocality.workdays import add_working_days, is_working_day
from requests.models import (
    AgendaItem,
    Attendance,
    Decision,
    Handoff,
    Meeting,
    ReferenceCounter,
    ResourceRequest,
    TimelineEvent,
)
from requests.workflow import Status

from .models import CommunityOfSchools, RoleAssignment, School, User

BATCH = 5000
MEETING_MONTHS = [9, 11, 1, 3, 5, 7]  # about every half term
FIRST_NAMES = [
    "Oliver", "Amelia", "Noah", "Isla", "George", "Ava", "Leo", "Mia", "Arthur", "Ivy",
    "Freddie", "Lily", "Theo", "Florence", "Oscar", "Grace", "Harry", "Ella", "Jack", "Sophia",
    "Alfie", "Evie", "Archie", "Rosie", "Muhammad", "Poppy", "Henry", "Willow", "Charlie", "Daisy",
]
LAST_NAMES = [
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel",
    "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall",
    "Wood", "Jackson", "Clarke", "Khan", "Hughes", "Edwards", "Turner", "Hill", "Moore",
]
NEEDS = ["ASD", "SEMH", "SLCN", "MLD", "SPLD", "PD", "HI", "VI", "SLD", "OTH", "MSI", "PMLD", "NSA"]
NEED_WEIGHTS = [26, 24, 20, 10, 6, 4, 2, 2, 2, 1, 1, 1, 1]
YEAR_GROUPS = ["R", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13"]
PRIMARY_YEARS = YEAR_GROUPS[:7]
SECONDARY_YEARS = YEAR_GROUPS[7:]
# Final outcomes for requests decided at a meeting (deferral and "more information" add
# an earlier decision before one of these).
OUTCOMES = ["approved", "part_approved", "declined"]
OUTCOME_WEIGHTS = [68, 17, 15]


@contextmanager
def historic_timestamps():
    """Let bulk inserts keep the dates we give them instead of "now"."""
    fields = []
    for model in (ResourceRequest, TimelineEvent, Meeting, AgendaItem, Handoff, Allocation, Payment, MonthlyStatement):
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False):
                fields.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in fields:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def _at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _weekday_on_or_after(day: dt.date) -> dt.date:
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def _money(rng: random.Random) -> Decimal:
    value = min(max(rng.lognormvariate(8.9, 0.55), 1500), 30000)
    return Decimal(int(value / 50) * 50).quantize(Decimal("0.01"))


@dataclass
class _Plan:
    """Everything made for one request before it is written."""

    request: ResourceRequest
    meetings: list = field(default_factory=list)  # meetings it went to, in order
    outcomes: list = field(default_factory=list)  # outcome at each meeting
    interim: bool = False


@dataclass
class HistoryCounts:
    requests: int = 0
    decisions: int = 0
    meetings: int = 0
    payments: int = 0
    attendance: int = 0
    statements: int = 0


def _people(communities) -> tuple[dict, dict, dict, dict]:
    """A SENCO for every member school (made when missing), each CoS's chair, each area's
    officer."""
    members = defaultdict(list)
    for school in School.objects.filter(community__in=communities, kind=School.Kind.MAINSTREAM, is_open=True).order_by("pk"):
        members[school.community_id].append(school)
    sencos = {
        r.school_id: r.user_id
        for r in RoleAssignment.objects.filter(role=RoleAssignment.Role.SENCO, school__community__in=communities)
    }
    missing = [s for schools in members.values() for s in schools if s.pk not in sencos]
    if missing:
        from django.contrib.auth.hashers import make_password

        unusable = make_password(None)
        users = User.objects.bulk_create(
            [
                User(email=f"senco.{s.urn}@example.org", full_name=f"SENCO of {s.name}"[:150], password=unusable, job_title="SENCO")
                for s in missing
            ],
            ignore_conflicts=True,
        )
        by_email = {u.email: u.pk for u in User.objects.filter(email__in=[u.email for u in users])}
        RoleAssignment.objects.bulk_create(
            [RoleAssignment(user_id=by_email[f"senco.{s.urn}@example.org"], role=RoleAssignment.Role.SENCO, school=s) for s in missing],
            ignore_conflicts=True,
        )
        sencos.update({s.pk: by_email[f"senco.{s.urn}@example.org"] for s in missing})
    chairs = {
        r.community_id: r.user_id for r in RoleAssignment.objects.filter(role=RoleAssignment.Role.CHAIR)
    }
    officers = {r.area_id: r.user_id for r in RoleAssignment.objects.filter(role=RoleAssignment.Role.OFFICER)}
    return members, sencos, chairs, officers


def seed_history(years: int = 10, seed: int = 2016) -> HistoryCounts:
    rng = random.Random(seed)
    today = timezone.localdate()
    first_year = financial_year_of(today) - years + 1
    start, _ = year_bounds(first_year)
    communities = list(CommunityOfSchools.objects.select_related("area").order_by("pk"))
    members, sencos, chairs, officers = _people(communities)
    counts = HistoryCounts()
    with transaction.atomic(), historic_timestamps():
        CosBudget.objects.bulk_create(
            [
                CosBudget(community=c, year=y, total=Decimal(rng.randrange(380, 620) * 1000))
                for c in communities
                for y in range(first_year, financial_year_of(today) + 2)
            ],
            ignore_conflicts=True,
        )
        # Meetings: about every half term, on a working day, from the first year to today,
        # and one upcoming meeting per CoS.
        meetings: dict[int, list[Meeting]] = defaultdict(list)
        meeting_rows = []
        for c in communities:
            for year in range(first_year, financial_year_of(today) + 1):
                for month in MEETING_MONTHS:
                    when = dt.date(year if month >= 4 else year + 1, month, rng.randint(8, 22))
                    when = _weekday_on_or_after(when)
                    if when >= today or when < start:
                        continue
                    meeting_rows.append(Meeting(
                        community=c, date=when, start_time=dt.time(16, 0), place=f"{c.name} meeting room",
                        state=Meeting.State.CLOSED, created_by_id=chairs[c.pk], created_at=_at(when - dt.timedelta(days=21)),
                        closed_at=_at(when, 18), closed_by_id=chairs[c.pk],
                    ))
            upcoming = _weekday_on_or_after(today + dt.timedelta(days=rng.randint(7, 28)))
            meeting_rows.append(Meeting(
                community=c, date=upcoming, start_time=dt.time(16, 0), place=f"{c.name} meeting room",
                state=Meeting.State.SCHEDULED, created_by_id=chairs[c.pk], created_at=_at(today - dt.timedelta(days=3)),
            ))
        for m in Meeting.objects.bulk_create(meeting_rows, batch_size=BATCH):
            meetings[m.community_id].append(m)
        for c in communities:
            meetings[c.pk].sort(key=lambda m: m.date)
        counts.meetings = len(meeting_rows)

        # Requests: submitted through the years, each going to the next meeting(s).
        plans: list[_Plan] = []
        refs = defaultdict(int)
        existing = dict(ReferenceCounter.objects.values_list("year", "last"))
        for c in communities:
            schools = members[c.pk]
            if not schools:
                continue
            cos_meetings = meetings[c.pk]
            span = (today - start).days
            for _ in range(int(span / 365.25 * rng.randint(100, 126))):
                school = rng.choice(schools)
                submitted = start + dt.timedelta(days=rng.randrange(span))
                secondary = school.phase == School.Phase.SECONDARY
                year_group = rng.choice(SECONDARY_YEARS[:5] if secondary else PRIMARY_YEARS)
                age = 5 + YEAR_GROUPS.index(year_group)
                born = submitted - dt.timedelta(days=age * 365 + rng.randrange(365))
                amount = _money(rng)
                calendar_year = submitted.year
                refs[calendar_year] += 1
                number = existing.get(calendar_year, 0) + refs[calendar_year]
                first_name, last_name = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                upn_body = f"886{2000 + school.urn % 8000:04d}{born.year % 100:02d}{rng.randrange(1000):03d}"
                request = ResourceRequest(
                    status=Status.SUBMITTED, reference=f"RFR-{calendar_year}-{number:06d}", school=school,
                    community=c, created_by_id=sencos[school.pk],
                    created_at=_at(submitted - dt.timedelta(days=rng.randint(1, 10)), 9),
                    updated_at=_at(submitted, 15), submitted_at=_at(submitted, 15), first_submitted_at=_at(submitted, 15),
                    first_name=first_name, last_name=last_name, date_of_birth=born,
                    upn=calc_check_digit(upn_body) + upn_body, year_group=year_group,
                    sen_provision="E" if rng.random() < 0.22 else "K",
                    primary_need=rng.choices(NEEDS, NEED_WEIGHTS)[0],
                    home_la="kent" if rng.random() < 0.97 else "other", consent_given=True,
                    consent_date=submitted - dt.timedelta(days=rng.randint(1, 20)), receives_saf=False,
                    needs_summary="Needs described by the school.", graduated_assess="Assessed.",
                    graduated_plan="Planned.", graduated_do="Support put in place.", graduated_review="Reviewed termly.",
                    current_provision="Teaching assistant support.", current_cost=Decimal(rng.choice([6000, 6500, 7000, 8000])),
                    funding_purpose="Additional adult support and specialist resources.", amount=amount,
                    start_date=submitted + dt.timedelta(days=30), end_date=submitted + dt.timedelta(days=30 + rng.randint(150, 330)),
                    outcomes="Agreed outcomes.", review_arrangements="Termly review.",
                    is_exceptional=rng.random() < 0.07, declared_by_id=sencos[school.pk], declared_at=_at(submitted, 15),
                )
                if request.home_la == "other":
                    request.home_la_name = "Medway"
                if request.is_exceptional:
                    request.exceptional_reason = rng.choice(["other_la", "sudden_change", "tribunal", "new_admission", "short_allocation"])
                    request.exceptional_why_now = "Support is needed before the next meeting."
                plan = _Plan(request=request)
                later = [m for m in cos_meetings if m.date > submitted + dt.timedelta(days=2)]
                if later and later[0].state == Meeting.State.SCHEDULED and submitted > today - dt.timedelta(days=10):
                    later = []  # the newest requests wait in the chair's queue
                if request.is_exceptional and rng.random() < 0.8 and submitted + dt.timedelta(days=3) < today:
                    plan.interim = True
                    plan.outcomes = [rng.choices(OUTCOMES, OUTCOME_WEIGHTS)[0]]
                    plan.meetings = later[:1]  # for ratification
                elif later:
                    roll = rng.random()
                    first_outcome = "deferred" if roll < 0.06 else ("more_information" if roll < 0.10 else None)
                    if first_outcome and len(later) > 1:
                        plan.meetings = later[:2]
                        plan.outcomes = [first_outcome, rng.choices(OUTCOMES, OUTCOME_WEIGHTS)[0]]
                    elif rng.random() < 0.03:
                        plan.outcomes = ["withdrawn"]
                    else:
                        plan.meetings = later[:1]
                        plan.outcomes = [rng.choices(OUTCOMES, OUTCOME_WEIGHTS)[0]]
                plans.append(plan)
        ResourceRequest.objects.bulk_create([p.request for p in plans], batch_size=BATCH)
        counts.requests = len(plans)
        for year, n in refs.items():
            ReferenceCounter.objects.update_or_create(year=year, defaults={"last": existing.get(year, 0) + n})

        _write_decisions(rng, plans, chairs, officers, today, counts)
        counts.attendance = _write_attendance(rng, meetings, members, today)
        counts.statements = _write_statements(communities, first_year, today)
    return counts


def _write_decisions(rng, plans, chairs, officers, today, counts) -> None:
    items, decisions, events, handoffs, allocations = [], [], [], [], []
    positions = defaultdict(int)
    # Pass 1: agenda items (decisions point at them).
    for plan in plans:
        r = plan.request
        for index, meeting in enumerate(plan.meetings):
            positions[meeting.pk] += 1
            kind = AgendaItem.Kind.RATIFICATION if plan.interim else AgendaItem.Kind.DECISION
            outcome = ""
            if meeting.state == Meeting.State.CLOSED:
                outcome = "ratified" if plan.interim else plan.outcomes[index]
            items.append(AgendaItem(meeting=meeting, request=r, kind=kind, position=positions[meeting.pk], outcome=outcome, added_at=_at(meeting.date - dt.timedelta(days=7))))
    AgendaItem.objects.bulk_create(items, batch_size=BATCH)
    item_of = {(i.request_id, i.meeting_id): i for i in items}

    # Pass 2: decisions, statuses, timeline.
    for plan in plans:
        r = plan.request
        chair = chairs[r.community_id]
        status = Status.SUBMITTED
        events.append(TimelineEvent(request=r, actor_id=r.created_by_id, action="submit", from_status="draft", to_status="submitted", at=r.submitted_at))
        if plan.outcomes == ["withdrawn"]:
            when = r.submitted_at + dt.timedelta(days=rng.randint(3, 20))
            if when.date() < today:
                status = Status.WITHDRAWN
                events.append(TimelineEvent(request=r, actor_id=r.created_by_id, action="withdraw", from_status="submitted", to_status="withdrawn", at=when, note="Pupil left the school"))
        elif plan.interim:
            day = _weekday_on_or_after(r.submitted_at.date() + dt.timedelta(days=2))
            outcome = plan.outcomes[0]
            d = _decision(rng, r, outcome, day, chair, None, None, interim=True)
            if plan.meetings and plan.meetings[0].state == Meeting.State.CLOSED:
                d.ratified_at = _at(plan.meetings[0].date, 17)
                d.ratified_item = item_of[(r.pk, plan.meetings[0].pk)]
            decisions.append(d)
            status = {"approved": Status.APPROVED, "part_approved": Status.PART_APPROVED, "declined": Status.DECLINED}[outcome]
            events.append(TimelineEvent(request=r, actor_id=chair, action=_ACTION[outcome], from_status="submitted", to_status=status, at=d.decided_at, note="Interim decision"))
        else:
            for meeting, outcome in zip(plan.meetings, plan.outcomes, strict=False):
                events.append(TimelineEvent(request=r, actor_id=chair, action="add_to_agenda", from_status=status, to_status="on_agenda", at=_at(meeting.date - dt.timedelta(days=7))))
                status = Status.ON_AGENDA
                if meeting.state != Meeting.State.CLOSED:
                    break
                item = item_of[(r.pk, meeting.pk)]
                d = _decision(rng, r, outcome, meeting.date, chair, meeting, item)
                decisions.append(d)
                new = {"approved": Status.APPROVED, "part_approved": Status.PART_APPROVED, "declined": Status.DECLINED, "deferred": Status.DEFERRED, "more_information": Status.MORE_INFORMATION}[outcome]
                events.append(TimelineEvent(request=r, actor_id=chair, action=_ACTION[outcome], from_status=status, to_status=new, at=d.decided_at, note=d.reason))
                status = new
                if outcome == "more_information":
                    when = d.decided_at + dt.timedelta(days=5)
                    events.append(TimelineEvent(request=r, actor_id=r.created_by_id, action="resubmit", from_status=status, to_status="submitted", at=when))
                    status = Status.SUBMITTED
        r.status = status
    Decision.objects.bulk_create(decisions, batch_size=BATCH)
    counts.decisions = len(decisions)

    # Pass 3: awards -> allocations, hand-offs, payments; later statuses.
    latest = {}
    for d in decisions:
        latest[d.request_id] = d
    payments, years = [], []
    by_request = {p.request.pk: p.request for p in plans}
    for d in decisions:
        if latest[d.request_id] is not d or d.outcome not in ("approved", "part_approved"):
            continue
        r = by_request[d.request_id]
        allocations.append(Allocation(decision=d, request=r, community_id=r.community_id, amount=d.amount, start_date=d.start_date, end_date=d.end_date, decided_on=d.decision_date, created_at=d.decided_at))
    Allocation.objects.bulk_create(allocations, batch_size=BATCH)
    for a in allocations:
        for year, share in apportion_by_days(a.amount, a.start_date, a.end_date).items():
            years.append(AllocationYear(allocation=a, community_id=a.community_id, year=year, amount=share))
        r = by_request[a.request_id]
        area_id = r.community.area_id
        due = add_working_days(a.decided_on, 3)
        pay_due = add_working_days(a.decided_on, 30)
        sent = a.created_at + dt.timedelta(minutes=1)
        ack_day = add_working_days(a.decided_on, rng.choices([0, 1, 2, 3, 4, 6], [20, 35, 25, 12, 5, 3])[0])
        acknowledged = _at(ack_day, 11) if ack_day < today else None
        handoffs.append(Handoff(request=r, decision_id=a.decision_id, area_id=area_id, created_at=a.created_at, decision_date=a.decided_on, due_date=due, payment_due_date=pay_due, send_claimed_at=sent, sent_at=sent, attempts=1, acknowledged_at=acknowledged, acknowledged_by_id=officers.get(area_id) if acknowledged else None, breached_at=_at(add_working_days(due, 1), 7) if (acknowledged is None and due < today) or (acknowledged and ack_day > due) else None))
        events.append(TimelineEvent(request=r, actor=None, action="hand_off", from_status=r.status, to_status="with_officer", at=sent))
        r.status = Status.WITH_OFFICER
        if acknowledged is None:
            continue
        events.append(TimelineEvent(request=r, actor_id=officers.get(area_id), action="acknowledge", from_status="with_officer", to_status="acknowledged", at=acknowledged))
        r.status = Status.ACKNOWLEDGED
        first_day = add_working_days(a.decided_on, rng.choices([8, 15, 22, 28, 34, 45], [15, 30, 25, 18, 8, 4])[0])
        if first_day >= today:
            continue
        split = rng.random() < 0.2
        parts = [(first_day, (a.amount / 2).quantize(Decimal("0.01")))] if split else [(first_day, a.amount)]
        if split:
            second_day = first_day + dt.timedelta(days=rng.randint(60, 150))
            if second_day < today:
                parts.append((second_day, a.amount - parts[0][1]))
        for n, (day, amount) in enumerate(parts, start=1):
            payments.append(Payment(allocation=a, request=r, community_id=a.community_id, amount=amount, paid_on=day, finance_reference=f"HNF{a.decided_on:%y}{a.pk:06d}-{n}", method=Payment.Method.SCHOOLS_ADVANCE if n == 1 else Payment.Method.ONE_OFF, recorded_by_id=officers.get(area_id), recorded_at=_at(day, 14)))
            events.append(TimelineEvent(request=r, actor_id=officers.get(area_id), action="payment", at=_at(day, 14), note=f"£{amount:,.2f}"))
        if sum(amount for _, amount in parts) >= a.amount:
            events.append(TimelineEvent(request=r, actor_id=officers.get(area_id), action="close", from_status="acknowledged", to_status="closed", at=_at(parts[-1][0], 14)))
            r.status = Status.CLOSED
    AllocationYear.objects.bulk_create(years, batch_size=BATCH)
    Handoff.objects.bulk_create(handoffs, batch_size=BATCH)
    Payment.objects.bulk_create(payments, batch_size=BATCH)
    TimelineEvent.objects.bulk_create(events, batch_size=BATCH)
    counts.payments = len(payments)
    ResourceRequest.objects.bulk_update([p.request for p in plans], ["status"], batch_size=BATCH)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE requests_resourcerequest SET decision_id = (SELECT d.id FROM requests_decision d "
            "WHERE d.request_id = requests_resourcerequest.id ORDER BY d.decided_at DESC, d.id DESC LIMIT 1) "
            "WHERE decision_id IS NULL AND EXISTS (SELECT 1 FROM requests_decision d WHERE d.request_id = requests_resourcerequest.id)"
        )


_ACTION = {
    "approved": "approve",
    "part_approved": "part_approve",
    "declined": "decline",
    "deferred": "defer",
    "more_information": "more_information",
}
_REASONS = {
    "part_approved": "Part of the support can be met from the school's own budget.",
    "declined": "The school's notional SEN budget can meet these needs.",
    "deferred": "The CoS asked for the review due next month first.",
    "more_information": "Please add the educational psychologist's report.",
}


def _decision(rng, r, outcome, day, chair, meeting, item, interim=False) -> Decision:
    d = Decision(request=r, meeting=meeting, item=item, outcome=outcome, reason=_REASONS.get(outcome, ""), is_interim=interim, decided_by_id=chair, decided_at=_at(day, 17), decision_date=day)
    if outcome in ("approved", "part_approved"):
        d.amount = r.amount if outcome == "approved" else (r.amount * Decimal(rng.choice(["0.5", "0.6", "0.75"]))).quantize(Decimal("0.01"))
        d.start_date = max(r.start_date, day)
        d.end_date = d.start_date + (r.end_date - r.start_date)
        d.over_budget = False
    return d


def _write_attendance(rng, meetings, members, today) -> int:
    rows = []
    statuses = [Attendance.Status.ATTENDED, Attendance.Status.REPRESENTED, Attendance.Status.APOLOGIES, Attendance.Status.ABSENT]
    for community_id, cos_meetings in meetings.items():
        schools = members.get(community_id, [])
        for meeting in cos_meetings:
            if meeting.date >= today:
                continue
            for school in schools:
                status = rng.choices(statuses, [80, 7, 8, 5])[0]
                others = [s for s in schools if s.pk != school.pk]
                rows.append(Attendance(
                    meeting=meeting, school=school, status=status,
                    representative_name=rng.choice(FIRST_NAMES) + " " + rng.choice(LAST_NAMES) if status == Attendance.Status.ATTENDED else "",
                    represented_by=rng.choice(others) if status == Attendance.Status.REPRESENTED and others else None,
                ))
                if status == Attendance.Status.REPRESENTED and not others:
                    rows[-1].status = Attendance.Status.APOLOGIES
    Attendance.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _write_statements(communities, first_year: int, today: dt.date) -> int:
    """A statement on the first working day of each month, from the service's one budget
    computation, as the monthly task makes them."""
    from budgets.selectors import budget_positions

    ids = [c.pk for c in communities]
    rows = []
    month = dt.date(year_bounds(first_year)[0].year, 4, 1)
    while month <= today:
        day = _weekday_on_or_after(month)
        if day > today:
            break
        year = financial_year_of(month)
        positions = budget_positions(ids, year, as_at=day)
        for pk, position in positions.items():
            rows.append(MonthlyStatement(
                community_id=pk, month=month, year=year, total=position.total, committed=position.committed,
                paid=position.paid, remaining=position.remaining, monthly=[], created_at=_at(day, 7), emailed_at=_at(day, 7),
            ))
        month = (month + dt.timedelta(days=32)).replace(day=1)
    MonthlyStatement.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)
    return len(rows)
