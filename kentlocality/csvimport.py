"""What every CSV import shares: decoding, reading columns by name, and carrying on past a
bad row with a message that names its row number.

Row numbers are those a spreadsheet shows: the header is row 1, the first record row 2.
Each row is saved in its own transaction, so a bad row never half-saves and never stops
the good ones; imports are written to be idempotent, so running one again is safe.

A preview is the same import run in a transaction that is rolled back (``dry_run``): the
same code decides every row, so the preview's counts are the import's, and nothing is
written. Each row's outcome is kept with its reason (``ImportResult.rows``).
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction


class ImportFileError(Exception):
    """The file as a whole cannot be imported (unreadable, or not the expected columns)."""


class RowError(Exception):
    """One row cannot be imported; the message says why, in words a person can act on."""


@dataclass(frozen=True)
class RowOutcome:
    row: int
    outcome: str  # "created", "updated", "closed", "skipped", "unchanged", ...
    reason: str


@dataclass
class ImportResult:
    counts: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    rows: list[RowOutcome] = field(default_factory=list)

    def summary(self, *keys: str) -> str:
        return ", ".join(f"{key} {self.counts[key]}" for key in keys)


def decode(data: bytes, encoding: str | None = None) -> str:
    """UTF-8 when the bytes are valid UTF-8 (with or without a byte-order mark); otherwise
    Windows-1252, the encoding of the DfE's GIAS downloads and of Excel's CSV export."""
    if encoding:
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError) as exc:
            raise ImportFileError(f"The file cannot be read as {encoding}: {exc}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_bytes(source: str | Path | bytes) -> bytes:
    """A file's bytes: a path to read, or the bytes of an upload."""
    if isinstance(source, bytes):
        return source
    try:
        return Path(source).read_bytes()
    except OSError as exc:
        raise ImportFileError(f"Cannot open {source}: {exc.strerror}") from None


def read_rows(
    source: str | Path | bytes,
    required: Iterable[str],
    encoding: str | None = None,
) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number, {column name: value}) for each record. Column names are matched
    without regard to case or surrounding spaces; values are stripped."""
    data = read_bytes(source)
    reader = csv.reader(io.StringIO(decode(data, encoding), newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise ImportFileError("The file is empty.") from None
    except csv.Error as exc:
        raise ImportFileError(f"The file is not a readable CSV file: {exc}") from None
    names = [name.strip() for name in header]
    by_key = {name.lower(): name for name in names}
    missing = [column for column in required if column.lower() not in by_key]
    if missing:
        raise ImportFileError(
            "The file has no column named " + ", ".join(f'"{m}"' for m in missing) + "."
        )
    row_number = 1
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            row_number += 1
            raise ImportFileError(f"Row {row_number} cannot be read: {exc}") from None
        row_number += 1
        if not any(value.strip() for value in values):
            continue
        record = {name.lower(): "" for name in names}
        for name, value in zip(names, values, strict=False):
            record[name.lower()] = value.strip()
        yield row_number, record


class ImportOptions:
    """How an import runs: ``dry_run`` rolls everything back (a preview); ``progress`` is
    called with the number of rows done every ``every`` rows."""

    def __init__(
        self,
        *,
        dry_run: bool = False,
        progress: Callable[[int], None] | None = None,
        every: int = 50,
    ) -> None:
        self.dry_run, self.progress, self.every = dry_run, progress, every


def run_import(
    rows: Iterable[tuple[int, dict[str, str]]],
    handle_row: Callable[[dict[str, str]], str | tuple[str, str]],
    options: ImportOptions | None = None,
) -> ImportResult:
    """Call handle_row for each row inside its own transaction. handle_row returns the name
    of the count to add one to ("created", "updated", "unchanged", "skipped", ...), or that
    name and the reason, or raises RowError, which is recorded with the row number and
    counted as skipped."""
    options = options or ImportOptions()
    if not options.dry_run:
        return _run(rows, handle_row, options)
    with transaction.atomic():
        result = _run(rows, handle_row, options)
        transaction.set_rollback(True)
    return result


def _run(rows, handle_row, options: ImportOptions) -> ImportResult:
    result = ImportResult()
    for done, (row_number, row) in enumerate(rows, start=1):
        try:
            with transaction.atomic():
                outcome = handle_row(row)
        except RowError as exc:
            result.errors.append(f"Row {row_number}: {exc}")
            result.counts["skipped"] += 1
            result.rows.append(RowOutcome(row_number, "refused", str(exc)))
        else:
            outcome, reason = outcome if isinstance(outcome, tuple) else (outcome, "")
            result.counts[outcome] += 1
            result.rows.append(RowOutcome(row_number, outcome, reason))
        if options.progress is not None and done % options.every == 0:
            options.progress(done)
    return result
