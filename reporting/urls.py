from django.urls import path

from . import kent_views, views

app_name = "reporting"

urlpatterns = [
    path("areas/<int:area_id>/board/", views.board_home, name="board"),
    path("areas/<int:area_id>/reports/new/", views.area_report_new, name="area_new"),
    path("communities/<int:community_id>/reports/", views.community_reports, name="community"),
    path(
        "communities/<int:community_id>/reports/new/",
        views.community_report_new,
        name="community_new",
    ),
    path("reports/<int:pk>/", views.report_detail, name="detail"),
    path("reports/<int:pk>/status/", views.report_status, name="status"),
    path("reports/<int:pk>/download/", views.report_download, name="download"),
    path("reports/<int:pk>/regenerate/", views.report_regenerate, name="regenerate"),
    # Kent-wide: KCC administrators and KCC oversight.
    path("kent/", kent_views.kent_overview_page, name="kent_overview"),
    path("kent/reports/", kent_views.kent_reports, name="kent_reports"),
    path("kent/reports/new/", kent_views.kent_report_new, name="kent_new"),
    path("kent/export/overview.csv", kent_views.kent_overview_csv, name="kent_overview_csv"),
    path(
        "kent/communities/<int:community_id>/",
        kent_views.kent_community,
        name="kent_community",
    ),
]
