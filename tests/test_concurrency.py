"""Many things at once on PostgreSQL, each in its own thread and connection: decisions
against one budget, and hand-off sends. Totals stay right; each email goes once."""

from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from budgets.models import Allocation
from budgets.selectors import budget_position
from communities.models import User
from communities.tests.factories import area, make_officer
from kentlocality.celery import app
from kentlocality.financial_years import financial_year_of
from requests.models import Handoff
from requests.services import decision_record, handoff_send
from requests.tests.test_decisions_concurrency import _award_dates, _race
from tests.fixtures import broker_unreachable
from tests.worlds.cos import make_cos
from tests.worlds.steps import approval

pytestmark = pytest.mark.django_db(transaction=True)


def test_eight_decisions_at_once_against_one_budget_only_the_three_that_fit_pass():
    cos = make_cos()
    year = financial_year_of(timezone.localdate())
    cos.budget(year, "10000.00")
    start, end = _award_dates()
    items = [
        cos.on_agenda(cos.meeting(), amount=Decimal("3000.00"), start_date=start, end_date=end)
        for _ in range(8)
    ]
    chair_id = cos.chair.pk

    def decide(item_id):
        return lambda: decision_record(
            actor=User.objects.get(pk=chair_id), item_id=item_id, award=approval()
        )

    results = _race([decide(item.pk) for item in items])

    assert sorted(results) == ["over budget"] * 5 + ["recorded"] * 3, results
    assert Allocation.objects.count() == 3
    position = budget_position(cos.community.pk, year)
    assert position.committed == Decimal("9000.00")
    assert position.remaining == Decimal("1000.00")


def test_many_senders_at_once_send_each_hand_off_once(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    cos = make_cos()
    make_officer(area("North"), email="officer.many@example.org")
    cos.budget(financial_year_of(timezone.localdate()), "100000.00")
    start, end = _award_dates()
    app.conf.task_always_eager = False  # tasks go to the (unreachable) broker
    try:
        with broker_unreachable():  # the hand-offs wait in the database, unsent
            for _ in range(4):
                item = cos.on_agenda(
                    cos.meeting(), amount=Decimal("1000.00"), start_date=start, end_date=end
                )
                decision_record(actor=cos.chair, item_id=item.pk, award=approval())
    finally:
        app.conf.task_always_eager = True
    handoffs = list(Handoff.objects.values_list("pk", flat=True))
    assert len(handoffs) == 4 and not Handoff.objects.filter(sent_at__isnull=False).exists()
    mail.outbox = []

    results = _race(
        [lambda pk=pk: handoff_send(handoff_id=pk) for pk in handoffs for _ in range(3)]
    )

    assert results == ["recorded"] * 12, results
    assert Handoff.objects.filter(sent_at__isnull=False).count() == 4
    subjects = sorted(m.subject for m in mail.outbox if m.subject.startswith("Approved Request"))
    assert len(subjects) == 4 and len(set(subjects)) == 4
