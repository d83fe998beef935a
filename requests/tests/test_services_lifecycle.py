import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from communities.tests.factories import SchoolFactory, make_senco
from requests.models import Attachment, ResourceRequest
from requests.services import (
    AlreadySubmitted,
    IncompleteRequest,
    RequestError,
    evidence_add,
    evidence_remove,
    request_discard,
    request_start,
    request_submit,
    request_update,
    request_withdraw,
)
from requests.tests.factories import DraftFactory
from requests.workflow import Status
from tests.worlds.steps import submitted

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, "PNG")
    return buffer.getvalue()


def test_a_senco_starts_a_draft_for_their_school_only():
    school = SchoolFactory()
    senco = make_senco(school)
    draft = request_start(actor=senco, school=school)
    assert draft.status == Status.DRAFT
    assert draft.events.get().action == "created"
    with pytest.raises(PermissionDenied):
        request_start(actor=senco, school=SchoolFactory())


def test_special_schools_do_not_submit_requests():
    school = SchoolFactory(kind="special")
    with pytest.raises(RequestError, match="mainstream"):
        request_start(actor=make_senco(school), school=school)


def test_submit_gives_a_reference_records_the_cos_and_emails_without_pupil_identity(
    mailoutbox, django_capture_on_commit_callbacks
):
    draft = DraftFactory()
    with django_capture_on_commit_callbacks(execute=True):
        request = request_submit(actor=draft.created_by, request_id=draft.pk, declaration=True)
    assert request.status == Status.SUBMITTED
    assert request.reference.startswith("RFR-20") and len(request.reference) == 15
    assert request.community == draft.school.community
    assert request.declared_by == draft.created_by
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [draft.created_by.email]
    assert request.reference in message.body
    body = message.body + message.alternatives[0][0] + message.subject
    for identity in (draft.first_name, draft.last_name, draft.upn, str(draft.date_of_birth.year)):
        assert identity not in body


def test_references_count_up():
    first = submitted()
    second = submitted()
    assert int(second.reference[-6:]) == int(first.reference[-6:]) + 1


def test_a_second_submit_changes_nothing():
    request = submitted()
    with pytest.raises(AlreadySubmitted):
        request_submit(actor=request.created_by, request_id=request.pk, declaration=True)
    assert request.events.filter(action="submit").count() == 1


def test_submit_refuses_an_incomplete_draft_and_names_every_problem():
    draft = DraftFactory(upn="E886200026009", amount=None, consent_given=False)
    with pytest.raises(IncompleteRequest) as caught:
        request_submit(actor=draft.created_by, request_id=draft.pk, declaration=True)
    fields = {(p.section, p.field) for p in caught.value.problems}
    assert fields == {("pupil", "upn"), ("funding", "amount"), ("pupil", "consent_given")}
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and draft.reference is None


def test_a_pupil_on_specific_allocation_funding_cannot_be_submitted():
    draft = DraftFactory(receives_saf=True)
    with pytest.raises(IncompleteRequest) as caught:
        request_submit(actor=draft.created_by, request_id=draft.pk, declaration=True)
    assert "Specific Allocation Funding" in caught.value.problems[0].message


def test_submit_needs_the_declaration():
    draft = DraftFactory()
    with pytest.raises(RequestError, match="declaration"):
        request_submit(actor=draft.created_by, request_id=draft.pk, declaration=False)


def test_another_school_cannot_touch_the_request():
    draft = DraftFactory()
    outsider = make_senco(SchoolFactory(community=draft.school.community))
    for call in (
        lambda: request_update(actor=outsider, request_id=draft.pk, values={"first_name": "X"}),
        lambda: request_submit(actor=outsider, request_id=draft.pk, declaration=True),
        lambda: request_discard(actor=outsider, request_id=draft.pk),
    ):
        with pytest.raises(PermissionDenied):
            call()


def test_a_submitted_request_can_no_longer_be_edited():
    request = submitted()
    with pytest.raises(RequestError, match="can no longer be changed"):
        request_update(
            actor=request.created_by, request_id=request.pk, values={"amount": Decimal(1)}
        )


def test_withdraw_before_a_decision():
    request = submitted()
    request_withdraw(actor=request.created_by, request_id=request.pk, reason="Pupil moved school")
    request.refresh_from_db()
    assert request.status == Status.WITHDRAWN
    assert request.events.last().note == "Pupil moved school"
    with pytest.raises(RequestError):
        request_withdraw(actor=request.created_by, request_id=request.pk)


def test_discard_deletes_a_draft_and_its_files(django_capture_on_commit_callbacks):
    draft = DraftFactory()
    with django_capture_on_commit_callbacks(execute=True):
        attachment = evidence_add(
            actor=draft.created_by,
            request_id=draft.pk,
            upload=SimpleUploadedFile("plan.pdf", PDF, "application/pdf"),
        )
    storage, name = attachment.file.storage, attachment.file.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        request_discard(actor=draft.created_by, request_id=draft.pk)
    assert not ResourceRequest.objects.filter(pk=draft.pk).exists()
    assert not storage.exists(name)


@pytest.mark.parametrize(
    ("name", "content", "claimed", "kind"),
    [
        ("plan.pdf", PDF, "application/pdf", "application/pdf"),
        ("photo.png", None, "image/png", "image/png"),
    ],
)
def test_evidence_is_accepted_by_content(name, content, claimed, kind):
    draft = DraftFactory()
    upload = SimpleUploadedFile(name, content or png_bytes(), claimed)
    attachment = evidence_add(actor=draft.created_by, request_id=draft.pk, upload=upload)
    assert attachment.content_type == kind
    assert attachment.original_name == name
    assert name not in attachment.file.name  # stored under a random name


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", b"MZ\x90\x00 an executable renamed", "must be a PDF"),
        ("notes.docx", b"PK\x03\x04 not really a zip", "must be a PDF"),
        ("photo.jpg", b"\xff\xd8\xff\xe0 truncated", "must be a PDF"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_evidence_is_refused_by_content_whatever_its_name(name, content, message):
    draft = DraftFactory()
    upload = SimpleUploadedFile(name, content, "application/pdf")
    with pytest.raises(RequestError, match=message):
        evidence_add(actor=draft.created_by, request_id=draft.pk, upload=upload)
    assert not Attachment.objects.exists()


def test_evidence_size_and_count_limits(settings):
    settings.EVIDENCE_MAX_BYTES = 100
    settings.EVIDENCE_MAX_FILES = 2
    draft = DraftFactory()
    with pytest.raises(RequestError, match="smaller than"):
        evidence_add(
            actor=draft.created_by,
            request_id=draft.pk,
            upload=SimpleUploadedFile("big.pdf", PDF + b"x" * 200, "application/pdf"),
        )
    for n in range(2):
        evidence_add(
            actor=draft.created_by,
            request_id=draft.pk,
            upload=SimpleUploadedFile(f"{n}.pdf", PDF, "application/pdf"),
        )
    with pytest.raises(RequestError, match="at most 2 files"):
        evidence_add(
            actor=draft.created_by,
            request_id=draft.pk,
            upload=SimpleUploadedFile("third.pdf", PDF, "application/pdf"),
        )
    assert draft.attachments.count() == 2


def test_evidence_can_be_removed_only_while_editable(django_capture_on_commit_callbacks):
    draft = DraftFactory()
    attachment = evidence_add(
        actor=draft.created_by,
        request_id=draft.pk,
        upload=SimpleUploadedFile("plan.pdf", PDF, "application/pdf"),
    )
    request_submit(actor=draft.created_by, request_id=draft.pk, declaration=True)
    with pytest.raises(RequestError):
        evidence_remove(actor=draft.created_by, request_id=draft.pk, attachment_id=attachment.pk)
    assert Attachment.objects.filter(pk=attachment.pk).exists()
