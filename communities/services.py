"""Writes about people: invitations (accounts are made by administrators only)."""

from __future__ import annotations

from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from kentlocality.emails import absolute_url, send_templated

from .models import User


def invitation_url(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return absolute_url(reverse("password_reset_confirm", args=[uid, token]))


def user_invite(*, actor: User, user: User) -> None:
    """Email a person a link to choose their password. The link works once and expires
    after PASSWORD_RESET_TIMEOUT (3 days by default); setting a password invalidates it."""
    send_templated(
        "invitation",
        [user.email],
        {"name": user.full_name, "url": invitation_url(user), "invited_by": actor.full_name},
    )
