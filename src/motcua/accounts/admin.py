"""Administration of accounts and staff roles (registered by ``backoffice.admin_site``).

The user table reaches millions of citizens, so the list never orders or filters on an
unindexed column and never counts the whole table twice.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import admin as auth_admin
from django.contrib.auth.forms import AdminUserCreationForm
from django.contrib.auth.forms import UserChangeForm as BaseUserChangeForm
from django.core.exceptions import ValidationError
from django.utils import timezone

from motcua.accounts import services
from motcua.accounts.models import StaffMembership, User


def _clean_email(form) -> str:
    email = (form.cleaned_data.get("email") or "").strip().lower()
    others = User.objects.filter(email=email)
    if form.instance.pk:
        others = others.exclude(pk=form.instance.pk)
    if others.exists():
        raise ValidationError("Địa chỉ thư điện tử này đã có tài khoản.")
    return email


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name", "kind")

    def clean_email(self):
        # The login lower-cases what people type, so stored addresses must be lower case.
        return _clean_email(self)


class UserChangeForm(BaseUserChangeForm):
    class Meta:
        model = User
        fields = "__all__"

    def clean_email(self):
        return _clean_email(self)


class ConfirmedFilter(admin.SimpleListFilter):
    title = "xác nhận thư điện tử"
    parameter_name = "xac_nhan"

    def lookups(self, request, model_admin):
        return (("yes", "Đã xác nhận"), ("no", "Chưa xác nhận"))

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(email_confirmed_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(email_confirmed_at__isnull=True)
        return queryset


class StaffMembershipForm(forms.ModelForm):
    class Meta:
        model = StaffMembership
        fields = ("user", "agency", "role", "valid_from", "valid_to")

    def clean(self):
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", "Ngày kết thúc phải sau ngày bắt đầu.")
        return data


class MembershipInline(admin.TabularInline):
    model = StaffMembership
    form = StaffMembershipForm
    extra = 0
    autocomplete_fields = ("agency",)
    fields = ("agency", "role", "valid_from", "valid_to")


class UserAdmin(auth_admin.UserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    list_display = ("email", "full_name", "kind", "confirmed", "is_active", "date_joined")
    list_filter = ("kind", "is_active", ConfirmedFilter)
    search_fields = ("email", "full_name", "=id_number", "=tax_code")
    search_help_text = "Tìm theo thư điện tử, họ tên, số định danh hoặc mã số thuế."
    # The primary key follows registration order and needs no extra index to sort.
    ordering = ("-id",)
    list_per_page = 50
    show_full_result_count = False
    inlines = (MembershipInline,)
    readonly_fields = ("last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            "Thông tin cá nhân",
            {
                "fields": (
                    "full_name",
                    "kind",
                    "phone",
                    "id_number",
                    "tax_code",
                    "organisation_name",
                    "address",
                )
            },
        ),
        ("Trạng thái", {"fields": ("email_confirmed_at", "is_active")}),
        ("Quyền quản trị", {"fields": ("is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Mốc thời gian", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "full_name",
                    "kind",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    actions = ("lock_accounts",)

    @admin.display(description="đã xác nhận", boolean=True, ordering="email_confirmed_at")
    def confirmed(self, obj):
        return obj.is_confirmed

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if not request.user.is_superuser:
            # Whoever may edit accounts must not be able to raise their own privileges.
            fields = (*fields, "is_staff", "is_superuser", "groups", "user_permissions")
        return fields

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else ()

    def save_model(self, request, obj, form, change):
        if not change and obj.email_confirmed_at is None:
            # An administrator types the address of someone they know; no e-mail round trip.
            obj.email_confirmed_at = timezone.now()
        super().save_model(request, obj, form, change)

    @admin.action(description="Khóa tài khoản", permissions=["change"])
    def lock_accounts(self, request, queryset):
        locked = services.lock_accounts(list(queryset), actor=request.user)
        if locked:
            LogEntry.objects.log_actions(
                user_id=request.user.pk,
                queryset=locked,
                action_flag=CHANGE,
                change_message="Khóa tài khoản",
            )
        skipped = queryset.count() - len(locked)
        self.message_user(request, f"Đã khóa {len(locked)} tài khoản.", messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                f"{skipped} tài khoản không bị thay đổi (đã khóa sẵn, là tài khoản của bạn "
                "hoặc là quản trị cấp cao).",
                messages.WARNING,
            )


class StaffMembershipAdmin(admin.ModelAdmin):
    form = StaffMembershipForm
    list_display = ("user", "agency", "role", "valid_from", "valid_to")
    list_filter = ("role",)
    list_select_related = ("user", "agency")
    search_fields = ("user__email", "user__full_name", "agency__code", "agency__name")
    autocomplete_fields = ("user", "agency")
    ordering = ("-id",)
    list_per_page = 50
