"""A request's life before any decision: draft, evidence, submit, withdraw, resubmit.

Every status change goes through ``transition``: it checks the move against
``workflow.TRANSITIONS``, writes the timeline event and saves. Callers hold the row lock.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from communities.models import School, User
from communities.permissions import scope_for
from kentlocality.background import queue_on_commit

from .. import validation
from ..evidence import EvidenceRejected, safe_display_name, sniff, virus_scan
from ..models import Attachment, ReferenceCounter, ResourceRequest, TimelineEvent
from ..notifications import events as notify
from ..workflow import DISCARD, EDIT, Action, Status, allows, next_status
from .errors import AlreadySubmitted, IncompleteRequest, RequestError


def lock_request(request_id: int) -> ResourceRequest:
    try:
        return (
            ResourceRequest.objects.select_for_update(of=("self",))
            .select_related("school", "community", "community__area")
            .get(pk=request_id)
        )
    except ResourceRequest.DoesNotExist:
        raise RequestError("That request no longer exists.") from None


def record_event(
    request: ResourceRequest,
    *,
    actor: User | None,
    action: str,
    note: str = "",
    from_status: str = "",
    to_status: str = "",
) -> TimelineEvent:
    return TimelineEvent.objects.create(
        request=request,
        actor=actor,
        action=action,
        note=note,
        from_status=from_status,
        to_status=to_status,
    )


def transition(request: ResourceRequest, *, actor: User, action: str, note: str = "") -> None:
    """Move a locked request by action, or raise RequestError if the table forbids it."""
    new_status = next_status(request.status, action)
    if new_status is None:
        raise RequestError(
            f"A request that is {request.get_status_display().lower()} cannot be "
            f"{Action(action).label.lower()}."
        )
    old_status = request.status
    request.status = new_status
    request.save(update_fields=["status", "updated_at"])
    record_event(
        request, actor=actor, action=action, note=note, from_status=old_status, to_status=new_status
    )


def _require_school_staff(actor: User, request: ResourceRequest) -> None:
    if request.school_id not in scope_for(actor).school_ids:
        raise PermissionDenied


def _require_editable(request: ResourceRequest, action: str) -> None:
    if not allows(request.status, action):
        raise RequestError(
            f"This request is {request.get_status_display().lower()}: it can no longer be changed."
        )


@transaction.atomic
def request_start(
    *,
    actor: User,
    school: School,
    section: str = "",
    values: dict | None = None,
    prg_services=None,
    as_typed: dict | None = None,
) -> ResourceRequest:
    """A new draft for a pupil at school, with the answers of the first save of its first
    section (the SENCO's form makes nothing by opening an empty page). Only its SENCOs
    may start one, and only at an open mainstream school in a Community of Schools."""
    if school.pk not in scope_for(actor).school_ids:
        raise PermissionDenied
    if not school.is_open or not school.is_member or school.community_id is None:
        raise RequestError(
            "Requests for Resource come from open mainstream schools that belong to a "
            "Community of Schools."
        )
    request = ResourceRequest.objects.create(school=school, created_by=actor)
    record_event(request, actor=actor, action=Action.CREATE, to_status=Status.DRAFT)
    if values is None and as_typed is None:
        return request
    return request_update(
        actor=actor,
        request_id=request.pk,
        section=section,
        values=values or {},
        prg_services=prg_services,
        as_typed=as_typed,
    )


@transaction.atomic
def request_update(
    *,
    actor: User,
    request_id: int,
    values: dict,
    section: str = "",
    prg_services=None,
    as_typed: dict | None = None,
) -> ResourceRequest:
    """Save one section's answers on a draft (or a request returned for more
    information). ``values`` holds model field names only: the answers that are right.
    ``as_typed`` is what the section's form was sent when some answers were not (kept
    so the SENCO sees them again with their errors), or None when all were: the
    section's earlier answers as typed are then dropped. Without ``section`` (a caller
    other than the SENCO's form) they are left as they are."""
    request = lock_request(request_id)
    _require_school_staff(actor, request)
    _require_editable(request, EDIT)
    allowed = {f.name for f in ResourceRequest._meta.concrete_fields} - {
        "id",
        "status",
        "reference",
        "school",
        "community",
        "created_by",
        "created_at",
        "updated_at",
        "submitted_at",
        "first_submitted_at",
        "declared_by",
        "declared_at",
        "decision",
        "anonymised_at",
        "answers_as_typed",
    }
    unknown = set(values) - allowed
    if unknown:
        raise ValueError(f"Not fields of a request section: {sorted(unknown)}")
    for name, value in values.items():
        setattr(request, name, value)
    if section:
        kept = {k: v for k, v in request.answers_as_typed.items() if k != section}
        if as_typed:
            kept[section] = as_typed
        request.answers_as_typed = kept
    request.save()
    if prg_services is not None:
        request.prg_services.set(prg_services)
    return request


@transaction.atomic
def evidence_add(*, actor: User, request_id: int, upload: UploadedFile) -> Attachment:
    """Store one evidence file privately after checking its content and size, and
    scanning it for viruses when ClamAV is configured. A refused file stores nothing."""
    request = lock_request(request_id)
    _require_school_staff(actor, request)
    _require_editable(request, Action.ADD_EVIDENCE)
    if request.attachments.count() >= settings.EVIDENCE_MAX_FILES:
        raise RequestError(
            f"A request can have at most {settings.EVIDENCE_MAX_FILES} files. Remove one to add another."
        )
    try:
        content_type = sniff(upload)
        virus_scan(upload)
    except EvidenceRejected as exc:
        raise RequestError(str(exc)) from None
    attachment = Attachment(
        request=request,
        original_name=safe_display_name(upload.name or ""),
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor,
    )
    attachment.file.save("evidence", upload, save=False)
    stored = attachment.file.name
    try:
        attachment.save()
        record_event(
            request, actor=actor, action=Action.ADD_EVIDENCE, note=attachment.original_name
        )
    except Exception:
        # The row is not saved: the stored file must not be left behind.
        attachment.file.storage.delete(stored)
        raise
    return attachment


@transaction.atomic
def evidence_remove(*, actor: User, request_id: int, attachment_id: int) -> None:
    request = lock_request(request_id)
    _require_school_staff(actor, request)
    _require_editable(request, Action.REMOVE_EVIDENCE)
    attachment = request.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise RequestError("That file has already been removed.")
    name, storage = attachment.file.name, attachment.file.storage
    attachment.delete()
    record_event(request, actor=actor, action=Action.REMOVE_EVIDENCE, note=attachment.original_name)
    transaction.on_commit(lambda: storage.delete(name))


def _next_reference(year: int) -> str:
    ReferenceCounter.objects.bulk_create([ReferenceCounter(year=year)], ignore_conflicts=True)
    counter = ReferenceCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"RFR-{year}-{counter.last:06d}"


@transaction.atomic
def request_submit(*, actor: User, request_id: int, declaration: bool) -> ResourceRequest:
    """Submit a complete draft, or resubmit one returned for more information.

    Records the CoS of the school at this moment and gives the request its reference.
    A second submission of the same request (two clicks, two tabs) raises
    AlreadySubmitted and changes nothing. The CoS's chair is told; on commit, the
    submitter is emailed (no pupil identity in the email).
    """
    request = lock_request(request_id)
    _require_school_staff(actor, request)
    # Submitting a draft, or resubmitting a request returned for more information.
    action = next((a for a in (Action.SUBMIT, Action.RESUBMIT) if allows(request.status, a)), None)
    if action is None:
        raise AlreadySubmitted("This request has already been submitted.")
    problems = validation.submission_problems(request)
    if problems:
        raise IncompleteRequest(problems)
    if not declaration:
        raise RequestError("Confirm the declaration to submit the request")
    if request.school.community_id is None:
        raise RequestError("The school is not in a Community of Schools: ask a KCC administrator.")
    now = timezone.now()
    if action == Action.SUBMIT:
        request.reference = _next_reference(timezone.localdate(now).year)
        request.community_id = request.school.community_id
        request.first_submitted_at = now
    request.submitted_at = now
    request.declared_by = actor
    request.declared_at = now
    request.save()
    transition(request, actor=actor, action=action)
    notify.request_submitted(request, resubmitted=action == Action.RESUBMIT)

    from ..tasks import submission_confirm

    queue_on_commit(submission_confirm, request.pk, actor.pk)
    return request


@transaction.atomic
def request_withdraw(*, actor: User, request_id: int, reason: str = "") -> ResourceRequest:
    """The school withdraws a request before it is decided. An agenda item for it is
    marked withdrawn so the meeting can still close."""
    request = lock_request(request_id)
    _require_school_staff(actor, request)
    if not allows(request.status, Action.WITHDRAW):
        raise RequestError("Only a request that has not been decided can be withdrawn.")
    open_item = request.agenda_items.filter(outcome="", meeting__state="scheduled").first()
    transition(request, actor=actor, action=Action.WITHDRAW, note=reason)
    if open_item is not None:
        open_item.outcome = "withdrawn"
        open_item.save(update_fields=["outcome"])
    return request


@transaction.atomic
def request_discard(*, actor: User, request_id: int) -> None:
    """Delete a draft and its evidence. Nobody outside the school ever saw it."""
    request = lock_request(request_id)
    _require_school_staff(actor, request)
    if not allows(request.status, DISCARD):
        raise RequestError("Only a draft can be discarded.")
    files = [(a.file.storage, a.file.name) for a in request.attachments.all()]
    request.delete()

    def delete_files() -> None:
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(delete_files)


# What "Continue support" copies into the new draft: the pupil's details and needs (the
# first two sections of the form, without the parental consent, which is given for each
# request). Evidence, amounts, dates, outcomes and the declaration are the new request's
# own.
CONTINUED_FIELDS = (
    "first_name",
    "last_name",
    "date_of_birth",
    "upn",
    "year_group",
    "sen_provision",
    "primary_need",
    "secondary_need",
    "home_la",
    "home_la_name",
    "receives_saf",
    "needs_summary",
    "graduated_assess",
    "graduated_plan",
    "graduated_do",
    "graduated_review",
    "current_provision",
    "current_cost",
    "below_threshold_reason",
    "prg_other",
)


@transaction.atomic
def request_continue(*, actor: User, request_id: int) -> ResourceRequest:
    """Start a new draft continuing the support of a decided request: the same pupil, with
    the pupil's details and needs copied (``CONTINUED_FIELDS`` and the services involved).
    Only the school's staff, and only from a decided request (approved, part-approved or
    declined), never a draft or a withdrawn one. Both timelines say so."""
    earlier = lock_request(request_id)
    _require_school_staff(actor, earlier)
    if not allows(earlier.status, Action.CONTINUE_SUPPORT):
        raise RequestError(
            f"This request is {earlier.get_status_display().lower()}: support can be continued "
            "only from a request that has been decided."
        )
    if earlier.anonymised_at is not None:
        raise RequestError("This request's pupil details have been removed: start a new request.")
    draft = request_start(actor=actor, school=earlier.school)
    for name in CONTINUED_FIELDS:
        setattr(draft, name, getattr(earlier, name))
    draft.continues = earlier
    draft.save()
    draft.prg_services.set(earlier.prg_services.all())
    record_event(
        draft, actor=actor, action=Action.CONTINUE_SUPPORT, note=f"Continues {earlier.reference}"
    )
    record_event(
        earlier, actor=actor, action=Action.CONTINUE_SUPPORT, note="A new draft was started"
    )
    return draft
