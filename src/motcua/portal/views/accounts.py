"""Registration, e-mail confirmation, login, logout and password reset pages."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from motcua.accounts import selectors as account_selectors
from motcua.accounts import services as accounts
from motcua.accounts.services import AccountError
from motcua.backoffice.views import landing_url
from motcua.portal.forms import (
    EmailForm,
    LoginForm,
    RegisterForm,
    SetPasswordForm,
    as_typed,
    refreshing_captcha,
    service_errors,
)
from motcua.portal.labels import ACCOUNT_ERRORS, account_error
from motcua.portal.lockout import lockout_response
from motcua.portal.throttle import allow_mail

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _throttled(request):
    return render(request, "portal/throttled.html", status=429)


def _sent_url(email: str) -> str:
    return f"{reverse('portal:register-sent')}?{urlencode({'email': email})}"


def _posted(request):
    """The submitted data, or None for a GET; an empty POST is still a submission."""
    return request.POST if request.method == "POST" else None


def _hours(ttl) -> int:
    return int(ttl.total_seconds() // 3600)


def _safe_next(request, url: str | None) -> str:
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return ""


@require_http_methods(["GET", "POST"])
def register(request):
    if request.user.is_authenticated:
        return redirect("portal:profile")
    if refreshing_captcha(request):
        form = as_typed(RegisterForm, request.POST)
        return render(request, "portal/register.html", {"form": form})
    form = RegisterForm(_posted(request))
    if request.method == "POST":
        if form.is_valid():
            if not allow_mail(request):
                return _throttled(request)
            try:
                user = accounts.register(form.registration())
            except ValidationError as exc:
                service_errors(form, exc)
            else:
                return redirect(_sent_url(user.email))
        else:
            # Show every problem at once, not the captcha first and the rest next time.
            try:
                accounts.clean_registration(form.registration())
            except ValidationError as exc:
                service_errors(form, exc, only_new=True)
    return render(request, "portal/register.html", {"form": form})


@require_http_methods(["GET", "POST"])
def register_sent(request):
    """ "Check your mailbox", with a form to send the link again."""
    if request.method == "POST":
        form = EmailForm(request.POST)
        if form.is_valid():
            if not allow_mail(request):
                return _throttled(request)
            accounts.resend_confirmation(form.cleaned_data["email"])
            messages.success(
                request,
                _(
                    "Nếu địa chỉ này đang chờ xác nhận, một thư mới vừa được gửi. "
                    "Đường dẫn trong các thư trước không còn dùng được."
                ),
            )
            return redirect(_sent_url(form.cleaned_data["email"].strip()))
    else:
        form = EmailForm(initial={"email": request.GET.get("email", "")[:254]})
    email = request.GET.get("email", "")[:254]
    return render(
        request,
        "portal/register_sent.html",
        {"form": form, "email": email, "hours": _hours(settings.CONFIRMATION_TTL)},
    )


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """GET only shows a button: mail scanners that open links must not use up the token."""
    if request.method == "GET":
        # A link already used (or expired) says so at once, not after a button that fails.
        problem = account_selectors.confirmation_link_problem(token)
        if problem is None:
            return render(request, "portal/confirm.html")
        return render(
            request,
            "portal/confirm_invalid.html",
            {"message": ACCOUNT_ERRORS[problem], "code": problem, "form": EmailForm()},
            status=200 if problem == "already_confirmed" else 400,
        )
    try:
        accounts.confirm_email(token)
    except AccountError as exc:
        return render(
            request,
            "portal/confirm_invalid.html",
            {"message": account_error(exc), "code": exc.code, "form": EmailForm()},
            status=400,
        )
    messages.success(request, _("Tài khoản đã được xác nhận. Mời bạn đăng nhập."))
    return redirect("portal:login")


def lockout_warning(request, email: str) -> str:
    """Before the last tries, say that the account is about to be locked and for how long."""
    left = account_selectors.login_attempts_left(request, (email or "").strip().lower())
    if not 0 < left <= 2:
        return ""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return ngettext(
        "Còn %(left)s lần thử: nếu nhập sai mật khẩu thêm %(left)s lần nữa, tài khoản sẽ bị "
        "tạm khóa %(minutes)s phút. Nếu không nhớ mật khẩu, hãy dùng chức năng Quên mật khẩu.",
        "Còn %(left)s lần thử: nếu nhập sai mật khẩu thêm %(left)s lần nữa, tài khoản sẽ bị "
        "tạm khóa %(minutes)s phút. Nếu không nhớ mật khẩu, hãy dùng chức năng Quên mật khẩu.",
        left,
    ) % {"left": left, "minutes": minutes}


@require_http_methods(["GET", "POST"])
def login(request):
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.method == "GET" and request.user.is_authenticated:
        return redirect(next_url or landing_url(request.user))
    form = LoginForm(_posted(request), initial={"next": next_url})
    context = {"form": form, "next": next_url}
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        try:
            user = accounts.check_credentials(request, email, form.cleaned_data["password"])
        except AccountError as exc:
            if exc.code == "locked":
                return lockout_response(request)
            form.add_error(None, account_error(exc))
            if exc.code == "invalid_credentials":
                warning = lockout_warning(request, email)
                if warning:
                    form.add_error(None, warning)
            if exc.code == "unconfirmed":
                context["resend_form"] = EmailForm(initial={"email": email})
        else:
            if accounts.staff_needs_second_factor(user):
                # Not logged in yet: the back office's code page finishes the login.
                request.session.cycle_key()
                request.session["pending_2fa_user_id"] = user.pk
                request.session["pending_2fa_next"] = next_url
                return redirect(reverse("backoffice:otp-verify"))
            auth_login(request, user, backend=MODEL_BACKEND)
            return redirect(next_url or landing_url(user))
    return render(request, "portal/login.html", context)


@require_POST
def logout(request):
    auth_logout(request)
    messages.success(request, _("Bạn đã đăng xuất."))
    return redirect("portal:home")


@require_http_methods(["GET", "POST"])
def password_reset(request):
    form = EmailForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        if not allow_mail(request):
            return _throttled(request)
        accounts.request_password_reset(form.cleaned_data["email"])
        return redirect("portal:password-reset-sent")
    return render(request, "portal/password_reset.html", {"form": form})


def password_reset_sent(request):
    return render(
        request, "portal/password_reset_sent.html", {"hours": _hours(settings.PASSWORD_RESET_TTL)}
    )


@require_http_methods(["GET", "POST"])
def password_reset_confirm(request, token):
    try:
        accounts.check_reset_token(token)
    except AccountError as exc:
        return render(
            request,
            "portal/password_reset_invalid.html",
            {"message": account_error(exc)},
            status=400,
        )
    form = SetPasswordForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            accounts.reset_password(token, form.cleaned_data["password"])
        except ValidationError as exc:
            service_errors(form, exc)
        except AccountError as exc:
            return render(
                request,
                "portal/password_reset_invalid.html",
                {"message": account_error(exc)},
                status=400,
            )
        else:
            messages.success(
                request, _("Mật khẩu đã được đặt lại. Mời bạn đăng nhập bằng mật khẩu mới.")
            )
            return redirect("portal:login")
    return render(request, "portal/password_reset_confirm.html", {"form": form})
