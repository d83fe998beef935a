"""Evidence files are checked by their content, never by their name or the type the
browser claims: PDF, Word (DOCX), JPEG or PNG only."""

from __future__ import annotations

import zipfile

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, UnidentifiedImageError

ALLOWED_DESCRIPTION = "a PDF, Word document (DOCX), JPEG or PNG"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


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
