import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test import override_settings

from demo.activity import seed_activity
from demo.past_years import seed_past_years
from demo.places import DEMO_ACCOUNTS, demo_loaded, seed_places_and_people

DEFAULT_DEMO_PASSWORD = "kent-demo-password-2026"  # noqa: S105 (printed for demos only)


class Command(BaseCommand):
    help = (
        "Load demonstration data: Kent's 4 areas, 53 Communities of Schools, about 600 "
        "schools, people in every role, two years of the first area's past (unless "
        "DEMO_PAST_YEARS is false or --years is given) and the demo sign-ins. Runs once: "
        "a second run changes nothing. Refuses to run with DEBUG off unless given --force."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--force", action="store_true", help="run even with DEBUG off")
        parser.add_argument(
            "--years",
            type=int,
            default=0,
            help="also add this many financial years of history (requests, meetings, "
            "decisions, payments, statements); Kent scale is --years 10",
        )

    def handle(self, *args, force: bool = False, years: int = 0, **options) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo adds demonstration people with a shared password. It runs only "
                "with DEBUG on; use --force to load it into this database anyway."
            )
        password = os.environ.get("DEMO_PASSWORD", DEFAULT_DEMO_PASSWORD)
        if demo_loaded():
            self.stdout.write("Demo data is already loaded; nothing changed.")
        else:
            counts = seed_places_and_people(password)
            # The demo's own activity sends confirmation emails nobody needs to see.
            with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
                # With --years, the history below tells every CoS's past instead.
                past = seed_past_years() if settings.DEMO_PAST_YEARS and not years else None
                seed_activity()
            self.stdout.write(
                f"Loaded {counts['communities']} Communities of Schools, {counts['schools']} "
                f"schools and {counts['people']} people."
            )
            if past is not None:
                self.stdout.write(
                    f"Two years of the first area's past: {past.meetings} meetings, "
                    f"{past.requests} requests, {past.decisions.total()} decisions, "
                    f"{past.payments} payments, {past.statements} monthly budget updates."
                )
        if years:
            self._history(years)
        self.stdout.write("Demo sign-ins (password from DEMO_PASSWORD):")
        for account in DEMO_ACCOUNTS:
            self.stdout.write(f"  {account.email:<22} {account.description}")

    def _history(self, years: int) -> None:
        import time

        from communities.models import CommunityOfSchools
        from demo.history import seed_history
        from requests.models import Meeting

        if not 1 <= years <= 50:
            raise CommandError("--years must be between 1 and 50.")
        # The demo's own activity and past years close meetings in the first area only;
        # history closes several in every CoS.
        first = CommunityOfSchools.objects.order_by("pk").first()
        closed = Meeting.objects.filter(state=Meeting.State.CLOSED)
        if closed.exclude(community__area_id=first.area_id).exists():
            self.stdout.write("History is already loaded; nothing changed.")
            return
        started = time.monotonic()
        counts = seed_history(years)
        self.stdout.write(
            f"Added {years} years of history in {time.monotonic() - started:.0f} s: "
            f"{counts.requests:,} requests, {counts.decisions:,} decisions, "
            f"{counts.meetings:,} meetings, {counts.attendance:,} attendance records, "
            f"{counts.payments:,} payments, {counts.statements:,} monthly statements."
        )
