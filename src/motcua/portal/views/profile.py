"""Trang cá nhân: the account, its details and password, and the list of transactions."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from motcua.accounts import services as accounts
from motcua.portal.forms import ChangePasswordForm, ProfileForm, service_errors
from motcua.portal.views.dossiers import recent_dossiers


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    user = request.user
    action = request.POST.get("action") if request.method == "POST" else None
    profile_form = ProfileForm(request.POST if action == "profile" else None, user=user)
    password_form = ChangePasswordForm(request.POST if action == "password" else None)
    if action == "profile" and profile_form.is_valid():
        try:
            accounts.update_profile(user, profile_form.update())
        except ValidationError as exc:
            service_errors(profile_form, exc)
        else:
            messages.success(request, _("Đã lưu thông tin tài khoản."))
            return redirect("portal:profile")
    elif action == "password" and password_form.is_valid():
        data = password_form.cleaned_data
        try:
            accounts.change_password(user, data["old_password"], data["new_password"])
        except ValidationError as exc:
            service_errors(password_form, exc)
        else:
            # Keep this session signed in; a password change logs out every other session.
            update_session_auth_hash(request, user)
            messages.success(request, _("Đã đổi mật khẩu."))
            return redirect("portal:profile")
    return render(
        request,
        "portal/profile.html",
        {
            "account": user,
            "profile_form": profile_form,
            "password_form": password_form,
            "has_errors": bool(profile_form.errors or password_form.errors),
            **recent_dossiers(user),
        },
    )
