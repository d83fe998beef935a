"""Requests and meetings in their initial state: a complete draft, a scheduled meeting.
Every later state (submitted, on an agenda, decided, acknowledged, paid) is reached
through the services: tests/worlds/steps.py."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from communities.tests.factories import (
    CommunityFactory,
    SchoolFactory,
    make_chair,
    make_officer,
    make_senco,
)
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
    start_time = dt.time(16)
    place = "Hall"
    created_by = factory.LazyAttribute(lambda o: o.community.chair or make_chair(o.community))


def submitted(**kwargs) -> ResourceRequest:
    """A submitted request, reached through the real service."""
    from requests.services import request_submit

    draft = DraftFactory(**kwargs)
    return request_submit(actor=draft.created_by, request_id=draft.pk, declaration=True)


__all__ = [
    "VALID_UPN",
    "DraftFactory",
    "decided",
    "make_chair",
    "make_officer",
    "make_senco",
    "submitted",
]


def decided(
    outcome: str = "approved", *, amount=None, reason: str = "", **kwargs
) -> ResourceRequest:
    """A request decided at a meeting of its CoS, through the real services."""
    from requests.services import agenda_add, decision_record, meeting_create
    from requests.services.decisions import Award

    request = submitted(**kwargs)
    chair = request.community.chair or make_chair(request.community)
    meeting = meeting_create(
        actor=chair,
        community=request.community,
        date=timezone.localdate(),
        start_time=dt.time(16, 0),
        place="Village hall",
    )
    item = agenda_add(actor=chair, meeting_id=meeting.pk, request_id=request.pk)
    decision_record(
        actor=chair,
        item_id=item.pk,
        award=Award(
            outcome=outcome,
            amount=amount,
            reason=reason or ("" if outcome == "approved" else "Reason given at the meeting"),
            confirm_over_budget=True,
            over_budget_reason="Agreed at the meeting",
        ),
    )
    request.refresh_from_db()
    return request
