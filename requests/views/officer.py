"""The HNF Monitoring Officer's pages: the area's approved requests, acknowledging one,
and the approved Request for Resource as a PDF."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from communities.models import Area, CommunityOfSchools, User
from communities.permissions import is_officer_of_area
from kentlocality.errors import Refused
from kentlocality.pagination import paginate, query_without_page
from kentlocality.pdf import render_pdf
from kentlocality.templatetags.formatting import format_date

from .. import permissions, services
from ..forms.officer import OfficerFilterForm
from ..selectors import lifecycle as request_selectors
from ..selectors import officer as officer_selectors
from ..workflow import FUNDED_STATUSES


def _area_with_communities(user: User, area_id: int) -> tuple[Area, list[CommunityOfSchools]]:
    """The area (404 unless this person is its officer) and its CoS by name: one query,
    the area joined to its CoS, unless it has none."""
    if not is_officer_of_area(user, area_id):
        raise Http404("No such area")
    communities = list(
        CommunityOfSchools.objects.filter(area_id=area_id).select_related("area").order_by("name")
    )
    if not communities:
        return get_object_or_404(Area, pk=area_id), []
    return communities[0].area, communities


@login_required
def officer_home(request: HttpRequest, area_id: int) -> HttpResponse:
    area, communities = _area_with_communities(request.user, area_id)
    today = timezone.localdate()
    form = OfficerFilterForm(request.GET or None, communities=communities)
    filters = form.filters()
    handoffs = officer_selectors.filter_handoffs(
        officer_selectors.area_handoffs(area.pk), today=today, **filters
    )
    # Paginated as hand-offs (the count leaves the amounts out), then read as values.
    page = paginate(request, handoffs)
    return render(
        request,
        "requests/officer/home.html",
        {
            "area": area,
            "form": form,
            "filtered": any(filters.values()),
            "page": page,
            "table": officer_selectors.handoff_table(page.object_list, today),
            "counts": officer_selectors.area_counts(area.pk, today),
            "communities": communities,
            "query": query_without_page(request),
            "today": today,
            "paid_on_time_rule": officer_selectors.PAID_ON_TIME_RULE,
        },
    )


@login_required
@require_POST
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    obj = permissions.get_request_for_user(request.user, pk)
    # The area's officer may post again (a second tab, a double click): the service then
    # says it is already acknowledged. Other readers of the request may not act on it.
    if not permissions.is_officer_of(request.user, obj):
        raise PermissionDenied
    try:
        services.handoff_acknowledge(actor=request.user, request_id=obj.pk)
    except Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"You have acknowledged Request for Resource {obj.reference}.")
    return redirect("requests:detail", pk=obj.pk)


@login_required
@require_POST
def payment_route(request: HttpRequest, pk: int) -> HttpResponse:
    """The officer says how the school will be paid; the payment due date follows."""
    obj = permissions.get_request_for_user(request.user, pk)
    if not permissions.is_officer_of(request.user, obj):
        raise PermissionDenied
    try:
        handoff = services.handoff_payment_method(
            actor=request.user, request_id=obj.pk, method=request.POST.get("method", "")
        )
    except Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            f"{handoff.get_payment_method_display()}: payment due by "
            f"{format_date(handoff.payment_due_date)}.",
        )
    return redirect("requests:detail", pk=obj.pk)


@login_required
def request_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The approved Request for Resource, with the pupil's identity, as a PDF. Each
    download is logged as a view of the pupil's identity."""
    obj = permissions.get_request_for_user(request.user, pk)
    if obj.status not in FUNDED_STATUSES:
        raise Http404("Only an approved request can be downloaded")
    if not permissions.sees_pupil_identity(request.user, obj):
        raise PermissionDenied
    request_selectors.log_identity_view(request.user, obj, "approved request PDF")
    pdf = render_pdf(
        "requests/pdf/request.html",
        {
            "obj": obj,
            "decisions": list(request_selectors.decisions(obj)),
            "services": list(obj.prg_services.all()),
            "attachments": list(obj.attachments.all()),
            "handoff": getattr(obj, "handoff", None),
            "generated_at": timezone.now(),
            "generated_by": request.user,
        },
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{obj.reference}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
