"""``manage.py backup [--dir DIR]`` (``make backup``): the database and the private
storage in one file (kentlocality/backup.py)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kentlocality.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the database (pg_dump, custom format) and the private file storage."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dir",
            default=str(settings.BACKUP_DIR),
            help="folder to write the backup into (default: BACKUP_DIR)",
        )

    def handle(self, *args, **options) -> None:
        try:
            path = backup_create(Path(options["dir"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Backup written: {path}")
        self.stdout.write(
            "It holds children's personal data: keep it encrypted, off this server, and "
            "as long as the retention schedule says."
        )
