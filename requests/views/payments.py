"""The HNF Monitoring Officer's payment pages: record a payment, reverse one, and the
exports for finance."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from budgets import exports as ledger_exports
from communities.models import User
from communities.permissions import get_area_for_officer
from kentlocality.errors import Refused
from kentlocality.financial_years import financial_year_of, year_label

from .. import exports, permissions, services
from ..forms.officer import PaymentForm, ReversalForm
from ..models import ResourceRequest
from ..selectors.officer import payment_status, request_payments

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _request_for_payment(user: User, pk: int) -> ResourceRequest:
    obj = permissions.get_request_for_user(user, pk)
    if not permissions.can_record_payment(user, obj):
        raise PermissionDenied
    return obj


def _show_error(form, exc: Refused) -> None:
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, str(exc))


@login_required
def payment_record(request: HttpRequest, pk: int) -> HttpResponse:
    obj = _request_for_payment(request.user, pk)
    form = PaymentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            payment = services.payment_record(
                actor=request.user,
                request_id=obj.pk,
                amount=data["amount"],
                paid_on=data["paid_on"],
                finance_reference=data["finance_reference"],
                method=data["method"],
                note=data["note"],
            )
        except Refused as exc:
            _show_error(form, exc)
        else:
            messages.success(
                request,
                f"Payment of £{payment.amount:,.2f} recorded for {obj.reference}.",
            )
            return redirect("requests:detail", pk=obj.pk)
    return render(
        request,
        "requests/officer/payment_form.html",
        {"obj": obj, "form": form, "position": payment_status(obj, timezone.localdate())},
    )


@login_required
def payment_reverse(request: HttpRequest, pk: int, payment_id: int) -> HttpResponse:
    obj = _request_for_payment(request.user, pk)
    payment = request_payments(obj.pk).filter(pk=payment_id).first()
    if payment is None:
        raise Http404("No such payment")
    form = ReversalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.payment_reverse(
                actor=request.user, payment_id=payment.pk, reason=form.cleaned_data["reason"]
            )
        except Refused as exc:
            _show_error(form, exc)
        else:
            messages.success(
                request,
                f"The payment of £{payment.amount:,.2f} on {payment.paid_on.day} "
                f"{payment.paid_on:%B %Y} has been reversed.",
            )
            return redirect("requests:detail", pk=obj.pk)
    return render(
        request,
        "requests/officer/payment_reverse.html",
        {"obj": obj, "payment": payment, "form": form},
    )


def _year(request: HttpRequest) -> int:
    """The financial year asked for (?year=2026), or the current one."""
    current = financial_year_of(timezone.localdate())
    try:
        year = int(request.GET.get("year", current))
    except (TypeError, ValueError):
        return current
    return year if current - 10 <= year <= current + 1 else current


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _slug(name: str) -> str:
    return name.lower().replace(" ", "-")


@login_required
def export_page(request: HttpRequest, area_id: int) -> HttpResponse:
    area = get_area_for_officer(request.user, area_id)
    current = financial_year_of(timezone.localdate())
    year = _year(request)
    return render(
        request,
        "requests/officer/exports.html",
        {
            "area": area,
            "year": year,
            "year_label": year_label(year),
            "years": [(y, year_label(y)) for y in range(current, current - 4, -1)],
        },
    )


@login_required
def export_due_csv(request: HttpRequest, area_id: int) -> HttpResponse:
    area = get_area_for_officer(request.user, area_id)
    today = timezone.localdate()
    sheet = exports.payments_due(area.pk, today)
    return _download(
        ledger_exports.to_csv(sheet),
        "text/csv; charset=utf-8",
        f"payments-due-{_slug(area.name)}-{today.isoformat()}.csv",
    )


@login_required
def export_made_csv(request: HttpRequest, area_id: int) -> HttpResponse:
    area = get_area_for_officer(request.user, area_id)
    year = _year(request)
    sheet = ledger_exports.payments_made(area.pk, year)
    return _download(
        ledger_exports.to_csv(sheet),
        "text/csv; charset=utf-8",
        f"payments-made-{_slug(area.name)}-{year_label(year)}.csv",
    )


@login_required
def export_xlsx(request: HttpRequest, area_id: int) -> HttpResponse:
    area = get_area_for_officer(request.user, area_id)
    today = timezone.localdate()
    year = _year(request)
    workbook = ledger_exports.to_xlsx(
        [exports.payments_due(area.pk, today), ledger_exports.payments_made(area.pk, year)]
    )
    return _download(
        workbook, XLSX, f"payments-{_slug(area.name)}-{year_label(year)}-{today.isoformat()}.xlsx"
    )
