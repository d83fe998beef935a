"""One Community of Schools for the chair's tests: its chair, a member school and the
school's SENCO, with budgets, meetings and requests reached through the steps."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from budgets.models import CosBudget
from budgets.tests.factories import CosBudgetFactory
from communities.models import CommunityOfSchools, School, User
from communities.tests.factories import CommunityFactory, SchoolFactory, make_chair, make_senco
from kentlocality.financial_years import financial_year_of
from requests.models import AgendaItem, Meeting, ResourceRequest

from .steps import on_agenda, scheduled, submitted


@dataclass
class Cos:
    community: CommunityOfSchools
    chair: User
    school: School
    senco: User

    def budget(self, year: int, total: str | Decimal) -> CosBudget:
        """Set the CoS's budget for a year, as an administrator does: a new one, or the
        total of the one it has changed."""
        budget = self.community.budgets.filter(year=year).first()
        if budget is None:
            return CosBudgetFactory(community=self.community, year=year, total=Decimal(total))
        budget.total = Decimal(total)
        budget.save()
        return budget

    def budget_this_year(self, total: str | Decimal = "100000.00") -> CosBudget:
        year = financial_year_of(timezone.localdate())
        self.budget(year + 1, total)
        return self.budget(year, total)

    def request(self, **values) -> ResourceRequest:
        """A submitted request of one of the CoS's schools (its SENCO's, unless told)."""
        values.setdefault("school", self.school)
        if values["school"] == self.school:
            values.setdefault("created_by", self.senco)
        return submitted(**values)

    def meeting(self, date: dt.date | None = None, **kwargs) -> Meeting:
        kwargs.setdefault("place", "Spring Primary School, library")
        return scheduled(self.community, chair=self.chair, date=date, **kwargs)

    def on_agenda(self, meeting: Meeting, **values) -> AgendaItem:
        """A new request (``request(**values)``) on the meeting's agenda. The CoS's budgets
        are the test's to set."""
        return on_agenda(self.request(**values), meeting=meeting, chair=self.chair, budget=None)


def make_cos(**community_values) -> Cos:
    community = CommunityFactory(**community_values)
    school = SchoolFactory(community=community, name="Spring Primary School")
    return Cos(
        community=community,
        chair=make_chair(community),
        school=school,
        senco=make_senco(school),
    )
