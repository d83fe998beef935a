from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from communities.models import Area, CommunityOfSchools, School
from communities.permissions import scope_for

from .models import PRGService


@login_required
def school_home(request: HttpRequest, school_id: int) -> HttpResponse:
    if school_id not in scope_for(request.user).school_ids:
        raise Http404
    school = get_object_or_404(School, pk=school_id)
    return render(request, "requests/school_home.html", {"school": school})


@login_required
def community_home(request: HttpRequest, community_id: int) -> HttpResponse:
    if community_id not in scope_for(request.user).chair_community_ids:
        raise Http404
    community = get_object_or_404(CommunityOfSchools, pk=community_id)
    return render(request, "requests/community_home.html", {"community": community})


@login_required
def officer_home(request: HttpRequest, area_id: int) -> HttpResponse:
    if area_id not in scope_for(request.user).officer_area_ids:
        raise Http404
    area = get_object_or_404(Area, pk=area_id)
    return render(request, "requests/officer_home.html", {"area": area})


@login_required
def prg_directory(request: HttpRequest) -> HttpResponse:
    services = PRGService.objects.filter(is_active=True)
    return render(request, "requests/prg_directory.html", {"services": services})
