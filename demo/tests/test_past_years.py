"""The demo's two years of the first area's past (demo/past_years.py), seeded once for the
module as ``make run`` seeds it (committed, so its emails go), and the database emptied
after: the seed takes about a minute on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
from collections import Counter

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from budgets.models import CosBudget, MonthlyStatement, Payment
from communities.models import CommunityOfSchools, User
from demo.activity import as_on
from demo.tests.database import empty_as_migrated
from kentlocality.financial_years import financial_year_of, quarter_of
from reporting.models import Report
from requests.models import Decision, Handoff, Meeting, ResourceRequest, TimelineEvent
from requests.notifications.models import Notification
from tests.ledger_checks import first_paid_copies_that_differ

# Every test of this module in one process (make test's --dist loadgroup), so the
# history is seeded once in the run, not once in each process.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo_past_years")]


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    out = io.StringIO()
    with django_db_blocker.unblock(), override_settings(DEBUG=True, DEMO_PAST_YEARS=True):
        call_command("seed_demo", stdout=out)
    yield out.getvalue()
    with django_db_blocker.unblock():
        # Leave the database as the other tests expect it: as migrated.
        empty_as_migrated()


@pytest.fixture
def first(seeded) -> CommunityOfSchools:
    return CommunityOfSchools.objects.order_by("pk").first()


def _meetings_about_every_half_term(first: CommunityOfSchools) -> None:
    dates = sorted(
        Meeting.objects.filter(community=first, state=Meeting.State.CLOSED).values_list(
            "date", flat=True
        )
    )
    assert len(set(dates)) >= 10
    assert len({financial_year_of(day) for day in dates}) >= 2
    assert (dates[-1] - dates[0]).days > 450
    # About every half term: never more than the summer holidays between two meetings.
    assert max((b - a).days for a, b in itertools.pairwise(dates)) < 110
    for community in CommunityOfSchools.objects.filter(area=first.area_id):
        assert Meeting.objects.filter(community=community, state="closed").count() >= 10
    # The other areas have no past: the demo's history is the first area's.
    assert not Meeting.objects.exclude(community__area=first.area_id).exists()
    # The first CoS has the richest history.
    per_cos = Counter(
        ResourceRequest.objects.filter(community__area=first.area_id).values_list(
            "community_id", flat=True
        )
    )
    assert per_cos.most_common(1)[0][0] == first.pk


def _every_outcome_and_none_before_its_request_was_sent(first: CommunityOfSchools) -> None:
    decisions = Decision.objects.filter(request__community=first).select_related(
        "request", "meeting"
    )
    assert set(decisions.values_list("outcome", flat=True)) == set(Decision.Outcome.values)
    assert decisions.filter(is_interim=True).exists()
    for decision in Decision.objects.select_related("request", "meeting"):
        sent = timezone.localdate(decision.request.first_submitted_at)
        assert sent <= decision.decision_date, decision.request.reference
        if decision.meeting is not None:
            assert decision.decision_date == decision.meeting.date
            assert sent < decision.decision_date
    # Requests were sent about two weeks before the meeting that first decided them.
    first_say = {}
    for decision in Decision.objects.filter(meeting__isnull=False).order_by("-decided_at"):
        first_say[decision.request_id] = decision
    waits = sorted(
        (d.decision_date - timezone.localdate(d.request.first_submitted_at)).days
        for d in first_say.values()
    )
    assert 10 <= waits[len(waits) // 2] <= 21


def _awards_acknowledged_and_paid_mostly_on_time(first: CommunityOfSchools) -> None:
    handoffs = Handoff.objects.filter(request__community__area=first.area_id)
    acknowledged = handoffs.filter(acknowledged_at__isnull=False)
    late = acknowledged.filter(breached_at__isnull=False).count()
    assert 0 < late < acknowledged.count() / 4
    paid_after = []
    for payment in Payment.objects.all():
        handoff = handoffs.get(request__reference=payment.allocation.reference)
        paid_after.append((payment.paid_on - handoff.decision_date).days)
    within = sum(days <= 30 for days in paid_after)
    assert within > len(paid_after) / 2
    assert len(paid_after) > within  # and some later than 30 days
    instalments = Counter(Payment.objects.values_list("allocation_id", flat=True))
    assert 2 in instalments.values()
    # A few awards of the last past meetings are not paid yet (besides the held meeting's).
    held = Meeting.objects.filter(community=first, state="closed").order_by("-date").first()
    unpaid = handoffs.filter(decision_date__lt=held.date).exclude(
        request__reference__in=Payment.objects.values("allocation__reference")
    )
    assert 0 < unpaid.count() < acknowledged.count() / 5
    # Award periods run across terms, some over 31 March.
    awards = Decision.objects.filter(allocation__isnull=False)
    assert any(financial_year_of(d.start_date) != financial_year_of(d.end_date) for d in awards)


def _nothing_dated_after_today() -> None:
    today, now = timezone.localdate(), timezone.now()
    assert not ResourceRequest.objects.filter(submitted_at__gt=now).exists()
    assert not Decision.objects.filter(decided_at__gt=now).exists()
    assert not Decision.objects.filter(decision_date__gt=today).exists()
    assert not Payment.objects.filter(paid_on__gt=today).exists()
    assert not Handoff.objects.filter(acknowledged_at__gt=now).exists()
    assert not Meeting.objects.filter(state="closed", date__gt=today).exists()
    assert not TimelineEvent.objects.filter(at__gt=now).exists()
    assert not Notification.objects.filter(created_at__gt=now).exists()
    assert not MonthlyStatement.objects.filter(month__gt=today).exists()
    # Only the demo's next meeting is ahead.
    assert Meeting.objects.filter(date__gt=today).count() == 1


def _last_years_budgets_and_monthly_updates(first: CommunityOfSchools) -> None:
    last_year = financial_year_of(timezone.localdate()) - 1
    communities = CommunityOfSchools.objects.filter(area=first.area_id)
    assert CosBudget.objects.filter(community__in=communities, year=last_year).count() == (
        communities.count()
    )
    statements = MonthlyStatement.objects.filter(community=first)
    assert statements.filter(year=last_year).count() == 12
    assert statements.filter(year=last_year).order_by("-month").first().committed > 0
    chair = User.objects.get(email="chair@example.org")
    client = Client()
    client.force_login(chair)
    page = client.get(reverse("budgets:finance", args=[first.pk]), {"year": last_year})
    assert page.status_code == 200
    assert page.context["position"].committed > 0
    assert client.get(reverse("budgets:statements", args=[first.pk])).status_code == 200


def _decided_on_board_page(client, area_id: int) -> int:
    page = client.get(reverse("reporting:board", args=[area_id]))
    assert page.status_code == 200
    found = re.search(r"Decisions made</th><td[^>]*>([^<]+)</td>", page.content.decode())
    return int(found.group(1))


def _board_page_showed_decisions_in_each_of_the_last_four_quarters(
    first: CommunityOfSchools,
) -> None:
    """The board's page shows the quarter to date: opened on the last day of each of the
    last four quarters, it showed that quarter's decisions."""
    client = Client()
    client.force_login(User.objects.get(email="board@example.org"))
    quarter = quarter_of(timezone.localdate())
    for _ in range(4):
        quarter = quarter.previous()
        with as_on(quarter.end, 18):
            assert _decided_on_board_page(client, first.area_id) > 0, quarter.label


def _last_quarters_area_pdf_lists_its_decisions(first: CommunityOfSchools) -> None:
    last_quarter = quarter_of(timezone.localdate()).previous()
    report = Report.objects.get(
        area=first.area_id, period_start=last_quarter.start, period_end=last_quarter.end
    )
    assert report.state == Report.State.READY, report.failure_reason
    with report.pdf.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    decided = Decision.objects.filter(
        request__community__area=first.area_id,
        decision_date__range=(last_quarter.start, last_quarter.end),
    )
    assert decided.count() >= 20
    assert f"Decisions made {decided.count()}" in text
    for outcome in ("Approved", "Part-approved", "Declined"):
        assert outcome in text


# Each test ends with a scan of every notification for the pupils' names (tests/fixtures.py),
# some 15 s over the past's notifications: the checks are grouped in a few tests.


def test_two_years_of_meetings_decisions_and_payments(seeded, first):
    assert "Two years of the first area's past" in seeded
    _meetings_about_every_half_term(first)
    _every_outcome_and_none_before_its_request_was_sent(first)
    _awards_acknowledged_and_paid_mostly_on_time(first)
    _nothing_dated_after_today()
    # Each hand-off's copy of its first payment's date, kept by the payment services.
    assert Handoff.objects.filter(first_paid_on__isnull=False).count() > 300
    assert first_paid_copies_that_differ() == []


def test_the_boards_pages_budgets_and_reports_show_the_past(seeded, first):
    _board_page_showed_decisions_in_each_of_the_last_four_quarters(first)
    _last_quarters_area_pdf_lists_its_decisions(first)
    _last_years_budgets_and_monthly_updates(first)


def test_the_recent_activity_is_as_without_the_past(seeded, first):
    """The demo's held meeting, its hand-offs and the demo SENCO's notifications are those
    the recent activity made (demo/tests/test_seed.py checks them without the past)."""
    held = Meeting.objects.filter(community=first, state="closed").order_by("-date").first()
    decisions = Decision.objects.filter(meeting=held)
    assert decisions.count() == 6
    assert held.date < timezone.localdate()
    handoffs = Handoff.objects.filter(decision__in=decisions)
    assert handoffs.count() == 3
    assert all(h.due_date > timezone.localdate() for h in handoffs)
    senco = User.objects.get(email="senco@example.org")
    subjects = Notification.objects.filter(user=senco, kind="decision").order_by("created_at", "pk")
    assert [s.split(" ", 1)[1] for s in subjects.values_list("subject", flat=True)] == [
        "approved",
        "declined",
        "needs more information",
    ]
    assert set(Notification.objects.filter(user=senco).values_list("email_state", flat=True)) == {
        "sent"
    }
    # Kept 12 months, as the nightly purge keeps them.
    assert not Notification.objects.filter(
        created_at__lt=timezone.now() - dt.timedelta(days=367)
    ).exists()
