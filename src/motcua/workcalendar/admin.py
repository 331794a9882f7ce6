"""The calendar's configuration in the admin (registered by ``backoffice.admin_site``).

The province administrator keeps the working periods and the year's days off and make-up
days here; the public holidays of the ``holidays`` package need no row, and a row on the
same date corrects them.
"""

from django.contrib import admin


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
        return queryset.filter(date__year=int(self.value())) if self.value() else queryset


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
