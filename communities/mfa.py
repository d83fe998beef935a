"""Two-factor sign-in: a time-based one-time password (TOTP) from an authenticator app,
with single-use recovery codes. Devices come from django-otp.

Enrolment creates an unconfirmed TOTP device; the first correct code confirms it and
makes ten recovery codes, shown once. An administrator can reset a person's two-factor
sign-in, after which they enrol again at their next sign-in. Either way the person is
emailed (communities.tasks.security_notice_send).
"""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
from django.db import transaction
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from kentlocality.background import queue_on_commit

from .models import User
from .tasks import security_notice_send

RECOVERY_CODE_COUNT = 10
TOTP_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"


def has_two_factor(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@transaction.atomic
def enrolment_device(user: User) -> TOTPDevice:
    """The unconfirmed device being set up (a new one if there is none)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


def qr_svg(device: TOTPDevice) -> str:
    """The device's otpauth:// address as an SVG QR code (no inline styles)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    out = io.BytesIO()
    image.save(out)
    svg = out.getvalue().decode()
    return svg[svg.index("<svg") :].replace(
        "<svg ", '<svg role="img" aria-label="QR code to scan with an authenticator app" ', 1
    )


def secret_for_typing(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, for people who cannot scan the code."""
    from base64 import b32encode

    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@transaction.atomic
def confirm_enrolment(user: User, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the device with a code from the app. Returns new recovery codes, or None
    if the code is wrong."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
    if not device.verify_token(code.replace(" ", "")):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    codes = new_recovery_codes(user)
    queue_on_commit(security_notice_send, user.pk, "two_factor_enrolled")
    return codes


@transaction.atomic
def new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=code) for code in codes])
    return codes


def verify(user: User, code: str):
    """The device a code belongs to (an app code or an unused recovery code, which is then
    used up), or None."""
    code = code.replace(" ", "").strip()
    if not code or len(code) > 16:
        return None
    for device in devices_for_user(user, confirmed=True):
        if device.verify_is_allowed()[0] and device.verify_token(code):
            return device
    return None


@transaction.atomic
def reset(user: User, *, actor: User | None = None) -> None:
    """Remove a person's two-factor devices (administrator action). The person is told
    by email once it is done, if there was anything to remove."""
    removed, _ = TOTPDevice.objects.filter(user=user).delete()
    removed_static, _ = StaticDevice.objects.filter(user=user).delete()
    if removed or removed_static:
        queue_on_commit(security_notice_send, user.pk, "two_factor_reset", actor and actor.pk)
