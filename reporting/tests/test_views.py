"""Report pages: who sees what (owner, allowed reader, outsider), asking for reports."""

import datetime as dt

import pytest
from django.urls import reverse

from communities.tests.factories import (
    CommunityFactory,
    SchoolFactory,
    area,
    make_board,
    make_chair,
    make_kcc,
    make_officer,
    make_senco,
)
from reporting import services
from reporting.models import Report
from tests.worlds.steps import submitted

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def place(django_capture_on_commit_callbacks):
    north, east = area("North"), area("East")
    cos = CommunityFactory(name="Ashdown CoS", area=north)
    other = CommunityFactory(name="Brookfield CoS", area=north)
    school = SchoolFactory(community=cos)
    people = {
        "board": make_board(north),
        "board_east": make_board(east),
        "officer": make_officer(north),
        "chair": make_chair(cos),
        "chair_other": make_chair(other),
        "senco": make_senco(school),
        "senco_other": make_senco(SchoolFactory(community=other)),
        "admin": make_kcc(),
    }
    request = submitted(school=school, first_name="Zebedee", upn="E886200026001")
    with django_capture_on_commit_callbacks(execute=True):
        area_report = services.report_request(
            actor=people["officer"], area_id=north.pk, start=D(2026, 4, 1), end=D(2026, 6, 30)
        )
        cos_report = services.report_request(
            actor=people["chair"], community_id=cos.pk, start=D(2026, 4, 1), end=D(2026, 6, 30)
        )
    return {
        "north": north,
        "cos": cos,
        "other": other,
        "request": request,
        "area_report": Report.objects.get(pk=area_report.pk),
        "cos_report": Report.objects.get(pk=cos_report.pk),
        **people,
    }


def get(client, user, url):
    client.force_login(user)
    return client.get(url)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("board", 200),
        ("officer", 200),
        ("admin", 200),
        ("board_east", 404),
        ("chair", 404),
        ("senco", 404),
    ],
)
def test_the_board_home(client, place, who, status):
    response = get(client, place[who], reverse("reporting:board", args=[place["north"].pk]))
    assert response.status_code == status
    if status == 200:
        html = response.content.decode()
        assert "North area" in html
        assert "Communities of Schools side by side" in html
        assert "Ashdown CoS" in html and "Brookfield CoS" in html
        assert reverse("reporting:download", args=[place["area_report"].pk]) in html
        assert "Zebedee" not in html and "E886200026001" not in html
        assert "<svg" in html


def test_an_anonymous_visitor_is_sent_to_sign_in(client, place):
    response = client.get(reverse("reporting:board", args=[place["north"].pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("chair", 200),
        ("board", 200),
        ("officer", 200),
        ("chair_other", 404),
        ("board_east", 404),
        ("senco", 200),  # a member school's people read their CoS's reports
        ("senco_other", 404),
    ],
)
def test_a_cos_reports_page(client, place, who, status):
    response = get(client, place[who], reverse("reporting:community", args=[place["cos"].pk]))
    assert response.status_code == status
    if status == 200:
        html = response.content.decode()
        assert "Ashdown CoS: reports" in html
        assert "Meeting attendance" in html
        assert reverse("reporting:download", args=[place["cos_report"].pk]) in html
        assert "Zebedee" not in html


@pytest.mark.parametrize(
    ("who", "report", "status"),
    [
        ("board", "area_report", 200),
        ("board", "cos_report", 200),
        ("officer", "area_report", 200),
        ("chair", "cos_report", 200),
        ("chair", "area_report", 404),  # the whole area is not the chair's
        ("board_east", "area_report", 404),
        ("chair_other", "cos_report", 404),
        ("senco", "cos_report", 200),
        ("senco", "area_report", 404),
        ("senco_other", "cos_report", 404),
    ],
)
def test_a_report_and_its_download(client, place, who, report, status):
    pk = place[report].pk
    assert get(client, place[who], reverse("reporting:detail", args=[pk])).status_code == status
    response = client.get(reverse("reporting:download", args=[pk]))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "application/pdf"
        assert "attachment" in response["Content-Disposition"]
        # Never kept by a shared cache or on the browser's disk.
        assert response["Cache-Control"] == "private, no-store"
        assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_report_not_ready_has_no_download_and_its_page_waits(client, place):
    report = services.report_regenerate(actor=place["officer"], report_id=place["area_report"].pk)
    assert report.state == Report.State.QUEUED  # not committed yet: no worker ran
    response = get(client, place["board"], reverse("reporting:detail", args=[report.pk]))
    html = response.content.decode()
    assert "The report is queued." in html
    assert "This page updates itself when it is ready" in html
    assert "reporting/report-status" in html  # the script that fetches the state
    assert "Download the PDF" not in html
    assert client.get(reverse("reporting:download", args=[report.pk])).status_code == 404
    status = client.get(reverse("reporting:status", args=[report.pk]))
    assert status.status_code == 200 and b'data-state="queued"' in status.content


def test_only_officers_and_administrators_make_a_new_version(client, place):
    url = reverse("reporting:regenerate", args=[place["area_report"].pk])
    client.force_login(place["board"])
    assert client.post(url).status_code == 403
    assert "Make a new version" not in client.get(
        reverse("reporting:detail", args=[place["area_report"].pk])
    ).content.decode("utf-8")
    client.force_login(place["chair"])
    assert client.post(url).status_code == 404
    client.force_login(place["officer"])
    response = client.post(url)
    newest = Report.objects.filter(area=place["north"]).order_by("-version").first()
    assert newest.version == 2 and newest.requested_by == place["officer"]
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:detail", args=[newest.pk])


def test_asking_for_a_report_over_other_dates(client, place):
    url = reverse("reporting:area_new", args=[place["north"].pk])
    client.force_login(place["board"])
    assert client.get(url).status_code == 200
    before = Report.objects.count()
    response = client.post(
        url,
        {
            "start_0": "1",
            "start_1": "9",
            "start_2": "2026",
            "end_0": "1",
            "end_1": "8",
            "end_2": "2026",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "The end date must be the same as or after the start date" in html
    response = client.post(
        url,
        {"start_0": "31", "start_1": "2", "start_2": "2026", "end_0": "", "end_1": "", "end_2": ""},
    )
    html = response.content.decode()
    assert "Start date must be a real date" in html and "Enter the end date" in html
    assert Report.objects.count() == before
    response = client.post(
        url,
        {
            "start_0": "1",
            "start_1": "4",
            "start_2": "2026",
            "end_0": "30",
            "end_1": "9",
            "end_2": "2026",
            "prepared_for": "area_board",
        },
    )
    report = Report.objects.get(area=place["north"], period_end=D(2026, 9, 30))
    assert response["Location"] == reverse("reporting:detail", args=[report.pk])
    assert report.title == "1 April 2026 to 30 September 2026"
    assert report.requested_by == place["board"]


def test_outsiders_cannot_ask_for_reports(client, place):
    client.force_login(place["board_east"])
    assert client.get(reverse("reporting:area_new", args=[place["north"].pk])).status_code == 404
    client.force_login(place["senco_other"])
    assert client.get(reverse("reporting:community_new", args=[place["cos"].pk])).status_code == 404
