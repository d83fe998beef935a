"""Evidence files are checked by their content, never by their name or the type the
browser claims: PDF, Word (DOCX), JPEG or PNG only. With CLAMD_SOCKET set, each is also
scanned by ClamAV before it is stored, and an infected one is refused."""

from __future__ import annotations

import logging
import zipfile

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, UnidentifiedImageError

logger = logging.getLogger(__name__)

ALLOWED_DESCRIPTION = "a PDF, Word document (DOCX), JPEG or PNG"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# The extension a downloaded file is given, from the type its content showed: never the
# one it was uploaded with (a "plan.pdf.exe" is still a PDF when it leaves).
EXTENSIONS = {
    "application/pdf": ".pdf",
    DOCX: ".docx",
    "image/jpeg": ".jpg",
    "image/png": ".png",
}
INFECTED = "The selected file contains a virus: it has not been added"
NOT_SCANNED = (
    "The selected file could not be checked for viruses, so it has not been added. "
    "Try again in a few minutes"
)


class EvidenceRejected(Exception):
    pass


def _is_docx(upload: UploadedFile) -> bool:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    return "[Content_Types].xml" in names and "word/document.xml" in names


def _is_image(upload: UploadedFile, expected: str) -> bool:
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            ok = image.format == expected
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return False
    return ok


def sniff(upload: UploadedFile) -> str:
    """The content type of an acceptable evidence file, or EvidenceRejected with the
    message to show."""
    if upload.size == 0:
        raise EvidenceRejected("The selected file is empty")
    if upload.size > settings.EVIDENCE_MAX_BYTES:
        limit = settings.EVIDENCE_MAX_BYTES // (1024 * 1024)
        raise EvidenceRejected(f"The selected file must be smaller than {limit} MB")
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    content_type = None
    if head.startswith(b"%PDF-"):
        content_type = "application/pdf"
    elif head.startswith(b"\x89PNG\r\n\x1a\n") and _is_image(upload, "PNG"):
        content_type = "image/png"
    elif head.startswith(b"\xff\xd8\xff") and _is_image(upload, "JPEG"):
        content_type = "image/jpeg"
    elif head.startswith(b"PK\x03\x04") and _is_docx(upload):
        content_type = DOCX
    upload.seek(0)
    if content_type is None:
        raise EvidenceRejected(f"The selected file must be {ALLOWED_DESCRIPTION}")
    return content_type


def safe_display_name(name: str) -> str:
    """The uploaded name, kept for display only: no path, no control characters."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable())
    return name.strip()[:200] or "evidence"


def download_name(original_name: str, content_type: str) -> str:
    """The name a file is downloaded as: the name it was uploaded with, less whatever
    extension it had, plus the extension of the type its content was found to be."""
    stem = safe_display_name(original_name)
    if "." in stem:
        stem = stem.rsplit(".", 1)[0].strip() or "evidence"
    return f"{stem}{EXTENSIONS.get(content_type, '')}"


def virus_scan(upload: UploadedFile) -> None:
    """Scan the upload with ClamAV over clamd's Unix socket (INSTREAM) when CLAMD_SOCKET
    is set; raise EvidenceRejected if it is infected, or if it could not be scanned (a
    file that was not checked is not stored). Without CLAMD_SOCKET: nothing to do."""
    socket_path = settings.CLAMD_SOCKET
    if not socket_path:
        return
    from clamav_client.clamd import ClamdError, ClamdUnixSocket

    scanner = ClamdUnixSocket(path=socket_path, timeout=settings.CLAMD_TIMEOUT)
    upload.seek(0)
    try:
        result = scanner.instream(upload)
    except (ClamdError, OSError) as exc:
        logger.error("evidence virus scan failed: %s", exc)
        raise EvidenceRejected(NOT_SCANNED) from None
    finally:
        upload.seek(0)
    status, signature = result.get("stream", (None, None))
    if status == "FOUND":
        # The signature's name helps whoever investigates; the file's name may hold a
        # pupil's, so it is not logged.
        logger.warning("evidence refused: ClamAV found %s", signature)
        raise EvidenceRejected(INFECTED)
    if status != "OK":
        logger.error("evidence virus scan gave no verdict: %r", result)
        raise EvidenceRejected(NOT_SCANNED)
