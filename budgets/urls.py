from django.urls import path

from .views import finance, statements

app_name = "budgets"

urlpatterns: list = [
    # The CoS chair (and the area's officer): financial information.
    path(
        "communities/<int:community_id>/finance/",
        finance.community_finance,
        name="finance",
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
