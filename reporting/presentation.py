"""What the screen and the PDF of a report share: the figures, the ids of their charts and
the notes on how they are worked out."""

from __future__ import annotations

from django.utils.text import slugify

from budgets.payment_clock import PAID_ON_TIME_RULE

from .figures import KentFigures, ReportFigures

NOTES = [
    "Received: Requests for Resource first submitted in the period, counted in the "
    "Community of Schools the school belonged to when it submitted.",
    "Decided: decisions dated in the period, by outcome. A revision of an interim decision "
    "is counted as a revision, not as a new decision.",
    "Exceptional requests: received requests marked as exceptional. Interim decisions: "
    "decisions made outside a meeting.",
    "Amount requested: what the received requests asked for. Amount approved: approvals and "
    "part-approvals dated in the period, at the amount awarded, leaving out any that a "
    "revision has since replaced (a revision counts at its own date).",
    "Budget: the position for the financial year of the period's last day, as it stood at "
    "the end of that day, worked out as on the budget pages. Committed is the spend to date "
    "(approved awards, apportioned to financial years by days); paid is what the HNF "
    "Monitoring Officer has paid; share used is committed as a share of the total.",
    "Timeliness, for approvals dated in the period, as things stood at the end of the "
    "period: handed to the HNF Monitoring Officer within 3 working days when acknowledged "
    "on or before the hand-off's due date; paid on time as the payment clock says (next "
    "note). Medians are in working days from the decision to the acknowledgement or the "
    "first payment. Breaches: a hand-off acknowledged late or still waiting after its due "
    "date; a payment made late or still not made after its due date.",
    PAID_ON_TIME_RULE,
    "Attendance: each member school at the meetings of its Community of Schools held in "
    "the period, attended by its own representative or represented by another school.",
    "Side by side: approval rate is approvals and part-approvals among approvals, "
    "part-approvals and declines; working days from submission to decision are the median "
    "for those decisions; average award per funded pupil (\u201cspend per funded pupil\u201d) is the amount "
    "committed this financial year (the awards, apportioned to financial years by days) "
    "divided by the number of pupils those awards fund.",
    "Small numbers: every count from 1 to 4 (of requests, decisions, awards, hand-offs and "
    "payments) is shown as \u201cfewer than 5\u201d, and the amount that goes with it is not "
    "shown. Wherever a total and all but one of its parts would be shown (the decisions "
    "and their outcomes, an area and its Communities of Schools, Kent and its areas), a "
    "second count is hidden too (\u201cnot shown\u201d), so that no hidden count can be worked "
    "out by subtraction. A breakdown of fewer than 5 in all is not shown. Rates, medians and "
    "amounts per pupil are not shown for fewer than 5. Meeting attendance counts meetings, "
    "not pupils, and is shown in full. No pupil's identity is in this report.",
]


def present(figures: ReportFigures) -> dict:
    """The context a report's screen and PDF share: the figures, each CoS's section with
    the id its charts' names start with, and the notes. The templates draw the charts
    (templatetags/report_charts.py) and format the figures."""
    return {
        "figures": figures,
        "sections": [
            {"figures": section, "chart_id": f"cos-{section.community_id or index}"}
            for index, section in enumerate(figures.sections, start=1)
        ],
        "total": figures.total,
        "total_chart_id": slugify(figures.title) or "total",
        "notes": NOTES,
    }


def present_kent(kent: KentFigures) -> dict:
    """A Kent-wide report's context: Kent in all (``total``), then each area as an area
    report presents it."""
    return {
        "kent": kent,
        "figures": kent,
        "areas": [present(area) for area in kent.areas],
        "total": kent.total,
        "total_chart_id": "kent",
        "notes": NOTES,
    }
