from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from kentlocality.admin import ReadOnlyAdminMixin, ReadOnlyInline

from .models import (
    Allocation,
    AllocationYear,
    CosBudget,
    MonthlyStatement,
    Payment,
    SchoolBudget,
    SchoolsAdvance,
)


@admin.register(CosBudget)
class CosBudgetAdmin(SimpleHistoryAdmin):
    list_display = ["community", "year_label", "total", "updated_at"]
    list_filter = ["year", "community__area"]
    search_fields = ["community__name"]
    list_select_related = ["community"]


@admin.register(SchoolBudget)
class SchoolBudgetAdmin(SimpleHistoryAdmin):
    list_display = ["school", "year", "notional_sen_budget", "historic_hnf_allocation"]
    list_filter = ["year", "school__community__area"]
    search_fields = ["school__name", "school__urn"]
    list_select_related = ["school"]


class AllocationYearInline(ReadOnlyInline):
    model = AllocationYear
    fields = ["year", "amount"]


@admin.register(Allocation)
class AllocationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "reference",
        "school",
        "community",
        "amount",
        "start_date",
        "end_date",
        "decided_on",
        "cancelled_on",
    ]
    list_filter = ["community__area"]
    search_fields = ["reference", "school__name", "community__name"]
    list_select_related = ["school", "community"]
    inlines = [AllocationYearInline]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """Read-only: payments are recorded and reversed by officers in the service."""

    list_display = [
        "reference",
        "amount",
        "paid_on",
        "finance_reference",
        "method",
        "recorded_by",
    ]
    list_filter = ["method", "community__area"]
    search_fields = ["allocation__reference", "finance_reference"]
    date_hierarchy = "paid_on"
    list_select_related = ["allocation", "recorded_by"]

    @admin.display(description="reference", ordering="allocation__reference")
    def reference(self, payment: Payment) -> str:
        return payment.allocation.reference


@admin.register(MonthlyStatement)
class MonthlyStatementAdmin(admin.ModelAdmin):
    list_display = ["community", "month", "total", "committed", "paid", "remaining", "emailed_at"]
    list_filter = ["month", "community__area"]
    search_fields = ["community__name"]
    list_select_related = ["community"]


@admin.register(SchoolsAdvance)
class SchoolsAdvanceAdmin(SimpleHistoryAdmin):
    """The schools' advance calendar: a payment through the advance is due on the payment
    date of the first advance whose cut-off falls on or after the decision date. Changing
    it moves the due date of every payment through the advance not yet made."""

    list_display = ["cut_off", "paid_on"]
    date_hierarchy = "cut_off"
