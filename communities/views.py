from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django_otp import login as otp_login

from kentlocality.throttle import throttle_allows

from . import mfa
from .auth import client_ip, next_path
from .forms import CodeForm, PasswordResetForm, SetPasswordForm, SignInForm
from .navigation import role_places


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
    return render(request, "kentlocality/home.html", {"places": places})
