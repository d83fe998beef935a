"""The SENCO's journey: the school's requests, a draft section by section, evidence,
check your answers, submit, withdraw, discard."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from communities.models import School, User
from communities.permissions import scope_for
from kentlocality.errors import Refused
from kentlocality.pagination import paginate, query_without_page
from kentlocality.searches import search_recall, search_remember
from kentlocality.sessions import signed_out_for_inactivity
from kentlocality.templatetags.formatting import format_date

from .. import permissions, services, validation
from ..evidence import download_name
from ..forms.reviews import AwardReviewForm
from ..forms.sections import (
    SECTION_FORMS,
    DeclarationForm,
    EvidenceForm,
    RequestSearchForm,
    SectionForm,
    WithdrawForm,
)
from ..models import Attachment, ResourceRequest
from ..selectors import lifecycle as request_selectors
from ..services import reviews
from ..workflow import Status

SECTION_ORDER = [name for name, _ in validation.SECTIONS]


def _school_for_senco(user: User, school_id: int) -> School:
    if school_id not in scope_for(user).school_ids:
        raise Http404
    return get_object_or_404(School.objects.select_related("community"), pk=school_id)


def _can_start(school: School) -> bool:
    return school.is_open and school.is_member and school.community_id is not None


class NotNow(Exception):
    """The school's own request, in a status that no longer allows this: the SENCO is
    taken to the request with the reason, never shown a 403 (issue 18, item 8)."""

    def __init__(self, obj: ResourceRequest, message: str) -> None:
        super().__init__(message)
        self.obj = obj


def explains_not_now(view):
    """The view's NotNow becomes the request's page with the reason."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotNow as exc:
            messages.info(request, str(exc))
            return redirect("requests:detail", pk=exc.obj.pk)

    return wrapped


def _refuse(user: User, obj: ResourceRequest, message: str) -> None:
    """Raise what a person who may not do this should meet: their school's request says
    why not now; anyone else may read it but it is not theirs to change (403)."""
    if permissions.is_school_staff(user, obj):
        raise NotNow(obj, message)
    raise PermissionDenied("Only the requesting school's SENCO can change a request.")


def _editable_request(user: User, pk: int) -> ResourceRequest:
    request = permissions.get_request_for_user(user, pk)
    if not permissions.can_edit_request(user, request):
        _refuse(
            user,
            request,
            f"Request {request.display_reference} is "
            f"{request.get_status_display().lower()}: its answers can no longer be changed.",
        )
    return request


@login_required
def school_home(request: HttpRequest, school_id: int) -> HttpResponse:
    school = _school_for_senco(request.user, school_id)
    everything = ResourceRequest.objects.filter(school=school)
    if request.method == "POST":
        # A search by pupil name: its terms go in the session, never in the address
        # (kentlocality/searches.py).
        posted = RequestSearchForm(request.POST, statuses=Status.choices)
        if posted.is_valid():
            key = search_remember(request, posted.cleaned_data)
            return redirect(f"{reverse('requests:school', args=[school.pk])}?search={key}")
        form = posted
    else:
        terms = search_recall(request, request.GET.get("search"))
        if request.GET.get("status"):  # the summary's links filter by status alone
            terms["status"] = request.GET["status"]
        form = RequestSearchForm(terms or None, statuses=Status.choices)
    listed = everything
    if form.is_valid():
        listed = request_selectors.search_requests(listed, form.cleaned_data["q"])
        if form.cleaned_data["status"]:
            listed = listed.filter(status=form.cleaned_data["status"])
    page = paginate(
        request,
        listed.select_related("decision").order_by("-created_at", "-pk"),
    )
    school_ids = scope_for(request.user).school_ids
    # Most SENCOs have one school: no query for the others then.
    other_schools = (
        School.objects.filter(pk__in=school_ids).exclude(pk=school.pk).order_by("name")
        if len(school_ids) > 1
        else School.objects.none()
    )
    return render(
        request,
        "requests/school_home.html",
        {
            "school": school,
            "counts": request_selectors.status_counts(everything),
            "form": form,
            "page": page,
            "query": query_without_page(request),
            "other_schools": other_schools,
            "can_start": _can_start(school),
        },
    )


@login_required
def request_start(request: HttpRequest, school_id: int) -> HttpResponse:
    """ "Start a new request": the first section's empty form. The draft is made by its
    first save, so opening and leaving it leaves nothing behind."""
    school = _school_for_senco(request.user, school_id)
    if not _can_start(school):
        messages.error(
            request,
            "Requests for Resource come from open mainstream schools that belong to a "
            "Community of Schools.",
        )
        return redirect("requests:school", school_id=school.pk)
    return _section(request, obj=None, school=school, name=SECTION_ORDER[0])


@login_required
@explains_not_now
def section(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    if name not in SECTION_FORMS:
        raise Http404
    obj = _editable_request(request.user, pk)
    return _section(request, obj=obj, school=obj.school, name=name)


def _section(
    request: HttpRequest, *, obj: ResourceRequest | None, school: School, name: str
) -> HttpResponse:
    """One section of a draft (``obj`` None: a new request's first section).

    - "Save and continue" saves only a complete, right section, and goes to the next
      section (or back to check your answers when it came from there).
    - "Save as draft" keeps every answer: the right ones in the request, the others as
      typed (shown again with their errors until corrected).
    - The time-out warning's script sends the form as a draft with ``timed_out`` just
      before the idle limit: saved as above, then signed out (sessions.py)."""
    form_class = SECTION_FORMS[name]
    shown = obj if obj is not None else ResourceRequest(school=school)
    from_check = request.GET.get("check") == "1"
    if request.method == "POST":
        form = form_class(request.POST, request=shown)
        valid = form.is_valid()
        continuing = "continue" in request.POST and "timed_out" not in request.POST
        if continuing:
            # Would the section be complete with these answers? Check on the unsaved
            # object, so that every missing answer is listed with the malformed ones.
            for field, value in form.values().items():
                setattr(shown, field, value)
            form.add_problems(validation.SECTION_CHECKS[name](shown))
            valid = not form.errors
        if continuing and not valid:
            return _render_section(request, shown, form, name)
        saved = _save(request, obj, school, name, form, as_typed=None if valid else form.as_typed())
        section_url = reverse(f"requests:{name}", args=[saved.pk])
        if "timed_out" in request.POST:
            return signed_out_for_inactivity(
                request,
                next_url=section_url,
                saved=f"Your answers to {validation.SECTION_TITLES[name]} were saved as a draft"
                + ("" if valid else ": some need correcting, and are kept as you typed them")
                + ".",
            )
        if continuing:
            if from_check:
                return redirect("requests:check", pk=saved.pk)
            following = SECTION_ORDER[SECTION_ORDER.index(name) + 1]
            return redirect(f"requests:{following}", pk=saved.pk)
        if valid:
            messages.success(request, "Your answers have been saved as a draft.")
            return redirect("requests:detail", pk=saved.pk)
        messages.info(
            request,
            "Your answers have been saved as a draft. Some need correcting before you can "
            "continue: they are kept as you typed them.",
        )
        return redirect(section_url)
    if obj is not None and obj.answers_as_typed.get(name):
        # Answers saved as typed: shown again, with what is wrong with them.
        form = form_class(_as_query(obj.answers_as_typed[name]), request=shown)
        form.is_valid()
    else:
        form = form_class(request=shown)
        if from_check and obj is not None:
            # Arrived from check your answers: show what is missing here.
            form.add_problems(validation.SECTION_CHECKS[name](obj))
    return _render_section(request, shown, form, name)


def _save(
    request: HttpRequest,
    obj: ResourceRequest | None,
    school: School,
    name: str,
    form: SectionForm,
    *,
    as_typed: dict[str, list[str]] | None,
) -> ResourceRequest:
    """The section's right answers into the request (a new draft when ``obj`` is None),
    with ``as_typed`` kept for the others."""
    values = {k: v for k, v in form.values().items() if k != "prg_services"}
    if obj is None:
        return services.request_start(
            actor=request.user,
            school=school,
            section=name,
            values=values,
            prg_services=form.services_chosen(),
            as_typed=as_typed,
        )
    return services.request_update(
        actor=request.user,
        request_id=obj.pk,
        section=name,
        values=values,
        prg_services=form.services_chosen(),
        as_typed=as_typed,
    )


def _as_query(as_typed: dict[str, list[str]]) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, values in as_typed.items():
        data.setlist(key, values)
    return data


def _render_section(
    request: HttpRequest, obj: ResourceRequest, form: SectionForm, name: str
) -> HttpResponse:
    return render(
        request,
        "requests/section.html",
        {
            "obj": obj,
            "form": form,
            "section": name,
            "title": validation.SECTION_TITLES[name],
            "saf_warning": name == "pupil" and obj.receives_saf,
            "pupil_name": obj.pupil_name if obj.pk else "",
        },
    )


def _section_view(name: str):
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        return section(request, pk, name)

    view.__name__ = f"section_{name}"
    return view


section_pupil = _section_view("pupil")
section_needs = _section_view("needs")
section_funding = _section_view("funding")
section_exceptional = _section_view("exceptional")


@login_required
@explains_not_now
def evidence(request: HttpRequest, pk: int) -> HttpResponse:
    """Files one at a time. "Continue" uploads a chosen file too (a file chosen and then
    "Continue" pressed must never be dropped), then goes on to check your answers; a file
    refused keeps the SENCO here with the reason."""
    obj = _editable_request(request.user, pk)
    form = EvidenceForm()
    if request.method == "POST":
        continuing = "continue" in request.POST
        form = EvidenceForm(request.POST, request.FILES, optional=continuing)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload:
                try:
                    attachment = services.evidence_add(
                        actor=request.user, request_id=obj.pk, upload=upload
                    )
                except Refused as exc:
                    form.add_error("file", f"{upload.name} has not been added: {exc}")
                else:
                    messages.success(request, f"{attachment.original_name} has been added.")
            if not form.errors:
                if continuing:
                    return redirect("requests:check", pk=obj.pk)
                return redirect("requests:evidence", pk=obj.pk)
    return render(
        request,
        "requests/evidence.html",
        {"obj": obj, "form": form, "attachments": obj.attachments.all()},
    )


@login_required
@require_POST
@explains_not_now
def evidence_remove(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponse:
    obj = _editable_request(request.user, pk)
    try:
        services.evidence_remove(actor=request.user, request_id=obj.pk, attachment_id=attachment_id)
    except Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "The file has been removed.")
    return redirect("requests:evidence", pk=obj.pk)


@login_required
def evidence_download(request: HttpRequest, pk: int, attachment_id: int) -> FileResponse:
    """The only way evidence leaves the service: for people who may see the pupil's
    identity, each download logged as a view of it."""
    obj = permissions.get_request_for_user(request.user, pk)
    if not permissions.sees_pupil_identity(request.user, obj):
        raise Http404
    attachment = get_object_or_404(Attachment, pk=attachment_id, request=obj)
    request_selectors.log_identity_view(request.user, obj, "evidence download")
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=download_name(attachment.original_name, attachment.content_type),
        content_type=attachment.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def check_answers(request: HttpRequest, pk: int) -> HttpResponse:
    obj = permissions.get_request_for_user(request.user, pk)
    if not permissions.is_school_staff(request.user, obj):
        raise PermissionDenied
    if not permissions.can_edit_request(request.user, obj):
        # A second click or a second tab after submitting: show where it went.
        if obj.status != Status.DRAFT:
            return redirect("requests:submitted", pk=obj.pk)
        raise PermissionDenied
    problems = validation.submission_problems(obj)
    form = DeclarationForm()
    if request.method == "POST":
        form = DeclarationForm(request.POST)
        declared = form.is_valid()
        try:
            services.request_submit(actor=request.user, request_id=obj.pk, declaration=declared)
        except services.AlreadySubmitted:
            return redirect("requests:submitted", pk=obj.pk)
        except services.IncompleteRequest as exc:
            problems = exc.problems
        except Refused as exc:
            if declared:
                form.add_error(None, str(exc))
        else:
            return redirect("requests:submitted", pk=obj.pk)
    request_selectors.log_identity_view(request.user, obj, "check your answers")
    return render(
        request,
        "requests/check_answers.html",
        {
            "obj": obj,
            "form": form,
            "problems": problems,
            "problem_links": [
                (
                    reverse(f"requests:{p.section}", args=[obj.pk]) + f"?check=1#{_anchor(p)}",
                    p.message,
                )
                for p in problems
            ],
            "attachments": obj.attachments.all(),
            "services": obj.prg_services.all(),
        },
    )


def _anchor(problem: validation.Problem) -> str:
    form_class = SECTION_FORMS[problem.section]
    field = form_class.base_fields.get(problem.field)
    if field is None:
        return "main-content"
    from django import forms

    if isinstance(field, forms.MultiValueField):
        return f"id_{problem.field}_0"
    if isinstance(field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"id_{problem.field}_1"
    return f"id_{problem.field}"


@login_required
def submitted(request: HttpRequest, pk: int) -> HttpResponse:
    obj = permissions.get_request_for_user(request.user, pk)
    if not permissions.is_school_staff(request.user, obj) or obj.status == Status.DRAFT:
        raise Http404
    return render(request, "requests/submitted.html", {"obj": obj})


@login_required
@explains_not_now
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    obj = permissions.get_request_for_user(request.user, pk)
    if not permissions.can_withdraw_request(request.user, obj):
        _refuse(
            request.user,
            obj,
            f"Request {obj.display_reference} is {obj.get_status_display().lower()}: "
            "a request can be withdrawn only while it waits for a decision.",
        )
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_withdraw(
                actor=request.user, request_id=obj.pk, reason=form.cleaned_data["reason"]
            )
        except Refused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Request {obj.reference} has been withdrawn.")
            return redirect("requests:detail", pk=obj.pk)
    return render(request, "requests/withdraw.html", {"obj": obj, "form": form})


@login_required
@require_POST
@explains_not_now
def continue_support(request: HttpRequest, pk: int) -> HttpResponse:
    """Start a new draft for the same pupil from a decided request, with the pupil's
    details and needs copied."""
    obj = permissions.get_request_for_user(request.user, pk)
    if not permissions.can_continue_request(request.user, obj):
        _refuse(
            request.user,
            obj,
            f"Request {obj.display_reference} is {obj.get_status_display().lower()}: support "
            "can be continued only from a request that has been decided.",
        )
    try:
        draft = services.request_continue(actor=request.user, request_id=obj.pk)
    except Refused as exc:
        raise NotNow(obj, str(exc)) from exc
    messages.success(
        request,
        f"A new draft continues {obj.reference}: the pupil's details and needs are copied. "
        "Check them, then add what is requested, the evidence and the declaration.",
    )
    return redirect("requests:detail", pk=draft.pk)


@login_required
@explains_not_now
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """The school reviews what the award achieved, from 4 weeks before it ends."""
    obj = permissions.get_request_for_user(request.user, pk)
    if not permissions.is_school_staff(request.user, obj):
        raise PermissionDenied("Only the requesting school's SENCO can review an award.")
    opens = reviews.review_opens(obj)
    if opens is None:
        raise NotNow(obj, "Only an approved award can be reviewed.")
    if not reviews.can_review(obj, timezone.localdate()):
        raise NotNow(
            obj,
            "This award has already been reviewed."
            if obj.reviews.filter(decision_id=obj.decision_id).exists()
            else f"This award can be reviewed from {format_date(opens)}, 4 weeks before it ends.",
        )
    planned = reviews.planned_outcomes(obj)
    form = AwardReviewForm(request.POST or None, planned=planned)
    if request.method == "POST" and form.is_valid():
        try:
            reviews.award_review_record(
                actor=request.user, request_id=obj.pk, results=form.results()
            )
        except Refused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"The review of {obj.reference} has been saved.")
            return redirect("requests:detail", pk=obj.pk)
    return render(request, "requests/review.html", {"obj": obj, "form": form, "planned": planned})


@login_required
@explains_not_now
def discard(request: HttpRequest, pk: int) -> HttpResponse:
    obj = permissions.get_request_for_user(request.user, pk)
    if not permissions.can_discard_request(request.user, obj):
        _refuse(
            request.user,
            obj,
            f"Request {obj.display_reference} has been sent: only a draft can be "
            "discarded. A request waiting for a decision can be withdrawn.",
        )
    if request.method == "POST":
        school_id = obj.school_id
        try:
            services.request_discard(actor=request.user, request_id=obj.pk)
        except Refused as exc:
            messages.error(request, str(exc))
            return redirect("requests:detail", pk=obj.pk)
        messages.success(request, "The draft has been discarded.")
        return redirect("requests:school", school_id=school_id)
    return render(request, "requests/discard.html", {"obj": obj})
