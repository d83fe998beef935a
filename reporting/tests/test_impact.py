"""The reports' "Impact" section against a hand-worked quarter (April to June 2027): awards
in force whose end date falls in the quarter, how many their schools reviewed, and the
reviewed outcomes achieved, partly achieved or not.

CoS 1 (North): A ends 30 June, reviewed (achieved, partly, not); B ends 15 May, not
reviewed; C ends 1 July (after the quarter), reviewed; D was declined (no award).
CoS 2 (North): E ends 2 April, reviewed (achieved, achieved).
By hand: CoS 1 ended 2, reviewed 1, outcomes 1 / 1 / 1; CoS 2 ended 1, reviewed 1,
outcomes 2 / 0 / 0; the area ended 3, reviewed 2, outcomes 3 / 1 / 1."""

import datetime as dt
from decimal import Decimal

import pytest
from django.template.loader import render_to_string

from communities.tests.factories import CommunityFactory, SchoolFactory, area
from reporting.figures import report_figures
from requests.services.reviews import OutcomeResult, award_review_record
from requests.tests.factories import DraftFactory
from tests.worlds.steps import clock, decided, on_agenda, scheduled, submitted

pytestmark = pytest.mark.django_db

D = dt.date
START, END = D(2027, 4, 1), D(2027, 6, 30)


def _decided(school, end, outcomes, outcome="approved"):
    with clock(D(2026, 12, 1)):
        request = submitted(
            DraftFactory(
                school=school,
                outcomes="\n".join(f"Outcome {n}" for n in range(1, outcomes + 1)),
                amount=Decimal("3000.00"),
                start_date=D(2027, 1, 11),
                end_date=end,
            )
        )
        meeting = scheduled(request.community, date=D(2027, 1, 4))
        item = on_agenda(request, meeting=meeting)
    with clock(D(2027, 1, 4), 18):
        return decided(outcome, item=item)


def _reviewed(request, *results):
    with clock(request.decision.end_date):
        award_review_record(
            actor=request.created_by,
            request_id=request.pk,
            results=[OutcomeResult(r, "Seen in class") for r in results],
        )


@pytest.fixture
def quarter():
    north = area("North")
    one = SchoolFactory(community=CommunityFactory(area=north, name="Alpha CoS"))
    two = SchoolFactory(community=CommunityFactory(area=north, name="Beta CoS"))
    _reviewed(_decided(one, D(2027, 6, 30), 3), "achieved", "partly", "not")
    _decided(one, D(2027, 5, 15), 2)
    _reviewed(_decided(one, D(2027, 7, 1), 1), "not")
    _decided(one, D(2027, 6, 1), 1, outcome="declined")
    _reviewed(_decided(two, D(2027, 4, 2), 2), "achieved", "achieved")
    return north, one.community, two.community


def _impact(figures):
    i = figures.impact
    return (i.ended, i.reviewed, i.achieved, i.partly, i.not_achieved)


def test_the_impact_figures_match_the_hand_worked_quarter(quarter):
    north, one, _two = quarter
    report = report_figures(area_id=north.pk, start=START, end=END)
    by_name = {s.name: s for s in report.sections}
    assert _impact(by_name["Alpha CoS"]) == (2, 1, 1, 1, 1)
    assert _impact(by_name["Beta CoS"]) == (1, 1, 2, 0, 0)
    assert _impact(report.total) == (3, 2, 3, 1, 1)
    alone = report_figures(community_id=one.pk, start=START, end=END)
    assert _impact(alone.total) == (2, 1, 1, 1, 1)


def test_the_reports_figures_show_the_impact_section(quarter):
    """The include every report shows its figures with: the board's and the CoS's pages and
    the PDF."""
    _north, one, _two = quarter
    report = report_figures(community_id=one.pk, start=START, end=END)
    html = render_to_string(
        "reporting/includes/figures.html",
        {"f": report.total, "period": report.period, "chart_id": "t", "show_attendance": False},
    )
    assert "Impact" in html
    # Counts from 1 to 4 stay hidden here as in every other section (issue 16).
    assert (
        "Awards ending in the period: fewer than 5; reviewed by their school: fewer than 5." in html
    )
    assert "Planned outcomes of the reviewed awards: fewer than 5" in html
    assert ">fewer than 5</td>" in html and ">0</td>" in html  # achieved... and none partly


def test_impact_counts_follow_the_small_number_rule_across_the_area(quarter):
    """Alpha's 2 awards ended and Beta's 1 are hidden, and so is the area's 3, so no
    reader can take one from the other."""
    north, _one, _two = quarter
    report = report_figures(area_id=north.pk, start=START, end=END)
    counts = [s.counts["impact_ended"] for s in report.sections] + [
        report.total.counts["impact_ended"]
    ]
    assert counts == ["fewer than 5"] * 3
