"""Evidence files (issue 17, item 7): downloaded under the extension of the type their
content showed, stored readable by the service alone, and scanned by ClamAV when
CLAMD_SOCKET is set (against a fake clamd speaking clamd's INSTREAM protocol on a Unix
socket, as clamd is not installed here)."""

from __future__ import annotations

import os
import socket
import stat
import struct
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from requests.evidence import INFECTED, NOT_SCANNED, download_name
from requests.models import Attachment, TimelineEvent
from requests.services import RequestError, evidence_add
from requests.tests.factories import DraftFactory
from requests.tests.test_services_lifecycle import PDF, png_bytes

pytestmark = pytest.mark.django_db

# The EICAR test file: every anti-virus engine reports it, and it harms nothing.
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
INFECTED_PDF = PDF + EICAR + b"\n"


class FakeClamd:
    """clamd's side of INSTREAM on a Unix socket: a command line ("nINSTREAM\\n"), then
    chunks each prefixed by its length as 4 bytes in network order, ended by a zero
    length; the reply is "stream: OK" or "stream: <signature> FOUND"."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.received: list[bytes] = []
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(str(path))
        self.server.listen(5)
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _read(self, conn: socket.socket, size: int) -> bytes:
        data = b""
        while len(data) < size:
            chunk = conn.recv(size - len(data))
            if not chunk:
                raise ConnectionError("client went away")
            data += chunk
        return data

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return  # closed
            with conn:
                command = b""
                while not command.endswith(b"\n"):
                    command += self._read(conn, 1)
                if command != b"nINSTREAM\n":
                    conn.sendall(b"UNKNOWN COMMAND\n")
                    continue
                body = b""
                while True:
                    (size,) = struct.unpack("!L", self._read(conn, 4))
                    if size == 0:
                        break
                    body += self._read(conn, size)
                self.received.append(body)
                verdict = b"Eicar-Test-Signature FOUND" if EICAR in body else b"OK"
                conn.sendall(b"stream: " + verdict + b"\n")

    def close(self) -> None:
        self.server.close()


@pytest.fixture
def clamd(tmp_path_factory, settings) -> Iterator[FakeClamd]:
    # A short path: Unix socket paths are limited to about 100 characters.
    path = Path(tmp_path_factory.mktemp("clamd", numbered=True)) / "clamd.sock"
    fake = FakeClamd(path)
    settings.CLAMD_SOCKET = str(path)
    yield fake
    fake.close()


def _upload(content: bytes, name: str = "plan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, "application/pdf")


def _stored_files() -> set[str]:
    root = Path(os.environ["PRIVATE_MEDIA_ROOT"]) / "evidence"
    return {p.name for p in root.iterdir()} if root.exists() else set()


def test_an_infected_file_is_refused_and_nothing_is_written(clamd, client):
    draft = DraftFactory()
    files, events = _stored_files(), TimelineEvent.objects.count()
    with pytest.raises(RequestError, match=INFECTED):
        evidence_add(actor=draft.created_by, request_id=draft.pk, upload=_upload(INFECTED_PDF))
    assert clamd.received == [INFECTED_PDF]  # the whole file went to clamd
    assert not Attachment.objects.exists()
    assert _stored_files() == files
    assert TimelineEvent.objects.count() == events
    # Through the page: the SENCO is told plainly, and nothing is added.
    client.force_login(draft.created_by)
    page = client.post(
        reverse("requests:evidence", args=[draft.pk]), {"file": _upload(INFECTED_PDF)}
    )
    assert page.status_code == 200
    assert "The selected file contains a virus" in page.content.decode()
    assert not Attachment.objects.exists()


def test_a_clean_file_is_scanned_then_stored(clamd):
    draft = DraftFactory()
    attachment = evidence_add(actor=draft.created_by, request_id=draft.pk, upload=_upload(PDF))
    assert clamd.received == [PDF]
    assert attachment.file.read() == PDF


def test_a_file_that_cannot_be_scanned_is_not_stored(settings, tmp_path):
    settings.CLAMD_SOCKET = str(tmp_path / "nothing-listens-here.sock")
    draft = DraftFactory()
    files = _stored_files()
    with pytest.raises(RequestError, match=NOT_SCANNED):
        evidence_add(actor=draft.created_by, request_id=draft.pk, upload=_upload(PDF))
    assert not Attachment.objects.exists()
    assert _stored_files() == files


def test_without_clamd_socket_nothing_is_scanned(clamd, settings):
    settings.CLAMD_SOCKET = ""
    draft = DraftFactory()
    attachment = evidence_add(
        actor=draft.created_by, request_id=draft.pk, upload=_upload(INFECTED_PDF)
    )
    assert attachment.pk and clamd.received == []


@pytest.mark.parametrize(
    ("uploaded_as", "content", "downloaded_as"),
    [
        ("Alex plan.pdf", PDF, "Alex plan.pdf"),
        ("report.exe", PDF, "report.pdf"),
        ("scan.pdf", png_bytes(), "scan.png"),
        ("photo.pdf.html", png_bytes(), "photo.pdf.png"),
        ("no extension", PDF, "no extension.pdf"),
    ],
)
def test_a_download_takes_its_extension_from_the_detected_type(
    client, uploaded_as, content, downloaded_as
):
    draft = DraftFactory()
    attachment = evidence_add(
        actor=draft.created_by,
        request_id=draft.pk,
        upload=SimpleUploadedFile(uploaded_as, content, "application/octet-stream"),
    )
    client.force_login(draft.created_by)
    response = client.get(reverse("requests:evidence_download", args=[draft.pk, attachment.pk]))
    assert response.status_code == 200
    assert f'filename="{downloaded_as}"' in response["Content-Disposition"]
    assert download_name(uploaded_as, attachment.content_type) == downloaded_as


def test_evidence_is_stored_readable_by_the_service_alone():
    draft = DraftFactory()
    attachment = evidence_add(actor=draft.created_by, request_id=draft.pk, upload=_upload(PDF))
    path = Path(attachment.file.path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
