from django.core.management.base import BaseCommand, CommandError

from communities.imports import gias_import
from kentlocality.csvimport import ImportFileError


class Command(BaseCommand):
    help = (
        "Import Kent's open state-funded schools from the DfE GIAS establishment CSV "
        "(as downloaded: Windows-1252, read by column name). Idempotent."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="edubasealldata CSV downloaded from GIAS")
        parser.add_argument("--encoding", help="force an encoding instead of detecting it")

    def handle(self, *args, file: str, encoding: str | None = None, **options) -> None:
        try:
            result = gias_import(file, encoding)
        except ImportFileError as exc:
            raise CommandError(str(exc)) from None
        for error in result.errors:
            self.stderr.write(error)
        self.stdout.write(result.summary("created", "updated", "closed", "skipped"))
