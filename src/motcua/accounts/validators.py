"""Password rule beyond Django's: at least one letter and one digit."""

from django.core.exceptions import ValidationError


class LettersAndDigitsValidator:
    message = "Mật khẩu phải có cả chữ cái và chữ số."

    def validate(self, password, user=None):
        if not (any(c.isalpha() for c in password) and any(c.isdigit() for c in password)):
            raise ValidationError(self.message, code="password_letters_digits")

    def get_help_text(self):
        return self.message
