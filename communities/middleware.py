"""Sign-in middleware: the second factor, and ``?next=`` kept to a path.

With REQUIRE_MFA on, a signed-in person who has not passed the second factor in this
session can reach only the two-factor pages, sign-out and the public pages."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.shortcuts import redirect, resolve_url
from django.urls import reverse

from .auth import next_path
from .mfa import has_two_factor

OPEN_PREFIXES = ("/accounts/", "/static/", "/healthz", "/accessibility/", "/cookies/", "/privacy/")


class RequireTwoFactorMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            settings.REQUIRE_MFA
            and user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(OPEN_PREFIXES)
        ):
            target = "mfa_verify" if has_two_factor(user) else "mfa_setup"
            return redirect(f"{reverse(target)}?{urlencode({'next': request.path})}")
        return self.get_response(request)


class NextPathOnlyMiddleware:
    """A redirect to a sign-in page carries ``?next=`` as a path only (issue 17, item 3).

    Django's ``login_required`` and the admin put the whole address of the page asked
    for (with its query string) in ``next``, and so in the sign-in page's address, its
    access log line and the browser's history. Every such redirect passes through here,
    whichever view made it, and leaves with the path alone."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response
        self._sign_in_paths: frozenset[str] | None = None

    def sign_in_paths(self) -> frozenset[str]:
        if self._sign_in_paths is None:
            self._sign_in_paths = frozenset(
                {
                    resolve_url(settings.LOGIN_URL),
                    reverse("admin:login"),
                    reverse("mfa_verify"),
                    reverse("mfa_setup"),
                }
            )
        return self._sign_in_paths

    def __call__(self, request):
        response = self.get_response(request)
        location = response.get("Location") if 300 <= response.status_code < 400 else None
        if not location or "next=" not in location:
            return response
        parts = urlsplit(location)
        if parts.path not in self.sign_in_paths():
            return response
        query = [
            (key, next_path(value) if key == "next" else value)
            for key, value in parse_qsl(parts.query, keep_blank_values=True)
        ]
        query = [(key, value) for key, value in query if key != "next" or value]
        response["Location"] = urlunsplit(parts._replace(query=urlencode(query)))
        return response
