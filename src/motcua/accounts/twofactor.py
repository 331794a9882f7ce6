"""Staff TOTP devices: enrolment, confirmation and removal.

A device is created unconfirmed and shown once as a QR code; it protects nothing until its
owner proves, with a first valid code, that the authenticator app holds the same secret.
Checking a code on a confirmed device is ``accounts.services.verify_second_factor``.
"""

import base64

import qrcode
import qrcode.image.svg
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.accounts.models import User
from motcua.accounts.services import verify_second_factor

DEVICE_NAME = "Ứng dụng xác thực"


def is_staff_account(user) -> bool:
    return bool(
        user.is_authenticated and user.is_active and (user.kind == User.Kind.STAFF or user.is_staff)
    )


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def unconfirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


def start_enrolment(user) -> TOTPDevice:
    """The device being set up; reloading the page shows the same secret, not a new one."""
    return unconfirmed_device(user) or TOTPDevice.objects.create(
        user=user, name=DEVICE_NAME, confirmed=False
    )


@transaction.atomic
def confirm_enrolment(device: TOTPDevice, code: str) -> bool:
    code = (code or "").strip().replace(" ", "")
    if not device.verify_token(code):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user_id=device.user_id, confirmed=False).delete()
    return True


@transaction.atomic
def remove_devices(user, code: str) -> None:
    """Turn two-factor off; raises ``AccountError`` unless ``code`` is a current one."""
    verify_second_factor(user, code)
    TOTPDevice.objects.filter(user=user).delete()


def cancel_enrolment(user) -> None:
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()


def qr_data_uri(device: TOTPDevice) -> str:
    # An inline data: image: the CSP allows it, and the secret never gets its own URL
    # that could end up in a proxy log or a browser cache.
    svg = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathFillImage)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.to_string()).decode()


def secret_for_typing(device: TOTPDevice) -> str:
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
