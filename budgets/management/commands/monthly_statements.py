import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from budgets.models import MonthlyStatement
from budgets.statements import previous_month, statements_create
from budgets.tasks import statement_email_task
from kentlocality.background import queue


class Command(BaseCommand):
    help = (
        "Store the monthly budget update of every Community of Schools for a month (the "
        "month just ended unless --month YYYY-MM is given), as beat does on the first "
        "working day of each month. A CoS that already has that month's statement keeps "
        "it. With --email, chairs not yet emailed for that month are emailed a link."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--month", help="the month, as YYYY-MM")
        parser.add_argument("--email", action="store_true", help="email the chairs a link")

    def handle(self, *args, month: str | None = None, email: bool = False, **options) -> None:
        if month:
            try:
                first = dt.datetime.strptime(month, "%Y-%m").date()
            except ValueError:
                raise CommandError("--month must look like 2026-10") from None
        else:
            first = previous_month(timezone.localdate())
        if first > timezone.localdate():
            raise CommandError("A statement cannot be made for a month that has not begun.")
        created = statements_create(first)
        self.stdout.write(f"{len(created)} statement(s) stored for {first:%B %Y}.")
        if email:
            pending = list(
                MonthlyStatement.objects.filter(month=first, emailed_at__isnull=True).values_list(
                    "pk", flat=True
                )
            )
            for statement_id in pending:
                queue(statement_email_task, statement_id)
            self.stdout.write(f"{len(pending)} email(s) queued.")
