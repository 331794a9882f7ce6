"""Registration and e-mail confirmation (accounts.services)."""

import datetime as dt
import hashlib
import unicodedata
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from motcua.accounts import services
from motcua.accounts.models import OneTimeToken, User
from motcua.notifications.models import OutboundMessage
from tests.accounts.helpers import is_vietnamese, last_link_secret
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

GOOD = {
    "email": "An.Nguyen@Example.VN",
    "password": "Matkhau2026",
    "full_name": "Nguyễn Văn An",
    "phone": "0988123113",
    "id_number": "051090123456",
}


def registration(**overrides):
    return services.Registration(**{**GOOD, **overrides})


def field_errors(exc_info) -> dict[str, list[str]]:
    return exc_info.value.message_dict


def test_register_creates_an_unconfirmed_account_and_queues_the_link():
    user = services.register(registration(phone="+84 988.123.113"))
    user.refresh_from_db()
    assert user.email == "an.nguyen@example.vn"
    assert user.phone == "0988123113"
    assert user.kind == User.Kind.CITIZEN
    assert not user.is_confirmed
    assert user.check_password("Matkhau2026")
    assert user.password != "Matkhau2026"
    message = OutboundMessage.objects.get(recipient="an.nguyen@example.vn")
    assert message.subject == "Xác nhận đăng ký tài khoản sử dụng dịch vụ công trực tuyến"
    secret = last_link_secret(user.email, "xac-nhan")
    token = OneTimeToken.objects.get(user=user)
    # The database keeps a digest only: a stolen copy cannot confirm anything.
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert not OneTimeToken.objects.filter(digest=secret).exists()
    lifetime = token.expires_at - token.created_at
    assert abs(lifetime - dt.timedelta(hours=48)) < dt.timedelta(seconds=5)


def test_name_is_stored_in_nfc():
    user = services.register(
        registration(full_name=unicodedata.normalize("NFD", "  Trần Thị Ngọc Ánh "))
    )
    assert user.full_name == unicodedata.normalize("NFC", "Trần Thị Ngọc Ánh")


def test_every_field_error_is_reported_at_once_in_vietnamese():
    with pytest.raises(ValidationError) as exc:
        services.register(
            services.Registration(
                email="khong-phai-thu",
                password="abc",
                full_name="A",
                phone="0255382220",
                id_number="12345",
            )
        )
    errors = field_errors(exc)
    assert set(errors) == {"email", "password", "full_name", "phone", "id_number"}
    for field, messages in errors.items():
        assert messages, field
        assert all(is_vietnamese(m) for m in messages), (field, messages)
    assert not User.objects.exists()
    assert not OutboundMessage.objects.exists()


def test_missing_values_are_named():
    with pytest.raises(ValidationError) as exc:
        services.register(services.Registration(email="", password="", full_name="", phone=""))
    errors = field_errors(exc)
    assert set(errors) == {"email", "password", "full_name", "phone", "id_number"}
    assert all(is_vietnamese(m) for ms in errors.values() for m in ms)


@pytest.mark.parametrize(
    ("password", "fragment"),
    [
        ("abc12", "8"),  # too short: says how many characters are needed
        ("matkhaumoi", "chữ số"),  # letters only
        ("2026202620", "chữ"),  # digits only
        ("password1", "phổ biến"),
        ("nguyen2026", "thư điện tử"),  # too close to the e-mail address
    ],
)
def test_password_rules(password, fragment):
    with pytest.raises(ValidationError) as exc:
        services.register(registration(password=password))
    messages = field_errors(exc)["password"]
    assert any(fragment in m for m in messages), messages
    assert all(is_vietnamese(m) for m in messages), messages


def test_password_too_close_to_the_id_number_refused():
    with pytest.raises(ValidationError) as exc:
        services.register(registration(password="n051090123456"))
    assert "password" in field_errors(exc)


def test_overlong_values_are_field_errors_not_database_errors():
    # Django's e-mail validator accepts up to 320 characters; the column holds 254, and
    # PostgreSQL would refuse the row with a server error.
    with pytest.raises(ValidationError) as exc:
        services.register(
            registration(
                email="a" * 250 + "@example.vn",
                kind=User.Kind.ORGANISATION,
                tax_code="0100109106",
                organisation_name="Công ty " * 40,
                id_number="",
            )
        )
    assert set(field_errors(exc)) == {"email", "organisation_name"}
    assert all(is_vietnamese(m) for ms in field_errors(exc).values() for m in ms)


def test_confirmed_address_in_any_case_changes_nothing_and_tells_the_owner():
    owner = UserFactory(email="an.nguyen@example.vn")
    password = owner.password
    services.register(registration(email="AN.NGUYEN@example.vn", id_number="051190123456"))
    assert User.objects.count() == 1
    owner.refresh_from_db()
    assert owner.password == password and owner.id_number != "051190123456"
    message = OutboundMessage.objects.get()
    assert message.recipient == "an.nguyen@example.vn" and "đã có tài khoản" in message.body_text


def test_registering_again_before_confirming_replaces_the_details_and_the_link():
    first = services.register(registration())
    old_secret = last_link_secret(first.email, "xac-nhan")
    second = services.register(
        registration(full_name="Nguyễn Văn Ân", phone="0912345678", password="KhacHoan2027")
    )
    assert second.pk == first.pk
    assert User.objects.count() == 1
    second.refresh_from_db()
    assert (second.full_name, second.phone) == ("Nguyễn Văn Ân", "0912345678")
    assert second.check_password("KhacHoan2027") and not second.check_password("Matkhau2026")
    new_secret = last_link_secret(first.email, "xac-nhan")
    assert new_secret != old_secret
    assert OutboundMessage.objects.filter(recipient=first.email).count() == 2
    with pytest.raises(services.AccountError) as exc:
        services.confirm_email(old_secret)
    assert exc.value.code == "invalid_token"
    assert services.confirm_email(new_secret).is_confirmed


def test_id_number_of_a_confirmed_account_is_refused():
    UserFactory(id_number="051090123456")
    with pytest.raises(ValidationError) as exc:
        services.register(registration())
    assert list(field_errors(exc)) == ["id_number"]
    assert is_vietnamese(field_errors(exc)["id_number"][0])


def test_unconfirmed_registrations_do_not_squat_a_number():
    UserFactory(id_number="051090123456", email_confirmed_at=None)
    user = services.register(registration())
    assert user.id_number == "051090123456"


def test_second_confirmation_of_one_number_is_refused():
    a = services.register(registration(email="a@example.vn"))
    secret_a = last_link_secret(a.email, "xac-nhan")
    b = services.register(registration(email="b@example.vn"))
    secret_b = last_link_secret(b.email, "xac-nhan")
    services.confirm_email(secret_a)
    with pytest.raises(services.AccountError) as exc:
        services.confirm_email(secret_b)
    assert (exc.value.code, exc.value.status) == ("id_number_taken", 409)
    assert is_vietnamese(exc.value.message)
    b.refresh_from_db()
    assert not b.is_confirmed
    # The refused link stays usable once the conflict is resolved by an administrator.
    assert OneTimeToken.objects.get(user=b).used_at is None


def test_organisation_registers_with_a_tax_code():
    user = services.register(
        registration(
            email="ketoan@congty.vn",
            kind=User.Kind.ORGANISATION,
            tax_code="0100109106 - 001",
            organisation_name="Công ty TNHH Thử nghiệm",
            id_number="",
        )
    )
    assert (user.kind, user.tax_code, user.id_number) == ("organisation", "0100109106-001", "")
    assert user.display_name == "Công ty TNHH Thử nghiệm"


def test_organisation_needs_a_valid_tax_code_and_a_name():
    with pytest.raises(ValidationError) as exc:
        services.register(
            registration(kind=User.Kind.ORGANISATION, tax_code="0100109107", id_number="")
        )
    assert set(field_errors(exc)) == {"tax_code", "organisation_name"}
    assert all(is_vietnamese(m) for ms in field_errors(exc).values() for m in ms)


def test_tax_code_of_a_confirmed_organisation_is_refused():
    UserFactory(kind=User.Kind.ORGANISATION, tax_code="0100109106", id_number="")
    with pytest.raises(ValidationError) as exc:
        services.register(
            registration(
                kind=User.Kind.ORGANISATION,
                tax_code="0100109106",
                organisation_name="Công ty B",
                id_number="",
            )
        )
    assert list(field_errors(exc)) == ["tax_code"]


def test_staff_accounts_cannot_be_self_registered():
    with pytest.raises(ValidationError) as exc:
        services.register(registration(kind=User.Kind.STAFF))
    assert list(field_errors(exc)) == ["kind"]


# --- confirmation --------------------------------------------------------------------------


def test_confirmation_link_is_single_use():
    user = services.register(registration())
    secret = last_link_secret(user.email, "xac-nhan")
    confirmed = services.confirm_email(secret)
    assert confirmed.pk == user.pk and confirmed.is_confirmed
    with pytest.raises(services.AccountError) as exc:
        services.confirm_email(secret)
    assert exc.value.code == "invalid_token"
    assert is_vietnamese(exc.value.message)


@pytest.mark.parametrize("secret", ["", "khong-dung", "x" * 43])
def test_wrong_token(secret):
    services.register(registration())
    with pytest.raises(services.AccountError) as exc:
        services.confirm_email(secret)
    assert exc.value.code == "invalid_token"
    assert not User.objects.get().is_confirmed


def test_confirmation_expires_after_its_lifetime(settings):
    user = services.register(registration())
    secret = last_link_secret(user.email, "xac-nhan")
    issued = OneTimeToken.objects.get(user=user).created_at
    with mock.patch("django.utils.timezone.now", return_value=issued + settings.CONFIRMATION_TTL):
        with pytest.raises(services.AccountError) as exc:
            services.confirm_email(secret)
    assert exc.value.code == "token_expired"
    assert is_vietnamese(exc.value.message)
    user.refresh_from_db()
    assert not user.is_confirmed
    # One second before the end it still works.
    almost = issued + settings.CONFIRMATION_TTL - dt.timedelta(seconds=1)
    with mock.patch("django.utils.timezone.now", return_value=almost):
        assert services.confirm_email(secret).is_confirmed


def test_expired_by_date_in_the_database():
    user = services.register(registration())
    secret = last_link_secret(user.email, "xac-nhan")
    OneTimeToken.objects.filter(user=user).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    with pytest.raises(services.AccountError) as exc:
        services.confirm_email(secret)
    assert exc.value.code == "token_expired"


def test_reset_link_does_not_confirm_an_account():
    user = UserFactory()
    services.request_password_reset(user.email)
    secret = last_link_secret(user.email, "dat-lai-mat-khau")
    with pytest.raises(services.AccountError):
        services.confirm_email(secret)


def test_resend_confirmation_sends_a_new_link_and_retires_the_old():
    user = services.register(registration())
    old = last_link_secret(user.email, "xac-nhan")
    services.resend_confirmation("  AN.NGUYEN@example.vn ")
    new = last_link_secret(user.email, "xac-nhan")
    assert new != old
    with pytest.raises(services.AccountError):
        services.confirm_email(old)
    services.confirm_email(new)


def test_resend_confirmation_is_silent_for_other_addresses():
    confirmed = UserFactory()
    services.resend_confirmation(confirmed.email)
    services.resend_confirmation("khong-ai@example.vn")
    services.resend_confirmation("")
    assert not OutboundMessage.objects.exists()
