from django.core.management.base import BaseCommand, CommandError

from communities.imports import memberships_import
from kentlocality.csvimport import ImportFileError


class Command(BaseCommand):
    help = (
        "Assign schools to Communities of Schools from a CSV with the columns URN, "
        '"Community of Schools" and, for a CoS not yet known, Area. Idempotent.'
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file")
        parser.add_argument("--encoding", help="force an encoding instead of detecting it")

    def handle(self, *args, file: str, encoding: str | None = None, **options) -> None:
        try:
            result = memberships_import(file, encoding)
        except ImportFileError as exc:
            raise CommandError(str(exc)) from None
        for error in result.errors:
            self.stderr.write(error)
        self.stdout.write(result.summary("assigned", "unchanged", "skipped"))
