from django import forms


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Mã xác thực",
        help_text="6 chữ số đang hiện trong ứng dụng xác thực trên điện thoại của bạn.",
        max_length=12,
        error_messages={"required": "Vui lòng nhập mã xác thực gồm 6 chữ số."},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
            }
        ),
    )

    def clean_code(self):
        code = self.cleaned_data["code"].replace(" ", "")
        if not (code.isascii() and code.isdigit() and len(code) == 6):
            raise forms.ValidationError("Mã xác thực gồm đúng 6 chữ số.")
        return code
