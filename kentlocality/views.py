"""Project-wide pages: health, and the footer's pages. (The signed-in home, which needs
the person's roles, is in ``communities.views``.)"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .celery import app as celery_app

logger = logging.getLogger(__name__)


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
