"""Import of the financial information KCC sends each year: CoS budgets, and each school's
notional SEN budget and historic HNF allocation.

Two CSV layouts, told apart by their columns:

- CoS budgets: ``Financial year``, ``Community of Schools``, ``Budget``
- School budgets: ``Financial year``, ``URN``, ``Notional SEN budget``,
  ``Historic HNF allocation``

A financial year is written ``2026-27`` (or ``2026/27``, or the year it starts in,
``2026``). Amounts are pounds, with or without ``£``, commas and pence. Rows are matched on
(CoS, year) or (URN, year), so running a file again changes nothing.
"""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

from communities.models import CommunityOfSchools, School
from kentlocality.csvimport import (
    ImportFileError,
    ImportOptions,
    ImportResult,
    RowError,
    decode,
    read_bytes,
    read_rows,
    run_import,
)
from kentlocality.financial_years import year_label

from .models import CosBudget, SchoolBudget

COS_COLUMNS = ["Financial year", "Community of Schools", "Budget"]
SCHOOL_COLUMNS = ["Financial year", "URN", "Notional SEN budget", "Historic HNF allocation"]

_YEAR = re.compile(r"^(\d{4})(?:\s*[-/]\s*(\d{2}|\d{4}))?$")
_AMOUNT = re.compile(r"^\d{1,10}(\.\d{1,2})?$")
LARGEST = Decimal("9999999999.99")


def parse_year(value: str) -> int:
    match = _YEAR.match(value.strip())
    if not match:
        raise RowError(f'Financial year "{value[:20]}" should look like 2026-27.')
    start = int(match[1])
    if match[2]:
        end = int(match[2])
        expected = (start + 1) % 100 if len(match[2]) == 2 else start + 1
        if end != expected:
            raise RowError(
                f'Financial year "{value[:20]}" is not a financial year: write {year_label(start)}.'
            )
    if not 2000 <= start <= 2100:
        raise RowError(f'Financial year "{value[:20]}" is out of range.')
    return start


def parse_amount(value: str, column: str) -> Decimal:
    cleaned = value.replace("£", "").replace(",", "").replace(" ", "")
    if not cleaned:
        raise RowError(f"{column} is empty.")
    if cleaned.startswith("-"):
        raise RowError(f'{column} "{value[:20]}" is negative.')
    if not _AMOUNT.match(cleaned):
        raise RowError(f'{column} "{value[:20]}" is not an amount in pounds, like 350000.00.')
    try:
        amount = Decimal(cleaned).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise RowError(f'{column} "{value[:20]}" is not an amount in pounds.') from None
    if amount > LARGEST:
        raise RowError(f"{column} is too large.")
    return amount


def _save(model, lookup: dict, values: dict, what: str) -> tuple[str, str]:
    # Locked while it changes: a decision checking the budget waits for the new total.
    row = model.objects.select_for_update().filter(**lookup).first()
    if row is None:
        model.objects.create(**lookup, **values)
        return "created", what
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    if not changed:
        return "unchanged", what
    was = ", ".join(f"{name.replace('_', ' ')} was {getattr(row, name)}" for name in changed)
    for name in changed:
        setattr(row, name, values[name])
    row.save(update_fields=changed)
    return "updated", f"{what} ({was})"


class _Once:
    """Refuses a second good row for the same key in one file (the first is kept): the
    row is checked first, so its own fault is the one reported, then undone if it
    repeats (each row runs in its own savepoint, ``run_import``)."""

    def __init__(self, handle) -> None:
        self.handle, self.seen = handle, set()

    def __call__(self, row: dict[str, str]) -> tuple[str, str]:
        outcome = self.handle(row)
        key = (row["financial year"], row.get("urn", ""), row.get("community of schools", ""))
        key = tuple(value.lower() for value in key)
        if key in self.seen:
            raise RowError(
                "This row repeats an earlier one for the same year: only the first is read."
            )
        self.seen.add(key)
        return outcome


def _cos_row(row: dict[str, str]) -> tuple[str, str]:
    year = parse_year(row["financial year"])
    name = row["community of schools"]
    if not name:
        raise RowError("The Community of Schools is empty.")
    community = CommunityOfSchools.objects.filter(name__iexact=name).first()
    if community is None:
        raise RowError(
            f'"{name[:120]}" is not a Community of Schools. Import the memberships first.'
        )
    total = parse_amount(row["budget"], "Budget")
    return _save(
        CosBudget,
        {"community": community, "year": year},
        {"total": total},
        f"{community.name} {year_label(year)}: £{total:,.2f}",
    )


def _school_row(row: dict[str, str]) -> tuple[str, str]:
    year = parse_year(row["financial year"])
    raw_urn = row["urn"]
    if not raw_urn.isdigit():
        raise RowError(f'URN "{raw_urn[:20]}" is not a number.')
    school = School.objects.filter(urn=int(raw_urn)).first()
    if school is None:
        raise RowError(f"No school has URN {raw_urn}. Import the GIAS file first.")
    values = {
        "notional_sen_budget": parse_amount(row["notional sen budget"], "Notional SEN budget"),
        "historic_hnf_allocation": parse_amount(
            row["historic hnf allocation"], "Historic HNF allocation"
        ),
    }
    return _save(
        SchoolBudget, {"school": school, "year": year}, values, f"{school.name} {year_label(year)}"
    )


def _header(path: str | Path | bytes, encoding: str | None) -> set[str]:
    """The file's column names, lower-cased, to tell the two layouts apart."""
    data = read_bytes(path)
    try:
        header = next(csv.reader(io.StringIO(decode(data, encoding), newline="")), None)
    except csv.Error as exc:
        raise ImportFileError(f"The file is not a readable CSV file: {exc}") from None
    if not header:
        raise ImportFileError("The file is empty.")
    return {name.strip().lower() for name in header}


def budgets_import(
    path: str | Path | bytes, encoding: str | None = None, options: ImportOptions | None = None
) -> ImportResult:
    """Create or update CoS budgets or school budgets from a CSV (layout chosen by its
    columns). Never deletes. Each bad row is reported and the good ones still imported."""
    columns = _header(path, encoding)
    if {c.lower() for c in SCHOOL_COLUMNS} <= columns:
        return run_import(read_rows(path, SCHOOL_COLUMNS, encoding), _Once(_school_row), options)
    if {c.lower() for c in COS_COLUMNS} <= columns:
        return run_import(read_rows(path, COS_COLUMNS, encoding), _Once(_cos_row), options)
    raise ImportFileError(
        "The file must have the columns "
        + ", ".join(f'"{c}"' for c in COS_COLUMNS)
        + " (CoS budgets) or "
        + ", ".join(f'"{c}"' for c in SCHOOL_COLUMNS)
        + " (school budgets)."
    )
