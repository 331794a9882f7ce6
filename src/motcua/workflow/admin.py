"""Administration of processes for province administrators (registered by
``backoffice.admin_site``). A draft is edited here; "Công bố" checks it and puts it in
force; a published version is read-only and changed by starting a new version."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from motcua.accounts.models import Role
from motcua.workflow import diagram, services
from motcua.workflow.models import Action, Step
from motcua.workflow.validation import process_problems


class ActionForm(forms.ModelForm):
    roles = forms.MultipleChoiceField(
        label="Vai trò được thực hiện",
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Action
        fields = (
            "code",
            "name",
            "from_step",
            "to_step",
            "roles",
            "requires_paid",
            "once_per_dossier",
            "clock",
            "form",
            "sets_status",
        )


class StepInline(admin.TabularInline):
    model = Step
    extra = 0
    fields = (
        "position",
        "code",
        "name",
        "role",
        "agency",
        "department",
        "hours",
        "counts_toward_deadline",
        "is_start",
        "is_end",
    )
    autocomplete_fields = ("agency",)

    def has_change_permission(self, request, obj=None):
        return (obj is None or obj.editable) and super().has_change_permission(request, obj)

    has_add_permission = has_delete_permission = has_change_permission


class ActionInline(admin.StackedInline):
    model = Action
    form = ActionForm
    extra = 0
    fk_name = "process"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in ("from_step", "to_step"):
            process_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Step.objects.filter(process_id=process_id or 0)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        return (obj is None or obj.editable) and super().has_change_permission(request, obj)

    has_add_permission = has_delete_permission = has_change_permission


@admin.action(description="Công bố các quy trình đã chọn")
def publish(modeladmin, request, queryset):
    for process in queryset:
        try:
            services.publish(process, by=request.user)
        except ValidationError as exc:
            modeladmin.message_user(
                request, f"Chưa công bố được «{process}»: {' '.join(exc.messages)}", messages.ERROR
            )
        else:
            modeladmin.message_user(request, f"Đã công bố «{process}».", messages.SUCCESS)


@admin.action(description="Tạo phiên bản mới để sửa")
def new_version(modeladmin, request, queryset):
    for process in queryset:
        copy = services.new_version(process)
        modeladmin.message_user(request, f"Đã tạo bản nháp «{copy}».", messages.SUCCESS)


class ProcessAdmin(admin.ModelAdmin):
    list_display = ("name", "procedure", "case", "number", "state", "published_at")
    list_filter = ("state",)
    list_select_related = ("procedure",)
    search_fields = ("=procedure__code", "name")
    search_help_text = "Tìm theo mã thủ tục (đúng mã) hoặc tên quy trình."
    autocomplete_fields = ("procedure",)
    list_per_page = 50
    actions = (publish, new_version)
    inlines = (StepInline, ActionInline)
    readonly_fields = ("state", "published_at", "published_by", "checks", "drawing")
    fields = (
        "procedure",
        "case",
        "number",
        "name",
        "decision",
        "state",
        "published_at",
        "published_by",
        "checks",
        "drawing",
    )

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not obj.editable:
            return [*self.fields]
        return self.readonly_fields

    @admin.display(description="Kiểm tra quy trình")
    def checks(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        found = process_problems(obj)
        if not found:
            return "Hợp lệ: có một bước bắt đầu, mọi bước đều tới được và đều dẫn tới kết thúc."
        return format_html(
            "<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((p.message,) for p in found))
        )

    @admin.display(description="Sơ đồ quy trình")
    def drawing(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        # Every text in the drawing is escaped in ``diagram.svg``.
        return mark_safe(f'<div style="overflow-x:auto">{diagram.svg(obj)}</div>')  # noqa: S308

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        found = process_problems(form.instance)
        if found:
            self.message_user(
                request,
                "Quy trình đã lưu nhưng chưa công bố được: " + " ".join(p.message for p in found),
                messages.WARNING,
            )
