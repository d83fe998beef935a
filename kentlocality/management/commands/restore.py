"""``manage.py restore FILE`` (``make restore FILE=...``): a backup into an empty
database and private storage, then checked against the backup (kentlocality/backup.py)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kentlocality.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore a backup into an empty database and private storage, and check it."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="the backup (a .tar made by manage.py backup)")

    def handle(self, *args, **options) -> None:
        try:
            result = backup_restore(Path(options["file"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"Restored and checked: {result.tables} tables ({result.rows} rows) and "
            f"{result.files} files, each identical to the backup."
        )
