"""Ten (or N) financial years of realistic history for Kent scale: Requests for Resource
with their decisions at CoS meetings, attendance, allocations, hand-offs, payments,
timelines and monthly budget statements.

Rows are built in memory to the same rules the services apply (the status table,
apportionment by days, hand-off and payment due dates in working days, statements from
month-end positions as ``budgets.statements`` makes them) and written with PostgreSQL's
COPY, so that about 60,000 requests, 50,000 payments and 2,500 meetings load in well
under three minutes. PostgreSQL only: this is for the benchmark and for rehearsals.
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import io
import json
import random
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone
from stdnum.gb.upn import calc_check_digit

from budgets.models import (
    Allocation,
    AllocationYear,
    CosBudget,
    MonthlyStatement,
    Payment,
    SchoolBudget,
)
from communities.models import Area, CommunityOfSchools, RoleAssignment, School, User
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

ZERO = Decimal("0.00")
MEETING_MONTHS = [9, 11, 1, 3, 5, 7]  # about every half term
FIRST_NAMES = [
    "Oliver", "Amelia", "Noah", "Isla", "George", "Ava", "Leo", "Mia", "Arthur", "Ivy",
    "Freddie", "Lily", "Theo", "Florence", "Oscar", "Grace", "Harry", "Ella", "Jack", "Sophia",
    "Alfie", "Evie", "Archie", "Rosie", "Muhammad", "Poppy", "Henry", "Willow", "Charlie", "Daisy",
]  # fmt: skip
LAST_NAMES = [
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel",
    "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall",
    "Wood", "Jackson", "Clarke", "Khan", "Hughes", "Edwards", "Turner", "Hill", "Moore",
]  # fmt: skip
NEEDS = ["ASD", "SEMH", "SLCN", "MLD", "SPLD", "PD", "HI", "VI", "SLD", "OTH", "MSI", "PMLD", "NSA"]
NEED_WEIGHTS = [26, 24, 20, 10, 6, 4, 2, 2, 2, 1, 1, 1, 1]
YEAR_GROUPS = ["R", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13"]
FINAL = ["approved", "part_approved", "declined"]
FINAL_WEIGHTS = [68, 17, 15]
STATUS_AFTER = {
    "approved": "approved",
    "part_approved": "part_approved",
    "declined": "declined",
    "deferred": "deferred",
    "more_information": "more_information",
}
ACTION = {
    "approved": "approve",
    "part_approved": "part_approve",
    "declined": "decline",
    "deferred": "defer",
    "more_information": "more_information",
}
REASONS = {
    "approved": "",
    "part_approved": "Part of the support can be met from the school's own budget.",
    "declined": "The school's notional SEN budget can meet these needs.",
    "deferred": "The CoS asked for the review due next month first.",
    "more_information": "Please add the educational psychologist's report.",
}


class Row(dict):
    """A row to write: a dict of column values with attribute access."""

    __getattr__ = dict.__getitem__
    __setattr__ = dict.__setitem__


class Table:
    """Rows of one model, given ids from the model's sequence, written with COPY."""

    def __init__(self, model) -> None:
        self.model = model
        self.rows: list[Row] = []
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {model._meta.db_table}")  # noqa: S608
            self.next_id = cursor.fetchone()[0] + 1

    def add(self, **values) -> Row:
        row = Row(id=self.next_id, **values)
        self.next_id += 1
        self.rows.append(row)
        return row

    def write(self) -> int:
        if not self.rows:
            return 0
        fields = self.model._meta.concrete_fields
        defaults = {f.attname: f.get_default() for f in fields}
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        for row in self.rows:
            writer.writerow([_copy_value(row.get(f.attname, defaults[f.attname])) for f in fields])
        buffer.seek(0)
        table = self.model._meta.db_table
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        with connection.cursor() as cursor:
            copy_sql = f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
            with cursor.cursor.copy(copy_sql) as copy:
                copy.write(buffer.getvalue())
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {self.next_id - 1})"
            )
        return len(self.rows)


def _copy_value(value) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | dict):
        return json.dumps(value)
    return str(value)


def _at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _working_day_from(day: dt.date) -> dt.date:
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def _money(rng: random.Random) -> Decimal:
    value = min(max(rng.lognormvariate(8.4, 0.5), 1000), 25000)
    return Decimal(int(value / 50) * 50).quantize(Decimal("0.01"))


@dataclass
class HistoryCounts:
    requests: int = 0
    decisions: int = 0
    meetings: int = 0
    payments: int = 0
    attendance: int = 0
    statements: int = 0


def school_sencos(communities) -> tuple[dict, dict]:
    """Member schools by CoS, and a SENCO for every member school, made when missing (who
    cannot sign in): ``{community id: [schools]}``, ``{school id: user id}``."""
    members = defaultdict(list)
    for school in School.objects.filter(
        community__in=communities, kind=School.Kind.MAINSTREAM, is_open=True
    ).order_by("pk"):
        members[school.community_id].append(school)
    sencos = dict(
        RoleAssignment.objects.filter(role=RoleAssignment.Role.SENCO).values_list(
            "school_id", "user_id"
        )
    )
    missing = [s for schools in members.values() for s in schools if s.pk not in sencos]
    if missing:
        unusable = make_password(None)
        User.objects.bulk_create(
            [
                User(
                    email=f"senco.{s.urn}@example.org",
                    full_name=f"SENCO of {s.name}"[:150],
                    password=unusable,
                    job_title="SENCO",
                )
                for s in missing
            ],
            ignore_conflicts=True,
        )
        ids = dict(
            User.objects.filter(
                email__in=[f"senco.{s.urn}@example.org" for s in missing]
            ).values_list("email", "pk")
        )
        RoleAssignment.objects.bulk_create(
            [
                RoleAssignment(
                    user_id=ids[f"senco.{s.urn}@example.org"],
                    role=RoleAssignment.Role.SENCO,
                    school=s,
                )
                for s in missing
            ],
            ignore_conflicts=True,
        )
        sencos.update({s.pk: ids[f"senco.{s.urn}@example.org"] for s in missing})
    return members, sencos


def _people(communities) -> tuple[dict, dict, dict, dict]:
    """Member schools by CoS, a SENCO for every member school (see school_sencos), each
    CoS's chair, each area's officer."""
    members, sencos = school_sencos(communities)
    chairs = dict(
        RoleAssignment.objects.filter(role=RoleAssignment.Role.CHAIR).values_list(
            "community_id", "user_id"
        )
    )
    officers = dict(
        RoleAssignment.objects.filter(role=RoleAssignment.Role.OFFICER).values_list(
            "area_id", "user_id"
        )
    )
    return members, sencos, chairs, officers


class _History:
    def __init__(self, years: int, seed: int) -> None:
        if connection.vendor != "postgresql":
            raise RuntimeError("Loading years of history needs PostgreSQL (set DATABASE_URL).")
        self.rng = random.Random(seed)
        self.today = timezone.localdate()
        self.this_year = financial_year_of(self.today)
        self.first_year = self.this_year - years + 1
        self.start = year_bounds(self.first_year)[0]
        self.communities = list(CommunityOfSchools.objects.select_related("area").order_by("pk"))
        self.members, self.sencos, self.chairs, self.officers = _people(self.communities)
        self.meetings = Table(Meeting)
        self.requests = Table(ResourceRequest)
        self.items = Table(AgendaItem)
        self.decisions = Table(Decision)
        self.allocations = Table(Allocation)
        self.shares = Table(AllocationYear)
        self.handoffs = Table(Handoff)
        self.payments = Table(Payment)
        self.events = Table(TimelineEvent)
        self.attendance = Table(Attendance)
        self.statements = Table(MonthlyStatement)
        self.positions = defaultdict(int)
        self.area_of = {c.pk: c.area_id for c in self.communities}

    # Meetings -----------------------------------------------------------------------
    def plan_meetings(self) -> dict[int, list[Row]]:
        by_cos: dict[int, list[Row]] = defaultdict(list)
        for c in self.communities:
            chair = self.chairs.get(c.pk)
            for year in range(self.first_year, self.this_year + 1):
                for month in MEETING_MONTHS:
                    when = _working_day_from(
                        dt.date(year if month >= 4 else year + 1, month, self.rng.randint(8, 22))
                    )
                    if self.start <= when < self.today:
                        by_cos[c.pk].append(self.meetings.add(
                            community_id=c.pk, date=when, start_time=dt.time(16, 0), place=f"{c.name} meeting room",
                            online_link="", state="closed", created_by_id=chair, created_at=_at(when - dt.timedelta(days=21)),
                            closed_at=_at(when, 18), closed_by_id=chair,
                        ))  # fmt: skip
            upcoming = _working_day_from(self.today + dt.timedelta(days=self.rng.randint(7, 28)))
            by_cos[c.pk].append(self.meetings.add(
                community_id=c.pk, date=upcoming, start_time=dt.time(16, 0), place=f"{c.name} meeting room",
                online_link="", state="scheduled", created_by_id=chair, created_at=_at(self.today - dt.timedelta(days=3)),
            ))  # fmt: skip
            by_cos[c.pk].sort(key=lambda m: m.date)
        return by_cos

    # Requests ---------------------------------------------------------------------
    def new_request(self, c, school, submitted: dt.date, number: int) -> Row:
        rng = self.rng
        secondary = school.phase == School.Phase.SECONDARY
        year_group = rng.choice(YEAR_GROUPS[7:12] if secondary else YEAR_GROUPS[:7])
        born = submitted - dt.timedelta(
            days=(5 + YEAR_GROUPS.index(year_group)) * 365 + rng.randrange(365)
        )
        body = f"886{2000 + school.urn % 8000:04d}{born.year % 100:02d}{rng.randrange(1000):03d}"
        exceptional = rng.random() < 0.07
        other_la = rng.random() < 0.03
        senco = self.sencos[school.pk]
        start = submitted + dt.timedelta(days=30)
        return self.requests.add(
            status="submitted", reference=f"RFR-{submitted.year}-{number:06d}", school_id=school.pk,
            community_id=c.pk, created_by_id=senco, created_at=_at(submitted - dt.timedelta(days=rng.randint(1, 10)), 9),
            updated_at=_at(submitted, 15), submitted_at=_at(submitted, 15), first_submitted_at=_at(submitted, 15),
            first_name=rng.choice(FIRST_NAMES), last_name=rng.choice(LAST_NAMES), date_of_birth=born,
            upn=calc_check_digit(body) + body, year_group=year_group, sen_provision="E" if rng.random() < 0.22 else "K",
            primary_need=rng.choices(NEEDS, NEED_WEIGHTS)[0], secondary_need="", home_la="other" if other_la else "kent",
            home_la_name="Medway" if other_la else "", consent_given=True,
            consent_date=submitted - dt.timedelta(days=rng.randint(1, 20)), receives_saf=False,
            needs_summary="Needs described by the school.", graduated_assess="Assessed by the school and the PRG.",
            graduated_plan="Planned support.", graduated_do="Support in place for two terms.",
            graduated_review="Reviewed termly.", current_provision="Teaching assistant support.",
            current_cost=Decimal(rng.choice([6000, 6500, 7000, 8000])), below_threshold_reason="", prg_other="",
            funding_purpose="Additional adult support and specialist resources.", amount=_money(rng),
            start_date=start, end_date=start + dt.timedelta(days=rng.randint(150, 330)), long_duration_reason="",
            outcomes="Agreed outcomes.", review_arrangements="Termly review.", is_exceptional=exceptional,
            exceptional_reason=rng.choice(["other_la", "sudden_change", "tribunal", "new_admission", "short_allocation"]) if exceptional else "",
            exceptional_why_now="Support is needed before the next meeting." if exceptional else "",
            declared_by_id=senco, declared_at=_at(submitted, 15), decision_id=None, anonymised_at=None,
        )  # fmt: skip

    def event(
        self,
        r: Row,
        actor,
        action: str,
        at: dt.datetime,
        old: str = "",
        new: str = "",
        note: str = "",
    ) -> None:
        self.events.add(
            request_id=r.id,
            actor_id=actor,
            action=action,
            from_status=old,
            to_status=new,
            note=note,
            at=at,
        )
        if new:
            r.status = new
            r.updated_at = at

    def item(self, meeting: Row, r: Row, kind: str, outcome: str) -> Row:
        self.positions[meeting.id] += 1
        return self.items.add(
            meeting_id=meeting.id, request_id=r.id, kind=kind, position=self.positions[meeting.id], outcome=outcome,
            added_at=_at(meeting.date - dt.timedelta(days=7)),
        )  # fmt: skip

    def decide(
        self, r: Row, outcome: str, day: dt.date, meeting=None, item=None, interim=False
    ) -> Row:
        chair = self.chairs.get(r.community_id)
        values = {"amount": None, "start_date": None, "end_date": None}
        if outcome in ("approved", "part_approved"):
            share = (
                Decimal("1")
                if outcome == "approved"
                else Decimal(self.rng.choice(["0.5", "0.6", "0.75"]))
            )
            start = max(r.start_date, day)
            values = {
                "amount": (r.amount * share).quantize(Decimal("0.01")),
                "start_date": start,
                "end_date": start + (r.end_date - r.start_date),
            }
        decision = self.decisions.add(
            request_id=r.id, meeting_id=meeting.id if meeting else None, item_id=item.id if item else None,
            outcome=outcome, long_award_reason="", reason=REASONS[outcome], is_interim=interim, over_budget=False,
            over_budget_reason="", decided_by_id=chair, decided_at=_at(day, 17), decision_date=day, ratified_at=None,
            ratified_item_id=None, revises_id=None, **values,
        )  # fmt: skip
        r.decision_id = decision.id
        self.event(
            r,
            chair,
            ACTION[outcome],
            decision.decided_at,
            r.status,
            STATUS_AFTER[outcome],
            decision.reason,
        )
        return decision

    def build(self) -> None:
        rng = self.rng
        meetings = self.plan_meetings()
        counters = dict(ReferenceCounter.objects.values_list("year", "last"))
        span = (self.today - self.start).days
        for c in self.communities:
            schools = self.members.get(c.pk)
            if not schools:
                continue
            chair = self.chairs.get(c.pk)
            cos_meetings = meetings[c.pk]
            for submitted in sorted(
                self.start + dt.timedelta(days=rng.randrange(span))
                for _ in range(int(span / 365.25 * rng.randint(100, 126)))
            ):
                counters[submitted.year] = counters.get(submitted.year, 0) + 1
                r = self.new_request(c, rng.choice(schools), submitted, counters[submitted.year])
                self.event(r, r.created_by_id, "submit", r.submitted_at, "draft", "submitted")
                later = [m for m in cos_meetings if m.date > submitted + dt.timedelta(days=2)]
                if (
                    later
                    and later[0].state == "scheduled"
                    and submitted > self.today - dt.timedelta(days=10)
                ):
                    continue  # the newest requests wait in the chair's queue
                if r.is_exceptional and rng.random() < 0.8:
                    self.interim(r, later[:1])
                elif rng.random() < 0.03:
                    self.event(
                        r,
                        r.created_by_id,
                        "withdraw",
                        r.submitted_at + dt.timedelta(days=3),
                        r.status,
                        "withdrawn",
                        "Pupil left the school",
                    )
                else:
                    first = rng.random()
                    outcomes = [rng.choices(FINAL, FINAL_WEIGHTS)[0]]
                    if first < 0.06:
                        outcomes.insert(0, "deferred")
                    elif first < 0.10:
                        outcomes.insert(0, "more_information")
                    for meeting, outcome in zip(later, outcomes, strict=False):
                        self.event(
                            r,
                            chair,
                            "add_to_agenda",
                            _at(meeting.date - dt.timedelta(days=7)),
                            r.status,
                            "on_agenda",
                        )
                        if meeting.state == "scheduled":
                            self.item(meeting, r, "decision", "")
                            break
                        item = self.item(meeting, r, "decision", outcome)
                        decision = self.decide(r, outcome, meeting.date, meeting, item)
                        if outcome == "more_information":
                            self.event(
                                r,
                                r.created_by_id,
                                "resubmit",
                                decision.decided_at + dt.timedelta(days=5),
                                r.status,
                                "submitted",
                            )
                        elif outcome in ("approved", "part_approved"):
                            self.fund(r, decision)
        for year, last in counters.items():
            ReferenceCounter.objects.update_or_create(year=year, defaults={"last": last})
        self.attend(meetings)

    def interim(self, r: Row, next_meetings: list[Row]) -> None:
        day = _working_day_from(r.submitted_at.date() + dt.timedelta(days=2))
        outcome = self.rng.choices(FINAL, FINAL_WEIGHTS)[0]
        decision = self.decide(r, outcome, day, interim=True)
        if next_meetings:
            meeting = next_meetings[0]
            closed = meeting.state == "closed"
            item = self.item(meeting, r, "ratification", "ratified" if closed else "")
            if closed:
                decision.ratified_at = _at(meeting.date, 17)
                decision.ratified_item_id = item.id
        if outcome in ("approved", "part_approved"):
            self.fund(r, decision)

    def fund(self, r: Row, decision: Row) -> None:
        """Allocation, hand-off, acknowledgement and payments of an award."""
        rng, today = self.rng, self.today
        area = self.area_of[r.community_id]
        officer = self.officers.get(area)
        allocation = self.allocations.add(
            community_id=r.community_id, school_id=r.school_id, reference=r.reference, amount=decision.amount,
            start_date=decision.start_date, end_date=decision.end_date, decided_on=decision.decision_date,
            created_at=decision.decided_at, cancelled_on=None,
        )  # fmt: skip
        decision.allocation_id = allocation.id
        for year, share in apportion_by_days(
            decision.amount, decision.start_date, decision.end_date
        ).items():
            self.shares.add(
                allocation_id=allocation.id, community_id=r.community_id, year=year, amount=share
            )
        decided = decision.decision_date
        due, pay_due = add_working_days(decided, 3), add_working_days(decided, 30)
        sent = decision.decided_at + dt.timedelta(minutes=1)
        ack_day = add_working_days(
            decided, rng.choices([0, 1, 2, 3, 4, 6], [20, 35, 25, 12, 5, 3])[0]
        )
        acknowledged = _at(ack_day, 11) if ack_day < today else None
        late = (acknowledged is None and due < today) or (
            acknowledged is not None and ack_day > due
        )
        handoff = self.handoffs.add(
            request_id=r.id, decision_id=decision.id, area_id=area, created_at=decision.decided_at, decision_date=decided,
            due_date=due, payment_due_date=pay_due, send_claimed_at=sent, sent_at=sent, attempts=1, last_error="",
            acknowledged_at=acknowledged, acknowledged_by_id=officer if acknowledged else None, escalated_at=None,
            breached_at=_at(add_working_days(due, 1), 7) if late else None,
        )  # fmt: skip
        self.event(r, None, "hand_off", sent, r.status, "with_officer")
        if acknowledged is None:
            return
        self.event(r, officer, "acknowledge", acknowledged, r.status, "acknowledged")
        first_day = add_working_days(
            decided, rng.choices([8, 15, 22, 28, 34, 45], [15, 30, 25, 18, 8, 4])[0]
        )
        if first_day >= today:
            return
        parts = [(first_day, decision.amount)]
        if rng.random() < 0.2:
            half = (decision.amount / 2).quantize(Decimal("0.01"))
            parts = [(first_day, half)]
            second = first_day + dt.timedelta(days=rng.randint(60, 150))
            if second < today:
                parts.append((second, decision.amount - half))
        handoff.first_paid_on = first_day  # as requests.services.payments keeps it
        for n, (day, amount) in enumerate(parts, start=1):
            self.payments.add(
                allocation_id=allocation.id, community_id=r.community_id, amount=amount, paid_on=day,
                finance_reference=f"HNF{decided:%y}{allocation.id:06d}-{n}", method="advance" if n == 1 else "one_off",
                note="", reverses_id=None, recorded_by_id=officer, recorded_at=_at(day, 14),
            )  # fmt: skip
            self.event(
                r,
                officer,
                "payment",
                _at(day, 14),
                note=f"£{amount:,.2f} (HNF{decided:%y}{allocation.id:06d}-{n})",
            )
        if sum(amount for _, amount in parts) >= decision.amount:
            self.event(r, officer, "close", _at(parts[-1][0], 14, 1), r.status, "closed")

    def attend(self, meetings: dict[int, list[Row]]) -> None:
        rng = self.rng
        for community_id, cos_meetings in meetings.items():
            schools = self.members.get(community_id, [])
            for meeting in cos_meetings:
                if meeting.state != "closed":
                    continue
                for school in schools:
                    status = rng.choices(
                        ["attended", "represented", "apologies", "absent"], [80, 7, 8, 5]
                    )[0]
                    others = [s for s in schools if s.pk != school.pk]
                    if status == "represented" and not others:
                        status = "apologies"
                    self.attendance.add(
                        meeting_id=meeting.id, school_id=school.pk, status=status,
                        representative_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}" if status == "attended" else "",
                        represented_by_id=rng.choice(others).pk if status == "represented" else None,
                    )  # fmt: skip

    # Monthly statements -------------------------------------------------------------
    def statements_from_rows(self, totals: dict[tuple[int, int], Decimal]) -> None:
        """Each month's statement (figures as at the month's end, made on the next
        month's first working day), computed as budgets.statements computes them."""
        committed = defaultdict(list)  # (cos, year) -> [(decided_on, amount)]
        allocation_day = {a.id: a.decided_on for a in self.allocations.rows}
        for share in self.shares.rows:
            committed[(share.community_id, share.year)].append(
                (allocation_day[share.allocation_id], share.amount)
            )
        paid = defaultdict(list)  # cos -> [(paid_on, amount)]
        for payment in self.payments.rows:
            paid[payment.community_id].append((payment.paid_on, payment.amount))
        prefix = {}
        for key, items in list(committed.items()) + [((k, None), v) for k, v in paid.items()]:
            items.sort(key=lambda item: item[0])
            days = [day for day, _ in items]
            sums, running = [], ZERO
            for _, amount in items:
                running += amount
                sums.append(running)
            prefix[key] = (days, sums)

        def to_date(key, day: dt.date) -> Decimal:
            days, sums = prefix.get(key, ([], []))
            index = bisect.bisect_right(days, day)
            return sums[index - 1] if index else ZERO

        month = self.start
        while True:
            month_end = (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
            issued = _working_day_from(month_end + dt.timedelta(days=1))
            if issued > self.today:
                break
            year = financial_year_of(month)
            year_start = year_bounds(year)[0]
            for c in self.communities:
                before = to_date((c.pk, year), year_start - dt.timedelta(days=1))
                paid_before_year = to_date((c.pk, None), year_start - dt.timedelta(days=1))
                monthly, previous = [], (before, ZERO)
                each = year_start
                while each <= month:
                    end = (each + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
                    committed_to_date = to_date((c.pk, year), end)
                    paid_to_date = to_date((c.pk, None), end) - paid_before_year
                    monthly.append({
                        "month": each.strftime("%Y-%m"),
                        "committed": str(committed_to_date - previous[0]),
                        "paid": str(paid_to_date - previous[1]),
                        "committed_to_date": str(committed_to_date),
                        "paid_to_date": str(paid_to_date),
                    })  # fmt: skip
                    previous = (committed_to_date, paid_to_date)
                    each = end + dt.timedelta(days=1)
                total = totals.get((c.pk, year), ZERO)
                self.statements.add(
                    community_id=c.pk, month=month, year=year, total=total, committed=previous[0], paid=previous[1],
                    remaining=total - previous[0], monthly=monthly, created_at=_at(issued, 7), emailed_at=_at(issued, 7),
                )  # fmt: skip
            month = month_end + dt.timedelta(days=1)


def seed_history(years: int = 10, seed: int = 2016) -> HistoryCounts:
    """Add ``years`` financial years of history up to today (see the module docstring)."""
    history = _History(years, seed)
    with transaction.atomic():
        CosBudget.objects.bulk_create(
            [
                CosBudget(
                    community=c, year=y, total=Decimal(history.rng.randrange(380, 620) * 1000)
                )
                for c in history.communities
                for y in range(history.first_year, history.this_year + 2)
            ],
            ignore_conflicts=True,
        )
        totals = {(b.community_id, b.year): b.total for b in CosBudget.objects.all()}
        history.build()
        history.statements_from_rows(totals)
        existing = set(MonthlyStatement.objects.values_list("community_id", "month"))
        history.statements.rows = [
            s for s in history.statements.rows if (s.community_id, s.month) not in existing
        ]
        for table in (
            history.meetings, history.requests, history.items, history.decisions, history.allocations,
            history.shares, history.handoffs, history.payments, history.events, history.attendance,
            history.statements,
        ):  # fmt: skip
            table.write()
    # Fresh statistics for the planner: rows written by COPY are not counted until the
    # autovacuum daemon gets round to it, and until then PostgreSQL plans for nearly
    # empty tables (a board page's figures took 30 s instead of 30 ms). VACUUM also sets
    # the visibility map, so that counts can be answered from indexes; it cannot run
    # inside a transaction (a test's), where ANALYZE alone is done.
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        for table in (
            history.meetings, history.requests, history.items, history.decisions, history.allocations,
            history.shares, history.handoffs, history.payments, history.events, history.attendance,
            history.statements,
        ):  # fmt: skip
            cursor.execute(f"{command} {table.model._meta.db_table}")
        # And the demo's own tables, written row by row a moment before: with autovacuum
        # late or off, PostgreSQL would cost a join through the schools for 120 rows, not
        # 606, and start the officer's payments-due query from the wrong end.
        for model in (
            Area,
            CommunityOfSchools,
            School,
            User,
            RoleAssignment,
            CosBudget,
            SchoolBudget,
        ):
            cursor.execute(f"{command} {model._meta.db_table}")
    return HistoryCounts(
        requests=len(history.requests.rows),
        decisions=len(history.decisions.rows),
        meetings=len(history.meetings.rows),
        payments=len(history.payments.rows),
        attendance=len(history.attendance.rows),
        statements=len(history.statements.rows),
    )
