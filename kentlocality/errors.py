"""The one error a view catches from a service: a change the rules refuse."""

from __future__ import annotations


class Refused(Exception):
    """A change the rules do not allow. The message is shown to the person as it is;
    ``field`` names the form field it belongs beside ("" for the whole form).

    Each app's services raise their own kind (``requests.services.RequestError``, the
    ledger's ``budgets.services.PaymentError`` and ``OverBudget``), and a view catches
    this one, whichever app the service that refused belongs to."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field
