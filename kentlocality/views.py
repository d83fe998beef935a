"""Project-wide pages: the signed-in home, health, and the footer's pages."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .celery import app as celery_app
from .navigation import role_places

logger = logging.getLogger(__name__)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each person's home: with one place to work in, straight there; with several, a list
    of them; with none, who to ask."""
    places = role_places(request.user)
    if len(places) == 1 and not request.user.is_staff:
        return redirect(places[0].url)
    return render(request, "kentlocality/home.html", {"places": places})


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("health check: database unreachable")
        return False


def _broker_ok() -> bool:
    if settings.CELERY_TASK_ALWAYS_EAGER and not settings.REDIS_URL:
        return True  # the embedded default: tasks run in the web process
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        logger.exception("health check: broker unreachable")
        return False


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {
        "database": "ok" if _database_ok() else "failed",
        "broker": "ok" if _broker_ok() else "failed",
    }
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "failed", **checks}, status=200 if healthy else 503
    )


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "kentlocality/accessibility.html")


def cookies(request: HttpRequest) -> HttpResponse:
    return render(request, "kentlocality/cookies.html")


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "kentlocality/privacy.html")
