"""Administration of the catalogue (registered by ``backoffice.admin_site``).

Searches fold the query with ``core.text.fold`` like the portal does, so an administrator
typing without diacritics finds what a citizen would. Import and export go through
``catalog.services`` and the ``motcua.catalog/1`` format (docs/catalogue-format.md), the
same path as ``motcua import-catalogue``.
"""

import datetime as dt
import json
import logging

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Q, Subquery
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from motcua.catalog import exchange
from motcua.catalog.models import Agency, Component, DeliveryMethod, FeeItem, ProcedureVersion
from motcua.catalog.services import (
    delivery_error,
    export_catalogue,
    import_catalogue,
    overlapping_version,
    refresh_fee_total,
    save_version,
)
from motcua.core.codes import is_agency_code
from motcua.core.text import words

MAX_UPLOAD = 20 * 1024 * 1024
# Multipart boundaries, part headers and the CSRF token around the file itself.
MULTIPART_SLACK = 64 * 1024
TOO_LARGE = "Tệp lớn hơn 20 MB. Hãy chia danh mục thành nhiều tệp nhỏ hơn."
logger = logging.getLogger(__name__)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def folded_search(queryset, term, *, folded: str, codes: tuple[str, ...] = ()):
    """Rows whose folded text contains every word of ``term``, or whose code starts with it."""
    term = (term or "").strip()
    if not term:
        return queryset
    match = Q()
    for word in words(term):
        match &= Q(**{f"{folded}__contains": word})
    for code in codes:
        match |= Q(**{f"{code}__startswith": term.upper()})
    return queryset.filter(match) if match else queryset.none()


def money(amount: int) -> str:
    return f"{amount:,} ₫".replace(",", ".")


class FoldedSearchMixin:
    """``search_fields`` keeps the search box and autocomplete on; the lookup is ours."""

    folded_field = "name_folded"
    code_fields: tuple[str, ...] = ("code",)

    def get_search_results(self, request, queryset, search_term):
        return folded_search(
            queryset, search_term, folded=self.folded_field, codes=self.code_fields
        ), False


class ValidityFilter(admin.SimpleListFilter):
    title = "hiệu lực"
    parameter_name = "hieu_luc"

    def lookups(self, request, model_admin):
        return (
            ("current", "Đang áp dụng"),
            ("future", "Sắp áp dụng"),
            ("ended", "Đã hết hiệu lực"),
        )

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "current":
            return queryset.filter(
                Q(valid_from__isnull=True) | Q(valid_from__lte=today),
                Q(valid_to__isnull=True) | Q(valid_to__gte=today),
            )
        if self.value() == "future":
            return queryset.filter(valid_from__gt=today)
        if self.value() == "ended":
            return queryset.filter(valid_to__lt=today)
        return queryset


# --- agencies, units, fields -------------------------------------------------------------


class AgencyForm(forms.ModelForm):
    website = forms.URLField(label="trang thông tin", required=False, assume_scheme="https")

    class Meta:
        model = Agency
        fields = (
            "code",
            "code_qcvn102",
            "name",
            "short_name",
            "kind",
            "parent",
            "admin_unit",
            "address",
            "phone",
            "email",
            "hotline",
            "website",
            "valid_from",
            "valid_to",
            "predecessors",
        )

    def clean(self):
        data = super().clean()
        code, kind, parent = data.get("code", ""), data.get("kind"), data.get("parent")
        if code:
            data["code"] = code = code.strip().upper()
            if kind != Agency.Kind.LEVEL_GROUP and not is_agency_code(code):
                self.add_error(
                    "code",
                    "Không phải mã định danh điện tử hợp lệ "
                    "(QCVN 102: 000.00.13.H48 hoặc QĐ 20/2020: H48.13).",
                )
        if data.get("code_qcvn102") and not is_agency_code(data["code_qcvn102"]):
            self.add_error("code_qcvn102", "Không đúng định dạng QCVN 102 (000.00.00.H48).")
        start, end = data.get("valid_from"), data.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", "Ngày ngừng hoạt động phải sau ngày bắt đầu.")
        if parent is not None and self.instance.pk:
            node, seen = parent, set()
            while node is not None and node.pk not in seen:
                if node.pk == self.instance.pk:
                    self.add_error("parent", "Cơ quan cấp trên này tạo vòng lặp trong cây cơ quan.")
                    break
                seen.add(node.pk)
                node = node.parent
        return data


class AgencyAdmin(FoldedSearchMixin, admin.ModelAdmin):
    form = AgencyForm
    list_display = ("name", "code", "code_qcvn102", "parent", "kind", "valid_from", "valid_to")
    list_filter = ("kind", ValidityFilter)
    list_select_related = ("parent",)
    search_fields = ("name_folded", "code")
    search_help_text = "Tìm theo tên (có hoặc không dấu) hoặc mã định danh."
    code_fields = ("code", "code_qcvn102")
    autocomplete_fields = ("parent", "admin_unit")
    filter_horizontal = ("predecessors",)
    # Identifiers are hierarchical (H48, H48.13, H48.13.01), so code order is tree order.
    ordering = ("code",)
    list_per_page = 50

    def get_list_display(self, request):
        parents = None

        @admin.display(description="tên cơ quan", ordering="name")
        def tree_name(obj):
            # One small query per page for the whole tree beats one query per ancestor.
            nonlocal parents
            if parents is None:
                parents = dict(Agency.objects.values_list("pk", "parent_id"))
            depth, node, seen = 0, parents.get(obj.pk), set()
            while node is not None and node not in seen:
                seen.add(node)
                depth += 1
                node = parents.get(node)
            return format_html("{}{}", "— " * depth, obj.name)

        return (tree_name, *self.list_display[1:])


class AdministrativeUnitAdmin(FoldedSearchMixin, admin.ModelAdmin):
    """Copied from the national list by ``motcua load-admin-units``; not edited by hand."""

    list_display = ("code", "name", "level", "parent", "valid_from", "valid_to")
    list_filter = ("level",)
    list_select_related = ("parent",)
    search_fields = ("name_folded", "code")
    ordering = ("code",)
    list_per_page = 50

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class FieldAdmin(FoldedSearchMixin, admin.ModelAdmin):
    list_display = ("name", "code")
    search_fields = ("name_folded", "code")
    ordering = ("name",)
    list_per_page = 50


class SearchSynonymAdmin(admin.ModelAdmin):
    """What citizens type and what it means in the catalogue. A save or a delete takes
    effect in search at once (``catalog.signals`` bumps the catalogue generation)."""

    list_display = ("phrase", "meaning_shown")
    search_fields = ("phrase_folded", "meaning_folded")
    ordering = ("phrase_folded", "meaning_folded")
    list_per_page = 50

    @admin.display(description="nghĩa là", ordering="meaning_folded")
    def meaning_shown(self, obj):
        return obj.meaning or "(từ đệm, bỏ qua khi tìm)"

    def get_search_results(self, request, queryset, search_term):
        match = Q()
        for word in words(search_term):
            match &= Q(phrase_folded__contains=word) | Q(meaning_folded__contains=word)
        return queryset.filter(match), False


# --- procedures --------------------------------------------------------------------------


class VersionLinkInline(admin.TabularInline):
    model = ProcedureVersion
    fields = ("valid_from", "valid_to", "name", "agency", "level")
    readonly_fields = fields
    show_change_link = True
    extra = 0
    can_delete = False
    ordering = ("-valid_from",)

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("agency", "procedure")


class ProcedureAdmin(admin.ModelAdmin):
    list_display = ("code", "current_name", "created_at")
    search_fields = ("code",)
    search_help_text = "Tìm theo mã thủ tục hoặc tên (có hoặc không dấu)."
    ordering = ("code",)
    inlines = (VersionLinkInline,)
    list_per_page = 50

    def get_queryset(self, request):
        latest = ProcedureVersion.objects.filter(procedure=OuterRef("pk")).order_by("-valid_from")
        return (
            super().get_queryset(request).annotate(latest_name=Subquery(latest.values("name")[:1]))
        )

    @admin.display(description="tên (phiên bản mới nhất)")
    def current_name(self, obj):
        return obj.latest_name

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        versions = folded_search(
            ProcedureVersion.objects.filter(procedure=OuterRef("pk")), term, folded="search_text"
        )
        return queryset.filter(Q(code__startswith=term) | Q(Exists(versions))), False


class ComponentForm(forms.ModelForm):
    template_url = forms.URLField(
        label="địa chỉ tải mẫu đơn, tờ khai", required=False, max_length=500, assume_scheme="https"
    )
    allowed_types = forms.CharField(
        label="định dạng cho phép",
        initial=", ".join(exchange.DEFAULT_TYPES),
        help_text="Cách nhau bởi dấu phẩy, trong số: " + ", ".join(sorted(exchange.FILE_TYPES)),
    )

    class Meta:
        model = Component
        fields = (
            "position",
            "name",
            "required",
            "multiple",
            "copy_type",
            "originals",
            "copies",
            "allowed_types",
            "max_size",
            "code",
            "template_name",
            "template_file",
            "template_url",
            "description",
        )
        widgets = {
            "name": forms.TextInput(attrs={"size": 40}),
            "description": forms.Textarea(attrs={"rows": 2, "cols": 30}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["allowed_types"] = ", ".join(self.instance.allowed_types)

    def clean_allowed_types(self):
        types = [
            t.strip().lower() for t in self.cleaned_data["allowed_types"].split(",") if t.strip()
        ]
        unknown = [t for t in types if t not in exchange.FILE_TYPES]
        if unknown or not types:
            raise ValidationError(
                "Chỉ dùng các định dạng: " + ", ".join(sorted(exchange.FILE_TYPES)) + "."
            )
        return types

    def clean_max_size(self):
        size = self.cleaned_data["max_size"]
        if not 1024 <= size <= exchange.MAX_SIZE_LIMIT:
            raise ValidationError(
                f"Dung lượng phải từ 1024 đến {exchange.MAX_SIZE_LIMIT} byte (50 MB)."
            )
        return size


class ComponentInline(admin.StackedInline):
    """Stacked: twelve columns side by side made the page 2,500 px wide on a laptop."""

    model = Component
    form = ComponentForm
    ordering = ("position", "id")
    extra = 0


class FeeItemForm(forms.ModelForm):
    class Meta:
        model = FeeItem
        fields = ("position", "kind", "name", "amount", "unit", "legal_basis")

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount is not None and amount < 0:
            raise ValidationError("Mức thu không được âm.")
        return amount


class FeeItemInline(admin.StackedInline):
    model = FeeItem
    form = FeeItemForm
    ordering = ("position", "id")
    extra = 0


def _parse_legal_basis(text: str) -> list[dict]:
    """One document per line, ``number | title | date``, as in the Excel exchange sheet."""
    items = []
    for n, line in enumerate((text or "").splitlines(), 1):
        parts = [p.strip() for p in line.split("|")]
        if not any(parts):
            continue
        number, title, date = (parts + ["", "", ""])[:3]
        if not (number or title):
            raise ValidationError(f"Dòng {n}: cần số hiệu hoặc tên văn bản.")
        if date:
            try:
                date = (
                    dt.datetime.strptime(date, "%d/%m/%Y").date()
                    if "/" in date
                    else dt.date.fromisoformat(date)
                ).isoformat()
            except ValueError:
                raise ValidationError(f"Dòng {n}: ngày «{date}» phải viết dd/mm/yyyy.") from None
        items.append({"number": number, "title": title, "date": date})
    return items


VERSION_FIELDSETS = (
    ("Thủ tục", {"fields": ("procedure", "name", "agency", "field", "competence_level", "level")}),
    (
        "Hiệu lực",
        {"fields": ("valid_from", "valid_to", "publication_decision", "publication_date")},
    ),
    (
        "Thời hạn giải quyết",
        {
            "fields": (
                "time_limit_value",
                "time_limit_unit",
                "time_limit_online",
                "no_appointment",
            )
        },
    ),
    (
        "Nội dung",
        {
            "fields": (
                "applicants",
                "sequence",
                "methods",
                "requirements",
                "result_name",
                "result_code",
                "legal_basis",
            )
        },
    ),
    (
        "Tiếp nhận và trả kết quả",
        {
            "fields": (
                "delivery_methods",
                "boundary_free",
                "postal_allowed",
                "authorisation_allowed",
                "signed_result_required",
            )
        },
    ),
    ("Nội bộ", {"fields": ("notes", "fee_total", "search_text")}),
)
VERSION_READONLY = ("fee_total", "search_text")


class ProcedureVersionForm(forms.ModelForm):
    delivery_methods = forms.MultipleChoiceField(
        label="hình thức nhận kết quả",
        choices=DeliveryMethod.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Chọn ít nhất một hình thức nhận kết quả."},
    )
    legal_basis = forms.CharField(
        label="căn cứ pháp lý",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Mỗi dòng một văn bản: số hiệu | tên văn bản | ngày ban hành (dd/mm/yyyy).",
    )

    class Meta:
        model = ProcedureVersion
        fields = tuple(
            f for _, opts in VERSION_FIELDSETS for f in opts["fields"] if f not in VERSION_READONLY
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["legal_basis"] = "\n".join(
                " | ".join((b.get("number", ""), b.get("title", ""), _dmy(b.get("date", ""))))
                for b in self.instance.legal_basis
            )

    def clean_legal_basis(self):
        return _parse_legal_basis(self.cleaned_data["legal_basis"])

    def clean(self):
        data = super().clean()
        procedure, start, end = data.get("procedure"), data.get("valid_from"), data.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", "Ngày kết thúc phải sau ngày bắt đầu áp dụng.")
        elif procedure and start:
            self._check_overlap(procedure, start, end)
        problem = delivery_error(data.get("level"), data.get("delivery_methods") or [])
        if problem:
            self.add_error("delivery_methods", problem)
        return data

    def _check_overlap(self, procedure, start, end):
        other = overlapping_version(procedure, start, end, exclude_pk=self.instance.pk)
        if other is not None:
            until = (
                f"đến hết {other.valid_to:%d/%m/%Y}" if other.valid_to else "chưa có ngày kết thúc"
            )
            raise ValidationError(
                f"Thủ tục {procedure.code} đã có phiên bản áp dụng từ {other.valid_from:%d/%m/%Y} "
                f"({until}) trùng thời gian với phiên bản này. Hãy đặt ngày kết thúc cho phiên bản "
                "trước hoặc chọn khoảng thời gian khác."
            )


def _dmy(iso: str) -> str:
    try:
        return dt.date.fromisoformat(iso).strftime("%d/%m/%Y")
    except (TypeError, ValueError):
        return iso or ""


class CatalogueImportForm(forms.Form):
    document = forms.FileField(
        label="Tệp danh mục (.json hoặc .xlsx)",
        help_text="Định dạng motcua.catalog/1, tối đa 20 MB.",
    )

    def clean_document(self):
        upload = self.cleaned_data["document"]
        if upload.size > MAX_UPLOAD:
            raise ValidationError(TOO_LARGE)
        if not upload.name.lower().endswith((".json", ".xlsx")):
            raise ValidationError("Chỉ nhận tệp .json hoặc .xlsx.")
        return upload


def _download(doc: dict, fmt: str) -> HttpResponse:
    stamp = timezone.localdate().strftime("%Y%m%d")
    if fmt == "xlsx":
        response = HttpResponse(exchange.to_excel(doc), content_type=XLSX_TYPE)
    else:
        fmt = "json"
        response = HttpResponse(
            json.dumps(doc, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
    response["Content-Disposition"] = f'attachment; filename="danh-muc-thu-tuc-{stamp}.{fmt}"'
    return response


class ProcedureVersionAdmin(admin.ModelAdmin):
    form = ProcedureVersionForm
    list_display = (
        "procedure",
        "name",
        "agency",
        "field",
        "level",
        "valid_from",
        "valid_to",
        "fee",
    )
    list_display_links = ("procedure", "name")
    list_filter = (
        ValidityFilter,
        ("agency", admin.RelatedOnlyFieldListFilter),
        ("field", admin.RelatedOnlyFieldListFilter),
        "level",
    )
    list_select_related = ("procedure", "agency", "field")
    search_fields = ("procedure__code",)
    search_help_text = "Tìm theo mã hoặc tên thủ tục (có hoặc không dấu)."
    autocomplete_fields = ("procedure", "agency", "field")
    fieldsets = VERSION_FIELDSETS
    readonly_fields = VERSION_READONLY
    ordering = ("procedure__code", "-valid_from")
    inlines = (ComponentInline, FeeItemInline)
    actions = ("export_json", "export_excel")
    list_per_page = 50

    @admin.display(description="phí, lệ phí", ordering="fee_total")
    def fee(self, obj):
        return money(obj.fee_total)

    def get_search_results(self, request, queryset, search_term):
        return folded_search(
            queryset, search_term, folded="search_text", codes=("procedure__code",)
        ), False

    def save_model(self, request, obj, form, change):
        save_version(obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        refresh_fee_total(form.instance)

    @admin.action(description="Xuất JSON", permissions=["view"])
    def export_json(self, request, queryset):
        return _download(export_catalogue(queryset), "json")

    @admin.action(description="Xuất Excel", permissions=["view"])
    def export_excel(self, request, queryset):
        return _download(export_catalogue(queryset), "xlsx")

    def get_urls(self):
        opts = self.model._meta
        name = f"{opts.app_label}_{opts.model_name}"
        return [
            path(
                "nhap/",
                self.admin_site.admin_view(csrf_exempt(self.import_view)),
                name=f"{name}_import",
            ),
            path("xuat/", self.admin_site.admin_view(self.export_view), name=f"{name}_export"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra = {"can_import": self._can_import(request), **(extra_context or {})}
        return super().changelist_view(request, extra)

    def _can_import(self, request) -> bool:
        return self.has_add_permission(request) and self.has_change_permission(request)

    def export_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return _download(export_catalogue(), request.GET.get("format", "json"))

    def import_view(self, request):
        # Exempt from the CSRF middleware only so that it does not read a huge body before
        # the size is checked; the form itself is CSRF-protected below.
        if not self._can_import(request):
            raise PermissionDenied
        if (
            request.method == "POST"
            and int(request.META.get("CONTENT_LENGTH") or 0) > MAX_UPLOAD + MULTIPART_SLACK
        ):
            return self._import_page(request, CatalogueImportForm(), [TOO_LARGE], status=413)
        return csrf_protect(self._import_form)(request)

    def _import_form(self, request):
        if request.method != "POST":
            return self._import_page(request, CatalogueImportForm(), [])
        form = CatalogueImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._import_page(request, form, [])
        upload = form.cleaned_data["document"]
        try:
            report = import_catalogue(exchange.read_document(upload.name, upload.read()))
        except exchange.CatalogueError as exc:
            return self._import_page(request, form, exc.errors)
        logger.info(
            "Catalogue imported by %s from %s: %s",
            request.user.email,
            upload.name,
            report.summary(),
        )
        self.message_user(
            request, f"Đã nhập tệp «{upload.name}»: {report.summary()}.", messages.SUCCESS
        )
        return HttpResponseRedirect(
            reverse(f"{self.admin_site.name}:catalog_procedureversion_changelist")
        )

    def _import_page(self, request, form, errors, status=200):
        context = {
            **self.admin_site.each_context(request),
            "title": "Nhập danh mục thủ tục",
            "opts": self.model._meta,
            "form": form,
            "errors": errors,
        }
        return TemplateResponse(
            request, "admin/catalog/procedureversion/import.html", context, status=status
        )
