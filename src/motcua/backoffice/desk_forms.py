"""Forms of the officer's dossier page (one per action) and of counter intake.

Each form only gathers what the officer states; the rules (who may, when, once only, the
reason's length) are ``dossiers.services.perform``'s, whose field errors come back next to
these fields.
"""

from __future__ import annotations

from django import forms

from motcua.catalog.models import Component
from motcua.core.text import sort_key
from motcua.dossiers import lifecycle

NOTE_LABEL = "Ghi chú"

# The field of ``perform``'s error dictionary → the field of the page's form.
SERVICE_FIELDS = {"note": "note", "reason": "note", "new_due": "new_due", "items": "items"}
SERVICE_FIELDS.update({"agency": "agency", "assignee": "assignee", "method": "method"})
SERVICE_FIELDS.update({"agencies": "agencies", "days": "days", "files": "files"})
SERVICE_FIELDS.update({"consultation": "consultation"})


def action_label(code: str) -> str:
    t = lifecycle.transition(code)
    return t.label if t else code


class ActionForm(forms.Form):
    """An action with an optional note: accept, approve, sign, forward without choice…"""

    note_label = NOTE_LABEL
    note_required = False
    note_help = ""

    lock_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    note = forms.CharField(
        required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, code: str, **kwargs):
        kwargs.setdefault("prefix", code)
        super().__init__(*args, **kwargs)
        self.code = code
        self.label = action_label(code)
        note = self.fields["note"]
        note.label = self.note_label
        note.required = self.note_required
        note.help_text = self.note_help
        note.error_messages["required"] = f"Vui lòng nhập {self.note_label.lower()}."

    def params(self) -> dict:
        """Keyword arguments of ``perform`` besides action, actor and note."""
        return {}


class ReasonForm(ActionForm):
    note_label = "Lý do"
    note_required = True
    note_help = "Nêu rõ lý do; nội dung này được in trên văn bản gửi công dân."


class StopForm(ReasonForm):
    note_label = "Căn cứ dừng xử lý"
    note_help = "Căn cứ pháp lý và lý do dừng xử lý; in trên thông báo gửi công dân."


class SupplementForm(ReasonForm):
    note_help = "Lý do chung của yêu cầu; từng nội dung cần bổ sung ghi ở bảng dưới."
    ROWS = 3

    def __init__(self, *args, rows: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        data = self.data if self.is_bound else {}
        count = rows or _int(data.get(self.add_prefix("rows")), self.ROWS)
        self.initial["rows"] = count
        count = max(1, min(count, 20))
        self.fields["rows"] = forms.IntegerField(
            widget=forms.HiddenInput, required=False, initial=count
        )
        self.row_names = []
        for i in range(count):
            item, why = f"item_{i}", f"why_{i}"
            self.fields[item] = forms.CharField(
                label=f"Nội dung {i + 1}", required=False, max_length=300
            )
            self.fields[why] = forms.CharField(
                label=f"Lý do, hướng dẫn {i + 1}", required=False, max_length=190
            )
            self.row_names.append((self[item], self[why]))

    def clean(self):
        data = super().clean()
        items = []
        for i, _ in enumerate(self.row_names):
            item = (data.get(f"item_{i}") or "").strip()
            why = (data.get(f"why_{i}") or "").strip()
            if why and not item:
                self.add_error(f"item_{i}", "Ghi rõ giấy tờ, nội dung cần bổ sung.")
            elif item:
                items.append(f"{item} — {why}" if why else item)
        if not items and not self.has_error("item_0"):
            self.add_error("item_0", "Cần ít nhất một nội dung phải bổ sung.")
        data["items"] = items
        return data

    def params(self) -> dict:
        return {"items": self.cleaned_data["items"]}


class AssignForm(ActionForm):
    """Assign or forward: to the officer chosen, or by default the least-loaded one."""

    def __init__(self, *args, people=(), step_name: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "Cán bộ ít việc nhất (mặc định)")]
        # Vietnamese dictionary order: the database's own order puts "Ân" after "Z".
        people = sorted(people, key=lambda p: (sort_key(p.display_name), p.pk))
        choices += [(str(p.pk), p.display_name) for p in people]
        self.fields["assignee"] = forms.ChoiceField(
            label=f"Người nhận ({step_name})" if step_name else "Người nhận",
            choices=choices,
            required=False,
            error_messages={"invalid_choice": "Cán bộ này không đảm nhận bước tiếp theo."},
        )
        self.order_fields(["lock_version", "assignee", "note"])

    def params(self) -> dict:
        return {"assignee": self.cleaned_data.get("assignee") or None}


class ApologizeForm(ReasonForm):
    note_help = "Lý do chậm trả kết quả; in trên phiếu xin lỗi (Mẫu 04)."

    new_due = forms.DateField(
        label="Ngày hẹn trả mới",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Vui lòng chọn ngày hẹn trả mới.",
            "invalid": "Nhập ngày theo dạng ngày/tháng/năm.",
        },
    )

    def params(self) -> dict:
        return {"new_due": self.cleaned_data["new_due"]}


class ReturnForm(ActionForm):
    method = forms.ChoiceField(
        label="Hình thức trả kết quả",
        choices=[
            ("counter", "Trực tiếp tại Bộ phận Một cửa"),
            ("post", "Qua dịch vụ bưu chính"),
            ("online", "Trực tuyến (công dân tải kết quả điện tử)"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Vui lòng chọn hình thức trả kết quả."},
    )
    recipient_name = forms.CharField(
        label="Họ tên người nhận",
        required=False,
        max_length=150,
        help_text="Bắt buộc khi trả trực tiếp tại quầy: chủ hồ sơ hoặc người được ủy quyền.",
    )
    recipient_id_number = forms.CharField(
        label="Số định danh người nhận", required=False, max_length=14
    )

    def clean(self):
        data = super().clean()
        if data.get("method") == "counter" and len((data.get("recipient_name") or "").strip()) < 2:
            self.add_error("recipient_name", "Vui lòng nhập họ tên người nhận kết quả.")
        return data

    def params(self) -> dict:
        d = self.cleaned_data
        return {
            "method": d["method"],
            "recipient_name": d.get("recipient_name", ""),
            "recipient_id_number": d.get("recipient_id_number", ""),
        }


class TransferForm(ActionForm):
    """Boundary-free reception (DOMAIN §5.8): send the dossier to the competent unit."""

    def __init__(self, *args, agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"] = forms.ChoiceField(
            label="Cơ quan có thẩm quyền giải quyết",
            choices=[("", "— Chọn cơ quan —")] + [(a.code, a.name) for a in agencies],
            error_messages={
                "required": "Vui lòng chọn cơ quan nhận hồ sơ.",
                "invalid_choice": "Cơ quan này không có thẩm quyền giải quyết thủ tục.",
            },
        )
        self.order_fields(["lock_version", "agency", "note"])

    def params(self) -> dict:
        return {"agency": self.cleaned_data["agency"]}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input: what a consultation's letter and its annexes need."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(one, initial) for one in data if one]
        return [super().clean(data, initial)] if data else []


FILES_HELP = "Không bắt buộc. PDF, ảnh JPG/PNG hoặc DOCX, tối đa 10 tệp, mỗi tệp 10 MB."


class ConsultForm(ActionForm):
    """T6: ask partner agencies for an opinion; the answer's deadline is shown per choice."""

    note_label = "Nội dung xin ý kiến"
    note_required = True
    note_help = (
        "Nêu rõ vấn đề cần cơ quan phối hợp cho ý kiến. Công dân không xem được nội dung này."
    )

    DAY_CHOICES = (1, 2, 3, 5, 7, 10, 15, 20, 30)

    def __init__(self, *args, agencies=(), due=None, default_days: int = 5, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agencies"] = forms.MultipleChoiceField(
            label="Cơ quan phối hợp",
            choices=[(a.code, a.name) for a in agencies],
            widget=forms.CheckboxSelectMultiple,
            help_text="Chọn một hoặc nhiều cơ quan; mỗi cơ quan trả lời riêng.",
            error_messages={
                "required": "Vui lòng chọn ít nhất một cơ quan phối hợp.",
                "invalid_choice": "Cơ quan này không nhận xin ý kiến về hồ sơ.",
            },
        )
        self.fields["days"] = forms.TypedChoiceField(
            label="Thời hạn trả lời",
            coerce=int,
            choices=[
                (n, f"{n} ngày làm việc" + (f" (đến {due(n):%H:%M ngày %d/%m/%Y})" if due else ""))
                for n in self.DAY_CHOICES
            ],
            initial=default_days,
            help_text="Tính theo ngày làm việc trên lịch làm việc của cơ quan tiếp nhận hồ sơ.",
            error_messages={
                "required": "Vui lòng chọn thời hạn trả lời.",
                "invalid_choice": "Thời hạn trả lời không hợp lệ.",
            },
        )
        self.fields["files"] = MultipleFileField(
            label="Tệp đính kèm", required=False, help_text=FILES_HELP
        )
        self.order_fields(["lock_version", "agencies", "note", "days", "files"])

    def params(self) -> dict:
        d = self.cleaned_data
        return {"agencies": d["agencies"], "days": d["days"], "files": d.get("files") or []}


class AnswerForm(ActionForm):
    """The partner agency's opinion on the question it was asked."""

    note_label = "Ý kiến trả lời"
    note_required = True
    note_help = "Ý kiến của cơ quan bạn; chỉ cán bộ giải quyết hồ sơ xem được."

    def __init__(self, *args, asked=(), **kwargs):
        super().__init__(*args, **kwargs)
        asked = list(asked)
        if len(asked) > 1:
            self.fields["consultation"] = forms.ChoiceField(
                label="Trả lời đề nghị",
                choices=[
                    (str(c.public_id), f"{c.agency.name}, gửi {c.asked_at:%d/%m/%Y}") for c in asked
                ],
                error_messages={"required": "Vui lòng chọn đề nghị cần trả lời."},
            )
        self.fields["files"] = MultipleFileField(
            label="Tệp đính kèm", required=False, help_text=FILES_HELP
        )
        self.order_fields(["lock_version", "consultation", "note", "files"])

    def params(self) -> dict:
        d = self.cleaned_data
        return {"consultation": d.get("consultation", ""), "files": d.get("files") or []}


FORMS = {
    "consult": ConsultForm,
    "answer_consultation": AnswerForm,
    "transfer": TransferForm,
    "refuse": ReasonForm,
    "reject_draft": ReasonForm,
    "reject_result": ReasonForm,
    "stop": StopForm,
    "request_supplement": SupplementForm,
    "assign": AssignForm,
    "forward": AssignForm,
    "apologize": ApologizeForm,
    "return_result": ReturnForm,
}


def form_class(code: str) -> type[ActionForm]:
    return FORMS.get(code, ActionForm)


def _int(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


# --- counter intake -------------------------------------------------------------------------


class IntakeProcedureForm(forms.Form):
    procedure = forms.ChoiceField(
        label="Thủ tục hành chính",
        error_messages={
            "required": "Vui lòng chọn thủ tục.",
            "invalid_choice": "Thủ tục này không tiếp nhận tại cơ quan của bạn.",
        },
    )

    def __init__(self, *args, versions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["procedure"].choices = [("", "— Chọn thủ tục —")] + [
            (v.procedure.code, f"{v.name} ({v.procedure.code})") for v in versions
        ]


class IntakeForm(forms.Form):
    full_name = forms.CharField(
        label="Họ và tên chủ hồ sơ",
        max_length=150,
        error_messages={"required": "Vui lòng nhập họ và tên chủ hồ sơ."},
    )
    id_number = forms.CharField(
        label="Số định danh cá nhân (CCCD)",
        max_length=14,
        error_messages={"required": "Vui lòng nhập số định danh của chủ hồ sơ."},
    )
    phone = forms.CharField(label="Số điện thoại", max_length=15, required=False)
    email = forms.EmailField(
        label="Thư điện tử",
        required=False,
        error_messages={"invalid": "Thư điện tử không đúng định dạng."},
    )
    address = forms.CharField(label="Địa chỉ", max_length=255, required=False)
    delivery = forms.ChoiceField(
        label="Hình thức nhận kết quả",
        choices=[("counter", "Tại Bộ phận Một cửa"), ("post", "Qua dịch vụ bưu chính")],
        initial="counter",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="Ghi chú", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, components=(), agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        if agencies:
            self.fields["agency"] = forms.ChoiceField(
                label="Nơi tiếp nhận (xã, phường)",
                choices=[("", "— Chọn nơi tiếp nhận —")] + [(a.code, a.name) for a in agencies],
                error_messages={"required": "Vui lòng chọn Ủy ban nhân dân xã, phường."},
            )
            self.order_fields(["agency"])
        self.components = []
        for c in components:
            name = f"component_{c.pk}"
            # Shown-only papers (xuất trình) are looked at, never scanned (DOMAIN §5.5).
            needed = c.required and c.copy_type != Component.CopyType.SHOW_ONLY
            self.fields[name] = forms.FileField(
                label=c.name,
                required=needed,
                error_messages={"required": f"Chưa đính kèm «{c.name}»."},
                help_text=("Bắt buộc. " if needed else "")
                + f"Bản quét PDF hoặc ảnh, tối đa {c.max_size // (1024 * 1024)} MB.",
            )
            self.components.append((c, self[name]))
