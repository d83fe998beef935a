"""With REQUIRE_MFA on, a signed-in person who has not passed the second factor in this
session can reach only the two-factor pages, sign-out and the public pages."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

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
            return redirect(f"{reverse(target)}?next={request.get_full_path()}")
        return self.get_response(request)
