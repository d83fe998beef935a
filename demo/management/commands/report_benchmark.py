"""Time an area's quarterly PDF on a realistic quarter, then leave the database as it was.

Needs the demo data (``manage.py seed_demo``). Inside one transaction that is rolled back
at the end, it puts a quarter's work into every CoS of the first CoS's area through the
real services (requests, meetings with attendance, decisions, hand-offs, payments), then
builds that area's report PDF a few times and prints how long each took. The requests
are made as the demo's activity makes them (``demo.activity.submitted_request``), by a
SENCO of each school (made when missing, as the history makes them).

    DEBUG=true DATABASE_URL=... manage.py report_benchmark --per-cos 25
"""

from __future__ import annotations

import datetime as dt
import io
import os
import random
import time
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from pypdf import PdfReader

from communities.models import CommunityOfSchools, RoleAssignment, School, User
from kentlocality.financial_years import quarter_of
from reporting.models import Report


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Time an area's quarterly report PDF on a realistic quarter (rolled back)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--per-cos", type=int, default=25, help="requests in each CoS")
        parser.add_argument("--runs", type=int, default=3)
        parser.add_argument(
            "--time-only",
            action="store_true",
            help="time the report on the data already there (adds nothing)",
        )
        parser.add_argument(
            "--keep", action="store_true", help="keep the quarter's data (a development database)"
        )

    def handle(self, *args, per_cos: int, runs: int, **options) -> None:
        first = CommunityOfSchools.objects.order_by("pk").first()
        if first is None:
            raise CommandError("Load the demo data first: manage.py seed_demo")
        if options["time_only"]:
            self._time(first.area, runs)
            return
        try:
            with transaction.atomic():
                self._fill(first.area, per_cos)
                self._time(first.area, runs)
                if not options["keep"]:
                    raise Rollback
        except Rollback:
            self.stdout.write("Rolled back: the database is as it was.")

    def _fill(self, area, per_cos: int) -> None:
        from demo.activity import PUPILS, submitted_request
        from demo.history import school_sencos
        from requests.services import (
            agenda_add,
            attendance_record,
            decision_record,
            handoff_acknowledge,
            meeting_create,
            payment_record,
        )
        from requests.services.decisions import Award
        from requests.services.meetings import AttendanceEntry, member_schools

        rng = random.Random(6)
        # The pupils' details come from a stream of their own, so that the quarter's
        # figures (schools, amounts, needs, outcomes) stay those of earlier runs.
        pupil_rng = random.Random(7)
        today = timezone.localdate()
        officer = User.objects.create(email="bench-officer@example.org", full_name="Bench")
        RoleAssignment.objects.create(user=officer, role="officer", area=area)
        outcomes = ["approved"] * 6 + ["part_approved", "declined", "deferred", "more_information"]
        needs = ["SLCN", "ASD", "MLD", "SPLD", "PD", "HI"]  # secondary need: SEMH
        made = 0
        communities = list(CommunityOfSchools.objects.filter(area=area).order_by("name"))
        _, senco_ids = school_sencos(communities)
        sencos = User.objects.in_bulk(set(senco_ids.values()))
        for community in communities:
            chair = community.chair
            schools = list(member_schools(community.pk))
            meetings = [
                meeting_create(
                    actor=chair,
                    community=community,
                    date=today - dt.timedelta(days=days),
                    start_time=dt.time(16),
                    place="Hall",
                )
                for days in (1, 0)
            ]
            for m in meetings:
                attendance_record(
                    actor=chair,
                    meeting_id=m.pk,
                    entries=[
                        AttendanceEntry(
                            s.pk, rng.choice(["attended", "apologies", "absent"]), "Rep"
                        )
                        for s in schools
                    ],
                )
            for index in range(per_cos):
                school = rng.choice(schools)
                amount = Decimal(rng.randrange(20, 120) * 100)
                need = rng.choice(needs)
                year_group = str(rng.randint(1, 11))
                first_name, last_name = PUPILS[made % len(PUPILS)][:2]
                try:
                    request = submitted_request(
                        pupil_rng,
                        sencos[senco_ids[school.pk]],
                        school,
                        (first_name, last_name, year_group, need),
                        secondary_need="SEMH",
                        amount=amount,
                        sen_provision=rng.choice("KE"),
                        start_date=today + dt.timedelta(days=10),
                        end_date=today + dt.timedelta(days=10 + rng.randint(90, 360)),
                    )
                except Exception as exc:
                    raise CommandError(str(getattr(exc, "problems", exc))) from exc
                made += 1
                if index % 5 == 4:
                    continue  # still waiting for a meeting
                item = agenda_add(
                    actor=chair, meeting_id=meetings[index % 2].pk, request_id=request.pk
                )
                outcome = rng.choice(outcomes)
                decision_record(
                    actor=chair,
                    item_id=item.pk,
                    award=Award(
                        outcome=outcome,
                        amount=request.amount / 2 if outcome == "part_approved" else None,
                        reason="Agreed",
                        confirm_over_budget=True,
                        over_budget_reason="Benchmark",
                    ),
                )
                if outcome in ("approved", "part_approved") and rng.random() < 0.7:
                    handoff_acknowledge(actor=officer, request_id=request.pk)
                    if rng.random() < 0.6:
                        payment_record(
                            actor=officer,
                            request_id=request.pk,
                            amount=Decimal("1000.00"),
                            paid_on=today,
                            finance_reference=f"B{request.pk}",
                            method="one_off",
                        )
        self.stdout.write(f"{area} area: {len(communities)} CoS, {made} requests this quarter")

    def _time(self, area, runs: int) -> None:
        from reporting.figures import report_figures
        from reporting.services import render_report

        today = timezone.localdate()
        quarter = quarter_of(today)
        started = time.perf_counter()
        report_figures(area_id=area.pk, start=quarter.start, end=today)
        self.stdout.write(f"figures alone: {time.perf_counter() - started:.2f} s")
        report = Report(area=area, period_start=quarter.start, period_end=today, version=1)
        for run in range(1, runs + 1):
            started, cpu = time.perf_counter(), time.process_time()
            content = render_report(report)
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
            pages = len(PdfReader(io.BytesIO(content)).pages)
            self.stdout.write(
                f"run {run}: {seconds:.2f} s ({cpu:.2f} s of processor time), "
                f"{pages} pages, {len(content) / 1024:.0f} KiB"
            )
        self.stdout.write(f"load average now: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        school_count = School.objects.filter(community__area=area).count()
        self.stdout.write(f"({school_count} schools in the area)")
