"""Filters of the tracking book page (Sổ theo dõi hồ sơ)."""

from django import forms

from motcua.catalog.models import Agency, Field
from motcua.dossiers.models import Status


class BookFilterForm(forms.Form):
    # The order the page shows them in (backoffice/includes/filters.html renders them all).
    field_order = ["agency", "field", "status", "date_from", "date_to"]

    agency = forms.ModelChoiceField(
        label="Cơ quan tiếp nhận",
        queryset=Agency.objects.none(),
        required=False,
        empty_label="Tất cả cơ quan của tôi",
        error_messages={"invalid_choice": "Bạn không theo dõi sổ của cơ quan này."},
    )
    date_from = forms.DateField(
        label="Nhận hồ sơ từ ngày",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Nhập ngày theo dạng ngày/tháng/năm."},
    )
    date_to = forms.DateField(
        label="Đến ngày",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Nhập ngày theo dạng ngày/tháng/năm."},
    )
    status = forms.TypedChoiceField(
        label="Trạng thái",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Tất cả trạng thái")]
        + [(s.value, s.label) for s in Status if s != Status.DRAFT],
        error_messages={"invalid_choice": "Trạng thái không hợp lệ."},
    )
    field = forms.ModelChoiceField(
        label="Lĩnh vực",
        queryset=Field.objects.order_by("name_sort", "id"),
        required=False,
        empty_label="Tất cả lĩnh vực",
        error_messages={"invalid_choice": "Lĩnh vực không hợp lệ."},
    )

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Agency.objects.order_by("name_sort", "id")
        self.fields["agency"].queryset = qs if agencies is None else qs.filter(pk__in=agencies)

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "Ngày kết thúc phải bằng hoặc sau ngày bắt đầu.")
        return data
