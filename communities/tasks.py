"""Background work about people: security notices. Tasks take primary keys; a person who
has gone is a quiet no-op; sending is retried on transient errors."""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format

from kentlocality.background import email_task
from kentlocality.emails import send_templated

from .models import User

SECURITY_NOTICES = ("two_factor_enrolled", "two_factor_reset")


@email_task()
def security_notice_send(user_id: int, notice: str, by_id: int | None = None) -> None:
    """Tell a person their two-factor sign-in was set up or reset, so that a change they
    did not make does not go unnoticed. Nothing secret is in it (no code, no key)."""
    if notice not in SECURITY_NOTICES:
        raise ValueError(f"Not a security notice: {notice!r}")
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return
    by = User.objects.filter(pk=by_id).first() if by_id else None
    send_templated(
        notice,
        [user.email],
        {
            "name": user.full_name or user.email,
            "when": date_format(timezone.localtime(), "DATETIME_FORMAT"),
            "by": f"{by.full_name} (a KCC administrator)" if by else "A KCC administrator",
        },
    )
