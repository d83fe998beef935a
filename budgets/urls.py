from django.urls import path

from .views import finance

app_name = "budgets"

urlpatterns = [
    path(
        "communities/<int:community_id>/finance/",
        finance.community_finance,
        name="finance",
    ),
]
