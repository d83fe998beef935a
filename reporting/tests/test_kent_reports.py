"""Kent-wide reports (a section per area, its CoS side by side), whom every report is
prepared for, who reads them, and the rules for reports over other dates."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from communities.models import RoleAssignment
from communities.tests.factories import make_kcc
from reporting import services
from reporting.figures import kent_report_figures
from reporting.models import Report
from tests.worlds import quarter
from tests.worlds.steps import clock

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = D(2026, 11, 16)


@pytest.fixture
def s():
    return quarter.build()


def pages(report: Report) -> list[str]:
    with report.pdf.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return [" ".join((page.extract_text() or "").split()) for page in reader.pages]


def ask_kent(actor, django_capture_on_commit_callbacks, **values) -> Report:
    with clock(TODAY), django_capture_on_commit_callbacks(execute=True):
        report = services.report_request(
            actor=actor, start=D(2026, 7, 1), end=D(2026, 9, 30), **values
        )
    report.refresh_from_db()
    return report


def test_the_kent_figures_hide_what_subtraction_across_areas_would_give(s):
    kent = kent_report_figures(start=s.quarter.start, end=s.quarter.end)
    east, north = kent.areas
    assert (east.title, north.title) == ("East area", "North area")
    # Received: North 9 (Ashdown 8, Brookfield 1), East 1 (RE), Kent 10. East's 1 is
    # fewer than 5; Kent's 10 less North's 9 would give it away: North's is not shown.
    assert (north.total.received, east.total.received, kent.total.received) == (9, 1, 10)
    assert kent.total.counts["received"] == "10"
    assert east.total.counts["received"] == "fewer than 5"
    assert north.total.counts["received"] == "not shown"
    assert north.sections[1].counts["received"] == "fewer than 5"


def test_a_kent_report_has_a_section_per_area_and_says_whom_it_is_for(
    s, django_capture_on_commit_callbacks
):
    admin = make_kcc()
    report = ask_kent(
        admin, django_capture_on_commit_callbacks, prepared_for=Report.PreparedFor.SEND_BOARD
    )
    assert report.state == Report.State.READY, report.failure_reason
    assert report.is_kent and report.subject == "Kent"
    text = pages(report)
    first = text[0]
    assert "Kent: Q2 2026-27" in first
    assert "Prepared for Kent SEND Partnership Board" in first
    assert "Summary" in first and "Requests for Resource received 10" in first
    rest = " ".join(text[1:])
    for name in ("North area", "East area", "Ashdown CoS", "Brookfield CoS", "Elsewhere CoS"):
        assert name in rest, name
    for identity in (*quarter.PUPIL_NAMES, "RFR-"):
        assert identity not in " ".join(text)


def test_another_body_is_named(s, django_capture_on_commit_callbacks):
    with pytest.raises(services.ReportError, match="name of the body"):
        services.report_request(
            actor=s.officer,
            area_id=s.area.pk,
            start=D(2026, 7, 1),
            end=D(2026, 9, 30),
            prepared_for=Report.PreparedFor.OTHER,
        )
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_request(
            actor=s.officer,
            area_id=s.area.pk,
            start=D(2026, 7, 1),
            end=D(2026, 9, 30),
            prepared_for=Report.PreparedFor.OTHER,
            prepared_for_other="Dover Health and Wellbeing Board",
        )
    report.refresh_from_db()
    assert "Prepared for Dover Health and Wellbeing Board" in pages(report)[0]


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (D(2026, 7, 1), D(2026, 7, 30), "at least one calendar month"),
        (D(2026, 1, 31), D(2026, 2, 26), "an end date of 27 February 2026 or later"),
        (D(2026, 10, 1), D(2026, 12, 31), "today or in the past"),
        (D(2026, 9, 1), D(2026, 8, 1), "after the start date"),
    ],
)
def test_a_custom_period_is_at_least_a_month_and_over(s, start, end, message):
    with clock(TODAY), pytest.raises(services.ReportError, match=message):
        services.report_request(actor=s.officer, area_id=s.area.pk, start=start, end=end)
    assert not Report.objects.exists()


def test_a_month_from_the_31st_ends_on_the_last_day_of_the_next(s):
    with clock(TODAY):
        report = services.report_request(
            actor=s.officer, area_id=s.area.pk, start=D(2026, 1, 31), end=D(2026, 2, 28)
        )
    assert report.is_custom


def test_ten_custom_reports_a_day(s, client):
    with clock(TODAY):
        for month in range(4, 14):
            year, number = (2025, month) if month <= 12 else (2026, month - 12)
            start = D(year, number, 1)
            end = D(year + (number == 12), number % 12 + 1, 1) - dt.timedelta(days=1)
            services.report_request(actor=s.officer, area_id=s.area.pk, start=start, end=end)
        with pytest.raises(services.ReportError, match="the most a person may ask for in a day"):
            services.report_request(
                actor=s.officer, area_id=s.area.pk, start=D(2026, 4, 1), end=D(2026, 6, 30)
            )
        # A new version of a report made already is not a custom report.
        Report.objects.update(state=Report.State.READY)
        report = Report.objects.filter(requested_by=s.officer).first()
        assert services.report_regenerate(actor=s.officer, report_id=report.pk)
        # Someone else may still ask.
        assert services.report_request(
            actor=s.board, area_id=s.area.pk, start=D(2026, 4, 1), end=D(2026, 6, 30)
        )
        # The page says so plainly.
        client.force_login(s.officer)
        response = client.post(
            reverse("reporting:area_new", args=[s.area.pk]),
            {
                "start_0": "1",
                "start_1": "7",
                "start_2": "2026",
                "end_0": "30",
                "end_1": "9",
                "end_2": "2026",
                "prepared_for": "area_board",
            },
        )
    assert response.status_code == 200
    assert "the most a person may ask for in a day" in response.content.decode()
    assert Report.objects.filter(requested_by=s.officer, is_custom=True).count() == 10


def test_governance_readers_read_kent_wide_reports_only(
    s, client, django_capture_on_commit_callbacks
):
    kent = ask_kent(make_kcc(), django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        area_report = services.report_request(
            actor=s.officer, area_id=s.area.pk, start=D(2026, 7, 1), end=D(2026, 9, 30)
        )
    reader = make_kcc(role=RoleAssignment.Role.GOVERNANCE_READER)
    client.force_login(reader)
    page = client.get(reverse("reporting:kent_reports"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Kent: Q2 2026-27" in html and "Prepared for: Schools" not in html
    assert "Prepared for: Area Board" in html  # asked for without naming another body
    assert reverse("reporting:kent_new") not in html
    assert client.get(reverse("reporting:detail", args=[kent.pk])).status_code == 200
    assert client.get(reverse("reporting:download", args=[kent.pk])).status_code == 200
    assert client.get(reverse("reporting:detail", args=[area_report.pk])).status_code in (403, 404)
    assert client.get(reverse("reporting:board", args=[s.area.pk])).status_code in (403, 404)
    assert client.get(reverse("reporting:kent_new")).status_code == 403
    assert client.get(reverse("reporting:kent_overview")).status_code == 404


@pytest.mark.parametrize("who", ["chair", "officer", "board"])
def test_area_and_cos_people_do_not_see_kent_wide_reports(s, client, who):
    client.force_login(getattr(s, who))
    assert client.get(reverse("reporting:kent_reports")).status_code == 404
    assert client.get(reverse("reporting:kent_new")).status_code == 404


def test_oversight_asks_for_a_kent_report_through_the_page(s, client):
    client.force_login(make_kcc(role=RoleAssignment.Role.KCC_OVERSIGHT))
    url = reverse("reporting:kent_new")
    assert "Who is the report prepared for?" in client.get(url).content.decode()
    with clock(TODAY):
        response = client.post(
            url,
            {
                "start_0": "1",
                "start_1": "7",
                "start_2": "2026",
                "end_0": "30",
                "end_1": "9",
                "end_2": "2026",
                "prepared_for": "funding_forum",
            },
        )
    report = Report.objects.get()
    assert response["Location"] == reverse("reporting:detail", args=[report.pk])
    assert report.is_kent and report.prepared_for == Report.PreparedFor.FUNDING_FORUM
