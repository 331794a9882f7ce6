"""Forms of the submission wizard, the dossier pages and public tracking.

They check shapes only; whether a dossier can be submitted is decided by
``dossiers.services.submission_errors``. Every field of a wizard step is optional here
because a step is saved as typed, even half-filled, and checked when the citizen moves on.
"""

from django import forms
from django.utils.functional import lazy
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import DeliveryMethod
from motcua.portal.forms import captcha_field


def _text(label, max_length, *, help_text="", autocomplete="off", **attrs):
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=False,
        help_text=help_text,
        widget=forms.TextInput(attrs={"autocomplete": autocomplete, **attrs}),
    )


def _tel(label, *, autocomplete="off"):
    return _text(label, 15, autocomplete=autocomplete, type="tel", inputmode="tel")


class StartForm(forms.Form):
    """Only for commune-level procedures: which commune's People's Committee receives it."""

    agency = forms.ChoiceField(
        label=_("Ủy ban nhân dân xã, phường nơi nộp hồ sơ"),
        help_text=_("Nơi bạn cư trú hoặc nơi có tài sản, sự việc cần giải quyết."),
        error_messages={"required": _("Vui lòng chọn Ủy ban nhân dân xã, phường nơi nộp hồ sơ.")},
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", _("— Chọn xã, phường —"))] + [
            (a.code, a.name) for a in agencies
        ]


class ApplicantForm(forms.Form):
    full_name = _text(_("Họ và tên"), 150, autocomplete="name")
    id_number = _text(
        _("Số định danh cá nhân hoặc mã số thuế"),
        14,
        help_text=_("12 chữ số in trên thẻ căn cước; tổ chức, doanh nghiệp nhập mã số thuế."),
        inputmode="numeric",
    )
    phone = _tel(_("Số điện thoại di động"), autocomplete="tel")
    email = forms.EmailField(
        label=_("Thư điện tử"),
        max_length=254,
        required=False,
        help_text=_("Thông báo về hồ sơ được gửi đến địa chỉ này."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    address = _text(
        _("Địa chỉ"), 255, help_text=_("Nơi cư trú hoặc trụ sở."), autocomplete="street-address"
    )
    on_behalf = forms.BooleanField(
        label=_("Nộp thay cho người khác (ủy quyền)"),
        required=False,
        # The explanation under the box is written in the template (applicant.html).
        widget=forms.CheckboxInput(attrs={"aria-describedby": "id_on_behalf_helptext"}),
    )
    submitter_name = _text(_("Họ và tên người nộp thay"), 150)
    submitter_id_number = _text(
        _("Số định danh cá nhân của người nộp thay"),
        14,
        help_text=_("Gồm 12 chữ số."),
        inputmode="numeric",
    )
    submitter_phone = _tel(_("Số điện thoại di động của người nộp thay"))
    submitter_email = forms.EmailField(
        label=_("Thư điện tử của người nộp thay"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"spellcheck": "false"}),
    )
    authorisation = forms.FileField(
        label=_("Văn bản ủy quyền"),
        required=False,
        help_text=_("PDF, JPG, PNG; tối đa 10 MB. Ảnh chụp được tự động chuyển thành PDF."),
        widget=forms.FileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png", "class": "upload__input"}),
    )

    @staticmethod
    def initial_from(dossier, account) -> dict:
        """What the page shows: the draft as saved; the person submitting on someone's
        behalf is usually the account holder, so their details are offered."""
        return {
            "full_name": dossier.applicant_name,
            "id_number": dossier.applicant_id_number,
            "phone": dossier.applicant_phone,
            "email": dossier.applicant_email,
            "address": dossier.applicant_address,
            "on_behalf": dossier.on_behalf,
            "submitter_name": dossier.submitter_name or account.display_name,
            "submitter_id_number": dossier.submitter_id_number or account.id_number,
            "submitter_phone": dossier.submitter_phone or account.phone,
            "submitter_email": dossier.submitter_email or account.email,
        }

    @classmethod
    def from_dossier(cls, dossier):
        """Bound to what is saved, so the review page can re-check its shapes."""
        data = cls.initial_from(dossier, dossier.owner)
        data["on_behalf"] = "on" if dossier.on_behalf else ""
        return cls(data)


class HintedRadioSelect(forms.RadioSelect):
    """Radios each with a hint of their own under the label, whose id is the radio's id
    followed by ``_hint`` (the template writes the hint): each radio names it in
    ``aria-describedby``, so a screen reader reads it with that choice."""

    def create_option(self, *args, **kwargs):
        option = super().create_option(*args, **kwargs)
        if option["attrs"].get("id"):
            option["attrs"]["aria-describedby"] = f"{option['attrs']['id']}_hint"
        return option


class DeliveryForm(forms.Form):
    method = forms.ChoiceField(
        label=_("Bạn muốn nhận kết quả bằng cách nào?"),
        widget=HintedRadioSelect,
        required=False,
    )
    province = forms.ChoiceField(label=_("Tỉnh, thành phố"), required=False)
    commune = forms.ChoiceField(label=_("Xã, phường, đặc khu"), required=False)
    address = _text(
        _("Số nhà, đường, thôn, tổ dân phố"),
        255,
        help_text=_("Ví dụ: Số 12 đường Hùng Vương, tổ 3"),
        autocomplete="address-line1",
    )

    def __init__(self, *args, methods, provinces, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["method"].choices = [
            (m, gettext(DeliveryMethod(m).label)) for m in methods if m in DeliveryMethod.values
        ]
        self.fields["province"].choices = [("", _("— Chọn tỉnh, thành phố —"))] + [
            (u.code, u.name) for u in provinces
        ]
        self.fields["commune"].choices = [("", _("— Chọn xã, phường —"))] + [
            (u.code, u.name) for u in communes
        ]


class ReviewForm(forms.Form):
    captcha = captcha_field()


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do rút hồ sơ"),
        min_length=5,
        max_length=2000,
        help_text=_("Bộ phận Một cửa xem lý do trước khi xác nhận dừng giải quyết hồ sơ."),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Vui lòng nêu lý do rút hồ sơ."),
            "min_length": _("Vui lòng nêu lý do rút hồ sơ."),
        },
    )


class SupplementForm(forms.Form):
    note = forms.CharField(
        label=_("Ghi chú gửi cán bộ"),
        max_length=2000,
        required=False,
        help_text=_("Ví dụ: đã bổ sung bản sao giấy chứng nhận theo yêu cầu."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


EXAMPLE_CODE = "H48.30-260105-0001"


def _code_hint() -> SafeString:
    """The hint with its example code kept whole: a phone would break it at a hyphen."""
    text = escape(gettext("In trên giấy biên nhận, ví dụ H48.30-260105-0001."))
    return mark_safe(text.replace(EXAMPLE_CODE, f'<span class="unbroken">{EXAMPLE_CODE}</span>'))


class TrackingForm(forms.Form):
    code = forms.CharField(
        label=_("Mã số hồ sơ"),
        max_length=60,
        help_text=lazy(_code_hint, SafeString)(),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": _("Vui lòng nhập mã số hồ sơ.")},
    )
    id_number = forms.CharField(
        label=_("Số định danh cá nhân của chủ hồ sơ"),
        max_length=20,
        help_text=_("12 chữ số; với tổ chức, doanh nghiệp: mã số thuế."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
        error_messages={"required": _("Vui lòng nhập số định danh cá nhân của chủ hồ sơ.")},
    )

    def clean_code(self):
        return self.cleaned_data["code"].strip().upper()
