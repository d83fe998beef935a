"""Area Board and CoS reports: figures for the quarter to date, the archive, a report's
page (its state, while a worker makes it), the download, and asking for a report."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from communities.models import CommunityOfSchools
from kentlocality.financial_years import quarter_of

from . import permissions, services
from .forms import PeriodForm
from .models import Report
from .presentation import present
from .selectors import CURRENT_SECONDS, figures_to_date


def _quarter_to_date(**place) -> dict:
    """The quarter's figures so far, from the cache when recent (selectors.py). Only
    called once the viewer is known to be allowed to see the place."""
    today = timezone.localdate()
    quarter = quarter_of(today)
    found = figures_to_date(start=quarter.start, end=quarter.end, today=today, **place)
    return {
        "quarter": quarter,
        "today": today,
        "as_at": found.as_at,
        "figures_minutes": CURRENT_SECONDS // 60,
        **present(found.figures),
    }


@login_required
def board_home(request: HttpRequest, area_id: int) -> HttpResponse:
    area = permissions.get_area_for_user(request.user, area_id)
    reports = Report.objects.filter(area=area).select_related("area", "requested_by")
    communities = CommunityOfSchools.objects.filter(area=area).order_by("name")
    return render(
        request,
        "reporting/board_home.html",
        {
            "area": area,
            "reports": reports,
            "communities": communities,
            **_quarter_to_date(area_id=area.pk),
        },
    )


@login_required
def community_reports(request: HttpRequest, community_id: int) -> HttpResponse:
    community = permissions.get_community_for_user(request.user, community_id)
    reports = Report.objects.filter(community=community).select_related("community", "requested_by")
    return render(
        request,
        "reporting/community.html",
        {
            "community": community,
            "reports": reports,
            "sees_area": permissions.can_view_area(request.user, community.area_id),
            **_quarter_to_date(community_id=community.pk),
        },
    )


def report_new_form(request: HttpRequest, *, area=None, community=None) -> HttpResponse:
    """Ask for a report on an area, a CoS or (neither) all of Kent."""
    form = PeriodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_request(
                actor=request.user,
                area_id=area.pk if area else None,
                community_id=community.pk if community else None,
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
                prepared_for=form.cleaned_data["prepared_for"],
                prepared_for_other=form.cleaned_data["prepared_for_other"],
            )
        except services.ReportError as exc:
            form.add_error(exc.field, str(exc))
        else:
            return redirect("reporting:detail", pk=report.pk)
    if area:
        back, subject = redirect("reporting:board", area_id=area.pk).url, f"{area} area"
    elif community:
        back, subject = (
            redirect("reporting:community", community_id=community.pk).url,
            community.name,
        )
    else:
        back, subject = redirect("reporting:kent_reports").url, "Kent"
    return render(request, "reporting/new.html", {"form": form, "subject": subject, "back": back})


@login_required
def area_report_new(request: HttpRequest, area_id: int) -> HttpResponse:
    area = permissions.get_area_for_user(request.user, area_id)
    return report_new_form(request, area=area)


@login_required
def community_report_new(request: HttpRequest, community_id: int) -> HttpResponse:
    community = permissions.get_community_for_user(request.user, community_id)
    return report_new_form(request, community=community)


def _detail_context(request: HttpRequest, pk: int) -> dict:
    report = permissions.get_report_for_user(request.user, pk)
    return {
        "report": report,
        "can_regenerate": permissions.can_regenerate_report(request.user, report),
        "back": (
            redirect("reporting:kent_reports").url
            if report.is_kent
            else redirect("reporting:board", area_id=report.area_id).url
            if report.area_id and permissions.can_view_area(request.user, report.area_id)
            else redirect("reporting:community", community_id=report.community_id).url
            if report.community_id
            else None
        ),
    }


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "reporting/detail.html", _detail_context(request, pk))


@login_required
def report_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Just the state panel, which the page's script fetches while the report is made."""
    response = render(request, "reporting/includes/status.html", _detail_context(request, pk))
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def report_download(request: HttpRequest, pk: int) -> FileResponse:
    report = permissions.get_report_for_user(request.user, pk)
    if report.state != Report.State.READY or not report.pdf:
        raise Http404("This report is not ready")
    response = FileResponse(
        report.pdf.open("rb"),
        as_attachment=True,
        filename=report.download_name,
        content_type="application/pdf",
    )
    # Aggregates only, but of one CoS or area and for its people: no shared cache (a
    # proxy, the browser's disk) keeps a copy.
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def report_regenerate(request: HttpRequest, pk: int) -> HttpResponse:
    report = permissions.get_report_for_user(request.user, pk)
    if not permissions.can_regenerate_report(request.user, report):
        raise PermissionDenied
    try:
        new = services.report_regenerate(actor=request.user, report_id=report.pk)
    except services.ReportError as exc:
        messages.error(request, str(exc))
        return redirect("reporting:detail", pk=report.pk)
    return redirect("reporting:detail", pk=new.pk)
