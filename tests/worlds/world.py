"""A small world of real objects owned by one school, CoS and area, with people inside
and outside it, reached through the steps: the permission matrix, the hostile-input, audit
and backup tests use it (the ``world`` fixture)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from budgets.models import MonthlyStatement
from budgets.tests.factories import CosBudgetFactory
from communities.tests.factories import (
    CommunityFactory,
    SchoolFactory,
    UserFactory,
    area,
    make_board,
    make_chair,
    make_officer,
    make_senco,
)
from kentlocality.financial_years import financial_year_of
from requests.services import declaration_add, evidence_add
from requests.tests.factories import DraftFactory
from requests.tests.test_services_lifecycle import PDF

from .steps import acknowledged, decided, on_agenda, paid, scheduled, submitted


@dataclass
class World:
    people: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)
    secrets: list = field(default_factory=list)  # text that must never reach an outsider

    def notification(self):
        """The owner SENCO's newest notification (the services wrote it: the decision on
        the approved request, the meeting scheduled, ...)."""
        from requests.models import Notification

        return Notification.objects.filter(user=self.people["senco"]).first()

    def report(self):
        """The area's report for this month so far, built (made on first use: a PDF takes
        a second)."""
        if "report" not in self.objects:
            from reporting.services import report_build, report_request

            today = timezone.localdate()
            report = report_request(
                actor=self.people["officer"],
                # A report over other dates covers a calendar month at least.
                start=today - dt.timedelta(days=31),
                end=today,
                area_id=self.objects["area"].pk,
            )
            report_build(report_id=report.pk)
            report.refresh_from_db()
            self.objects["report"] = report
        return self.objects["report"]


@pytest.fixture
def world(db) -> World:
    today = timezone.localdate()
    north, east = area("North"), area("East")
    owner_cos = CommunityFactory(area=north)
    other_cos = CommunityFactory(area=north)
    east_cos = CommunityFactory(area=east)
    school = SchoolFactory(community=owner_cos)
    w = World()
    w.people = {
        "senco": make_senco(school),
        "senco_same_cos": make_senco(SchoolFactory(community=owner_cos)),
        "senco_other_cos": make_senco(SchoolFactory(community=other_cos)),
        "chair": make_chair(owner_cos),
        "chair_other_cos": make_chair(other_cos),
        "officer": make_officer(north),
        "officer_other_area": make_officer(east),
        "board": make_board(north),
        "board_other_area": make_board(east),
        "admin": UserFactory(is_staff=True, is_superuser=True),
    }
    SchoolFactory(community=east_cos)
    year = financial_year_of(today)
    for y in (year - 1, year, year + 1, year + 2):
        CosBudgetFactory(community=owner_cos, year=y, total=Decimal("500000"))
    senco, chair, officer = w.people["senco"], w.people["chair"], w.people["officer"]

    draft = DraftFactory(
        school=school,
        created_by=senco,
        first_name="Draftina",
        last_name="Secretson",
        upn="U886200026002",
    )
    draft_file = evidence_add(
        actor=senco,
        request_id=draft.pk,
        upload=SimpleUploadedFile("plan.pdf", PDF, "application/pdf"),
    )
    approved = submitted(
        school=school, created_by=senco, first_name="Approvia", last_name="Hiddenham"
    )
    held = scheduled(owner_cos, chair=chair, place="Hall")
    item = on_agenda(approved, meeting=held, chair=chair, budget=None)
    decided("approved", item=item, chair=chair)
    acknowledged(approved, officer=officer)
    payment = paid(approved, "100.00", officer=officer, finance_reference="FIN-1", method="advance")
    approved_file = approved.attachments.first()
    waiting = submitted(school=school, created_by=senco, first_name="Waitara", last_name="Quietly")
    upcoming = scheduled(owner_cos, chair=chair, date=today + dt.timedelta(days=7), place="Hall")
    upcoming_item = on_agenda(waiting, meeting=upcoming, chair=chair, budget=None)
    declaration = declaration_add(
        actor=chair,
        meeting_id=upcoming.pk,
        person_name="A Governor",
        details="Parent at the school",
    )
    from budgets.statements import statements_create

    statements_create(today.replace(day=1) - dt.timedelta(days=1), [owner_cos.pk])
    statement = MonthlyStatement.objects.get(community=owner_cos)
    w.objects = {
        "school": school, "community": owner_cos, "area": north, "draft": draft, "draft_file": draft_file,
        "approved": approved, "approved_file": approved_file, "payment": payment, "held": held, "item": item,
        "waiting": waiting, "upcoming": upcoming, "upcoming_item": upcoming_item, "declaration": declaration,
        "statement": statement,
    }  # fmt: skip
    w.secrets = [
        "Draftina",
        "Secretson",
        "U886200026002",
        "Approvia",
        "Hiddenham",
        "Waitara",
        approved.upn,
    ]
    return w
