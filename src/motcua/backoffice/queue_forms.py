"""The filters of the staff queue list and the bulk-assign form."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe

from motcua.catalog.models import Field
from motcua.dossiers import staff_selectors as sel
from motcua.dossiers.models import Status


class MenuSelect(forms.Select):
    """A ``<select>`` written out directly rather than through Django's option templates,
    which cost more than the rest of the queue page (bench, staff_queue_page, cProfile). Its
    options past the first may come already rendered (``options``, for the procedures, from
    ``staff_selectors.procedure_menu``): the selected one is then marked by editing that text."""

    options = ""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = self.format_value(value)
        chosen = chosen[0] if chosen else None
        if self.options:
            options = self.options
            if chosen:
                plain = f'<option value="{escape(chosen)}">'
                options = options.replace(plain, plain[:-1] + " selected>", 1)
            # Only the first ("all …") choice: a model field's would read its rows otherwise.
            first = next(iter(self.choices))
            head = format_html_join("", "{}", [(self._option(*first, chosen),)])
        else:
            options = ""
            # Through iter(): list() would ask a model field's choices for their len(), a COUNT.
            head = format_html_join(
                "", "{}", ((self._option(v, lab, chosen),) for v, lab in iter(self.choices))
            )
        attrs = flatatt(self.build_attrs(self.attrs, attrs))
        return mark_safe(f'<select name="{escape(name)}"{attrs}>{head}{options}</select>')

    @staticmethod
    def _option(value, label, chosen):
        value = "" if value is None else str(value)
        mark = " selected" if chosen is not None and value == chosen else ""
        return format_html('<option value="{}"{}>{}</option>', value, mark, label)


class QueueFilterForm(forms.Form):
    queue = forms.ChoiceField(
        label="Hàng đợi",
        required=False,
        choices=[(q.key, q.label) for q in (sel.ALL, *sel.QUEUES)],
        error_messages={"invalid_choice": "Hàng đợi không tồn tại."},
    )
    q = forms.CharField(
        label="Tìm hồ sơ",
        required=False,
        max_length=150,
        help_text="Mã hồ sơ, họ tên hoặc số định danh của chủ hồ sơ; gõ có dấu hay không dấu đều được.",
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        error_messages={"max_length": "Nội dung tìm kiếm tối đa 150 ký tự."},
    )
    procedure = forms.ChoiceField(
        label="Thủ tục",
        required=False,
        widget=MenuSelect,
        error_messages={"invalid_choice": "Thủ tục này không thuộc cơ quan của bạn."},
    )
    field = forms.ModelChoiceField(
        label="Lĩnh vực",
        queryset=Field.objects.none(),
        required=False,
        empty_label="Tất cả lĩnh vực",
        widget=MenuSelect,
        error_messages={"invalid_choice": "Lĩnh vực không hợp lệ."},
    )
    status = forms.TypedChoiceField(
        label="Trạng thái",
        required=False,
        coerce=int,
        empty_value=None,
        widget=MenuSelect,
        choices=[("", "Tất cả trạng thái")]
        + [(s.value, f"{s.value}. {s.label}") for s in Status if s != Status.DRAFT],
        error_messages={"invalid_choice": "Trạng thái không hợp lệ."},
    )
    deadline = forms.ChoiceField(
        label="Thời hạn",
        required=False,
        widget=MenuSelect,
        choices=[("", "Mọi thời hạn"), *sel.DEADLINE_STATES.items()],
        error_messages={"invalid_choice": "Tình trạng thời hạn không hợp lệ."},
    )

    def __init__(self, *args, procedures=(), options="", **kwargs):
        """``procedures`` and their rendered ``options``: ``staff_selectors.procedure_menu``."""
        super().__init__(*args, **kwargs)
        self.fields["procedure"].choices = [("", "Tất cả thủ tục"), *procedures]
        self.fields["procedure"].widget.options = options
        self.fields["field"].queryset = sel.fields()
        self.fields["field"].widget.options = sel.field_menu()

    def filter(self) -> sel.QueueFilter:
        data = self.cleaned_data
        return sel.QueueFilter(
            queue=data.get("queue") or sel.ALL.key,
            q=data.get("q") or "",
            procedure=data.get("procedure") or "",
            field=data["field"].pk if data.get("field") else None,
            status=data.get("status"),
            deadline=data.get("deadline") or "",
        )


class CodesField(forms.MultipleChoiceField):
    """Any dossier codes: whether each may be assigned is checked dossier by dossier, and
    reported on its own row, not as a refusal of the whole selection."""

    def valid_value(self, value):
        return 0 < len(value) <= 60


class BulkAssignForm(forms.Form):
    dossiers = CodesField(
        label="Hồ sơ được chọn",
        error_messages={"required": "Chọn ít nhất một hồ sơ để phân công."},
    )
    assignee = forms.ChoiceField(
        label="Giao cho cán bộ",
        required=False,
        help_text="Để trống: mỗi hồ sơ được giao cho cán bộ ít việc nhất đảm nhận bước đó.",
        widget=MenuSelect,
        error_messages={"invalid_choice": "Cán bộ này không thuộc cơ quan của bạn."},
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", "Tự động: cán bộ ít việc nhất")] + [
            (str(u.pk), f"{u.full_name} ({u.load} hồ sơ đang xử lý)") for u in people
        ]
