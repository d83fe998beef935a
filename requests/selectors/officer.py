"""Reads for the HNF Monitoring Officer: the area's approved requests with their two
clocks (hand-off due in 3 working days, payment due by the payment clock,
``budgets.payment_clock``) and what has been paid.

A payment is made once the school's first payment on the award (not reversed) is
recorded, on time when it is dated on or before the due date (``paid_on_time``, as the
reports count it); the hand-off keeps that date (``Handoff.first_paid_on``). Until then,
red / amber / green for the payment due date: red when overdue, amber when it falls
within 5 working days (today included), green when later.
The limit date is worked out once with ``kentlocality.workdays``, so the list, its
filters and the exports agree and no row costs a query.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    DecimalField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from budgets import payment_clock
from budgets.models import Allocation, Payment
from budgets.payment_clock import PAID_ON_TIME_RULE, paid_on_time
from kentlocality.workdays import add_working_days

from ..models import Handoff
from ..workflow import OPEN_STATUSES, Status

AMBER_WORKING_DAYS = 5
ZERO = Decimal("0.00")


def unpaid_in_area(area_id: int) -> Q:
    """Hand-offs of the area whose request is not yet paid in full. The area is asked of
    the request's CoS too, which says nothing new (``handoff_create`` takes a hand-off's
    area from its request's CoS, and Kent's CoS do not change area) but lets PostgreSQL
    start from the area's 13 CoS and their open requests, through the request index
    (community, status), instead of from the area's 11,000 hand-offs of ten years:
    about 1 ms instead of 6 (bench/NOTES.md)."""
    return Q(
        area_id=area_id, request__status__in=OPEN_STATUSES, request__community__area_id=area_id
    )


RED, AMBER, GREEN, PAID, PAID_LATE = "red", "amber", "green", "paid", "paid_late"
RAG_LABELS = {
    RED: "Overdue",
    AMBER: "Due soon",
    GREEN: "On track",
    PAID: "Paid on time",
    PAID_LATE: "Paid late",
}
__all__ = ["PAID_ON_TIME_RULE"]  # the officer's page says it, from here

# The officer's filter: (value, label).
STATUS_FILTERS = [
    ("", "All approved requests"),
    ("waiting", "Not yet acknowledged"),
    ("acknowledged", "Acknowledged, waiting for payment"),
    ("overdue", "Payment overdue (not yet paid)"),
    ("due_soon", "Payment due within 5 working days (not yet paid)"),
    ("paid", "Paid in full"),
]


def amber_limit(today: dt.date) -> dt.date:
    """The last payment due date that is amber today (5 working days on)."""
    return add_working_days(today, AMBER_WORKING_DAYS)


def payment_rag(due: dt.date, today: dt.date, *, first_paid: dt.date | None, limit: dt.date) -> str:
    """A payment's colour: paid on time or late once its first payment is made
    (``budgets.payment_clock.paid_on_time``), else by how near its due date is."""
    if first_paid is not None:
        return PAID if paid_on_time(first_paid, due) else PAID_LATE
    if due < today:
        return RED
    if due <= limit:
        return AMBER
    return GREEN


def request_payments(request_id: int) -> QuerySet[Payment]:
    """Every payment (and reversal) to the school against the request's awards, in the
    order they were paid. The ledger holds them by allocation; each award's decision
    points to its allocation."""
    return Payment.objects.filter(allocation__decision__request_id=request_id).order_by(
        "paid_on", "pk"
    )


def first_payment_date(request_id: int) -> dt.date | None:
    """The date of the request's first payment that was not reversed as a mistake, read
    from the ledger: the payment clock stops on it (``budgets.payment_clock``). The
    payment services copy it onto the hand-off, where every list reads it."""
    return Payment.objects.filter(
        allocation__decision__request_id=request_id,
        reverses__isnull=True,
        reversed_by__isnull=True,
    ).aggregate(first=Min("paid_on"))["first"]


def not_yet_paid(handoffs: QuerySet[Handoff]) -> QuerySet[Handoff]:
    """Hand-offs whose school has had no payment yet: the payment clock still runs."""
    return handoffs.filter(first_paid_on__isnull=True)


def _paid_subquery():
    return Subquery(
        Payment.objects.filter(allocation__decision__request_id=OuterRef("request_id"))
        .order_by()
        .values("allocation__decision__request_id")
        .annotate(total=Sum("amount"))
        .values("total"),
        output_field=DecimalField(max_digits=12, decimal_places=2),
    )


def award_in_force(field: str, output_field) -> Subquery:
    """One field of the award in force for a hand-off's request (a revised award
    replaces the first): its amount, start date or end date."""
    return Subquery(
        Allocation.objects.filter(
            decision__request_id=OuterRef("request_id"), cancelled_on__isnull=True
        )
        .order_by("-created_at")
        .values(field)[:1],
        output_field=output_field,
    )


def _approved_subquery() -> Subquery:
    """The amount of the award in force."""
    return award_in_force("amount", DecimalField(max_digits=12, decimal_places=2))


def area_handoffs(area_id: int) -> QuerySet[Handoff]:
    """Every hand-off of the area with what the list and the export show, in a fixed
    number of queries: the request, school and CoS joined (only the columns shown: a
    request's row carries its long answers); amounts approved and paid annotated."""
    money = DecimalField(max_digits=12, decimal_places=2)
    return (
        Handoff.objects.filter(area_id=area_id)
        .select_related("request", "request__school", "request__community")
        .only(
            "request_id",
            "area_id",
            "decision_date",
            "due_date",
            "payment_due_date",
            "payment_method",
            "acknowledged_at",
            "breached_at",
            "first_paid_on",
            "request__reference",
            "request__status",
            "request__school__name",
            "request__school__urn",
            "request__community__name",
        )
        .annotate(
            approved=Coalesce(_approved_subquery(), Value(ZERO), output_field=money),
            paid=Coalesce(_paid_subquery(), Value(ZERO), output_field=money),
        )
        .order_by("-decision_date", "-pk")
    )


def filter_handoffs(
    handoffs: QuerySet[Handoff],
    *,
    today: dt.date,
    community_id: int | None = None,
    status: str = "",
    reference: str = "",
) -> QuerySet[Handoff]:
    if community_id:
        handoffs = handoffs.filter(request__community_id=community_id)
    reference = "".join(reference.split())[:30]
    if reference:
        handoffs = handoffs.filter(request__reference__icontains=reference)
    unpaid = Q(request__status__in=OPEN_STATUSES)
    if status == "waiting":
        handoffs = handoffs.filter(acknowledged_at__isnull=True)
    elif status == "acknowledged":
        handoffs = handoffs.filter(request__status=Status.ACKNOWLEDGED)
    elif status == "overdue":
        handoffs = not_yet_paid(handoffs.filter(unpaid, payment_due_date__lt=today))
    elif status == "due_soon":
        handoffs = not_yet_paid(
            handoffs.filter(
                unpaid, payment_due_date__gte=today, payment_due_date__lte=amber_limit(today)
            )
        )
    elif status == "paid":
        handoffs = handoffs.filter(request__status=Status.CLOSED)
    return handoffs


def area_counts(area_id: int, today: dt.date) -> dict[str, int]:
    """How many hand-offs of the area are in each state the officer watches (one query).
    Every state counted is one of a request not yet paid in full (an unacknowledged
    hand-off cannot be closed), so only those hand-offs are read: a few hundred rows of
    four columns, counted here. (Five filtered COUNTs in SQL gave the same figures, but
    Django took 3 ms to build that query, PostgreSQL under 1 ms to answer it.)"""
    limit = amber_limit(today)
    counts = dict.fromkeys(("waiting", "late", "acknowledged", "overdue", "due_soon"), 0)
    rows = Handoff.objects.filter(unpaid_in_area(area_id)).values_list(
        "acknowledged_at", "due_date", "payment_due_date", "request__status", "first_paid_on"
    )
    for acknowledged_at, due_date, payment_due_date, status, first_paid in rows:
        if acknowledged_at is None:
            counts["waiting"] += 1
            if due_date < today:
                counts["late"] += 1
        if status == Status.ACKNOWLEDGED:
            counts["acknowledged"] += 1
        if first_paid is not None:
            continue  # the payment clock has stopped
        if payment_due_date < today:
            counts["overdue"] += 1
        elif payment_due_date <= limit:
            counts["due_soon"] += 1
    return counts


@dataclass(frozen=True)
class HandoffRow:
    """One line of the officer's list (or of the payments-due export)."""

    handoff: Handoff
    approved: Decimal
    paid: Decimal
    rag: str
    handoff_late: bool

    @property
    def request(self):
        return self.handoff.request

    @property
    def outstanding(self) -> Decimal:
        return max(self.approved - self.paid, ZERO)


def handoff_state(
    *,
    first_paid: dt.date | None,
    acknowledged_at: dt.datetime | None,
    due_date: dt.date,
    payment_due_date: dt.date,
    today: dt.date,
    limit: dt.date,
) -> tuple[str, bool]:
    """A hand-off's payment colour (``payment_rag``) and whether its acknowledgement is
    late, from its first payment and its dates; ``limit`` is ``amber_limit(today)``."""
    rag = payment_rag(payment_due_date, today, first_paid=first_paid, limit=limit)
    return rag, acknowledged_at is None and due_date < today


def _handoff_row(
    handoff: Handoff, approved: Decimal, paid: Decimal, today: dt.date, limit: dt.date
) -> HandoffRow:
    rag, late = handoff_state(
        first_paid=handoff.first_paid_on,
        acknowledged_at=handoff.acknowledged_at,
        due_date=handoff.due_date,
        payment_due_date=handoff.payment_due_date,
        today=today,
        limit=limit,
    )
    return HandoffRow(handoff=handoff, approved=approved, paid=paid, rag=rag, handoff_late=late)


# The columns the officer's table shows, read as values: 25 rows of four joined models
# (hand-off, request, school, CoS) cost more as model instances than the page shows.
_TABLE_COLUMNS = (
    "request_id",
    "reference",
    "school",
    "community",
    "decision_date",
    "acknowledged_at",
    "breached_at",
    "due_date",
    "payment_due_date",
    "payment_method",
    "approved",
    "paid",
    "first_paid_on",
)


def handoff_table(handoffs: QuerySet[Handoff], today: dt.date) -> list[dict[str, object]]:
    """Each line of the officer's table: the request (id, reference, school, CoS), the
    hand-off's dates, the amounts approved and paid, the payment's colour (``rag``) and
    whether the acknowledgement is late. ``handoffs`` is a page of ``area_handoffs``
    (filtered or not); the template formats the dates and amounts."""
    limit = amber_limit(today)
    rows = handoffs.values_list(
        "request_id",
        "request__reference",
        "request__school__name",
        "request__community__name",
        "decision_date",
        "acknowledged_at",
        "breached_at",
        "due_date",
        "payment_due_date",
        "payment_method",
        "approved",
        "paid",
        "first_paid_on",
    )
    table = []
    for values in rows:
        row = dict(zip(_TABLE_COLUMNS, values, strict=True))
        row["rag"], row["handoff_late"] = handoff_state(
            first_paid=row["first_paid_on"],
            acknowledged_at=row["acknowledged_at"],
            due_date=row["due_date"],
            payment_due_date=row["payment_due_date"],
            today=today,
            limit=limit,
        )
        table.append(row)
    return table


def payment_status(request, today: dt.date) -> HandoffRow | None:
    """The payment position of one approved request, for its page (None before an
    award)."""
    handoff = handoff_with_amounts(request.pk)
    if handoff is None:
        return None
    return _handoff_row(handoff, handoff.approved, handoff.paid, today, amber_limit(today))


def handoff_with_amounts(request_id: int) -> Handoff | None:
    money = DecimalField(max_digits=12, decimal_places=2)
    return (
        Handoff.objects.filter(request_id=request_id)
        .select_related("request")
        .annotate(
            approved=Coalesce(_approved_subquery(), Value(ZERO), output_field=money),
            paid=Coalesce(_paid_subquery(), Value(ZERO), output_field=money),
        )
        .first()
    )


@dataclass(frozen=True)
class PaymentPosition:
    """What was approved, paid and is still to pay on one request, and by when; which of
    its payments have been reversed."""

    row: HandoffRow
    reversed_ids: frozenset[int]


def request_handoff(request, *, with_acknowledger: bool = False) -> Handoff | None:
    """The request's hand-off (None before an award) with the amount of the award in
    force annotated as ``approved``; who acknowledged it joined when the page shows it
    (to the officer only)."""
    if not request.decision_id:
        return None
    money = DecimalField(max_digits=12, decimal_places=2)
    handoffs = Handoff.objects.annotate(
        approved=Coalesce(_approved_subquery(), Value(ZERO), output_field=money)
    )
    if with_acknowledger:
        handoffs = handoffs.select_related("acknowledged_by")
    try:
        handoff = handoffs.get(request_id=request.pk)
    except Handoff.DoesNotExist:
        return None
    handoff.request = request
    return handoff


def payment_position(
    handoff: Handoff | None, payments: list[Payment], today: dt.date
) -> PaymentPosition | None:
    """The payment position for a request's page from the rows the page already shows:
    ``handoff`` from ``request_handoff``, ``payments`` every payment of the request.
    Paid is their sum, reversals (negative) included, as ``_paid_subquery`` counts it."""
    if handoff is None:
        return None
    paid = sum((payment.amount for payment in payments), ZERO)
    reversed_ids = frozenset(p.reverses_id for p in payments if p.reverses_id is not None)
    return PaymentPosition(
        row=_handoff_row(handoff, handoff.approved, paid, today, amber_limit(today)),
        reversed_ids=reversed_ids,
    )


def payment_routes(handoff: Handoff | None) -> list[tuple[str, str, dt.date]]:
    """(value, label, payment due date) of each way the school can be paid, for the
    officer's choice on the request's page."""
    if handoff is None:
        return []
    return [
        (value, label, payment_clock.payment_due_date(handoff.decision_date, value))
        for value, label in Payment.Method.choices
    ]
