"""The calendar's configuration in the admin (registered by ``backoffice.admin_site``).

The province administrator keeps the working periods and the year's days off and make-up
days here; the public holidays of the ``holidays`` package need no row, and a row on the
same date corrects them.
"""

from django.contrib import admin
from django.utils import timezone

from motcua.workcalendar.selectors import special_days


class WorkingPeriodAdmin(admin.ModelAdmin):
    list_display = ("agency_label", "weekday", "start", "end")
    list_filter = ("weekday",)
    list_select_related = ("agency",)
    autocomplete_fields = ("agency",)
    list_per_page = 50

    @admin.display(description="cơ quan", ordering="agency__name")
    def agency_label(self, obj):
        return obj.agency or "Toàn tỉnh"


class YearFilter(admin.SimpleListFilter):
    title = "năm"
    parameter_name = "nam"

    def lookups(self, request, model_admin):
        dates = model_admin.get_queryset(request).dates("date", "year", order="DESC")
        return [(str(d.year), str(d.year)) for d in dates]

    def queryset(self, request, queryset):
        # A year typed by hand into the address may be anything: ignore what is not one.
        value = self.value() or ""
        return queryset.filter(date__year=int(value)) if value.isdigit() else queryset


class DayOverrideAdmin(admin.ModelAdmin):
    list_display = ("date", "kind", "name", "agency_label", "legal_basis")
    list_filter = (YearFilter, "kind")
    list_select_related = ("agency",)
    autocomplete_fields = ("agency",)
    search_fields = ("name",)
    date_hierarchy = "date"
    list_per_page = 50

    @admin.display(description="cơ quan", ordering="agency__name")
    def agency_label(self, obj):
        return obj.agency or "Toàn tỉnh"

    def changelist_view(self, request, extra_context=None):
        # The year being looked at, so that the package's days appear next to the overrides.
        year = request.GET.get(YearFilter.parameter_name, "")
        year = (
            int(year) if year.isdigit() and 1900 < int(year) < 2200 else timezone.localdate().year
        )
        extra = {"special_year": year, "special_days": special_days(year)}
        return super().changelist_view(request, {**(extra_context or {}), **extra})
