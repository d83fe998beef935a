"""What the pages and the PDF show of figures and reports: the archive's rows, the side by
side table and which charts each draws."""

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from communities.tests.factories import CommunityFactory, area, make_board
from reporting import services
from reporting.figures import report_figures
from reporting.models import Report
from reporting.presentation import present

pytestmark = pytest.mark.django_db
D = dt.date


def board_home(client, board, north) -> str:
    client.force_login(board)
    return client.get(reverse("reporting:board", args=[north.pk])).content.decode()


def test_an_archive_row_names_the_report_its_maker_and_its_links(
    client, django_capture_on_commit_callbacks
):
    north = area("North")
    board = make_board(north, full_name="Ann <b>Other</b>")
    with django_capture_on_commit_callbacks(execute=False):  # stays queued
        queued = services.report_request(
            actor=board, area_id=north.pk, start=D(2026, 4, 1), end=D(2026, 6, 30)
        )
    Report.objects.filter(pk=queued.pk).update(requested_by=None)  # as the schedule makes them
    html = board_home(client, board, north)
    assert f'<a class="govuk-link" href="/reports/{queued.pk}/">North area: Q1 2026-27</a>' in html
    made = timezone.localdate(queued.requested_at)
    assert f"{made.day} {made:%B %Y} (quarterly schedule)" in html
    assert 'govuk-tag--grey">Queued</strong>' in html
    assert f"/reports/{queued.pk}/download/" not in html

    Report.objects.filter(pk=queued.pk).update(state="ready", requested_by=board)
    html = board_home(client, board, north)
    assert " by Ann &lt;b&gt;Other&lt;/b&gt;</td>" in html
    assert f'href="/reports/{queued.pk}/download/" download>' in html


def test_the_board_page_leaves_out_each_cos_own_charts_but_the_pdf_keeps_them(client):
    north = area("North")
    ashdown = CommunityFactory(name="Ashdown CoS", area=north)
    html = board_home(client, make_board(north), north)
    assert f'aria-labelledby="cos-{ashdown.pk}-budget-title"' not in html
    assert "-share-title" in html  # the CoS side by side

    figures = report_figures(area_id=north.pk, start=D(2026, 4, 1), end=D(2026, 6, 30))
    report = Report(area=north, period_start=D(2026, 4, 1), period_end=D(2026, 6, 30))
    pdf_html = render_to_string(
        "reporting/pdf/report.html",
        {"report": report, "generated_at": timezone.now(), **present(figures)},
    )
    # Nothing happened in Ashdown: one line among those with no activity, not a section.
    assert f'aria-labelledby="cos-{ashdown.pk}-budget-title"' not in pdf_html
    inactive = pdf_html.split("Communities of Schools with no activity in the period", 2)[2]
    assert "Ashdown CoS" in inactive.split("</table>", 1)[0]
    assert f"cos-{ashdown.pk}-outcomes" not in pdf_html  # the area's own, not each CoS's
    # No requests and no budget: the side by side table says so in words.
    row = pdf_html.split("Ashdown CoS</th>", 1)[1].split("</tr>", 1)[0]
    assert '<td class="n">0</td>' in row
    assert "fewer than 5 decisions" in row and "no decisions" in row
    assert "fewer than 5 pupils" in row and "no budget set" in row
