"""The chair's decisions: on an agenda item at a meeting, an interim decision on an
exceptional request outside a meeting, and the ratification (or revision) of an interim
decision at the next meeting.

Each goes through the same two steps: the decision form, then a check page showing the
effect on the remaining budget for every financial year the award touches (with the
second confirmation when it goes below zero), then one service call."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from budgets.selectors import YearEffect
from budgets.services import OverBudget
from kentlocality.errors import Refused

from .. import permissions, services
from ..forms.decisions import CorrectionForm, DecisionForm, OverBudgetForm, RatifyForm
from ..forms.meetings import MeetingSummaryForm
from ..models import AgendaItem, ResourceRequest
from ..selectors import lifecycle as request_selectors
from ..selectors import meetings as meeting_selectors
from ..services.decisions import Award
from ..workflow import WAITING_STATUSES
from .meetings import agenda_item, current_position, meeting_for_decisions

_OVER_BUDGET_FIELDS = ("confirm_over_budget", "over_budget_reason")


def _carried(form: DecisionForm | RatifyForm) -> list[tuple[str, str]]:
    """The decision form's answers as hidden inputs for the check page."""
    names = set()
    for name, field in form.fields.items():
        names.add(name)
        if hasattr(field, "fields"):  # the day, month and year boxes of a date
            names.update(f"{name}_{i}" for i in range(len(field.fields)))
    return [(k, v) for k in form.data if k in names for v in form.data.getlist(k)]


def _decision_steps(
    request: HttpRequest,
    *,
    form: DecisionForm | RatifyForm,
    effects: Callable[[], list[YearEffect]],
    record: Callable[[Award], object],
    context: dict,
    form_template: str,
    done: Callable[[], HttpResponse],
) -> HttpResponse:
    def show_form() -> HttpResponse:
        return render(request, form_template, {**context, "form": form})

    if request.method != "POST" or not form.is_valid() or "change" in request.POST:
        return show_form()
    year_effects = effects() if form.awards_money else []
    over = any(effect.goes_below_zero for effect in year_effects)

    def show_check(over_form: OverBudgetForm, year_effects=year_effects) -> HttpResponse:
        return render(
            request,
            "requests/meetings/decision_check.html",
            {
                **context,
                "form": form,
                "over_form": over_form,
                "effects": year_effects,
                "over": over_form.required,
                "carried": _carried(form),
            },
        )

    if "record" not in request.POST:
        return show_check(OverBudgetForm(required=over))
    over_form = OverBudgetForm(request.POST, required=over)
    if not over_form.is_valid():
        return show_check(over_form)
    confirmed = over and over_form.cleaned_data["confirm_over_budget"]
    try:
        record(
            form.to_award(
                confirm_over_budget=confirmed,
                over_budget_reason=over_form.cleaned_data["over_budget_reason"]
                if confirmed
                else "",
            )
        )
    except OverBudget as exc:
        # The budget moved between the check and the record (another decision): show
        # the effect as it is now and ask for the confirmation.
        over_form = OverBudgetForm(
            {k: v for k, v in request.POST.items() if k in _OVER_BUDGET_FIELDS}, required=True
        )
        over_form.is_valid()
        return show_check(over_form, year_effects=exc.effects)
    except Refused as exc:
        form.add_error(None, str(exc))
        return show_form()
    return done()


def _request_context(request: HttpRequest, obj: ResourceRequest, page: str) -> dict:
    request_selectors.log_identity_view(request.user, obj, page)
    return {
        "obj": obj,
        "position": current_position(obj.community_id),
    }


@login_required
def decide(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    """Record the decision on one agenda item."""
    meeting = meeting_for_decisions(request.user, pk)
    item = agenda_item(meeting, item_id)
    if item.kind != AgendaItem.Kind.DECISION:
        return redirect("requests:ratify", pk=meeting.pk, item_id=item.pk)
    obj = item.request
    if meeting.is_closed or item.outcome:
        messages.info(
            request,
            "This meeting is closed: its decisions cannot change."
            if meeting.is_closed
            else f"{obj.reference} has already been decided: {item.get_outcome_display().lower()}.",
        )
        return redirect("requests:meeting", pk=meeting.pk)
    form = DecisionForm(request.POST if request.method == "POST" else None, request=obj)
    numbers = {i.pk: n for n, i in enumerate(meeting.items.order_by("position", "pk"), start=1)}

    def done() -> HttpResponse:
        item.refresh_from_db()
        messages.success(
            request, f"Decision recorded for {obj.reference}: {item.get_outcome_display().lower()}."
        )
        return redirect(reverse("requests:meeting", args=[meeting.pk]) + f"#item-{item.pk}")

    return _decision_steps(
        request,
        form=form,
        effects=lambda: meeting_selectors.decision_effect(
            obj.community_id,
            form.award_amount(),
            form.cleaned_data["start_date"],
            form.cleaned_data["end_date"],
        ),
        record=lambda award: services.decision_record(
            actor=request.user, item_id=item.pk, award=award
        ),
        context={
            **_request_context(request, obj, "decision page"),
            "meeting": meeting,
            "item": item,
            "item_number": numbers.get(item.pk),
            "title": f"Decide {obj.reference}",
            "back_url": reverse("requests:meeting", args=[meeting.pk]),
        },
        form_template="requests/meetings/decide.html",
        done=done,
    )


@login_required
def correct(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    """Correct the decision recorded on an agenda item while the meeting is open and
    nothing has been paid: a new decision that revises the old."""
    meeting = meeting_for_decisions(request.user, pk)
    item = agenda_item(meeting, item_id)
    obj = item.request
    previous = meeting_selectors.correctable_decision(item)
    if previous is None:
        messages.info(
            request,
            f"The decision on {obj.reference} cannot be corrected: the meeting is closed, "
            "a payment has been made, or the request has moved on since.",
        )
        return redirect("requests:meeting", pk=meeting.pk)
    form = CorrectionForm(request.POST if request.method == "POST" else None, request=obj)

    def done() -> HttpResponse:
        item.refresh_from_db()
        messages.success(
            request,
            f"Decision corrected for {obj.reference}: {item.get_outcome_display().lower()}.",
        )
        return redirect(reverse("requests:meeting", args=[meeting.pk]) + f"#item-{item.pk}")

    return _decision_steps(
        request,
        form=form,
        effects=lambda: meeting_selectors.revision_effect(
            obj.community_id,
            previous.allocation,
            form.award_amount(),
            form.cleaned_data["start_date"],
            form.cleaned_data["end_date"],
        ),
        record=lambda award: services.decision_correct(
            actor=request.user,
            item_id=item.pk,
            award=award,
            correction_reason=form.cleaned_data["correction_reason"],
        ),
        context={
            **_request_context(request, obj, "decision correction page"),
            "meeting": meeting,
            "item": item,
            "previous": previous,
            "title": f"Correct the decision on {obj.reference}",
            "back_url": reverse("requests:meeting", args=[meeting.pk]),
        },
        form_template="requests/meetings/correct.html",
        done=done,
    )


@login_required
def interim_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """An interim decision on an exceptional request, outside a meeting."""
    obj = permissions.get_request_for_user(request.user, pk)
    if not permissions.can_decide_request(request.user, obj):
        raise PermissionDenied
    if not obj.is_exceptional or obj.status not in WAITING_STATUSES:
        messages.error(
            request,
            "Only an exceptional request waiting for a meeting can have an interim decision.",
        )
        return redirect("requests:detail", pk=obj.pk)
    form = DecisionForm(
        request.POST if request.method == "POST" else None, request=obj, interim=True
    )

    def done() -> HttpResponse:
        messages.success(
            request,
            f"Interim decision recorded for {obj.reference}. It will be put to the next "
            "meeting for ratification.",
        )
        return redirect("requests:community", community_id=obj.community_id)

    return _decision_steps(
        request,
        form=form,
        effects=lambda: meeting_selectors.decision_effect(
            obj.community_id,
            form.award_amount(),
            form.cleaned_data["start_date"],
            form.cleaned_data["end_date"],
        ),
        record=lambda award: services.interim_decision_record(
            actor=request.user, request_id=obj.pk, award=award
        ),
        context={
            **_request_context(request, obj, "interim decision page"),
            "interim": True,
            "title": f"Interim decision on {obj.reference}",
            "back_url": reverse("requests:detail", args=[obj.pk]),
        },
        form_template="requests/meetings/decide.html",
        done=done,
    )


@login_required
def ratify(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    """Ratify an interim decision at the meeting, or revise the award with a reason."""
    meeting = meeting_for_decisions(request.user, pk)
    item = agenda_item(meeting, item_id)
    if item.kind != AgendaItem.Kind.RATIFICATION:
        return redirect("requests:decide", pk=meeting.pk, item_id=item.pk)
    obj = item.request
    if meeting.is_closed or item.outcome:
        messages.info(
            request,
            "This meeting is closed: its decisions cannot change."
            if meeting.is_closed
            else "This interim decision has already been ratified or revised.",
        )
        return redirect("requests:meeting", pk=meeting.pk)
    interim = meeting_selectors.interim_decision_of(item)
    if interim is None:
        raise Http404
    form = RatifyForm(
        request.POST if request.method == "POST" else None, request=obj, interim=interim
    )
    meeting_url = reverse("requests:meeting", args=[meeting.pk]) + f"#item-{item.pk}"
    context = {
        **_request_context(request, obj, "ratification page"),
        "meeting": meeting,
        "item": item,
        "interim_decision": interim,
        "title": f"Ratify the interim decision on {obj.reference}",
        "back_url": reverse("requests:meeting", args=[meeting.pk]),
    }
    if request.method == "POST" and form.is_valid() and not form.revising:
        try:
            services.decision_ratify(actor=request.user, item_id=item.pk)
        except Refused as exc:
            form.add_error(None, str(exc))
            return render(request, "requests/meetings/ratify.html", {**context, "form": form})
        messages.success(request, f"The interim decision on {obj.reference} has been ratified.")
        return redirect(meeting_url)

    def done() -> HttpResponse:
        messages.success(request, f"The interim decision on {obj.reference} has been revised.")
        return redirect(meeting_url)

    allocation = getattr(interim, "allocation", None)
    return _decision_steps(
        request,
        form=form,
        effects=lambda: meeting_selectors.revision_effect(
            obj.community_id,
            allocation,
            form.cleaned_data["amount"],
            form.cleaned_data["start_date"],
            form.cleaned_data["end_date"],
        ),
        record=lambda award: services.decision_revise(
            actor=request.user, item_id=item.pk, award=award
        ),
        context=context,
        form_template="requests/meetings/ratify.html",
        done=done,
    )


@login_required
def meeting_summary(request: HttpRequest, pk: int) -> HttpResponse:
    """The chair edits the summary for the meeting that members read, until the request
    is decided."""
    obj = permissions.get_request_for_user(request.user, pk)
    if not permissions.can_decide_request(request.user, obj):
        raise PermissionDenied
    form = MeetingSummaryForm(
        request.POST if request.method == "POST" else None,
        initial={"meeting_summary": obj.meeting_summary},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_summary_edit(
                actor=request.user,
                request_id=obj.pk,
                summary=form.cleaned_data["meeting_summary"],
            )
        except Refused as exc:
            form.add_error(exc.field or None, str(exc))
        else:
            messages.success(request, "The summary for the meeting has been saved.")
            return redirect("requests:detail", pk=obj.pk)
    return render(request, "requests/meeting_summary.html", {"obj": obj, "form": form})
