from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from communities.models import Area
from communities.permissions import scope_for


@login_required
def board_home(request: HttpRequest, area_id: int) -> HttpResponse:
    if area_id not in scope_for(request.user).board_area_ids:
        raise Http404
    area = get_object_or_404(Area, pk=area_id)
    return render(request, "reporting/board_home.html", {"area": area})
