"""Reads about people."""

from __future__ import annotations

from .models import User


def role_emails(role: str, **place: int) -> list[str]:
    """The email addresses of the active people holding a role at a place, for example
    ``role_emails(RoleAssignment.Role.OFFICER, area_id=3)``."""
    where = {f"roles__{name}": value for name, value in place.items()}
    return list(
        User.objects.filter(is_active=True, roles__role=role, **where)
        .values_list("email", flat=True)
        .distinct()
    )
