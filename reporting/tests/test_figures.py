"""Every figure of a report against the quarter worked out by hand in tests/worlds/quarter.py."""

import datetime as dt
from decimal import Decimal

import pytest

from kentlocality.financial_years import Quarter
from reporting.figures import breakdown, report_figures
from tests.worlds import quarter
from tests.worlds.quarter import ASHDOWN

pytestmark = pytest.mark.django_db


@pytest.fixture
def s():
    return quarter.build()


def q2_area(s):
    return report_figures(area_id=s.area.pk, start=s.quarter.start, end=s.quarter.end)


def test_a_cos_figures_match_the_hand_computed_quarter(s):
    f = report_figures(community_id=s.cos_a.pk, start=s.quarter.start, end=s.quarter.end).total
    assert f.name == "Ashdown CoS"
    assert f.received == ASHDOWN["received"]
    assert f.requested_amount == ASHDOWN["requested_amount"]
    assert f.exceptional == ASHDOWN["exceptional"]
    assert dict(f.outcomes.counts) == ASHDOWN["outcomes"]
    assert f.decided == ASHDOWN["decided"]
    assert f.interim == ASHDOWN["interim"]
    assert f.revisions == ASHDOWN["revisions"]
    assert f.approved_count == ASHDOWN["approved_count"]
    assert f.approved_amount == ASHDOWN["approved_amount"]
    assert f.approval_rate == ASHDOWN["approval_rate"]
    assert f.median_days_to_decision == ASHDOWN["median_days_to_decision"]
    assert f.budget.total == ASHDOWN["budget_total"]
    assert f.budget.committed == ASHDOWN["committed"]
    assert f.budget.paid == ASHDOWN["paid"]
    assert f.budget.remaining == ASHDOWN["remaining"]
    assert f.budget.share_used == Decimal("0.308")
    assert f.funded_pupils == ASHDOWN["funded_pupils"]
    assert f.spend_per_funded_pupil == ASHDOWN["spend_per_funded_pupil"]
    assert f.over_budget == 0


def test_timeliness_as_things_stood_at_the_end_of_the_quarter(s):
    t = report_figures(
        community_id=s.cos_a.pk, start=s.quarter.start, end=s.quarter.end
    ).total.timeliness
    # Approvals dated in Q2: R0 (1 July), R7 (12 August, interim), R8 (15 September),
    # R2, R4, R11, R12 (30 September).
    assert t.approvals == 7
    # R0 acknowledged 3 July (due 6 July): on time, 2 working days. R7 acknowledged
    # 20 August (due 17 August): late, 6 working days. R8 due 18 September, never
    # acknowledged: overdue. The four of 30 September are due 5 October: not yet due.
    assert (t.handoff_on_time, t.handoff_late, t.handoff_overdue, t.handoff_pending) == (
        1,
        1,
        1,
        4,
    )
    assert t.handoff_share == Decimal(1) / Decimal(3)
    assert t.handoff_median == 4
    assert t.handoff_breaches == 2
    # R0 paid 10 August (due 12 August): on time, 28 working days. R7 due 24 September
    # (the bank holiday of 31 August skipped), not paid: overdue. The rest not yet due.
    assert (t.payment_on_time, t.payment_late, t.payment_overdue, t.payment_pending) == (
        1,
        0,
        1,
        5,
    )
    assert t.payment_share == Decimal("0.5")
    assert t.payment_median == 28
    assert t.payment_breaches == 1
    # R5, approved 30 June, neither acknowledged (due 3 July) nor paid (due 11 August).
    assert (t.earlier_handoff_overdue, t.earlier_payment_overdue) == (1, 1)


def test_attendance_per_member_school_over_the_quarters_meetings(s):
    f = report_figures(community_id=s.cos_a.pk, start=s.quarter.start, end=s.quarter.end).total
    # Meetings of 1 July and 30 September; not 30 June nor 1 October. The special school
    # is not a member and is not listed.
    assert f.meetings == 2
    rows = {row.school: row for row in f.attendance}
    assert set(rows) == {"Ashdown Primary School", "Ashdown High School"}
    primary, high = rows["Ashdown Primary School"], rows["Ashdown High School"]
    assert (primary.present, primary.apologies, primary.absent, primary.not_recorded) == (
        1,
        1,
        0,
        0,
    )
    # Represented by the primary school on 1 July; its absence on 30 June is in Q1.
    assert (high.present, high.represented, high.absent, high.not_recorded) == (1, 1, 0, 1)


def test_an_area_report_has_its_own_cos_side_by_side_and_totals(s):
    f = q2_area(s)
    assert f.title == "North area"
    assert [c.name for c in f.sections] == ["Ashdown CoS", "Brookfield CoS"]
    total = f.total
    assert total.received == 9  # Brookfield's one request; Elsewhere CoS is in the East
    assert total.approved_count == 8
    assert total.approved_amount == Decimal("35300.00")
    assert total.budget.total == Decimal("150000.00")
    assert total.budget.committed == Decimal("34800.00")
    assert total.funded_pupils == 9
    assert total.spend_per_funded_pupil == Decimal("3866.67")
    brookfield = f.sections[1]
    assert brookfield.received_text == "fewer than 5"
    assert brookfield.approval_rate is None  # one decision only
    assert brookfield.spend_per_funded_pupil is None  # one funded pupil only
    assert brookfield.budget.share_used == Decimal("0.08")
    assert brookfield.median_days_to_decision == 7  # 1 July to 10 July


def test_small_counts_are_hidden_in_every_breakdown(s):
    ashdown = q2_area(s).sections[0]
    outcomes = {row.label: row.count_text for row in ashdown.outcome_breakdown.rows}
    # Approved 6 would be shown, but the area's total (7) less Ashdown's 6 would give
    # Brookfield's one approval away: so Ashdown's is hidden too.
    assert outcomes == {
        "Approved": "not shown",
        "Part-approved": "fewer than 5",
        "Declined": "fewer than 5",
        "Deferred": "fewer than 5",
        "More information asked for": "fewer than 5",
    }
    # Primary need: SLCN 6 and ASD 1. ASD is hidden, so SLCN is hidden too: otherwise
    # 7 - 6 would give ASD away. Neither amount is shown.
    need = {row.label: (row.count_text, row.shown_amount) for row in ashdown.need_breakdown.rows}
    assert need == {
        "Speech, Language and Communication Needs": ("not shown", None),
        "Autistic Spectrum Disorder": ("fewer than 5", None),
    }
    provision = ashdown.provision_breakdown.rows
    assert [(r.label, r.count_text, r.shown_amount) for r in provision] == [
        ("SEN Support", "7", Decimal("31300.00"))
    ]
    # Brookfield approved one request: its breakdowns are not shown at all.
    brookfield = q2_area(s).sections[1]
    assert all(b.withheld for b in brookfield.award_breakdowns)
    assert brookfield.outcome_breakdown.withheld


def test_decisions_on_the_boundary_days_fall_in_the_right_quarter(s):
    q1 = report_figures(
        community_id=s.cos_a.pk, start=dt.date(2026, 4, 1), end=dt.date(2026, 6, 30)
    )
    # R5 decided 30 June; R0 submitted 30 June at 23:30 in Kent is Q1's.
    assert dict(q1.total.outcomes.counts) == {"approved": 1}
    assert q1.total.received == 4  # R5, R1, R2, R0
    q3 = Quarter(2026, 3)
    later = report_figures(
        community_id=s.cos_a.pk, start=q3.start, end=q3.end, as_at=dt.date(2026, 11, 27)
    )
    assert dict(later.total.outcomes.counts) == {"approved": 1}  # R6, on 1 October
    assert later.total.received == 1  # R10, 1 October at 00:30
    assert later.period.last_day == dt.date(2026, 11, 27)


def test_apportionment_across_the_year_end(s):
    # R0 (£7,300, 1 January to 31 December 2027): 90 of its 365 days in 2026-27 (£1,800,
    # counted in Q2's committed above), the other 275 days in 2027-28.
    q1_next = report_figures(
        community_id=s.cos_a.pk, start=dt.date(2027, 4, 1), end=dt.date(2027, 6, 30)
    )
    assert q1_next.total.budget.year == 2027
    assert q1_next.total.budget.committed == Decimal("5500.00")


def test_breakdown_rules():
    shown = breakdown("t", [("a", 9, Decimal(9)), ("b", 7, Decimal(7))], heading="h")
    assert [r.count_text for r in shown.rows] == ["9", "7"]
    one_small = breakdown(
        "t", [("a", 9, Decimal(9)), ("b", 7, Decimal(7)), ("c", 2, Decimal(2))], heading="h"
    )
    # The smallest shown row is hidden with the small one.
    assert [r.count_text for r in one_small.rows] == ["9", "not shown", "fewer than 5"]
    assert [r.shown_amount for r in one_small.rows] == [Decimal(9), None, None]
    two_small = breakdown("t", [("a", 9, None), ("b", 1, None), ("c", 4, None)], heading="h")
    assert [r.count_text for r in two_small.rows] == ["9", "fewer than 5", "fewer than 5"]
    # Shown as one row naming them.
    assert [(r.label, r.count_text) for r in two_small.display_rows] == [
        ("a", "9"),
        ("Each fewer than 5: b; c", "fewer than 5"),
    ]
    assert breakdown("t", [("a", 5, None), ("b", 0, None)], heading="h").rows[0].count == 5
    assert len(breakdown("t", [("a", 5, None), ("b", 0, None)], heading="h").rows) == 1
    assert breakdown("t", [("a", 3, None)], heading="h").withheld
