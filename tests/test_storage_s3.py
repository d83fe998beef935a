"""Nothing a request needs lives on one web node's disk (issue 8): with the private
storage pointed at an S3-compatible server, evidence uploaded through the service and a
report PDF built by the reporting service go to the bucket, come back byte for byte
through the permission-checked downloads, and nothing is written to the local
private-media folder.

The S3-compatible server is moto's standalone server, run from ``.venv-tools`` (it needs
PyPI's "requests", which the project's own ``requests`` app shadows, so it cannot live
in the project's environment). ``make test`` installs it (``make tools``).
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from communities.tests.factories import area, make_board
from reporting import services as reporting_services
from reporting.models import Report
from requests.services import evidence_add
from requests.tests.factories import DraftFactory

pytestmark = pytest.mark.django_db

MOTO_SERVER = Path(settings.BASE_DIR) / ".venv-tools" / "bin" / "moto_server"
BUCKET = "kent-private-test"
REGION = "eu-west-2"
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
EVIDENCE = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    """moto's standalone S3-compatible server on a free port, for this module."""
    if not MOTO_SERVER.exists():
        pytest.fail(
            f"The S3 storage test needs moto's standalone server at {MOTO_SERVER}: "
            "run `make tools` (which `make test` does) to install .venv-tools.",
            pytrace=False,
        )
    port = _free_port()
    endpoint = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [str(MOTO_SERVER), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(endpoint, timeout=1).close()
                break
            except urllib.error.HTTPError:
                break  # it answers
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"moto_server did not start on {endpoint}", pytrace=False)
                time.sleep(0.2)
        yield endpoint
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def bucket(s3_endpoint, settings):
    """A fresh bucket, and the private (and default) storage pointed at it."""
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name=REGION, **CREDENTIALS)
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    s3 = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": BUCKET,
            "endpoint_url": s3_endpoint,
            "region_name": REGION,
            "access_key": CREDENTIALS["aws_access_key_id"],
            "secret_key": CREDENTIALS["aws_secret_access_key"],
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
    settings.STORAGES = {**settings.STORAGES, "default": s3, "private": s3}
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def _local_files() -> set[Path]:
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def _keys(client) -> list[str]:
    return sorted(o["Key"] for o in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_evidence_and_report_pdfs_live_in_the_bucket(client, bucket):
    local_before = _local_files()

    # Evidence, uploaded through the service and read back through the checked view.
    draft = DraftFactory()
    senco = draft.created_by
    attachment = evidence_add(
        actor=senco,
        request_id=draft.pk,
        upload=SimpleUploadedFile("plan.pdf", EVIDENCE, "application/pdf"),
    )
    assert _keys(bucket) == [attachment.file.name]
    assert attachment.file.name.startswith("evidence/")
    stored = bucket.get_object(Bucket=BUCKET, Key=attachment.file.name)["Body"].read()
    assert stored == EVIDENCE
    client.force_login(senco)
    url = reverse("requests:evidence_download", args=[draft.pk, attachment.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert _body(response) == EVIDENCE
    assert response["Content-Disposition"].startswith("attachment;")

    # The area's report, built by the reporting service and downloaded by the board.
    north = area("North")
    board = make_board(north)
    today = timezone.localdate()
    report = reporting_services.report_request(
        actor=board, area_id=north.pk, start=today - dt.timedelta(days=30), end=today
    )
    assert reporting_services.report_build(report_id=report.pk)
    report.refresh_from_db()
    assert report.state == Report.State.READY
    assert report.pdf.name in _keys(bucket)
    client.force_login(board)
    response = client.get(reverse("reporting:download", args=[report.pk]))
    assert response.status_code == 200
    pdf = _body(response)
    assert pdf.startswith(b"%PDF-")
    assert pdf == bucket.get_object(Bucket=BUCKET, Key=report.pdf.name)["Body"].read()
    assert len(pdf) == report.pdf_size

    # Nothing went to this node's disk.
    assert _local_files() == local_before


def test_the_checked_download_still_refuses_outsiders(client, bucket):
    draft = DraftFactory()
    attachment = evidence_add(
        actor=draft.created_by,
        request_id=draft.pk,
        upload=SimpleUploadedFile("plan.pdf", EVIDENCE, "application/pdf"),
    )
    outsider = DraftFactory().created_by  # a SENCO of another school
    client.force_login(outsider)
    response = client.get(reverse("requests:evidence_download", args=[draft.pk, attachment.pk]))
    assert response.status_code == 404
