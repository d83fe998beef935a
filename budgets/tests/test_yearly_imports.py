"""Yearly data in the browser (issue 16 item 4): a KCC administrator uploads a file in the
admin, sees every row's outcome with its reason, confirms, and the background task
imports it. The preview and the import give the same counts; nothing is written before
the confirmation; the same file twice changes nothing; bad rows are listed by row."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from budgets.models import CosBudget, ImportRun
from communities.models import CommunityOfSchools, School
from communities.tests.factories import CommunityFactory, SchoolFactory, make_kcc

pytestmark = pytest.mark.django_db

SAMPLE = (
    Path(__file__).resolve().parents[2] / "communities" / "tests" / "data" / "gias_kent_sample.csv"
)


@pytest.fixture
def admin_client(client):
    client.force_login(make_kcc(email="ada@example.org"))
    return client


def upload(client, kind: str, name: str, data: bytes, encoding: str = ""):
    return client.post(
        reverse("admin:budgets_importrun_upload"),
        {"kind": kind, "file": SimpleUploadedFile(name, data, "text/csv"), "encoding": encoding},
    )


def preview_then_import(client, kind: str, data: bytes, name: str = "file.csv") -> ImportRun:
    response = upload(client, kind, name, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    run = ImportRun.objects.latest("pk")
    assert run.state == ImportRun.State.PREVIEWED
    page = client.get(response["Location"]).content.decode()
    assert "What the import would do" in page and "Confirm and import" in page
    confirmed = client.post(reverse("admin:budgets_importrun_confirm", args=[run.pk]))
    assert confirmed.status_code == 302
    run.refresh_from_db()
    return run


def test_gias_sample_preview_and_import_give_the_same_counts_and_twice_changes_nothing(
    admin_client, django_capture_on_commit_callbacks
):
    data = SAMPLE.read_bytes()
    response = upload(admin_client, "gias", "edubasealldata.csv", data)
    run = ImportRun.objects.get()
    assert School.objects.count() == 0  # nothing written by the preview
    page = admin_client.get(response["Location"]).content.decode()
    assert "not in Kent" in page and "created" in page
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("admin:budgets_importrun_confirm", args=[run.pk]))
    run.refresh_from_db()
    assert run.state == ImportRun.State.DONE
    assert run.counts == run.preview_counts
    assert run.counts["created"] == School.objects.count() == 32
    assert run.rows_done == run.rows_total == 37
    assert len(run.sha256) == 64 and run.uploaded_by.email == "ada@example.org"

    # The same file again: the preview says so, and the import changes nothing.
    response = upload(admin_client, "gias", "edubasealldata.csv", data)
    again = ImportRun.objects.latest("pk")
    page = admin_client.get(response["Location"]).content.decode()
    assert "This file was imported before" in page
    assert again.preview_counts.get("created", 0) == again.preview_counts.get("updated", 0) == 0
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("admin:budgets_importrun_confirm", args=[again.pk]))
    again.refresh_from_db()
    assert again.counts == again.preview_counts and again.counts["unchanged"] == 32
    # Confirming twice does not import twice.
    response = admin_client.post(
        reverse("admin:budgets_importrun_confirm", args=[again.pk]), follow=True
    )
    assert "This import is already imported." in response.content.decode()


def test_a_memberships_file_with_every_kind_of_bad_row(
    admin_client, django_capture_on_commit_callbacks
):
    for urn in (100001, 100002, 100003, 100004, 100005):
        SchoolFactory(urn=urn, community=None)
    CommunityFactory(name="Ashford Central CoS")
    data = (
        "URN,Community of Schools,Area\r\n"
        "100001,Ashford Central CoS,\r\n"  # assigned
        "100002,Ashford Central CoS,\r\n"  # assigned
        "100002,Ashford Rural CoS,North\r\n"  # the same school in a second CoS
        "100001,Ashford Central CoS,\r\n"  # the same URN twice
        "999999,Ashford Central CoS,\r\n"  # no such school
        "100003,Folkestone CoS,\r\n"  # a new CoS without its area
        "100004,Dover CoS,Atlantis\r\n"  # an unknown area
        "abc,Ashford Central CoS,\r\n"  # not a URN
        "100005,Cr\xe9mieux CoS,South\r\n"  # Windows-1252: a new CoS in the South
    ).encode("cp1252")
    with django_capture_on_commit_callbacks(execute=True):
        run = preview_then_import(admin_client, "memberships", data)
    run.refresh_from_db()
    assert run.state == ImportRun.State.DONE
    assert run.counts == run.preview_counts == {"assigned": 3, "skipped": 6}
    refused = {row: reason for row, outcome, reason in run.rows if outcome == "refused"}
    assert "two Communities of Schools" in refused[4]
    assert "in the file twice" in refused[5]
    assert "No school has URN 999999" in refused[6]
    assert "give its area" in refused[7]
    assert "not one of North" in refused[8]
    assert "is not a number" in refused[9]
    assert CommunityOfSchools.objects.filter(name="Crémieux CoS").exists()
    csv = admin_client.get(reverse("admin:budgets_importrun_refused", args=[run.pk]))
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Row,Reason" and len(lines) == 7


def test_a_budgets_file_with_bad_rows_and_wrong_columns(
    admin_client, django_capture_on_commit_callbacks
):
    CommunityFactory(name="Ashford Central CoS")
    data = (
        "Financial year,Community of Schools,Budget\n"
        '2027-28,Ashford Central CoS,"£1,250,000.00"\n'
        "2027-28,Ashford Central CoS,900000\n"  # repeats the year
        "2027-28,Nowhere CoS,100000\n"  # unknown CoS
        "2027-28,Ashford Central CoS,-5\n"  # negative (and a repeat)
        "2027-29,Ashford Central CoS,5\n"  # not a financial year
    ).encode()
    response = upload(admin_client, "budgets", "budgets.csv", data)
    run = ImportRun.objects.get()
    assert not CosBudget.objects.exists()  # nothing until confirmed
    page = admin_client.get(response["Location"]).content.decode()
    assert "is not a Community of Schools" in page
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("admin:budgets_importrun_confirm", args=[run.pk]))
    run.refresh_from_db()
    assert run.counts == run.preview_counts == {"created": 1, "skipped": 4}
    assert CosBudget.objects.get().total == 1250000

    negative = upload(
        admin_client,
        "budgets",
        "b.csv",
        b"Financial year,Community of Schools,Budget\n2028,Ashford Central CoS,-5\n",
    )
    page = admin_client.get(negative["Location"]).content.decode()
    assert "is negative" in page

    # Wrong columns: the form says so and nothing is kept.
    response = upload(admin_client, "budgets", "wrong.csv", b"Name,Total\nAshford,5\n")
    assert response.status_code == 200
    assert "The file must have the columns" in response.content.decode()
    assert ImportRun.objects.count() == 2


def test_only_kcc_administrators_import(client):
    from communities.tests.factories import make_chair

    client.force_login(make_chair(CommunityFactory()))
    response = client.get(reverse("admin:budgets_importrun_upload"))
    assert response.status_code in (302, 403)
