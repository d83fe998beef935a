"""What the pages show of figures and reports, worked out before the template."""

import datetime as dt

import pytest

from communities.tests.factories import CommunityFactory, area, make_board
from reporting import services
from reporting.figures import report_figures
from reporting.models import Report
from reporting.presentation import archive_rows, present

pytestmark = pytest.mark.django_db
D = dt.date


def test_an_archive_row_names_the_report_its_maker_and_its_links(
    django_capture_on_commit_callbacks,
):
    north = area("North")
    board = make_board(north, full_name="Ann <b>Other</b>")
    with django_capture_on_commit_callbacks(execute=False):  # stays queued
        queued = services.report_request(
            actor=board, area_id=north.pk, start=D(2026, 4, 1), end=D(2026, 6, 30)
        )
    Report.objects.filter(pk=queued.pk).update(requested_by=None)  # as the schedule makes them
    reports = Report.objects.filter(area=north).select_related("area", "requested_by")
    (row,) = archive_rows(reports)
    assert (row.subject, row.title, row.version) == ("North area", "Q1 2026-27", 1)
    assert row.state == "queued" and row.requested_by is None
    assert row.detail_url == f"/reports/{queued.pk}/" and row.download_url == ""
    Report.objects.filter(pk=queued.pk).update(state="ready", requested_by=board)
    (row,) = archive_rows(reports.all())
    assert row.requested_by == "Ann <b>Other</b>"  # escaped by the template
    assert row.download_url == f"/reports/{queued.pk}/download/"


def test_the_board_page_leaves_out_each_cos_own_charts_but_the_pdf_keeps_them():
    north = area("North")
    CommunityFactory(name="Ashdown CoS", area=north)
    figures = report_figures(area_id=north.pk, start=D(2026, 4, 1), end=D(2026, 6, 30))
    on_screen = present(figures, section_charts=False)["sections"][0]
    in_pdf = present(figures)["sections"][0]
    assert on_screen["budget_chart"] == on_screen["outcome_chart"] == ""
    assert "<svg" in in_pdf["budget_chart"]
    assert on_screen["side"] == in_pdf["side"]
    assert on_screen["side"]["received"] == "0"
    assert on_screen["side"]["approval_rate"] == "fewer than 5 decisions"
