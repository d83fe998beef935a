from django.core.management.base import BaseCommand

from requests.retention import apply_retention


class Command(BaseCommand):
    help = (
        "Apply the retention policy: remove pupil identities from finished requests once the "
        "pupil is older than RETENTION_PUPIL_AGE_YEARS, and delete drafts untouched for "
        "RETENTION_DRAFT_MONTHS. With --dry-run, only count what would change."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="count, change nothing")

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        result = apply_retention(dry_run=dry_run)
        verb = "would be" if dry_run else "were"
        self.stdout.write(
            f"{result.anonymised} pupil identities {verb} removed, "
            f"{result.drafts_deleted} abandoned drafts {verb} deleted."
        )
