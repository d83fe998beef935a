"""Monthly budget updates: on the first working day of each month every Community of
Schools gets a statement of the month just ended (total budget, spend to date,
remaining, and month by month for the financial year so far), and its chair an email
with a link.

Every figure comes from ``budget_positions`` taken as at the end of each month, so a
statement agrees with the budget pages and reports. "Spend to date" is what the CoS has
committed by its decisions (the guidance's word); paid is shown beside it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from communities.models import CommunityOfSchools, RoleAssignment
from communities.selectors import role_emails
from kentlocality.emails import absolute_url, send_templated
from kentlocality.financial_years import financial_year_of, year_bounds, year_label
from kentlocality.workdays import add_working_days

from .models import MonthlyStatement
from .selectors import ZERO, budget_positions

logger = logging.getLogger(__name__)


def month_end(month: dt.date) -> dt.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def previous_month(day: dt.date) -> dt.date:
    """The first day of the month before the one ``day`` falls in."""
    first = day.replace(day=1)
    return (first - dt.timedelta(days=1)).replace(day=1)


def first_working_day(month: dt.date) -> dt.date:
    """The first working day of the month that ``month`` falls in."""
    return add_working_days(month.replace(day=1) - dt.timedelta(days=1), 1)


def months_of_year_to(month: dt.date) -> list[dt.date]:
    """First days of the months of month's financial year, from April up to month."""
    start, _ = year_bounds(financial_year_of(month))
    months, current = [], start
    while current <= month:
        months.append(current)
        current = month_end(current) + dt.timedelta(days=1)
    return months


@dataclass(frozen=True)
class MonthFigures:
    month: dt.date
    committed: Decimal  # committed by decisions in the month (less cancellations)
    paid: Decimal  # paid in the month (less reversals)
    committed_to_date: Decimal
    paid_to_date: Decimal

    def as_json(self) -> dict:
        return {
            "month": self.month.strftime("%Y-%m"),
            "committed": str(self.committed),
            "paid": str(self.paid),
            "committed_to_date": str(self.committed_to_date),
            "paid_to_date": str(self.paid_to_date),
        }

    @classmethod
    def from_json(cls, data: dict) -> MonthFigures:
        return cls(
            month=dt.datetime.strptime(data["month"], "%Y-%m").date(),
            committed=Decimal(data["committed"]),
            paid=Decimal(data["paid"]),
            committed_to_date=Decimal(data["committed_to_date"]),
            paid_to_date=Decimal(data["paid_to_date"]),
        )


def monthly_figures(community_ids: list[int], month: dt.date) -> dict[int, list[MonthFigures]]:
    """Month by month for the financial year up to ``month``, for many CoS at once: the
    positions at each month's end (three queries a month) and their differences. The
    first month's commitment is measured from the eve of the year, so awards decided in
    an earlier year for this one are not counted as April's decisions."""
    year = financial_year_of(month)
    year_start, _ = year_bounds(year)
    before = budget_positions(community_ids, year, as_at=year_start - dt.timedelta(days=1))
    previous = {pk: (before[pk].committed, ZERO) for pk in community_ids}
    figures: dict[int, list[MonthFigures]] = {pk: [] for pk in community_ids}
    for each in months_of_year_to(month):
        positions = budget_positions(community_ids, year, as_at=month_end(each))
        for pk, position in positions.items():
            committed_before, paid_before = previous[pk]
            figures[pk].append(
                MonthFigures(
                    month=each,
                    committed=position.committed - committed_before,
                    paid=position.paid - paid_before,
                    committed_to_date=position.committed,
                    paid_to_date=position.paid,
                )
            )
            previous[pk] = (position.committed, position.paid)
    return figures


def committed_before_year(statement: MonthlyStatement) -> Decimal:
    """Commitments for the statement's year made by decisions before the year began."""
    months = [MonthFigures.from_json(m) for m in statement.monthly]
    if not months:
        return ZERO
    return months[0].committed_to_date - months[0].committed


@transaction.atomic
def statements_create(month: dt.date, community_ids: list[int] | None = None) -> list[int]:
    """Store the statement of ``month`` for every CoS (or those given) that has none yet,
    as the budget stood at the end of that month. Returns the new statements' ids.
    Running it again changes nothing: a CoS has one statement a month (a unique
    constraint, and ``ignore_conflicts`` for a run that races this one)."""
    month = month.replace(day=1)
    if community_ids is None:
        community_ids = list(CommunityOfSchools.objects.values_list("pk", flat=True))
    have = set(
        MonthlyStatement.objects.filter(month=month, community_id__in=community_ids).values_list(
            "community_id", flat=True
        )
    )
    missing = [pk for pk in community_ids if pk not in have]
    if not missing:
        return []
    year = financial_year_of(month)
    positions = budget_positions(missing, year, as_at=month_end(month))
    figures = monthly_figures(missing, month)
    MonthlyStatement.objects.bulk_create(
        [
            MonthlyStatement(
                community_id=pk,
                month=month,
                year=year,
                total=positions[pk].total,
                committed=positions[pk].committed,
                paid=positions[pk].paid,
                remaining=positions[pk].remaining,
                monthly=[f.as_json() for f in figures[pk]],
            )
            for pk in missing
        ],
        ignore_conflicts=True,
    )
    return list(
        MonthlyStatement.objects.filter(month=month, community_id__in=missing).values_list(
            "pk", flat=True
        )
    )


def statement_month_due(today: dt.date) -> dt.date | None:
    """The month whose statements are due today: the month just ended, once this month's
    first working day has come. On the first working day this is the normal run; a later
    day only catches up statements missed while the service was down."""
    if today < first_working_day(today):
        return None
    return previous_month(today)


def monthly_statements_run(today: dt.date) -> list[int]:
    """Create the statements due today (if any) and return the ids of the month's
    statements not yet emailed."""
    month = statement_month_due(today)
    if month is None:
        return []
    statements_create(month)
    return list(
        MonthlyStatement.objects.filter(month=month, emailed_at__isnull=True).values_list(
            "pk", flat=True
        )
    )


def chair_emails(community_id: int) -> list[str]:
    return role_emails(RoleAssignment.Role.CHAIR, community_id=community_id)


def statement_email(*, statement_id: int) -> bool:
    """Email the CoS chair a link to the statement, once: claimed with a compare-and-set
    on ``emailed_at``; an email failure gives the claim back and re-raises for the task's
    retry. The email has the month and a link, no figures about pupils. A CoS with no
    chair is marked emailed (there is nobody to tell; the statement is on its page)."""
    claimed_at = timezone.now()
    if not MonthlyStatement.objects.filter(pk=statement_id, emailed_at__isnull=True).update(
        emailed_at=claimed_at
    ):
        return False
    statement = MonthlyStatement.objects.select_related("community").filter(pk=statement_id).first()
    if statement is None:
        return False
    try:
        sent = send_templated(
            "statement",
            chair_emails(statement.community_id),
            {
                "community": statement.community.name,
                "month": statement.month,
                "year_label": year_label(statement.year),
                "url": absolute_url(
                    reverse("budgets:statement", args=[statement.community_id, statement.pk])
                ),
            },
        )
    except Exception:
        MonthlyStatement.objects.filter(pk=statement_id, emailed_at=claimed_at).update(
            emailed_at=None
        )
        raise
    if not sent:
        logger.info("statement %s: %s has no chair to email", statement_id, statement.community)
    return bool(sent)
