"""Tools for KCC administrators outside the Django admin: the subject access export."""

from __future__ import annotations

import json

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from kentlocality.forms import DateField, GovForm, TextField
from kentlocality.pdf import render_pdf

from ..selectors import lifecycle as request_selectors
from ..subject_access import pupil_requests, subject_access_export


class PupilSearchForm(GovForm):
    upn = TextField(label="UPN", max_length=20)
    first_name = TextField(label="First name", max_length=100)
    last_name = TextField(label="Last name", max_length=100)
    date_of_birth = DateField(label="Date of birth")

    def clean(self):
        cleaned = super().clean()
        by_name = (
            cleaned.get("first_name") and cleaned.get("last_name") and cleaned.get("date_of_birth")
        )
        if not cleaned.get("upn") and not by_name:
            raise forms.ValidationError(
                "Enter the pupil's UPN, or their first name, last name and date of birth"
            )
        return cleaned


@login_required
def subject_access(request: HttpRequest) -> HttpResponse:
    """Find a pupil by UPN, or name and date of birth, and export what is held about
    them. The search is a POST, so a pupil's UPN, name or date of birth is never in an
    address (or an access log). Each request listed is logged as a view of the pupil's
    identity, and each request exported again."""
    if not request.user.is_staff:
        raise Http404
    # Staff status opens the administration; searching pupils needs KCC data protection.
    if not request.user.has_perm("requests.subject_access"):
        raise PermissionDenied("Subject access needs the KCC data protection role.")
    form = PupilSearchForm(request.POST if request.method == "POST" else None)
    found = None
    if request.method == "POST" and form.is_valid():
        found = list(pupil_requests(**form.cleaned_data))
        wanted = request.POST.get("format")
        if found and wanted in ("json", "pdf"):
            return _export(request, found, wanted)
        for item in found:
            request_selectors.log_identity_view(request.user, item, "subject access search")
    return render(
        request, "requests/administration/subject_access.html", {"form": form, "found": found}
    )


def _export(request: HttpRequest, found: list, wanted: str) -> HttpResponse:
    for item in found:
        request_selectors.log_identity_view(request.user, item, "subject access export")
    data = subject_access_export(found)
    stamp = timezone.localdate().isoformat()
    if wanted == "json":
        response = HttpResponse(
            json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
        )
    else:
        response = HttpResponse(
            render_pdf("requests/pdf/subject_access.html", {"data": data}),
            content_type="application/pdf",
        )
    response["Content-Disposition"] = f'attachment; filename="subject-access-{stamp}.{wanted}"'
    response["Cache-Control"] = "private, no-store"
    return response
