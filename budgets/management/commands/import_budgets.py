from django.core.management.base import BaseCommand, CommandError

from budgets.imports import COS_COLUMNS, SCHOOL_COLUMNS, budgets_import
from kentlocality.csvimport import ImportFileError


class Command(BaseCommand):
    help = (
        "Import CoS budgets (columns: "
        + ", ".join(COS_COLUMNS)
        + ") or school budgets (columns: "
        + ", ".join(SCHOOL_COLUMNS)
        + ") from a CSV file. Idempotent."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="CSV of CoS budgets or of school budgets")
        parser.add_argument("--encoding", help="force an encoding instead of detecting it")

    def handle(self, *args, file: str, encoding: str | None = None, **options) -> None:
        try:
            result = budgets_import(file, encoding)
        except ImportFileError as exc:
            raise CommandError(str(exc)) from None
        for error in result.errors:
            self.stderr.write(error)
        self.stdout.write(result.summary("created", "updated", "unchanged", "skipped"))
