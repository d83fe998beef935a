"""Requests and meetings in their initial state: a complete draft, a scheduled meeting.
Every later state (submitted, on an agenda, decided, acknowledged, paid) is reached
through the services: tests/worlds/steps.py."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from communities.tests.factories import CommunityFactory, SchoolFactory, make_chair, make_senco
from requests.models import Meeting, ResourceRequest

VALID_UPN = "E886200026001"  # Kent (886), school 2000, 2026, pupil 001; checked with stdnum


class DraftFactory(factory.django.DjangoModelFactory):
    """A complete draft, ready to submit, by a new SENCO of its school."""

    class Meta:
        model = ResourceRequest

    school = factory.SubFactory(SchoolFactory)
    created_by = factory.LazyAttribute(lambda o: make_senco(o.school))
    first_name = "Alex"
    last_name = "Example"
    date_of_birth = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=365 * 8))
    upn = VALID_UPN
    year_group = "3"
    sen_provision = "K"
    primary_need = "SLCN"
    secondary_need = "SEMH"
    home_la = "kent"
    consent_given = True
    consent_date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=10))
    receives_saf = False
    needs_summary = "Speech and language needs affecting access to the curriculum."
    graduated_assess = "Speech and language therapy assessment in September."
    graduated_plan = "Small-group language intervention three times a week."
    graduated_do = "Delivered by a trained teaching assistant for two terms."
    graduated_review = "Reviewed termly with parents: progress slower than expected."
    current_provision = "Teaching assistant support, 10 hours a week."
    current_cost = Decimal("6000.00")
    funding_purpose = "One-to-one support from a specialist teaching assistant."
    amount = Decimal("8000.00")
    start_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))
    end_date = factory.LazyAttribute(lambda o: o.start_date + dt.timedelta(days=300))
    outcomes = "Pupil able to follow classroom instructions independently."
    review_arrangements = "Termly review with the SENCO and parents."
    is_exceptional = False


class MeetingFactory(factory.django.DjangoModelFactory):
    """A scheduled meeting, made directly: only for one the chair's service refuses to
    schedule (one in the past, say). Otherwise schedule it with ``scheduled`` in
    tests/worlds/steps.py, which also puts interim decisions waiting for ratification on
    its agenda, as the service does."""

    class Meta:
        model = Meeting

    community = factory.SubFactory(CommunityFactory)
    date = factory.LazyFunction(timezone.localdate)
    start_time = dt.time(0, 0)  # started at any time of the day the tests run
    place = "Hall"
    created_by = factory.LazyAttribute(lambda o: o.community.chair or make_chair(o.community))
