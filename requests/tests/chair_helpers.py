"""Helpers for the chair's tests: a CoS with its chair and budgets, meetings and requests
on their agenda, all reached through the real services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from budgets.models import CosBudget
from communities.models import CommunityOfSchools, School, User
from communities.tests.factories import CommunityFactory, SchoolFactory, make_chair, make_senco
from kentlocality.financial_years import financial_year_of
from requests.models import AgendaItem, Meeting, ResourceRequest
from requests.services import agenda_add, meeting_create
from requests.services.decisions import Award
from requests.tests.factories import submitted

D = dt.date
PUPIL_NAMES = ("Alex", "Example")


@dataclass
class Cos:
    community: CommunityOfSchools
    chair: User
    school: School
    senco: User

    def budget(self, year: int, total: str | Decimal) -> CosBudget:
        budget, _ = CosBudget.objects.update_or_create(
            community=self.community, year=year, defaults={"total": Decimal(total)}
        )
        return budget

    def budget_this_year(self, total: str | Decimal = "100000.00") -> CosBudget:
        year = financial_year_of(timezone.localdate())
        self.budget(year + 1, total)
        return self.budget(year, total)

    def request(self, **kwargs) -> ResourceRequest:
        """A submitted request of one of the CoS's schools."""
        kwargs.setdefault("school", self.school)
        if kwargs["school"] == self.school:
            kwargs.setdefault("created_by", self.senco)
        return submitted(**kwargs)

    def meeting(self, date: dt.date | None = None, **kwargs) -> Meeting:
        kwargs.setdefault("place", "Spring Primary School, library")
        return meeting_create(
            actor=self.chair,
            community=self.community,
            date=date or timezone.localdate(),
            start_time=dt.time(16, 0),
            **kwargs,
        )

    def on_agenda(self, meeting: Meeting, **kwargs) -> AgendaItem:
        request = self.request(**kwargs)
        return agenda_add(actor=self.chair, meeting_id=meeting.pk, request_id=request.pk)


def make_cos(**community_kwargs) -> Cos:
    community = CommunityFactory(**community_kwargs)
    school = SchoolFactory(community=community, name="Spring Primary School")
    return Cos(
        community=community,
        chair=make_chair(community),
        school=school,
        senco=make_senco(school),
    )


def approve() -> Award:
    return Award(outcome="approved")


def part_approve(amount: str, reason: str = "The school can fund part of it.") -> Award:
    return Award(outcome="part_approved", amount=Decimal(amount), reason=reason)
