from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from communities import views as people_views

from . import sessions, views

urlpatterns = [
    path("", people_views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("cookies/", views.cookies, name="cookies"),
    path("privacy/", views.privacy, name="privacy"),
    path("accounts/login/", people_views.SignInView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/keep-alive/", sessions.keep_alive, name="keep_alive"),
    path("accounts/timed-out/", sessions.timed_out, name="timed_out"),
    path("accounts/two-factor/", people_views.mfa_verify, name="mfa_verify"),
    path("accounts/two-factor/setup/", people_views.mfa_setup, name="mfa_setup"),
    path(
        "accounts/password-reset/",
        people_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        people_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("", include("requests.urls")),
    path("", include("budgets.urls")),
    path("", include("reporting.urls")),
    path("people/", people_views.people, name="people"),
    path("people/<str:kind>/<int:pk>/invite/", people_views.people_invite, name="people_invite"),
    path("people/roles/<int:pk>/remove/", people_views.people_remove, name="people_remove"),
    path("admin/", admin.site.urls),
]
