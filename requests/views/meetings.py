"""The CoS chair's journey: the chair's home, meetings and their agenda, attendance,
declarations of interest, closing, minutes and the agenda pack (decisions are in
views.decisions). Member schools read a meeting's pseudonymised agenda."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from budgets.selectors import BudgetPosition, budget_position
from communities.models import CommunityOfSchools, User
from communities.permissions import (
    is_chair_of_community,
    is_member_of_community,
    runs_meetings_of,
    scope_for,
)
from kentlocality.errors import Refused
from kentlocality.financial_years import financial_year_of
from kentlocality.pagination import paginate
from kentlocality.pdf import render_pdf

from .. import permissions, services
from ..forms.meetings import (
    AgendaAddForm,
    AttendanceForm,
    DeclarationForm,
    MeetingCancelForm,
    MeetingForm,
    RepresentationForm,
)
from ..models import AgendaItem, Meeting
from ..selectors import meetings as meeting_selectors
from ..services.meetings import (
    agenda_add_requests,
    member_schools,
    schools_with_items,
)


def _community_for_chair(user: User, community_id: int) -> CommunityOfSchools:
    """The CoS for the people who run its meetings (chair, vice-chair, clerk); 404
    otherwise."""
    if not runs_meetings_of(user, community_id):
        raise Http404
    return get_object_or_404(CommunityOfSchools, pk=community_id)


def meeting_for_chair(user: User, pk: int) -> Meeting:
    """The meeting for the people who run it (chair, vice-chair, clerk); 404 outside the
    user's meetings, 403 for a member school's SENCO (who may read the agenda but not run
    the meeting)."""
    meeting = permissions.get_meeting_for_user(user, pk)
    if not permissions.can_manage_meeting(user, meeting):
        raise PermissionDenied
    return meeting


def meeting_for_decisions(user: User, pk: int) -> Meeting:
    """The meeting for its chair or vice-chair, who decide; 403 for its clerk and its
    member schools, 404 for anyone else."""
    meeting = permissions.get_meeting_for_user(user, pk)
    if not permissions.can_decide_at_meeting(user, meeting):
        raise PermissionDenied
    return meeting


def agenda_item(meeting: Meeting, item_id: int) -> AgendaItem:
    return get_object_or_404(
        AgendaItem.objects.select_related("request", "request__school", "request__community"),
        pk=item_id,
        meeting=meeting,
    )


def current_position(community_id: int) -> BudgetPosition:
    return budget_position(community_id, financial_year_of(timezone.localdate()))


# Earlier meetings a page at a time: about two years of half-termly meetings.
EARLIER_PER_PAGE = 12


@login_required
def community_home(request: HttpRequest, community_id: int) -> HttpResponse:
    """The chair's home: the queue, interim decisions to ratify, upcoming meetings and
    this year's budget position."""
    community = _community_for_chair(request.user, community_id)
    meetings = meeting_selectors.scheduled_meetings(community.pk)
    return render(
        request,
        "requests/meetings/community_home.html",
        {
            "community": community,
            "waiting": meeting_selectors.queue_rows(community.pk),
            "ratifications": meeting_selectors.ratification_rows(community.pk),
            "upcoming": meetings.upcoming,
            "to_close": meetings.to_close,
            "position": current_position(community.pk),
            "decides": is_chair_of_community(request.user, community.pk),
        },
    )


@login_required
def meeting_list(request: HttpRequest, community_id: int) -> HttpResponse:
    community = _community_for_chair(request.user, community_id)
    return render(
        request,
        "requests/meetings/meeting_list.html",
        {
            "community": community,
            "upcoming": meeting_selectors.upcoming_meetings(community.pk),
            "earlier": paginate(
                request, meeting_selectors.earlier_meetings(community.pk), EARLIER_PER_PAGE
            ),
        },
    )


@login_required
def meeting_create(request: HttpRequest, community_id: int) -> HttpResponse:
    community = _community_for_chair(request.user, community_id)
    form = MeetingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(
                actor=request.user, community=community, **form.details()
            )
        except Refused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The meeting has been scheduled.")
            return redirect("requests:meeting", pk=meeting.pk)
    return render(
        request,
        "requests/meetings/meeting_form.html",
        {"community": community, "form": form, "meeting": None},
    )


@login_required
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for_chair(request.user, pk)
    if not meeting.is_open:
        messages.info(
            request,
            f"This meeting is {meeting.get_state_display().lower()}: its details can no longer change.",
        )
        return redirect("requests:meeting", pk=meeting.pk)
    initial = {
        "date": meeting.date,
        "start_time": meeting.start_time,
        "place": meeting.place,
        "online_link": meeting.online_link,
    }
    form = MeetingForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(actor=request.user, meeting_id=meeting.pk, **form.details())
        except Refused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The meeting's details have been changed.")
            return redirect("requests:meeting", pk=meeting.pk)
    return render(
        request,
        "requests/meetings/meeting_form.html",
        {"community": meeting.community, "form": form, "meeting": meeting},
    )


@login_required
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel a meeting before anything is decided at it; its people are told."""
    meeting = meeting_for_chair(request.user, pk)
    if not meeting.is_open:
        messages.info(
            request,
            f"This meeting is {meeting.get_state_display().lower()}: it cannot be cancelled.",
        )
        return redirect("requests:meeting", pk=meeting.pk)
    form = MeetingCancelForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_cancel(
                actor=request.user, meeting_id=meeting.pk, reason=form.cleaned_data["reason"]
            )
        except Refused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                "The meeting is cancelled. Its requests are back in the queue, and the chair "
                "and member schools have been told.",
            )
            return redirect("requests:community", community_id=meeting.community_id)
    return render(
        request,
        "requests/meetings/cancel.html",
        {"meeting": meeting, "form": form, "items": meeting.items.count()},
    )


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The chair's view of a meeting, or a member school's pseudonymised agenda."""
    meeting = permissions.get_meeting_for_user(request.user, pk)
    manage = permissions.can_manage_meeting(request.user, meeting)
    decides = permissions.can_decide_at_meeting(request.user, meeting)
    rows = meeting_selectors.agenda_rows(
        meeting, manage=decides, own_school_ids=scope_for(request.user).school_ids
    )
    context = {
        "meeting": meeting,
        "community": meeting.community,
        "rows": rows,
        "manage": manage,
        "decides": decides,
        "actions": manage and meeting.is_open,
        # Members read each item's case summary here; the chair, who runs the meeting
        # from this page, reads them on their own page (case_summaries below).
        "summaries": [] if manage else meeting_selectors.case_summaries(meeting),
    }
    if manage:
        context |= {
            "attendance": meeting_selectors.attendance_count(meeting),
            "declarations": meeting_selectors.declaration_rows(meeting),
            "representations": meeting_selectors.representation_rows(meeting),
        }
    else:  # a member school with a request on the agenda may arrange representation
        own = scope_for(request.user).school_ids & schools_with_items(meeting)
        arranged = {
            r.school_id: r for r in meeting.representations.select_related("represented_by")
        }
        context["own_items"] = [
            (school, arranged.get(school.pk))
            for school in member_schools(meeting.community_id).filter(pk__in=own)
        ]
    if manage and meeting.is_open:  # what the chair needs to run it
        context |= {
            "position": budget_position(meeting.community_id, financial_year_of(meeting.date)),
            "waiting_count": meeting_selectors.waiting_requests(meeting.community_id).count(),
            "undecided": sum(1 for row in rows if not row.outcome),
            "day_reached": meeting.date <= timezone.localdate(),
            "started": timezone.now() >= services.meeting_starts_at(meeting),
            "any_decided": any(row.outcome for row in rows),
        }
    return render(request, "requests/meetings/meeting_detail.html", context)


@login_required
def case_summaries(request: HttpRequest, pk: int) -> HttpResponse:
    """Each agenda item as the member schools read it, on a page of its own: what the
    chair's meeting page links to."""
    meeting = permissions.get_meeting_for_user(request.user, pk)
    return render(
        request,
        "requests/meetings/case_summaries.html",
        {
            "meeting": meeting,
            "community": meeting.community,
            "summaries": meeting_selectors.case_summaries(meeting),
        },
    )


@login_required
def agenda_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for_chair(request.user, pk)
    if not meeting.is_open:
        messages.error(
            request,
            f"This meeting is {meeting.get_state_display().lower()}: its agenda can no longer change.",
        )
        return redirect("requests:meeting", pk=meeting.pk)
    waiting = list(meeting_selectors.waiting_requests(meeting.community_id))
    form = AgendaAddForm(request.POST if request.method == "POST" else None, waiting=waiting)
    if request.method == "POST" and form.is_valid():
        try:
            added = agenda_add_requests(
                actor=request.user, meeting_id=meeting.pk, request_ids=form.request_ids()
            )
        except Refused as exc:
            form.add_error("requests", str(exc))
        else:
            count = len(added)
            messages.success(
                request, f"{count} request{'s' if count != 1 else ''} added to the agenda."
            )
            return redirect("requests:meeting", pk=meeting.pk)
    return render(
        request,
        "requests/meetings/agenda_add.html",
        {"meeting": meeting, "form": form, "waiting": waiting},
    )


@login_required
@require_POST
def agenda_remove(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    meeting = meeting_for_chair(request.user, pk)
    item = agenda_item(meeting, item_id)
    try:
        services.agenda_remove(actor=request.user, meeting_id=meeting.pk, item_id=item.pk)
    except Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            f"{item.request.reference} has been taken off the agenda and is waiting for a meeting again.",
        )
    return redirect("requests:meeting", pk=meeting.pk)


@login_required
@require_POST
def agenda_move(request: HttpRequest, pk: int, item_id: int) -> HttpResponse:
    meeting = meeting_for_chair(request.user, pk)
    item = agenda_item(meeting, item_id)
    try:
        services.agenda_move(
            actor=request.user,
            meeting_id=meeting.pk,
            item_id=item.pk,
            direction=request.POST.get("direction", ""),
        )
    except Refused as exc:
        messages.error(request, str(exc))
    return redirect(reverse("requests:meeting", args=[meeting.pk]) + f"#item-{item.pk}")


@login_required
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for_chair(request.user, pk)
    schools = list(member_schools(meeting.community_id))
    recorded = {a.school_id: a for a in meeting.attendance.all()}
    form = AttendanceForm(
        request.POST if request.method == "POST" else None,
        schools=schools,
        recorded=recorded,
        arranged=dict(meeting.representations.values_list("school_id", "represented_by_id")),
        all_attended=request.GET.get("all") == "attended",
    )
    if request.method == "POST" and not meeting.is_closed and form.is_valid():
        try:
            services.attendance_record(
                actor=request.user, meeting_id=meeting.pk, entries=form.entries()
            )
        except Refused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Attendance has been recorded.")
            return redirect("requests:meeting", pk=meeting.pk)
    return render(
        request,
        "requests/meetings/attendance.html",
        {
            "meeting": meeting,
            "form": form,
            "rows": meeting_selectors.attendance_rows(meeting),
            "representations": meeting_selectors.representation_rows(meeting),
            "unrecorded": len(schools) - len(recorded.keys() & {s.pk for s in schools}),
        },
    )


def _school_with_item(user: User, meeting: Meeting, school_id: int):
    """One of the user's schools with a request on the meeting's agenda; 404 otherwise."""
    if school_id not in scope_for(user).school_ids:
        raise Http404
    return get_object_or_404(member_schools(meeting.community_id), pk=school_id)


@login_required
def representation(request: HttpRequest, pk: int, school_id: int) -> HttpResponse:
    """A SENCO names, before the meeting, a member school to represent theirs."""
    meeting = permissions.get_meeting_for_user(request.user, pk)
    school = _school_with_item(request.user, meeting, school_id)
    arranged = meeting.representations.filter(school=school).first()
    form = RepresentationForm(
        request.POST if request.method == "POST" else None,
        initial={"represented_by": str(arranged.represented_by_id) if arranged else ""},
        others=member_schools(meeting.community_id).exclude(pk=school.pk),
    )
    if request.method == "POST" and "cancel" in request.POST:
        try:
            services.representation_cancel(
                actor=request.user, meeting_id=meeting.pk, school_id=school.pk
            )
        except Refused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "The representation is cancelled.")
        return redirect("requests:meeting", pk=meeting.pk)
    if request.method == "POST" and form.is_valid():
        try:
            done = services.representation_arrange(
                actor=request.user,
                meeting_id=meeting.pk,
                school_id=school.pk,
                represented_by_id=int(form.cleaned_data["represented_by"]),
            )
        except Refused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"{done.represented_by.name} will represent {school.name}. Its SENCOs and the "
                "chair have been told.",
            )
            return redirect("requests:meeting", pk=meeting.pk)
    return render(
        request,
        "requests/meetings/representation.html",
        {
            "meeting": meeting,
            "school": school,
            "form": form,
            "arranged": arranged,
            "has_item": school.pk in schools_with_items(meeting),
        },
    )


@login_required
def declarations(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for_chair(request.user, pk)
    items = meeting_selectors.agenda(meeting)
    form = DeclarationForm(
        request.POST if request.method == "POST" else None,
        schools=member_schools(meeting.community_id),
        items=items,
    )
    if request.method == "POST" and not meeting.is_closed and form.is_valid():
        data = form.cleaned_data
        try:
            services.declaration_add(
                actor=request.user,
                meeting_id=meeting.pk,
                person_name=data["person_name"],
                details=data["details"],
                school_id=int(data["school"]) if data["school"] else None,
                item_id=int(data["item"]) if data["item"] else None,
            )
        except Refused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The declaration of interest has been recorded.")
            return redirect("requests:declarations", pk=meeting.pk)
    return render(
        request,
        "requests/meetings/declarations.html",
        {
            "meeting": meeting,
            "form": form,
            "declarations": meeting.declarations.select_related("school", "item__request"),
        },
    )


@login_required
@require_POST
def declaration_remove(request: HttpRequest, pk: int, declaration_id: int) -> HttpResponse:
    meeting = meeting_for_chair(request.user, pk)
    try:
        services.declaration_remove(
            actor=request.user, meeting_id=meeting.pk, declaration_id=declaration_id
        )
    except Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "The declaration of interest has been removed.")
    return redirect("requests:declarations", pk=meeting.pk)


@login_required
def meeting_close(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for_chair(request.user, pk)
    if meeting.is_closed:
        return redirect("requests:meeting", pk=meeting.pk)
    error, error_anchor = "", "outcomes"
    if request.method == "POST":
        try:
            services.meeting_close(actor=request.user, meeting_id=meeting.pk)
        except Refused as exc:
            error, error_anchor = str(exc), exc.field or "outcomes"
        else:
            messages.success(request, "The meeting is closed. Its minutes are ready.")
            return redirect("requests:minutes", pk=meeting.pk)
    items = meeting_selectors.agenda(meeting)
    return render(
        request,
        "requests/meetings/close.html",
        {
            "meeting": meeting,
            "rows": [(item, meeting_selectors.item_decision(item)) for item in items],
            "undecided": [item for item in items if not item.outcome],
            "missing": [
                row.school.name
                for row in meeting_selectors.attendance_rows(meeting)
                if row.record is None
            ],
            "error": error,
            "error_anchor": error_anchor,
        },
    )


def _minutes_context(meeting: Meeting) -> dict:
    items = meeting_selectors.agenda(meeting)
    return {
        "meeting": meeting,
        "community": meeting.community,
        "chair": meeting.community.chair,
        "rows": [(item, meeting_selectors.item_decision(item)) for item in items],
        "attendance": meeting_selectors.attendance_rows(meeting),
        "declarations": meeting.declarations.select_related("school", "item__request"),
    }


def meeting_for_minutes(user: User, pk: int) -> Meeting:
    """The meeting for a reader of its minutes: those who run it, and its member schools
    once it is closed (403 before); 404 for anyone else."""
    meeting = permissions.get_meeting_for_user(user, pk)
    if not permissions.can_read_minutes(user, meeting):
        raise PermissionDenied
    return meeting


@login_required
def community_for_members(request: HttpRequest, community_id: int) -> HttpResponse:
    """What a CoS's members see of it: this year's budget position (the chair's figures,
    from the same selector), links to the monthly updates, the annual financial
    information and the quarterly reports, and its meetings with agendas and minutes.
    No pupil is named on it."""
    if not is_member_of_community(request.user, community_id):
        raise Http404
    community = get_object_or_404(CommunityOfSchools, pk=community_id)
    return render(
        request,
        "requests/meetings/members_home.html",
        {
            "community": community,
            "position": current_position(community.pk),
            "upcoming": meeting_selectors.upcoming_meetings(community.pk),
            "earlier": paginate(
                request, meeting_selectors.earlier_meetings(community.pk), EARLIER_PER_PAGE
            ),
        },
    )


@login_required
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for_minutes(request.user, pk)
    return render(request, "requests/meetings/minutes.html", _minutes_context(meeting))


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _file_stem(meeting: Meeting) -> str:
    return f"{meeting.community.name.lower().replace(' ', '-')}-{meeting.date:%Y-%m-%d}"


@login_required
def minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_for_minutes(request.user, pk)
    context = {**_minutes_context(meeting), "generated_at": timezone.now()}
    pdf = render_pdf("requests/pdf/minutes.html", context)
    return _pdf_response(pdf, f"minutes-{_file_stem(meeting)}.pdf")


@login_required
def agenda_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The agenda pack, pseudonymised: reference, year group, need and amounts only."""
    meeting = meeting_for_chair(request.user, pk)
    items = meeting_selectors.agenda(meeting)
    context = {
        "meeting": meeting,
        "community": meeting.community,
        "chair": meeting.community.chair,
        "rows": [(item, meeting_selectors.interim_decision_of(item)) for item in items],
        "summaries": meeting_selectors.case_summaries(meeting),
        "position": budget_position(meeting.community_id, financial_year_of(meeting.date)),
        "generated_at": timezone.now(),
    }
    pdf = render_pdf("requests/pdf/agenda_pack.html", context)
    return _pdf_response(pdf, f"agenda-pack-{_file_stem(meeting)}.pdf")
