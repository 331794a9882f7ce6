"""Portal forms. They check shapes only (present, not too long, the two passwords equal, the
captcha); every rule about what is acceptable lives in ``accounts.services``."""

from captcha.conf import settings as captcha_settings
from captcha.fields import CaptchaField, CaptchaTextInput
from captcha.models import CaptchaStore
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import User
from motcua.accounts.services import ProfileUpdate, Registration
from motcua.catalog.models import Agency, OnlineLevel
from motcua.portal.captcha import new_question, question_text, spoken_number
from motcua.portal.widgets import FastSelect


def _required(message):
    return {"required": message}


class CaptchaInput(CaptchaTextInput):
    """django-simple-captcha's widget, pointed at the captcha views mounted inside the
    ``portal`` namespace (the stock widget reverses the un-namespaced ``captcha-image``),
    with a third part: the key of a sum asked in words, the picture's alternative for
    people who cannot see it (``portal.captcha``)."""

    template_name = "portal/widgets/captcha.html"
    # Django ties the hint and the error to a control only outside a fieldset; the answer
    # box is the one control a person uses here.
    use_fieldset = False

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.widgets.append(forms.HiddenInput())
        self.widgets_names.append("_2")

    def fetch_captcha_store(self, name, value, attrs=None, generator=None):
        if captcha_settings.CAPTCHA_GET_FROM_POOL:
            key = CaptchaStore.pick()
        else:
            key = CaptchaStore.generate_key(generator)
        self._question = new_question()
        self._value = [key, "", self._question]
        self._key = key
        self.id_ = self.build_attrs(attrs).get("id", None)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["question"] = question_text(self._question)
        answer = context["widget"]["subwidgets"][1]["attrs"]
        question_id = f"{self.id_}_question"
        described = answer.get("aria-describedby", "")
        answer["aria-describedby"] = f"{described} {question_id}".strip()
        context["question_id"] = question_id
        return context

    def image_url(self):
        return reverse("portal:captcha-image", kwargs={"key": self._key})

    def audio_url(self):
        return None


class PortalCaptchaField(CaptchaField):
    """One answer box for two challenges: the picture's characters, or the result of the
    sum asked in words. Either is accepted once; both are used up by any attempt."""

    def clean(self, value):
        value = list(value or []) + ["", "", ""]
        image_key, answer, question_key = value[0], (value[1] or "").strip(), value[2]
        if not answer:
            raise ValidationError(self.error_messages["required"], code="required")
        if not (question_key and answer.lower() != "passed"):
            return super().clean([image_key, answer])
        CaptchaStore.remove_expired()
        question = CaptchaStore.objects.filter(
            hashkey=question_key, expiration__gt=timezone.now()
        ).first()
        if question is not None:
            question.delete()
            if question.response == spoken_number(answer) and image_key != question_key:
                CaptchaStore.objects.filter(hashkey=image_key).delete()
                return [image_key, answer, question_key]
        return super().clean([image_key, answer])


def refreshing_captcha(request) -> bool:
    """True when "Đổi hình và câu hỏi khác" posted the form (a browser without script)."""
    return request.method == "POST" and bool(request.POST.get("captcha_refresh"))


def as_typed(form_class, data, **kwargs):
    """The form again, unbound so that it shows no error, holding what was typed (passwords
    too: this page goes back only to the person who typed them) and a new captcha."""
    skip = {"csrfmiddlewaretoken", "captcha_refresh"}
    initial = {
        key: values if len(values) > 1 else values[0]
        for key, values in data.lists()
        if key not in skip and not key.startswith("captcha")
    }
    form = form_class(initial=initial, **kwargs)
    for field in form.fields.values():
        if isinstance(field.widget, forms.PasswordInput):
            field.widget.render_value = True
    return form


def captcha_field():
    return PortalCaptchaField(
        label=_("Mã xác nhận"),
        help_text=_(
            "Nhập các ký tự trong hình, không phân biệt chữ hoa, chữ thường; hoặc trả lời "
            "câu hỏi dưới hình bằng một con số."
        ),
        widget=CaptchaInput(),
        error_messages={
            "invalid": _(
                "Mã xác nhận không đúng. Vui lòng nhập lại các ký tự trong hình mới, hoặc "
                "trả lời câu hỏi mới."
            ),
            "required": _("Vui lòng nhập mã xác nhận."),
            "incomplete": _("Vui lòng nhập mã xác nhận."),
        },
    )


def _email_field(**kwargs):
    return forms.CharField(
        label=_("Thư điện tử"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages=_required(_("Vui lòng nhập địa chỉ thư điện tử.")),
        **kwargs,
    )


def _new_password_pair(form, first, second):
    a, b = form.cleaned_data.get(first), form.cleaned_data.get(second)
    if a and b and a != b:
        form.add_error(second, _("Mật khẩu nhập lại không khớp."))


class RegisterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Loại tài khoản"),
        choices=[
            (User.Kind.CITIZEN, _("Công dân")),
            (User.Kind.ORGANISATION, _("Tổ chức, doanh nghiệp")),
        ],
        initial=User.Kind.CITIZEN,
        widget=forms.RadioSelect,
    )
    email = _email_field(help_text=_("Thư xác nhận đăng ký sẽ được gửi đến địa chỉ này."))
    password = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        help_text=_("Ít nhất 8 ký tự, có cả chữ và số."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages=_required(_("Vui lòng nhập mật khẩu.")),
    )
    password_confirm = forms.CharField(
        label=_("Nhập lại mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages=_required(_("Vui lòng nhập lại mật khẩu.")),
    )
    full_name = forms.CharField(
        label=_("Họ và tên"),
        max_length=150,
        help_text=_("Với tổ chức: họ và tên người đại diện hoặc người liên hệ."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages=_required(_("Vui lòng nhập họ và tên.")),
    )
    phone = forms.CharField(
        label=_("Số điện thoại di động"),
        max_length=20,
        help_text=_("Ví dụ: 0988123113"),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
        error_messages=_required(_("Vui lòng nhập số điện thoại di động.")),
    )
    id_number = forms.CharField(
        label=_("Số định danh cá nhân (căn cước)"),
        max_length=16,
        required=False,
        help_text=_("Gồm 12 chữ số. Tổ chức, doanh nghiệp có thể bỏ trống."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    tax_code = forms.CharField(
        label=_("Mã số thuế"),
        max_length=16,
        required=False,
        help_text=_("10 chữ số, hoặc 13 chữ số với đơn vị phụ thuộc (ví dụ 0100109106-001)."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    organisation_name = forms.CharField(
        label=_("Tên tổ chức, doanh nghiệp"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    captcha = captcha_field()

    # The page's order, so the error summary lists problems top to bottom.
    field_order = [
        "kind",
        "organisation_name",
        "tax_code",
        "full_name",
        "id_number",
        "phone",
        "email",
        "password",
        "password_confirm",
        "captcha",
    ]

    def clean(self):
        data = super().clean()
        _new_password_pair(self, "password", "password_confirm")
        return data

    def registration(self) -> Registration:
        """What was typed, for the service; fields that failed their shape check are empty."""
        data = self.cleaned_data
        return Registration(
            email=data.get("email", ""),
            password=data.get("password", ""),
            full_name=data.get("full_name", ""),
            phone=data.get("phone", ""),
            id_number=data.get("id_number", ""),
            kind=data.get("kind", User.Kind.CITIZEN),
            tax_code=data.get("tax_code", ""),
            organisation_name=data.get("organisation_name", ""),
        )


class EmailForm(forms.Form):
    email = _email_field()


class LoginForm(forms.Form):
    # The field is called ``email`` because django-axes counts failures by AXES_USERNAME_FORM_FIELD.
    email = _email_field()
    password = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages=_required(_("Vui lòng nhập mật khẩu.")),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class SetPasswordForm(forms.Form):
    password = forms.CharField(
        label=_("Mật khẩu mới"),
        strip=False,
        help_text=_("Ít nhất 8 ký tự, có cả chữ và số."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages=_required(_("Vui lòng nhập mật khẩu mới.")),
    )
    password_confirm = forms.CharField(
        label=_("Nhập lại mật khẩu mới"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages=_required(_("Vui lòng nhập lại mật khẩu mới.")),
    )

    def clean(self):
        data = super().clean()
        _new_password_pair(self, "password", "password_confirm")
        return data


class ProfileForm(forms.Form):
    full_name = forms.CharField(
        label=_("Họ và tên"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages=_required(_("Vui lòng nhập họ và tên.")),
    )
    phone = forms.CharField(
        label=_("Số điện thoại di động"),
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
        error_messages=_required(_("Vui lòng nhập số điện thoại di động.")),
    )
    address = forms.CharField(
        label=_("Địa chỉ liên hệ"),
        max_length=255,
        required=False,
        help_text=_("Số nhà, đường, thôn/tổ dân phố, xã/phường, tỉnh/thành phố."),
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    organisation_name = forms.CharField(
        label=_("Tên tổ chức, doanh nghiệp"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "full_name": user.full_name,
                "phone": user.phone,
                "address": user.address,
                "organisation_name": user.organisation_name,
            },
        )
        super().__init__(*args, prefix="profile", **kwargs)
        if user.kind != User.Kind.ORGANISATION:
            del self.fields["organisation_name"]

    def update(self) -> ProfileUpdate:
        data = self.cleaned_data
        return ProfileUpdate(
            full_name=data["full_name"],
            phone=data["phone"],
            address=data.get("address", ""),
            organisation_name=data.get("organisation_name", ""),
        )


class ChangePasswordForm(forms.Form):
    old_password = forms.CharField(
        label=_("Mật khẩu hiện tại"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages=_required(_("Vui lòng nhập mật khẩu hiện tại.")),
    )
    new_password = forms.CharField(
        label=_("Mật khẩu mới"),
        strip=False,
        help_text=_("Ít nhất 8 ký tự, có cả chữ và số."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages=_required(_("Vui lòng nhập mật khẩu mới.")),
    )
    new_password_confirm = forms.CharField(
        label=_("Nhập lại mật khẩu mới"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages=_required(_("Vui lòng nhập lại mật khẩu mới.")),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="password", **kwargs)

    def clean(self):
        data = super().clean()
        _new_password_pair(self, "new_password", "new_password_confirm")
        return data


LEVEL_CHOICES = [
    (OnlineLevel.FULL, _("Toàn trình")),
    (OnlineLevel.PARTIAL, _("Một phần")),
    (OnlineLevel.IN_PERSON, _("Trực tiếp")),
]


class SearchForm(forms.Form):
    """The catalogue filter. A hand-edited URL with an unknown value drops that filter
    instead of failing, so every link anybody shares still shows something."""

    q = forms.CharField(
        label=_("Từ khóa"),
        required=False,
        help_text=_("Tên hoặc mã thủ tục; có thể gõ không dấu."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "maxlength": 200}),
    )
    agency = forms.ChoiceField(label=_("Cơ quan thực hiện"), required=False, widget=FastSelect)
    field = forms.ChoiceField(label=_("Lĩnh vực"), required=False, widget=FastSelect)
    level = forms.ChoiceField(
        label=_("Mức độ dịch vụ công"),
        required=False,
        choices=[("", _("Tất cả mức độ")), *LEVEL_CHOICES],
        widget=FastSelect,
    )

    def __init__(self, *args, agencies, fields, **kwargs):
        super().__init__(*args, **kwargs)
        # Suggestions as the citizen types (htmx); without JavaScript it is a plain search.
        self.fields["q"].widget.attrs.update(
            {
                "hx-get": reverse("portal:procedure-suggestions"),
                "hx-trigger": "input changed delay:250ms, search",
                "hx-target": "#search-suggestions",
                "hx-sync": "this:replace",
                "aria-controls": "search-suggestions",
            }
        )
        self.fields["agency"].choices = [("", _("Tất cả cơ quan")), *_grouped_agencies(agencies)]
        self.fields["field"].choices = [("", _("Tất cả lĩnh vực"))] + [
            (f.code, f.name) for f in fields
        ]

    def clean_q(self):
        # A pasted paragraph is cut, not refused: searching its start beats showing everything.
        return self.cleaned_data["q"][:200]

    def filters(self) -> dict:
        """The valid filters; an invalid one is left out (its error is never shown)."""
        names = ("q", "agency", "field", "level")
        if not self.is_bound:
            return dict.fromkeys(names, "")
        self.is_valid()  # fills cleaned_data with the fields that passed
        return {name: self.cleaned_data.get(name) or "" for name in names}


# Citizens look for departments and communes first; groups and central branches come last.
KIND_ORDER = [
    Agency.Kind.DEPARTMENT,
    Agency.Kind.SERVICE_CENTRE,
    Agency.Kind.PROVINCE_COMMITTEE,
    Agency.Kind.COMMUNE_COMMITTEE,
    Agency.Kind.COMMUNE_CENTRE,
    Agency.Kind.PUBLIC_SERVICE_UNIT,
    Agency.Kind.CENTRAL_BRANCH,
    Agency.Kind.LEVEL_GROUP,
]


def agencies_by_kind(agencies) -> list:
    rank = {kind: i for i, kind in enumerate(KIND_ORDER)}
    return sorted(agencies, key=lambda a: (rank.get(a.kind, len(rank)), a.name_sort, a.code))


def _grouped_agencies(agencies):
    groups: dict[str, list] = {}
    for agency in agencies_by_kind(agencies):
        groups.setdefault(gettext(agency.get_kind_display()), []).append((agency.code, agency.name))
    return list(groups.items())


def service_errors(form, exc: ValidationError, *, only_new: bool = False) -> None:
    """Show a service's ``ValidationError`` on the form: keyed messages on their field,
    anything else at the top. ``only_new`` keeps a field's shape error instead of adding a
    second message about the same problem."""
    error_dict = getattr(exc, "error_dict", None)
    if error_dict is None:
        for message in exc.messages:
            form.add_error(None, message)
        return
    for name, messages in exc.message_dict.items():
        target = name if name in form.fields else None
        if only_new and target and target in form.errors:
            continue
        for message in messages:
            form.add_error(target, message)
