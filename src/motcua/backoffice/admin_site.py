"""The administration site at /quan-tri/, and every model registered on it.

There is one login page for everybody, the portal's; a second password form here would be a
second place to attack and a second place to keep lockout and two-factor rules right. Staff
who must give a second factor are sent to the backoffice's verification step instead.

The ModelAdmin classes live in each domain app's ``admin.py`` and import nothing from the
faces; this module (a face) picks them up and registers them, so imports keep flowing one way.
"""

from urllib.parse import urlencode

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from motcua.accounts.services import staff_needs_second_factor

# Above this many rows an unfiltered changelist shows PostgreSQL's own estimate instead of
# counting; a COUNT(*) over ten million outbox rows takes seconds.
ESTIMATE_ABOVE = 100_000


class EstimatedCountPaginator(Paginator):
    """Counts exactly when filtered (the filters are indexed), estimates the whole table."""

    @cached_property
    def count(self):
        query = getattr(self.object_list, "query", None)
        if connection.vendor == "postgresql" and query is not None and not query.where:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                    [self.object_list.model._meta.db_table],
                )
                row = cursor.fetchone()
            if row and row[0] > ESTIMATE_ABOVE:
                return row[0]
        return super().count


def is_verified(request) -> bool:
    check = getattr(request.user, "is_verified", None)
    return bool(check and check())


class MotCuaAdminSite(admin.AdminSite):
    site_header = "Quản trị hệ thống MotCua"
    site_title = "Quản trị hệ thống MotCua"
    index_title = "Danh mục quản trị"
    site_url = "/"

    def has_permission(self, request):
        user = request.user
        if not (user.is_active and user.is_staff):
            return False
        return is_verified(request) or not staff_needs_second_factor(user)

    def register(self, model_or_iterable, admin_class=None, **options):
        super().register(model_or_iterable, admin_class, **options)
        # Big tables declare themselves with show_full_result_count = False; give them a
        # paginator that does not count millions of rows on every page.
        for model_admin in self._registry.values():
            if not model_admin.show_full_result_count:
                model_admin.paginator = EstimatedCountPaginator

    @method_decorator(never_cache)
    def login(self, request, extra_context=None):
        target = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            target = ""
        target = target or reverse("admin:index", current_app=self.name)
        user = request.user
        if not user.is_authenticated:
            return HttpResponseRedirect(f"{reverse('portal:login')}?{urlencode({'next': target})}")
        if self.has_permission(request):
            return HttpResponseRedirect(target)
        if user.is_active and user.is_staff:
            # Logged in with a password only (before 2FA became mandatory, or before the
            # device was added): finish the second step, then come back.
            request.session["pending_2fa_user_id"] = user.pk
            request.session["pending_2fa_next"] = target
            return HttpResponseRedirect(reverse("backoffice:otp-verify"))
        raise PermissionDenied


admin_site = MotCuaAdminSite(name="admin")


PERMISSION_ACTIONS = {"add": "Thêm", "change": "Sửa", "delete": "Xóa", "view": "Xem"}
# Rights on these mean nothing to an administrator (nobody reaches their rows here, or the
# proxies of accounts stand for them) and Django names them in English.
HIDDEN_PERMISSION_APPS = (
    "admin",
    "axes",
    "captcha",
    "contenttypes",
    "django_tasks_database",
    "otp_totp",
    "sessions",
)


def permission_label(permission) -> str:
    """Django stores "Can add …" in English in the database; say it in Vietnamese."""
    model = permission.content_type.model_class()
    action, _, _ = permission.codename.partition("_")
    if model is None:
        return permission.name
    opts = model._meta
    what = PERMISSION_ACTIONS.get(action, permission.name)
    return f"{opts.app_config.verbose_name} | {opts.verbose_name} | {what}"


class PermissionChoicesMixin:
    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name in ("permissions", "user_permissions") and field is not None:
            field.queryset = field.queryset.exclude(
                content_type__app_label__in=HIDDEN_PERMISSION_APPS
            ).select_related("content_type")
            field.label_from_instance = permission_label
        return field


def vietnamese_boolean_icon(value):
    """Django writes Python's True/False/None as the icon's alt text, in English whatever
    the language; a screen reader would read "True"."""
    from django.templatetags.static import static
    from django.utils.html import format_html
    from django.utils.translation import gettext

    name, text = {True: ("yes", "Yes"), False: ("no", "No"), None: ("unknown", "Unknown")}[value]
    return format_html(
        '<img src="{}" alt="{}">', static(f"admin/img/icon-{name}.svg"), gettext(text)
    )


def _register_all(site: admin.AdminSite) -> None:
    from axes import admin as axes_admin
    from django.contrib.admin.templatetags import admin_list
    from django.contrib.auth.admin import GroupAdmin
    from django.contrib.auth.models import Group

    from motcua.accounts import admin as accounts_admin
    from motcua.accounts.models import (
        LoginFailure,
        LoginFailureCount,
        LoginRecord,
        StaffDevice,
        StaffMembership,
        User,
    )
    from motcua.catalog import admin as catalog_admin
    from motcua.catalog import models as catalog
    from motcua.notifications import admin as notifications_admin
    from motcua.notifications.models import MailboxMessage, OutboundMessage
    from motcua.signing import admin as signing_admin
    from motcua.signing import models as signing
    from motcua.workflow import admin as workflow_admin
    from motcua.workflow.models import Process

    # Every call site looks the function up in this module when it runs.
    admin_list._boolean_icon = vietnamese_boolean_icon

    class LogAdminMixin:
        """Axes logs grow with every login: no date drill-down or distinct-value filters,
        which each scan the whole table, and search only what an administrator asks for."""

        list_per_page = 50
        show_full_result_count = False
        date_hierarchy = None
        ordering = ("-id",)
        search_fields = ("=username", "ip_address")
        search_help_text = "Nhập đúng địa chỉ thư điện tử, hoặc địa chỉ IP."

    class AccessAttemptAdmin(LogAdminMixin, axes_admin.AccessAttemptAdmin):
        list_filter = [f for f in axes_admin.AccessAttemptAdmin.list_filter if f != "path_info"]

    class AccessLogAdmin(LogAdminMixin, axes_admin.AccessLogAdmin):
        list_filter = ("attempt_time", "logout_time")

    class AccessFailureLogAdmin(LogAdminMixin, axes_admin.AccessFailureLogAdmin):
        list_filter = ("attempt_time", "locked_out")

    class StaffDeviceAdmin(admin.ModelAdmin):
        """Nobody but the device's owner ever sees a secret: the owner enrols on
        /can-bo/bao-mat/, an administrator may only look and delete (a lost phone).
        django-otp's fields have no Vietnamese names, hence the labelled columns."""

        list_per_page = 50
        list_display = ("owner", "device_name", "is_confirmed", "created", "last_used")
        list_select_related = ("user",)
        search_fields = ("user__email",)
        search_help_text = "Tìm theo thư điện tử của cán bộ."
        ordering = ("-id",)
        fieldsets = (
            (None, {"fields": ("owner", "device_name", "is_confirmed")}),
            ("Thời gian", {"fields": ("created", "last_used")}),
            ("Chống dò mã", {"fields": ("failed_at", "failures")}),
        )
        readonly_fields = (
            "owner",
            "device_name",
            "is_confirmed",
            "created",
            "last_used",
            "failed_at",
            "failures",
        )

        @admin.display(description="cán bộ", ordering="user__email")
        def owner(self, obj):
            return obj.user

        @admin.display(description="tên thiết bị")
        def device_name(self, obj):
            return obj.name

        @admin.display(description="đã xác nhận", boolean=True)
        def is_confirmed(self, obj):
            return obj.confirmed

        @admin.display(description="tạo lúc", ordering="created_at")
        def created(self, obj):
            return obj.created_at or self.get_empty_value_display()

        # A callable's None would be printed "None" on the change page.
        @admin.display(description="dùng gần nhất lúc")
        def last_used(self, obj):
            return obj.last_used_at or self.get_empty_value_display()

        @admin.display(description="lần nhập sai gần nhất")
        def failed_at(self, obj):
            return obj.throttling_failure_timestamp or self.get_empty_value_display()

        @admin.display(description="số lần nhập sai liên tiếp")
        def failures(self, obj):
            return obj.throttling_failure_count

        def has_add_permission(self, request):
            return False

        def has_change_permission(self, request, obj=None):
            return False

    class VietnameseGroupAdmin(PermissionChoicesMixin, GroupAdmin):
        pass

    class UserAdmin(PermissionChoicesMixin, accounts_admin.UserAdmin):
        pass

    site.register(Group, VietnameseGroupAdmin)
    site.register(User, UserAdmin)
    site.register(StaffMembership, accounts_admin.StaffMembershipAdmin)
    site.register(catalog.Agency, catalog_admin.AgencyAdmin)
    site.register(catalog.AdministrativeUnit, catalog_admin.AdministrativeUnitAdmin)
    site.register(catalog.Field, catalog_admin.FieldAdmin)
    site.register(catalog.Procedure, catalog_admin.ProcedureAdmin)
    site.register(catalog.ProcedureVersion, catalog_admin.ProcedureVersionAdmin)
    site.register(catalog.SearchSynonym, catalog_admin.SearchSynonymAdmin)
    site.register(OutboundMessage, notifications_admin.OutboundMessageAdmin)
    site.register(MailboxMessage, notifications_admin.MailboxMessageAdmin)
    site.register(LoginFailureCount, AccessAttemptAdmin)
    site.register(LoginRecord, AccessLogAdmin)
    site.register(LoginFailure, AccessFailureLogAdmin)
    site.register(StaffDevice, StaffDeviceAdmin)
    site.register(Process, workflow_admin.ProcessAdmin)
    site.register(signing.SignerCertificate, signing_admin.SignerCertificateAdmin)
    site.register(signing.TrustedAuthority, signing_admin.TrustedAuthorityAdmin)
    site.register(signing.SignedResult, signing_admin.SignedResultAdmin)

    from motcua.workcalendar import admin as calendar_admin
    from motcua.workcalendar.models import DayOverride, WorkingPeriod

    site.register(WorkingPeriod, calendar_admin.WorkingPeriodAdmin)
    site.register(DayOverride, calendar_admin.DayOverrideAdmin)


_register_all(admin_site)
