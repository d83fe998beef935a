"""The budget position of a CoS, to the penny, reached through real decisions, a revised
interim decision, payments and a reversal."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from budgets.selectors import budget_effect, budget_position, budget_positions
from communities.tests.factories import make_officer
from kentlocality.financial_years import financial_year_of
from requests.services import decision_revise, payment_reverse
from requests.services.decisions import Award
from tests.worlds.cos import make_cos
from tests.worlds.steps import acknowledged, approval, decided, interim_decided, paid

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def this_year() -> int:
    return financial_year_of(timezone.localdate())


def test_budget_position_to_the_penny(this_year):
    cos = make_cos()
    cos.budget(this_year, "123456.78")
    cos.budget(this_year + 1, "50000.00")
    other = make_cos()
    other.budget(this_year, "1000.00")
    officer = make_officer(cos.community.area)
    meeting = cos.meeting()
    nxt = this_year + 1

    # 1 March to 30 April of next calendar year: 31 days in this financial year and 30 in
    # the next, 61 in all. £1,000.00 splits into £508.20 and £491.80.
    split = cos.on_agenda(
        meeting, amount=Decimal("1000.00"), start_date=D(nxt, 3, 1), end_date=D(nxt, 4, 30)
    )
    decided(item=split)
    part = cos.on_agenda(
        meeting,
        amount=Decimal("5000.00"),
        start_date=D(this_year, 4, 1),
        end_date=D(this_year, 9, 30),
    )
    decided("part_approved", item=part, amount=Decimal("3333.33"))
    declined = cos.on_agenda(meeting, amount=Decimal("9999.99"))
    decided("declined", item=declined, reason="No")
    deferred = cos.on_agenda(meeting, amount=Decimal("7777.77"))
    decided("deferred", item=deferred, reason="Later")
    # An interim award of £1,000.01, revised at the meeting to £500.00: only the
    # revision counts.
    exceptional = cos.request(
        amount=Decimal("1000.01"),
        start_date=D(this_year, 6, 1),
        end_date=D(this_year, 8, 31),
        is_exceptional=True,
        exceptional_reason="tribunal",
        exceptional_why_now="Order",
    )
    interim_decided(exceptional, award=approval())
    ratification = meeting.items.get(kind="ratification")
    decision_revise(
        actor=cos.chair,
        item_id=ratification.pk,
        award=Award(outcome="", amount=Decimal("500.00"), reason="Shorter placement"),
    )
    # Payments: £1,111.11 on the part-approval; £200.00 on the split award, reversed.
    for item in (split, part):
        acknowledged(item.request, officer=officer)
    paid(part.request, "1111.11", officer=officer, finance_reference="FIN-PART", method="one_off")
    mistaken = paid(
        split.request, "200.00", officer=officer, finance_reference="FIN-SPLIT", method="one_off"
    )
    payment_reverse(actor=officer, payment_id=mistaken.pk, reason="Paid to the wrong school")
    # Another CoS's decision changes nothing here.
    elsewhere = other.on_agenda(
        other.meeting(),
        amount=Decimal("400.00"),
        start_date=D(this_year, 5, 1),
        end_date=D(this_year, 6, 30),
    )
    decided(item=elsewhere)

    positions = budget_positions([cos.community.pk, other.community.pk], this_year)
    mine = positions[cos.community.pk]
    assert mine.total == Decimal("123456.78")
    assert mine.committed == Decimal("4341.53")  # 508.20 + 3,333.33 + 500.00
    assert mine.paid == Decimal("1111.11")
    assert mine.remaining == Decimal("119115.25")
    assert mine.year_label == f"{this_year}-{(this_year + 1) % 100:02d}"

    following = budget_position(cos.community.pk, this_year + 1)
    assert (following.committed, following.remaining) == (
        Decimal("491.80"),
        Decimal("49508.20"),
    )
    theirs = positions[other.community.pk]
    assert (theirs.committed, theirs.remaining) == (Decimal("400.00"), Decimal("600.00"))

    # As it stood at the end of yesterday: nothing decided or paid yet.
    yesterday = budget_position(
        cos.community.pk, this_year, as_at=timezone.localdate() - dt.timedelta(days=1)
    )
    assert (yesterday.committed, yesterday.paid, yesterday.remaining) == (
        Decimal("0.00"),
        Decimal("0.00"),
        Decimal("123456.78"),
    )


def test_a_cos_without_a_budget_has_a_zero_position(this_year):
    cos = make_cos()
    position = budget_position(cos.community.pk, this_year)
    assert (position.total, position.committed, position.paid, position.remaining) == (
        Decimal("0.00"),
        Decimal("0.00"),
        Decimal("0.00"),
        Decimal("0.00"),
    )
    assert position.share_used is None


def test_budget_effect_of_an_award_before_it_is_decided(this_year):
    cos = make_cos()
    cos.budget(this_year, "1000.00")
    cos.budget(this_year + 1, "300.00")
    nxt = this_year + 1
    effects = budget_effect(cos.community.pk, Decimal("1000.00"), D(nxt, 3, 1), D(nxt, 4, 30))
    assert [(e.position.year, e.share, e.remaining_after, e.goes_below_zero) for e in effects] == [
        (this_year, Decimal("508.20"), Decimal("491.80"), False),
        (nxt, Decimal("491.80"), Decimal("-191.80"), True),
    ]
