"""Sign-in helpers shared by django-axes and the views."""

from django.http import HttpRequest


def axes_username(request: HttpRequest, credentials: dict | None = None) -> str:
    """The email address tried, lower-cased, so that "Alice@X" and "alice@x" share one
    count of failures."""
    value = (credentials or {}).get("username") or request.POST.get("username", "")
    return str(value).strip().lower()[:254]
