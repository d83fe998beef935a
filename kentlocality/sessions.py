"""The idle limit as people meet it (issue 18, item 1): GOV.UK's time-out warning two
minutes before SESSION_IDLE_MINUTES without a request, "Stay signed in" to carry on, and,
when nobody answers, a sign-out that says what was kept.

static/js/session-timeout.mjs runs the warning. It asks ``keep_alive`` to extend the
session (every request does: SESSION_SAVE_EVERY_REQUEST), and when the time is up it
sends the page's form as a draft where the page has one (the SENCO's sections, which save
and then call ``signed_out_for_inactivity``), or posts to ``timed_out`` elsewhere.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

AFTER_SIGN_IN = "kent_after_sign_in"
SIGNED_OUT = "For your security, you were signed out after {idle} without activity."


def idle_words() -> str:
    seconds = settings.SESSION_COOKIE_AGE
    if seconds % 60:
        return f"{seconds} seconds"
    return f"{seconds // 60} minute{'' if seconds == 60 else 's'}"


def signed_out_for_inactivity(
    request: HttpRequest, *, next_url: str, saved: str = ""
) -> HttpResponse:
    """Sign out, and send the person to sign in again with where they were as ``next``.
    ``saved`` says what was kept; it is said again after they sign in, to the same
    person only (never to someone else signing in on that browser)."""
    user_id = request.user.pk
    logout(request)  # a new, empty session
    messages.info(request, " ".join(filter(None, [SIGNED_OUT.format(idle=idle_words()), saved])))
    if saved and user_id is not None:
        request.session[AFTER_SIGN_IN] = {"user": user_id, "message": saved}
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("home")
    return redirect(f"{reverse('login')}?{urlencode({'next': next_url})}")


def _said_after_sign_in(sender, request, user, **kwargs) -> None:
    """Signing in keeps the session's data (login() cycles its key): what was saved at the
    time-out is said now, if this is the person it was saved for."""
    if request is None or not hasattr(request, "session"):
        return
    kept = request.session.pop(AFTER_SIGN_IN, None)
    if kept and kept.get("user") == user.pk:
        messages.info(request, kept["message"])


user_logged_in.connect(_said_after_sign_in, dispatch_uid="kent_said_after_sign_in")  # once


@never_cache
@require_GET
def keep_alive(request: HttpRequest) -> HttpResponse:
    """ "Stay signed in": any request extends the session; this one answers nothing. 401
    when the session has already ended, so the script knows."""
    return HttpResponse(status=204 if request.user.is_authenticated else 401)


@require_POST
def timed_out(request: HttpRequest) -> HttpResponse:
    """The end of the idle limit on a page with nothing to save."""
    next_url = request.POST.get("next") or reverse("home")
    if not request.user.is_authenticated:
        return redirect(f"{reverse('login')}?{urlencode({'next': next_url})}")
    return signed_out_for_inactivity(request, next_url=next_url)


def session_timeout(request: HttpRequest) -> dict:
    """Template context for the time-out warning of base.html."""
    return {
        "session_idle_seconds": settings.SESSION_COOKIE_AGE,
        "session_warning_seconds": settings.SESSION_WARNING_SECONDS,
    }
