"""Writes about people: invitations (accounts are made by administrators only) and the
access that follows from their roles."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from kentlocality.emails import absolute_url, send_templated

from .models import RoleAssignment, User


def invitation_url(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return absolute_url(reverse("password_reset_confirm", args=[uid, token]))


def user_invite(*, actor: User, user: User) -> None:
    """Email a person a link to choose their password. The link works once and expires
    after PASSWORD_RESET_TIMEOUT (24 hours by default); setting a password invalidates it."""
    send_templated(
        "invitation",
        [user.email],
        {"name": user.full_name, "url": invitation_url(user), "invited_by": actor.full_name},
    )


def kent_group_names() -> dict[str, str]:
    """The Django group each KCC role puts a person in, named as the role is."""
    return {role: RoleAssignment.Role(role).label for role in RoleAssignment.KENT_ROLES}


def access_sync(user: User) -> None:
    """Bring a person's Django groups and staff status (whether they can open the
    administration) into line with their KCC roles. Called whenever a role is given or
    taken away (signals in apps.py, so the admin, imports and the shell all keep it):
    derived access must never drift from the one record of who does what."""
    held = set(
        RoleAssignment.objects.filter(user=user, role__in=RoleAssignment.KENT_ROLES).values_list(
            "role", flat=True
        )
    )
    names = kent_group_names()
    groups = {group.name: group for group in Group.objects.filter(name__in=names.values())}
    wanted = [groups[names[role]] for role in held if names[role] in groups]
    unwanted = [group for name, group in groups.items() if group not in wanted]
    user.groups.remove(*unwanted)
    user.groups.add(*wanted)
    is_staff = bool(held) or user.is_superuser
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])
