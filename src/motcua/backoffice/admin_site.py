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


def _register_all(site: admin.AdminSite) -> None:
    from axes import admin as axes_admin
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.auth.admin import GroupAdmin
    from django.contrib.auth.models import Group
    from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from motcua.accounts import admin as accounts_admin
    from motcua.accounts.models import StaffMembership, User
    from motcua.catalog import admin as catalog_admin
    from motcua.catalog import models as catalog
    from motcua.notifications import admin as notifications_admin
    from motcua.notifications.models import MailboxMessage, OutboundMessage

    class LogAdminMixin:
        """Axes logs grow with every login: no date drill-down or distinct-value filters,
        which each scan the whole table, and search only what an administrator asks for."""

        list_per_page = 50
        show_full_result_count = False
        date_hierarchy = None
        ordering = ("-id",)
        search_fields = ("=username", "ip_address")

    class AccessAttemptAdmin(LogAdminMixin, axes_admin.AccessAttemptAdmin):
        list_filter = [f for f in axes_admin.AccessAttemptAdmin.list_filter if f != "path_info"]

    class AccessLogAdmin(LogAdminMixin, axes_admin.AccessLogAdmin):
        list_filter = ("attempt_time", "logout_time")

    class AccessFailureLogAdmin(LogAdminMixin, axes_admin.AccessFailureLogAdmin):
        list_filter = ("attempt_time", "locked_out")

    class StaffTOTPDeviceAdmin(TOTPDeviceAdmin):
        """Nobody but the device's owner ever sees a secret: the owner enrols on
        /can-bo/bao-mat/, an administrator may only look and delete (a lost phone)."""

        list_per_page = 50
        list_display = ("user", "name", "confirmed", "created_at", "last_used_at")
        list_select_related = ("user",)
        fieldsets = (
            (None, {"fields": ("user", "name", "confirmed")}),
            ("Thời gian", {"fields": ("created_at", "last_used_at")}),
            (
                "Chống dò mã",
                {"fields": ("throttling_failure_timestamp", "throttling_failure_count")},
            ),
        )
        readonly_fields = (
            "user",
            "name",
            "created_at",
            "last_used_at",
            "throttling_failure_timestamp",
            "throttling_failure_count",
        )

        def get_list_display(self, request):
            return self.list_display

        def get_fieldsets(self, request, obj=None):
            return self.fieldsets

        def has_add_permission(self, request):
            return False

        def config_view(self, request, pk):
            raise PermissionDenied

        def qrcode_view(self, request, pk):
            raise PermissionDenied

    site.register(Group, GroupAdmin)
    site.register(User, accounts_admin.UserAdmin)
    site.register(StaffMembership, accounts_admin.StaffMembershipAdmin)
    site.register(catalog.Agency, catalog_admin.AgencyAdmin)
    site.register(catalog.AdministrativeUnit, catalog_admin.AdministrativeUnitAdmin)
    site.register(catalog.Field, catalog_admin.FieldAdmin)
    site.register(catalog.Procedure, catalog_admin.ProcedureAdmin)
    site.register(catalog.ProcedureVersion, catalog_admin.ProcedureVersionAdmin)
    site.register(catalog.SearchSynonym, catalog_admin.SearchSynonymAdmin)
    site.register(OutboundMessage, notifications_admin.OutboundMessageAdmin)
    site.register(MailboxMessage, notifications_admin.MailboxMessageAdmin)
    site.register(AccessAttempt, AccessAttemptAdmin)
    site.register(AccessLog, AccessLogAdmin)
    site.register(AccessFailureLog, AccessFailureLogAdmin)
    site.register(TOTPDevice, StaffTOTPDeviceAdmin)


_register_all(admin_site)
