from django.urls import path

from .views import area, finance, guidance, statements

app_name = "budgets"

urlpatterns: list = [
    # How an award counts against each financial year's budget (every signed-in person).
    path("budgets/how-awards-count/", guidance.how_awards_count, name="how_awards_count"),
    # The HNF Monitoring Officer: every CoS budget of the area, a row each.
    path("areas/<int:area_id>/budgets/", area.area_budgets, name="area"),
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
