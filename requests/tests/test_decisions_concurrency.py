"""Two decisions recorded at the same moment must never both pass a budget check that
only one fits. Two real transactions on PostgreSQL, in two threads."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from budgets.models import Allocation
from budgets.selectors import budget_position
from budgets.services import OverBudget
from communities.models import User
from kentlocality.financial_years import financial_year_of, year_bounds
from requests.models import Decision
from requests.services import decision_record, interim_decision_record
from tests.worlds.cos import make_cos
from tests.worlds.steps import approval

pytestmark = pytest.mark.django_db(transaction=True)


def _race(calls) -> list[str]:
    """Run each call in its own thread and database connection, all released at once."""
    barrier = threading.Barrier(len(calls))
    results: list[str] = [""] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            call()
            results[index] = "recorded"
        except OverBudget:
            results[index] = "over budget"
        except Exception as exc:  # a deadlock or anything else fails the test below
            results[index] = repr(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def _award_dates() -> tuple[dt.date, dt.date]:
    # Inside one financial year, so each award falls wholly on the year of the check.
    start = year_bounds(financial_year_of(timezone.localdate()))[0] + dt.timedelta(days=10)
    return start, start + dt.timedelta(days=20)


def test_two_decisions_at_two_meetings_at_once_only_one_fits():
    cos = make_cos()
    year = financial_year_of(timezone.localdate())
    cos.budget(year, "10000.00")
    start, end = _award_dates()
    # Two meetings, so that nothing but the budget row lock stands between the two.
    first = cos.on_agenda(cos.meeting(), amount=Decimal("8000.00"), start_date=start, end_date=end)
    second = cos.on_agenda(cos.meeting(), amount=Decimal("7000.00"), start_date=start, end_date=end)
    chair_id = cos.chair.pk

    def decide(item_id):
        return lambda: decision_record(
            actor=User.objects.get(pk=chair_id), item_id=item_id, award=approval()
        )

    results = _race([decide(first.pk), decide(second.pk)])

    assert sorted(results) == ["over budget", "recorded"], results
    assert Decision.objects.count() == 1
    assert Allocation.objects.count() == 1
    position = budget_position(cos.community.pk, year)
    assert position.remaining >= 0
    assert position.committed == Decision.objects.get().amount


def test_an_interim_decision_and_a_meeting_decision_at_once_only_one_fits():
    cos = make_cos()
    year = financial_year_of(timezone.localdate())
    cos.budget(year, "10000.00")
    start, end = _award_dates()
    item = cos.on_agenda(cos.meeting(), amount=Decimal("6000.00"), start_date=start, end_date=end)
    exceptional = cos.request(
        amount=Decimal("6000.00"),
        start_date=start,
        end_date=end,
        is_exceptional=True,
        exceptional_reason="tribunal",
        exceptional_why_now="Tribunal order",
    )
    chair_id = cos.chair.pk

    results = _race(
        [
            lambda: decision_record(
                actor=User.objects.get(pk=chair_id), item_id=item.pk, award=approval()
            ),
            lambda: interim_decision_record(
                actor=User.objects.get(pk=chair_id), request_id=exceptional.pk, award=approval()
            ),
        ]
    )

    assert sorted(results) == ["over budget", "recorded"], results
    assert budget_position(cos.community.pk, year).committed == Decimal("6000.00")
