"""Staff two-factor pages: the second login step and the security settings.

The portal's login page checks the password and, for staff who need a second factor,
leaves ``pending_2fa_user_id`` and ``pending_2fa_next`` in the session instead of logging
them in. Nobody is logged in here before a valid code.
"""

import django_otp
from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from motcua.accounts import twofactor
from motcua.accounts.models import User
from motcua.accounts.services import AccountError, verify_second_factor
from motcua.backoffice.forms import CodeForm

PENDING_USER = "pending_2fa_user_id"
PENDING_NEXT = "pending_2fa_next"
FAILURES = "pending_2fa_failures"
MAX_FAILURES = 5
ADMIN_HOME = "/quan-tri/"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _clear_pending(request) -> None:
    for key in (PENDING_USER, PENDING_NEXT, FAILURES):
        request.session.pop(key, None)


def _pending_user(request) -> User | None:
    pk = request.session.get(PENDING_USER)
    user = User.objects.filter(pk=pk, is_active=True).first() if pk else None
    return user if user is not None and twofactor.is_staff_account(user) else None


def landing_url(user) -> str:
    """Where a login with no ``next`` lands: officers on their work queues, a superuser
    (who configures rather than handles dossiers) on the administration, citizens and
    organisations on their personal page."""
    if user.kind == User.Kind.STAFF and not user.is_superuser:
        return resolve_url("backoffice:queues")
    if user.is_staff:
        return ADMIN_HOME
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _safe_next(request, user, target: str | None) -> str:
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return landing_url(user)


def _failed(request) -> bool:
    """Count a wrong code; True once the limit is reached and the login must start over.
    The device's own throttling (django-otp) slows guessing across sessions as well."""
    request.session[FAILURES] = request.session.get(FAILURES, 0) + 1
    return request.session[FAILURES] >= MAX_FAILURES


def _start_over(request):
    _clear_pending(request)
    messages.error(request, "Bạn đã nhập sai mã xác thực quá nhiều lần. Vui lòng đăng nhập lại.")
    return redirect("portal:login")


def _finish_login(request, user, device):
    target = _safe_next(request, user, request.session.get(PENDING_NEXT))
    auth.login(request, user, backend=MODEL_BACKEND)
    django_otp.login(request, device)
    _clear_pending(request)
    return redirect(target)


@never_cache
@sensitive_post_parameters("code")
def otp_verify(request):
    user = _pending_user(request)
    if user is None:
        _clear_pending(request)
        return redirect("portal:login")
    device = twofactor.confirmed_device(user)
    if device is None:
        return _enrol_at_login(request, user)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            device = verify_second_factor(user, form.cleaned_data["code"])
        except AccountError as exc:
            if _failed(request):
                return _start_over(request)
            form.add_error("code", exc.message)
        else:
            return _finish_login(request, user, device)
    return render(
        request,
        "backoffice/otp_verify.html",
        {
            "form": form,
            "attempts_left": MAX_FAILURES - request.session.get(FAILURES, 0),
        },
    )


def _enrol_at_login(request, user):
    device = twofactor.start_enrolment(user)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        if twofactor.confirm_enrolment(device, form.cleaned_data["code"]):
            return _finish_login(request, user, device)
        if _failed(request):
            return _start_over(request)
        form.add_error(
            "code", "Mã xác thực không đúng. Hãy kiểm tra giờ trên điện thoại và nhập mã mới nhất."
        )
    return render(
        request,
        "backoffice/otp_setup.html",
        {
            "form": form,
            "qr": twofactor.qr_data_uri(device),
            "secret": twofactor.secret_for_typing(device),
            "attempts_left": MAX_FAILURES - request.session.get(FAILURES, 0),
        },
    )


@never_cache
@login_required
@sensitive_post_parameters("code")
def security(request):
    user = request.user
    if not twofactor.is_staff_account(user):
        raise PermissionDenied
    action = request.POST.get("action") if request.method == "POST" else None
    device = twofactor.confirmed_device(user)
    if device is not None:
        return _security_enabled(request, user, device, action)
    if action == "start":
        twofactor.start_enrolment(user)
        return redirect("backoffice:security")
    if action == "cancel":
        twofactor.cancel_enrolment(user)
        return redirect("backoffice:security")
    pending = twofactor.unconfirmed_device(user)
    form = CodeForm(request.POST if action == "confirm" else None)
    if pending is not None and form.is_valid():
        if twofactor.confirm_enrolment(pending, form.cleaned_data["code"]):
            # This session has just proven the factor, so it counts as verified now.
            django_otp.login(request, pending)
            messages.success(request, "Đã bật xác thực hai bước cho tài khoản của bạn.")
            return redirect("backoffice:security")
        form.add_error(
            "code", "Mã xác thực không đúng. Hãy kiểm tra giờ trên điện thoại và nhập mã mới nhất."
        )
    context = {"state": "disabled", "form": form, "required": settings.STAFF_2FA_REQUIRED}
    if pending is not None:
        context.update(
            state="setup",
            qr=twofactor.qr_data_uri(pending),
            secret=twofactor.secret_for_typing(pending),
        )
    return render(request, "backoffice/security.html", context)


def _security_enabled(request, user, device, action):
    form = CodeForm(request.POST if action == "remove" else None)
    if form.is_valid():
        try:
            twofactor.remove_devices(user, form.cleaned_data["code"])
        except AccountError as exc:
            form.add_error("code", exc.message)
        else:
            text = "Đã tắt xác thực hai bước."
            if settings.STAFF_2FA_REQUIRED:
                text += " Xác thực hai bước là bắt buộc: lần đăng nhập tới bạn sẽ thiết lập lại với điện thoại mới."
            messages.success(request, text)
            return redirect("backoffice:security")
    return render(
        request,
        "backoffice/security.html",
        {
            "state": "enabled",
            "device": device,
            "form": form,
            "required": settings.STAFF_2FA_REQUIRED,
        },
    )
