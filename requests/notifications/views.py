"""A person's notifications: the list, opening one, marking all read, preferences. Each
person sees their own only; anyone else's is 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from kentlocality.errors import Refused
from kentlocality.pagination import paginate

from . import selectors, services
from .forms import PreferencesForm
from .models import Kind


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.notifications_for(request.user))
    return render(
        request,
        "requests/notifications/list.html",
        {"page": page, "notifications": page.object_list},
    )


@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the notification read and go to what it is about."""
    notification = services.notification_open(user=request.user, notification_id=pk)
    # Always a path of this site (the services write it), checked all the same.
    if not url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
        return redirect("requests:notifications")
    return redirect(notification.url)


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    count = services.notifications_mark_all_read(user=request.user)
    if count:
        messages.success(
            request, f"{count} notification{'s' if count != 1 else ''} marked as read."
        )
    return redirect("requests:notifications")


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    user = request.user
    kinds = selectors.choosable_kinds(user)
    form = PreferencesForm(
        request.POST if request.method == "POST" else None,
        kinds=kinds,
        chosen=selectors.chosen_timings(user),
    )
    if request.method == "POST" and kinds and form.is_valid():
        try:
            services.preferences_save(user=user, choices=form.choices())
        except Refused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Your notification preferences have been saved.")
            return redirect("requests:notifications")
    return render(
        request,
        "requests/notifications/preferences.html",
        {
            "form": form,
            "kinds": kinds,
            "always": [Kind(kind) for kind in selectors.always_at_once_kinds(user)],
        },
    )
