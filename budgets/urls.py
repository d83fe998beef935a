from django.urls import path

from .views import finance, payments, statements

app_name = "budgets"

urlpatterns: list = [
    # The CoS chair (and the area's officer): financial information.
    path(
        "communities/<int:community_id>/finance/",
        finance.community_finance,
        name="finance",
    ),
    # The HNF Monitoring Officer: payments and exports for finance.
    path("requests/<int:pk>/payments/new/", payments.payment_record, name="payment_record"),
    path(
        "requests/<int:pk>/payments/<int:payment_id>/reverse/",
        payments.payment_reverse,
        name="payment_reverse",
    ),
    path("areas/<int:area_id>/officer/exports/", payments.export_page, name="exports"),
    path(
        "areas/<int:area_id>/officer/exports/payments-due.csv",
        payments.export_due_csv,
        name="export_due_csv",
    ),
    path(
        "areas/<int:area_id>/officer/exports/payments-made.csv",
        payments.export_made_csv,
        name="export_made_csv",
    ),
    path(
        "areas/<int:area_id>/officer/exports/payments.xlsx",
        payments.export_xlsx,
        name="export_xlsx",
    ),
    # A CoS's budget and its monthly budget updates (the chair; the officer, read only).
    path(
        "communities/<int:community_id>/budget-updates/",
        statements.statements_page,
        name="statements",
    ),
    path(
        "communities/<int:community_id>/budget-updates/<int:statement_id>/",
        statements.statement_detail,
        name="statement",
    ),
]
