"""What the screen and the PDF show for a set of figures: the figures and their charts,
built once so that both show the same."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.template.defaultfilters import floatformat
from django.utils.text import slugify

from kentlocality.addresses import address_pattern
from kentlocality.templatetags.formatting import format_date, format_money, percent

from .charts import budget_chart, outcome_chart, share_used_chart
from .figures import Figures, ReportFigures
from .models import Report

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
    "on or before the hand-off's due date; paid within 30 working days when the first "
    "payment is dated on or before the payment due date. Medians are in working days from "
    "the decision. Breaches: a hand-off acknowledged late or still waiting after its due "
    "date; a payment made late or still not made after its due date.",
    "Attendance: each member school at the meetings of its Community of Schools held in "
    "the period, attended by its own representative or represented by another school.",
    "Side by side: approval rate is approvals and part-approvals among approvals, "
    "part-approvals and declines; working days from submission to decision are the median "
    "for those decisions; spend per funded pupil is committed this financial year divided "
    "by the pupils funded by those commitments.",
    "Small numbers: in any breakdown a count from 1 to 4 is shown as \u201cfewer than 5\u201d "
    "and its amount is not shown; when only one row is hidden that way, the next smallest "
    "is hidden too (\u201cnot shown\u201d), so that it cannot be worked out from the total. A "
    "breakdown of fewer than 5 in all is not shown. Rates and amounts per pupil are not "
    "shown for fewer than 5. No pupil's identity is in this report.",
]


def side_by_side(f: Figures) -> dict[str, str]:
    """One CoS's row of the side-by-side table, as text: worked out once here rather than
    by the template (each of these properties twice, and a filter, for each CoS)."""
    rate, days, spend = f.approval_rate, f.median_days_to_decision, f.spend_per_funded_pupil
    used = f.budget.share_used if f.budget is not None else None
    return {
        "received": f.received_text,
        "approval_rate": "fewer than 5 decisions" if rate is None else percent(rate),
        "median_days": "no decisions" if days is None else floatformat(days, "-1"),
        "spend_per_pupil": "fewer than 5 pupils" if spend is None else format_money(spend),
        "share_used": "no budget set" if used is None else percent(used, 1),
    }


def present(figures: ReportFigures, *, section_charts: bool = True) -> dict:
    """section_charts: each CoS's own charts, which a page showing the CoS only side by
    side (the Area Board's home) does without: two charts a CoS it would not show."""
    sections = []
    for index, section in enumerate(figures.sections, start=1):
        slug = f"cos-{section.community_id or index}"
        sections.append(
            {
                "figures": section,
                "slug": slug,
                "side": side_by_side(section),
                "budget_chart": budget_chart(section, f"{slug}-budget") if section_charts else "",
                "outcome_chart": outcome_chart(section, f"{slug}-outcomes")
                if section_charts
                else "",
            }
        )
    total_slug = slugify(figures.title) or "total"
    return {
        "figures": figures,
        "sections": sections,
        "total": figures.total,
        "total_budget_chart": budget_chart(figures.total, f"{total_slug}-budget"),
        "total_outcome_chart": outcome_chart(figures.total, f"{total_slug}-outcomes"),
        "share_chart": share_used_chart(figures.sections, f"{total_slug}-share", figures.title)
        if figures.is_area
        else "",
        "notes": NOTES,
    }


@dataclass(frozen=True)
class ArchiveRow:
    """One report in a list of reports (includes/archive.html), as text: a board's
    archive grows by a report a quarter and more, and each row's title, date and links
    cost the template far more than they cost here."""

    state: str
    subject: str
    title: str
    version: int
    made: str  # the day it was made (or asked for, while it is being made)
    requested_by: str | None  # None: made by the quarterly schedule
    detail_url: str
    download_url: str


def archive_rows(reports: Iterable[Report]) -> list[ArchiveRow]:
    """Needs each report's area or community, and requested_by, selected with it."""
    detail = address_pattern("reporting:detail")
    download = address_pattern("reporting:download")
    rows = []
    for report in reports:
        rows.append(
            ArchiveRow(
                state=report.state,
                subject=report.subject,
                title=report.title,
                version=report.version,
                made=format_date(report.generated_at or report.requested_at),
                requested_by=report.requested_by.full_name if report.requested_by else None,
                detail_url=detail.format(report.pk),
                download_url=download.format(report.pk)
                if report.state == Report.State.READY
                else "",
            )
        )
    return rows
