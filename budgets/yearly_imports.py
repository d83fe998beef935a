"""Yearly data loaded in the browser (issue 16 item 4): a KCC administrator uploads a GIAS
file, a membership file or a budgets file in the admin, sees a preview of every row's
outcome with its reason, confirms, and a background task imports it, counting its
progress. The importers are the management commands' own (``communities.imports``,
``budgets.imports``); the preview is the same import rolled back
(``kentlocality.csvimport``), so its counts are the import's. Each run is kept: who, when,
the file and its SHA-256, the counts and the refused rows.

Lives in the ledger because it is the lowest app that may call both importers.
"""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.utils import timezone

from communities.imports import gias_import, memberships_import
from communities.models import User
from kentlocality.background import queue_on_commit
from kentlocality.csvimport import ImportFileError, ImportOptions, ImportResult

from .exports import Sheet, to_csv
from .imports import budgets_import
from .models import ImportRun

IMPORTERS = {
    ImportRun.Kind.GIAS: gias_import,
    ImportRun.Kind.MEMBERSHIPS: memberships_import,
    ImportRun.Kind.BUDGETS: budgets_import,
}
LARGEST_FILE = 80 * 1024 * 1024  # the whole of England's GIAS file is about 60 MB


class ImportRefused(Exception):
    """The file cannot be imported at all; nothing is kept."""


def _rows(result: ImportResult) -> list[list]:
    return [[r.row, r.outcome, r.reason] for r in result.rows]


def _run_importer(run: ImportRun, options: ImportOptions) -> ImportResult:
    return IMPORTERS[run.kind](bytes(run.data), run.encoding or None, options)


@transaction.atomic
def import_preview(
    *, actor: User, kind: str, file_name: str, data: bytes, encoding: str = ""
) -> ImportRun:
    """Read the file as the import would and keep the preview (nothing of the file's is
    written). Refused, with the reason, when the file as a whole cannot be read."""
    if kind not in IMPORTERS:
        raise ImportRefused("Choose what kind of file this is.")
    if not data:
        raise ImportRefused("The file is empty.")
    if len(data) > LARGEST_FILE:
        raise ImportRefused("The file is larger than 80 MB.")
    run = ImportRun(
        kind=kind,
        file_name=file_name[:200],
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        encoding=encoding,
        uploaded_by=actor,
    )
    try:
        result = _run_importer(run, ImportOptions(dry_run=True))
    except ImportFileError as exc:
        raise ImportRefused(str(exc)) from None
    run.preview_counts = dict(result.counts)
    run.preview_rows = _rows(result)
    run.rows_total = len(result.rows)
    run.save()
    return run


def earlier_import(run: ImportRun) -> ImportRun | None:
    """The last import of the same file (same kind, same SHA-256), if any."""
    return (
        ImportRun.objects.filter(kind=run.kind, sha256=run.sha256, state=ImportRun.State.DONE)
        .exclude(pk=run.pk)
        .order_by("-finished_at")
        .first()
    )


@transaction.atomic
def import_confirm(*, actor: User, run_id: int) -> ImportRun:
    """The administrator confirms a preview: the import is queued to run in the
    background. A second confirmation changes nothing."""
    run = ImportRun.objects.select_for_update().get(pk=run_id)
    if run.state != ImportRun.State.PREVIEWED:
        raise ImportRefused(f"This import is already {run.get_state_display().lower()}.")
    run.state = ImportRun.State.QUEUED
    run.confirmed_at = timezone.now()
    run.save(update_fields=["state", "confirmed_at"])
    from .tasks import import_run_task

    queue_on_commit(import_run_task, run.pk)
    return run


def import_run(*, run_id: int) -> bool:
    """Import a confirmed file, counting progress as it goes. Claimed by a
    compare-and-set on its state, so a redelivered task never imports it twice."""
    if not ImportRun.objects.filter(pk=run_id, state=ImportRun.State.QUEUED).update(
        state=ImportRun.State.RUNNING
    ):
        return False
    run = ImportRun.objects.get(pk=run_id)

    def progress(done: int) -> None:
        ImportRun.objects.filter(pk=run_id).update(rows_done=done)

    try:
        result = _run_importer(run, ImportOptions(progress=progress))
    except ImportFileError as exc:
        ImportRun.objects.filter(pk=run_id).update(
            state=ImportRun.State.FAILED, problem=str(exc), finished_at=timezone.now()
        )
        return False
    ImportRun.objects.filter(pk=run_id).update(
        state=ImportRun.State.DONE,
        counts=dict(result.counts),
        rows=_rows(result),
        rows_done=len(result.rows),
        finished_at=timezone.now(),
    )
    return True


def refused_rows_csv(rows: list[list]) -> bytes:
    """The refused rows of a preview or an import, with their reasons, as CSV (written by
    the finance exports' writer, which neutralises text that could start a formula)."""
    refused = [[row, reason] for row, outcome, reason in rows if outcome == "refused"]
    return to_csv(Sheet("Refused rows", ["Row", "Reason"], refused))
