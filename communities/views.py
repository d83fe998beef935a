from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from kentlocality.throttle import throttle_allows

from . import mfa
from .auth import client_ip, next_path
from .forms import CodeForm, InviteForm, PasswordResetForm, SetPasswordForm, SignInForm
from .models import CommunityOfSchools, RoleAssignment, School
from .navigation import manages_people, role_places
from .services import MANAGED_BY, PeopleError, may_manage, person_invite, role_remove


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    redirect_authenticated_user = True

    def get_redirect_url(self) -> str:
        # A path on this site only (communities.auth.next_path).
        return next_path(self.request.POST.get("next") or self.request.GET.get("next"))


class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a link to choose a password. The link is built from SITE_URL, never from
    the Host header of the request (which whoever asks can write), and the form is
    throttled by email address and by client address, whether or not the address has an
    account (so the answer says nothing about who has one)."""

    form_class = PasswordResetForm
    email_template_name = "emails/password_reset_body.txt"
    html_email_template_name = "emails/password_reset_body.html"
    subject_template_name = "emails/password_reset_subject.txt"

    @property
    def extra_email_context(self) -> dict:
        return {"site_url": settings.SITE_URL}

    def form_valid(self, form):
        email = form.cleaned_data["email"].strip().lower()
        # Both are counted every time, so that neither limit can be dodged by the other.
        by_email = throttle_allows(
            f"password-reset:email:{email}",
            limit=settings.PASSWORD_RESET_EMAIL_LIMIT,
            window=3600,
        )
        by_client = throttle_allows(
            f"password-reset:client:{client_ip(self.request)}",
            limit=settings.PASSWORD_RESET_CLIENT_LIMIT,
            window=3600,
        )
        if not (by_email and by_client):
            form.add_error(
                None,
                "Too many password links have been asked for. Wait an hour, then try again.",
            )
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm


def _next_url(request: HttpRequest) -> str:
    return next_path(request.POST.get("next") or request.GET.get("next")) or "/"


@login_required
def mfa_verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the app or a recovery code."""
    if request.user.is_verified():
        return redirect(_next_url(request))
    if not mfa.has_two_factor(request.user):
        return redirect("mfa_setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = mfa.verify(request.user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            return redirect(_next_url(request))
        form.add_error("code", "The security code is wrong or has expired: try the newest code")
    return render(
        request, "registration/mfa_verify.html", {"form": form, "next": _next_url(request)}
    )


@login_required
def mfa_setup(request: HttpRequest) -> HttpResponse:
    """Set up two-factor sign-in: scan the QR code, type the first code, keep the recovery
    codes."""
    if mfa.has_two_factor(request.user) and not request.user.is_verified():
        return redirect("mfa_verify")
    device = mfa.enrolment_device(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = mfa.confirm_enrolment(request.user, device, form.cleaned_data["code"])
        if codes is not None:
            device.refresh_from_db()
            otp_login(request, device)
            return render(
                request,
                "registration/mfa_recovery_codes.html",
                {"codes": codes, "next": _next_url(request)},
            )
        form.add_error(
            "code",
            "The security code is wrong: check the time on your phone is right and try the newest code",
        )
    return render(
        request,
        "registration/mfa_setup.html",
        {
            "form": form,
            "qr": mfa.qr_svg(device),
            "secret": mfa.secret_for_typing(device),
            "next": _next_url(request),
        },
    )


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each person's home: with one place to work in, straight there; with several, a list
    of them; with none, who to ask."""
    places = role_places(request.user)
    if len(places) == 1 and not request.user.is_staff:
        return redirect(places[0].url)
    if not places and manages_people(request.user) and not request.user.is_staff:
        return redirect("people")  # a headteacher: their school's SENCOs
    return render(request, "kentlocality/home.html", {"places": places})


# People managed where they work ----------------------------------------------------------

Role = RoleAssignment.Role


def _managed_places(user) -> list[tuple[str, School | CommunityOfSchools, list[str]]]:
    """(kind, place, roles managed there) for each school this person is headteacher of
    and each CoS they chair."""
    managers = RoleAssignment.objects.filter(
        user=user, role__in=[Role.HEADTEACHER, Role.CHAIR]
    ).select_related("school", "community")
    places = []
    for assignment in managers:
        roles = [role for role, manager in MANAGED_BY.items() if manager == assignment.role]
        if assignment.role == Role.HEADTEACHER:
            places.append(("school", assignment.school, roles))
        else:
            places.append(("community", assignment.community, roles))
    return places


def _people_of(kind: str, place, roles: list[str]) -> list[RoleAssignment]:
    return list(
        RoleAssignment.objects.filter(role__in=roles, **{kind: place})
        .select_related("user")
        .order_by("role", "user__full_name")
    )


@login_required
def people(request: HttpRequest) -> HttpResponse:
    """A headteacher's SENCOs, a chair's vice-chair and clerk: who they are, invite, remove."""
    places = _managed_places(request.user)
    if not places:
        raise Http404("You do not manage anyone")
    sections = []
    for kind, place, roles in places:
        held = _people_of(kind, place, roles)
        sencos = sum(1 for a in held if a.role == Role.SENCO)
        sections.append({"kind": kind, "place": place, "people": held, "last_senco": sencos == 1})
    return render(request, "communities/people.html", {"sections": sections})


def _managed_place(user, kind: str, pk: int):
    for place_kind, place, roles in _managed_places(user):
        if place_kind == kind and place.pk == pk:
            return place, roles
    raise Http404("You do not manage this place")


@login_required
def people_invite(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    place, roles = _managed_place(request.user, kind, pk)
    form = InviteForm(request.POST or None, roles=[(r, Role(r).label) for r in roles])
    if request.method == "POST" and form.is_valid():
        try:
            assignment = person_invite(
                actor=request.user,
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                role=form.cleaned_data["role"],
                place=place,
            )
        except PeopleError as exc:
            form.add_error("email", str(exc))
        else:
            messages.success(
                request,
                f"{assignment.user.full_name} is now {assignment.get_role_display()} of "
                f"{place}. We have emailed them a link to choose a password.",
            )
            return redirect("people")
    return render(request, "communities/people_invite.html", {"form": form, "place": place})


@login_required
@require_POST
def people_remove(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_object_or_404(
        RoleAssignment.objects.select_related("user", "school", "community"), pk=pk
    )
    place = assignment.school or assignment.community
    if place is None or not may_manage(request.user, assignment.role, place):
        raise Http404("You do not manage this person's role")
    try:
        warning = role_remove(actor=request.user, assignment_id=pk)
    except PeopleError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            f"{assignment.user.full_name} is no longer {assignment.get_role_display()}.",
        )
        if warning:
            messages.warning(request, warning)
    return redirect("people")
