from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("areas/<int:area_id>/board/", views.board_home, name="board"),
]
