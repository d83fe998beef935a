"""The history loaded for Kent scale follows the service's own rules."""

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Sum

from budgets.models import Allocation, MonthlyStatement, Payment
from budgets.selectors import budget_position
from budgets.statements import month_end
from demo.history import seed_history
from demo.places import seed_places_and_people
from demo.tests.database import empty_as_migrated
from requests.models import AgendaItem, Decision, Handoff, Meeting, ResourceRequest
from requests.services import request_submit
from requests.tests.factories import DraftFactory
from requests.workflow import FUNDED_STATUSES, TRANSITIONS, Status
from tests.ledger_checks import first_paid_copies_that_differ

# Every test of this module in one process (make test's --dist loadgroup), so the
# history is seeded once in the run, not once in each process.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo_history")]


@pytest.fixture(scope="module")
def history(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        seed_places_and_people("unused-password-here")
        counts = seed_history(years=2)
    yield counts
    with django_db_blocker.unblock():
        # Leave the database as the other tests expect it: as migrated.
        empty_as_migrated()


def test_history_has_kent_scale_per_year(history):
    per_cos_year = history.requests / 53 / 2
    assert 60 <= per_cos_year <= 130
    assert history.payments > history.requests * 0.5
    assert history.meetings >= 53 * 6
    assert Meeting.objects.filter(state="scheduled").count() == 53


def test_statuses_agree_with_decisions_and_the_transition_table(history):
    reachable = set(Status.values)
    assert set(ResourceRequest.objects.values_list("status", flat=True)) <= reachable
    funded = ResourceRequest.objects.filter(status__in=FUNDED_STATUSES)
    assert funded.count() == Allocation.objects.count() == Handoff.objects.count()
    assert not funded.filter(
        decision__outcome__in=["declined", "deferred", "more_information"]
    ).exists()
    assert (
        not ResourceRequest.objects.filter(status="declined")
        .exclude(decision__outcome="declined")
        .exists()
    )
    # Every closed request is paid in full; nothing is paid more than awarded.
    paid = dict(
        Payment.objects.values_list("allocation__decision__request_id").annotate(
            total=Sum("amount")
        )
    )
    # Each award's allocation holds its request's school and reference.
    assert not Allocation.objects.exclude(
        school=F("decision__request__school"), reference=F("decision__request__reference")
    ).exists()
    for request in ResourceRequest.objects.filter(status="closed").select_related("decision"):
        assert paid[request.pk] == request.decision.amount
    # Each hand-off's copy of its first payment's date, as the payment services keep it.
    assert Handoff.objects.filter(first_paid_on__isnull=False).count() == len(paid)
    assert first_paid_copies_that_differ() == []
    assert not Decision.objects.filter(item__isnull=True, is_interim=False).exists()
    assert not AgendaItem.objects.filter(meeting__state="closed", outcome="").exists()
    assert TRANSITIONS  # the table the statuses were built from


def test_monthly_statements_match_the_one_budget_computation(history):
    latest = MonthlyStatement.objects.order_by("-month").first()
    for statement in MonthlyStatement.objects.filter(month=latest.month)[:10]:
        position = budget_position(
            statement.community_id, statement.year, as_at=month_end(statement.month)
        )
        assert (statement.total, statement.committed, statement.paid) == (
            position.total,
            position.committed,
            position.paid,
        )
        assert statement.monthly[-1]["committed_to_date"] == str(position.committed)


def test_new_requests_get_fresh_references_after_the_history(history):
    assert (
        ResourceRequest.objects.values("reference").annotate(n=Count("pk")).filter(n__gt=1).count()
        == 0
    )
    draft = DraftFactory(school=ResourceRequest.objects.first().school)
    submitted = request_submit(actor=draft.created_by, request_id=draft.pk, declaration=True)
    assert ResourceRequest.objects.filter(reference=submitted.reference).count() == 1


def test_a_second_load_changes_nothing(history, settings, capsys):
    settings.DEBUG = True
    before = ResourceRequest.objects.count()
    call_command("seed_demo", "--years", "2")
    assert "History is already loaded; nothing changed." in capsys.readouterr().out
    assert ResourceRequest.objects.count() == before
