"""The payment clock as schools live it: the one rule for when a payment to a school is
due, and the one rule for whether it was paid on time. The officer's red / amber / green,
the overdue list, the reminders and every report ask these two functions.

- A one-off payment is due 30 working days after the decision (the decision day itself
  never counts; ``kentlocality.workdays``).
- A payment through the schools' advance is due on the payment date of the first advance
  whose cut-off falls on or after the decision date (``SchoolsAdvance``, kept by KCC's
  administrators). While the calendar has no such advance yet, it is due as a one-off
  payment would be, and moves when the advance is added.
- Paid on time: the school's first payment on the award (one not reversed as a mistake)
  is dated on or before the due date. Later instalments do not move it.
"""

from __future__ import annotations

import datetime as dt

from kentlocality.workdays import add_working_days

from .models import Payment, SchoolsAdvance

PAYMENT_WORKING_DAYS = 30

# Said in words on the officer's page and in every report (the same sentence on both).
PAID_ON_TIME_RULE = (
    "A payment is on time when the school's first payment on the award (one not reversed "
    "as a mistake) is dated on or before its due date: for a one-off payment, 30 working "
    "days after the decision; through the schools' advance, the payment date of the first "
    "advance whose cut-off date falls on or after the decision date."
)


def next_advance(decision_date: dt.date) -> SchoolsAdvance | None:
    """The first advance whose cut-off falls on or after the decision date."""
    return SchoolsAdvance.objects.filter(cut_off__gte=decision_date).order_by("cut_off").first()


def payment_due_date(decision_date: dt.date, method: str) -> dt.date:
    """When a payment to the school is due, by how it is paid (``Payment.Method``)."""
    if method == Payment.Method.SCHOOLS_ADVANCE:
        advance = next_advance(decision_date)
        if advance is not None:
            return advance.paid_on
    return add_working_days(decision_date, PAYMENT_WORKING_DAYS)


def paid_on_time(first_paid: dt.date | None, due: dt.date) -> bool:
    """Whether a payment was made on time, from the date of its first payment."""
    return first_paid is not None and first_paid <= due
