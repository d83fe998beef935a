from django.urls import path

from . import views

app_name = "requests"

urlpatterns = [
    path("schools/<int:school_id>/", views.school_home, name="school"),
    path("communities/<int:community_id>/", views.community_home, name="community"),
    path("areas/<int:area_id>/officer/", views.officer_home, name="officer"),
    path("support-services/", views.prg_directory, name="prg_directory"),
]
