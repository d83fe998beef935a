"""Subject access: everything the service holds about one pupil, for an administrator to
export as JSON and PDF."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone

from budgets.models import Payment

from .models import ResourceRequest


def pupil_requests(
    *,
    upn: str = "",
    first_name: str = "",
    last_name: str = "",
    date_of_birth: dt.date | None = None,
) -> QuerySet[ResourceRequest]:
    """Requests for the pupil with this UPN, or with this name and date of birth."""
    condition = Q(pk__in=[])
    if upn:
        condition |= Q(upn__iexact=upn.replace(" ", ""))
    if first_name and last_name and date_of_birth:
        condition |= Q(
            first_name__iexact=first_name.strip(),
            last_name__iexact=last_name.strip(),
            date_of_birth=date_of_birth,
        )
    return (
        ResourceRequest.objects.filter(condition)
        .select_related("school", "community", "created_by", "declared_by")
        .prefetch_related(
            "prg_services",
            "attachments",
            # The payments, through the awards' allocations in the ledger.
            "decisions__allocation__payments",
            "events__actor",
            "identity_views__user",
        )
        .order_by("created_at")
    )


def _value(value):
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return value


SKIP = {"id", "school", "community", "created_by", "declared_by", "decision"}


def _payments(request: ResourceRequest) -> list[Payment]:
    """The request's payments in the order they were paid, from the prefetched awards."""
    payments = [
        payment
        for decision in request.decisions.all()
        if decision.allocation is not None
        for payment in decision.allocation.payments.all()
    ]
    return sorted(payments, key=lambda p: (p.paid_on, p.pk))


def request_record(request: ResourceRequest) -> dict:
    fields = {
        f.name: _value(getattr(request, f.name))
        for f in ResourceRequest._meta.concrete_fields
        if f.name not in SKIP
    }
    return {
        "reference": request.reference,
        "school": request.school.name,
        "community_of_schools": request.community.name if request.community else None,
        "started_by": request.created_by.full_name,
        "declared_by": request.declared_by.full_name if request.declared_by else None,
        "answers": fields,
        "professional_resources_group_services": [s.name for s in request.prg_services.all()],
        "evidence": [
            {
                "name": a.original_name,
                "type": a.content_type,
                "bytes": a.size,
                "uploaded_at": _value(a.uploaded_at),
            }
            for a in request.attachments.all()
        ],
        "decisions": [
            {
                "outcome": d.get_outcome_display(),
                "amount": _value(d.amount),
                "start_date": _value(d.start_date),
                "end_date": _value(d.end_date),
                "reason": d.reason,
                "interim": d.is_interim,
                "decision_date": _value(d.decision_date),
            }
            for d in request.decisions.all()
        ],
        "payments": [
            {
                "amount": _value(p.amount),
                "paid_on": _value(p.paid_on),
                "finance_reference": p.finance_reference,
                "method": p.get_method_display(),
            }
            for p in _payments(request)
        ],
        "timeline": [
            {
                "at": _value(e.at),
                "what": e.action_label,
                "by": e.actor.full_name if e.actor else "the service",
                "note": e.note,
            }
            for e in request.events.all()
        ],
        "seen_by": [
            {"at": _value(v.viewed_at), "who": v.user.full_name, "page": v.page}
            for v in request.identity_views.all()
        ],
    }


def subject_access_export(requests) -> dict:
    return {
        "generated_at": _value(timezone.now()),
        "requests": [request_record(r) for r in requests],
    }
