"""Budgets in their initial state, as an administrator sets them or KCC's yearly figures
load them. Allocations and payments are made by decisions and by the officer, through the
services: tests/worlds/steps.py."""

from decimal import Decimal

import factory
from django.utils import timezone

from budgets.models import CosBudget, SchoolBudget
from communities.tests.factories import CommunityFactory, SchoolFactory
from kentlocality.financial_years import financial_year_of


def this_year() -> int:
    return financial_year_of(timezone.localdate())


class CosBudgetFactory(factory.django.DjangoModelFactory):
    """A CoS's budget for one financial year (this one unless told)."""

    class Meta:
        model = CosBudget

    community = factory.SubFactory(CommunityFactory)
    year = factory.LazyFunction(this_year)
    total = Decimal("100000.00")


class SchoolBudgetFactory(factory.django.DjangoModelFactory):
    """The financial information KCC sends for a member school for one financial year."""

    class Meta:
        model = SchoolBudget

    school = factory.SubFactory(SchoolFactory)
    year = factory.LazyFunction(this_year)
    notional_sen_budget = Decimal("100000.00")
    historic_hnf_allocation = Decimal("0.00")
