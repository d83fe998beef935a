from functools import partial

from django.http import HttpRequest

from .selectors import unread_count


def unread(request: HttpRequest) -> dict:
    """The header's unread count, for a signed-in person. A callable, so the count (one
    indexed query) is read only by a page that shows it: the templates call it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notifications_unread": partial(unread_count, user)}
