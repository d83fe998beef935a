"""Asking for reports, the quarterly schedule, building the PDF and the emails."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from pypdf import PdfReader

from communities.models import RoleAssignment
from communities.tests.factories import CommunityFactory, area, make_kcc
from kentlocality.models import ClosureDay
from kentlocality.tests.factories import ClosureDayFactory
from kentlocality.workdays import clear_closure_cache
from reporting import services
from reporting.models import Report
from reporting.tasks import is_report_day, quarterly_reports_if_due
from requests.tests.factories import VALID_UPN
from tests.worlds import quarter

pytestmark = pytest.mark.django_db
D = dt.date


def pdf_text(report: Report) -> str:
    with report.pdf.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    # One line of words per page; tables break lines anywhere.
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def ask(s, django_capture_on_commit_callbacks, **place) -> Report:
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_request(
            actor=s.officer, start=s.quarter.start, end=s.quarter.end, **place
        )
    report.refresh_from_db()
    return report


@pytest.fixture
def s():
    return quarter.build()


def test_the_area_pdf_carries_the_figures_and_no_pupil(s, django_capture_on_commit_callbacks):
    report = ask(s, django_capture_on_commit_callbacks, area_id=s.area.pk)
    assert report.state == Report.State.READY, report.failure_reason
    assert report.version == 1
    assert report.generated_at is not None
    text = pdf_text(report)
    assert "North area: Q2 2026-27" in text
    assert "1 July 2026 to 30 September 2026" in text
    for figure in (
        "Ashdown CoS",
        "Brookfield CoS",
        "£35,300.00",  # the area approved
        "£30,800.00",  # Ashdown committed
        "£3,850.00",  # Ashdown spend per funded pupil
        "30.8%",  # Ashdown share used
        "14.5",  # Ashdown median working days to decision
        "fewer than 5",
        "not shown",
        "Ashdown High School",  # attendance
    ):
        assert figure in text, figure
    # Ashdown's amount approved (£31,300.00) is not shown in the area's report: the
    # area's less Ashdown's would give Brookfield's one award away.
    assert "£31,300.00" not in text
    assert "Elsewhere" not in text
    for identity in (*quarter.PUPIL_NAMES, "Alex", "Example", VALID_UPN, "RFR-"):
        assert identity not in text, identity


def test_a_cos_pdf(s, django_capture_on_commit_callbacks):
    report = ask(s, django_capture_on_commit_callbacks, community_id=s.cos_a.pk)
    text = pdf_text(report)
    assert "Ashdown CoS: Q2 2026-27" in text
    assert "£31,300.00" in text and "£69,200.00" in text  # approved, remaining
    assert "Brookfield" not in text
    assert "Alex" not in text and VALID_UPN not in text


def test_only_people_who_see_a_place_may_ask_for_its_report(s):
    with pytest.raises(PermissionDenied):
        services.report_request(
            actor=s.board_other, area_id=s.area.pk, start=D(2026, 7, 1), end=D(2026, 9, 30)
        )
    with pytest.raises(PermissionDenied):
        services.report_request(
            actor=s.chair, community_id=s.cos_b.pk, start=D(2026, 7, 1), end=D(2026, 9, 30)
        )
    # A chair may ask for their own CoS over any dates (a governing body may need it).
    report = services.report_request(
        actor=s.chair, community_id=s.cos_a.pk, start=D(2026, 8, 1), end=D(2026, 8, 31)
    )
    assert report.title == "1 August 2026 to 31 August 2026"


def test_bad_dates_are_refused_and_nothing_is_saved(s):
    with pytest.raises(services.ReportError, match="after the start date"):
        services.report_request(
            actor=s.board, area_id=s.area.pk, start=D(2026, 9, 1), end=D(2026, 8, 1)
        )
    with pytest.raises(services.ReportError, match="today or in the past"):
        services.report_request(
            actor=s.board, area_id=s.area.pk, start=D(2026, 9, 1), end=D(2099, 8, 1)
        )
    assert not Report.objects.exists()


def test_officers_make_new_versions_and_board_members_cannot(s, django_capture_on_commit_callbacks):
    first = ask(s, django_capture_on_commit_callbacks, area_id=s.area.pk)
    with pytest.raises(PermissionDenied):
        services.report_regenerate(actor=s.board, report_id=first.pk)
    with django_capture_on_commit_callbacks(execute=False):
        second = services.report_regenerate(actor=s.officer, report_id=first.pk)
        # While one version is being made, another click makes nothing more.
        with pytest.raises(services.ReportError, match="already being made"):
            services.report_regenerate(actor=s.officer, report_id=first.pk)
    assert second.version == 2
    assert second.state == Report.State.QUEUED
    assert second.requested_by == s.officer
    assert Report.objects.count() == 2


def test_a_report_that_cannot_be_stored_fails_with_the_reason(
    s, settings, django_capture_on_commit_callbacks
):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": "/dev/null/reports"},
        },
    }
    report = ask(s, django_capture_on_commit_callbacks, community_id=s.cos_a.pk)
    assert report.state == Report.State.FAILED
    assert "file store could not be written" in report.failure_reason
    # A second delivery of the task changes nothing.
    assert services.report_build(report_id=report.pk) is False


@pytest.mark.parametrize(
    ("day", "due"),
    [
        (D(2026, 6, 30), False),  # the quarter's last day
        (D(2026, 7, 1), True),  # Wednesday after Q1
        (D(2026, 7, 2), False),
        (D(2026, 10, 1), True),  # Thursday after Q2
        (D(2027, 1, 1), False),  # New Year's Day after Q3
        (D(2027, 1, 2), False),  # Saturday
        (D(2027, 1, 4), True),  # Monday: the first working day of 2027
        (D(2027, 4, 1), True),  # Thursday after Q4
    ],
)
def test_the_report_day_is_the_first_working_day_after_a_quarter(day, due):
    assert is_report_day(day) is due


def test_a_closure_day_moves_the_report_day():
    ClosureDayFactory(date=D(2026, 10, 1))
    clear_closure_cache()
    try:
        assert not is_report_day(D(2026, 10, 1))
        assert is_report_day(D(2026, 10, 2))
    finally:
        ClosureDay.objects.all().delete()
        clear_closure_cache()


def test_the_schedule_makes_last_quarters_reports_once_and_emails_them(
    s, mailoutbox, django_capture_on_commit_callbacks
):
    chair_e = s.cos_other.chair
    oversight = make_kcc(role=RoleAssignment.Role.KCC_OVERSIGHT)
    assert quarterly_reports_if_due("2026-09-30") == 0
    with django_capture_on_commit_callbacks(execute=True):
        made = quarterly_reports_if_due("2026-10-01")
    # Kent, two areas with CoS (North, East) and three CoS.
    assert made == 6
    reports = Report.objects.all()
    assert {(r.period_start, r.period_end) for r in reports} == {(D(2026, 7, 1), D(2026, 9, 30))}
    assert all(r.is_scheduled and r.state == Report.State.READY for r in reports)
    assert all(r.emailed_at is not None for r in reports)
    # Beat firing again that day, or the next, makes nothing new and sends nothing more.
    sent = len(mailoutbox)
    with django_capture_on_commit_callbacks(execute=True):
        assert quarterly_reports_if_due("2026-10-01") == 0
        assert quarterly_reports_if_due("2026-10-02") == 0
    assert Report.objects.count() == 6 and len(mailoutbox) == sent
    # Kent's, for the Schools' Funding Forum, to KCC oversight.
    kent = Report.objects.get(area__isnull=True, community__isnull=True)
    assert kent.prepared_for == Report.PreparedFor.FUNDING_FORUM
    to_oversight = [m for m in mailoutbox if oversight.email in m.to]
    assert len(to_oversight) == 1 and "Kent" in to_oversight[0].subject

    to_board = [m for m in mailoutbox if s.board.email in m.to]
    assert len(to_board) == 1
    assert "North area" in to_board[0].subject and "Q2 2026-27" in to_board[0].subject
    north = Report.objects.get(area=s.area)
    assert f"/reports/{north.pk}/" in to_board[0].body
    to_chair = [m for m in mailoutbox if s.chair.email in m.to]
    assert len(to_chair) == 1 and "Ashdown CoS" in to_chair[0].subject
    assert any(chair_e.email in m.to for m in mailoutbox)
    assert not any(s.board_other.email in m.to and "North" in m.subject for m in mailoutbox)
    for message in mailoutbox:
        body = message.subject + message.body + message.alternatives[0][0]
        for identity in (*quarter.PUPIL_NAMES, "Alex", VALID_UPN):
            assert identity not in body


def test_the_schedule_covers_every_area_with_cos():
    east, south = area("East"), area("South")
    CommunityFactory(area=east)
    CommunityFactory(area=south)
    CommunityFactory(area=south)
    quarterly_reports_if_due("2027-01-04")
    made = Report.objects.filter(area__isnull=False)
    assert {r.area.name for r in made} == {"East", "South"}
    assert {(r.period_start, r.period_end) for r in Report.objects.all()} == {
        (D(2026, 10, 1), D(2026, 12, 31))
    }
    assert Report.objects.filter(community__isnull=False).count() == 3
    # Queued for the worker once the transaction commits.
    assert set(Report.objects.values_list("state", flat=True)) == {"queued"}


def test_the_schedule_does_not_wait_for_a_persons_version(s, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        asked = services.report_request(
            actor=s.officer, area_id=s.area.pk, start=s.quarter.start, end=s.quarter.end
        )
        quarterly_reports_if_due("2026-10-01")
    scheduled = Report.objects.get(area=s.area, is_scheduled=True)
    assert asked.version == 1 and scheduled.version == 2
