"""The request page every allowed reader sees, and the Professional Resources Group
directory."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from .. import permissions, validation
from ..models import AwardReview, PRGService
from ..selectors import lifecycle as request_selectors
from ..selectors import officer as officer_selectors
from ..selectors import pupils as pupil_selectors
from ..services import reviews


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    obj = permissions.get_request_for_user(request.user, pk)
    user = request.user
    identity = permissions.sees_pupil_identity(user, obj)
    if identity:
        request_selectors.log_identity_view(user, obj, "request page")
    editable = permissions.can_edit_request(user, obj)
    attachments = list(obj.attachments.all())
    sections = []
    if editable:
        sections = [
            {
                "name": name,
                "title": title,
                "status": validation.section_status(obj, name, has_evidence=bool(attachments)),
            }
            for name, title in validation.SECTIONS
        ]
    decisions = request_selectors.decisions(obj)
    # The payment position is worked out from the hand-off and the payments listed.
    is_officer = permissions.is_officer_of(user, obj)
    handoff = officer_selectors.request_handoff(obj, with_acknowledger=is_officer)
    # Payments are recorded only once the officer has acknowledged the hand-off.
    payments = list(officer_selectors.request_payments(obj.pk)) if handoff else []
    is_chair = permissions.is_chair_of(user, obj)
    # The pupil's other requests anywhere in Kent: for those who decide and pay.
    history = pupil_selectors.pupil_history(obj) if is_chair or is_officer else []
    is_school = permissions.is_school_staff(user, obj)
    today = timezone.localdate()
    review = obj.reviews.prefetch_related("outcomes").first()
    # The chair deciding a request that continues support sees what the last award did.
    continued_review = None
    if is_chair and obj.continues_id:
        continued_review = (
            AwardReview.objects.filter(request_id=obj.continues_id)
            .prefetch_related("outcomes")
            .first()
        )
    return render(
        request,
        "requests/detail.html",
        {
            "obj": obj,
            "identity": identity,
            "editable": editable,
            "sections": sections,
            "ready": editable and not validation.submission_problems(obj),
            "attachments": attachments,
            "services": obj.prg_services.all(),
            "decisions": decisions,
            "more_information": next(
                (d for d in reversed(decisions) if d.outcome == "more_information"), None
            ),
            "events": request_selectors.timeline(obj),
            "payments": payments,
            "handoff": handoff,
            "position": officer_selectors.payment_position(handoff, payments, timezone.localdate()),
            "can_withdraw": permissions.can_withdraw_request(user, obj),
            "can_discard": permissions.can_discard_request(user, obj),
            "can_continue": permissions.can_continue_request(user, obj),
            "is_school": is_school,
            "can_review": is_school and reviews.can_review(obj, today),
            "review_opens": reviews.review_opens(obj),
            "review": review,
            "continued_review": continued_review,
            "is_chair": is_chair,
            "history": history,
            "possible_duplicates": [row for row in history if row.is_open]
            if obj.status != "draft"
            else [],
            "is_officer": is_officer,
            "payment_routes": officer_selectors.payment_routes(handoff) if is_officer else [],
        },
    )


@login_required
def prg_directory(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "requests/prg_directory.html",
        {"services": PRGService.objects.filter(is_active=True)},
    )
