"""Credentials, lockout and password reset (accounts.services)."""

import datetime as dt
from unittest import mock

import pytest
from axes.models import AccessAttempt
from django.core.exceptions import ValidationError
from django.utils import timezone

from motcua.accounts import services
from motcua.accounts.models import ApiToken, OneTimeToken
from motcua.notifications.models import OutboundMessage
from tests.accounts.helpers import is_vietnamese, last_link_secret
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def login(rf):
    def attempt(email, password, ip="203.0.113.7"):
        request = rf.post("/api/v1/auth/token", REMOTE_ADDR=ip)
        return services.check_credentials(request, email, password)

    return attempt


def error_of(fn, *args, **kwargs) -> services.AccountError:
    with pytest.raises(services.AccountError) as exc:
        fn(*args, **kwargs)
    assert is_vietnamese(exc.value.message), exc.value.message
    return exc.value


def test_good_credentials_return_the_user(login):
    user = UserFactory()
    assert login(f"  {user.email.upper()} ", PASSWORD) == user


@pytest.mark.parametrize("password", ["sai-mat-khau", "", None, PASSWORD.lower()])
def test_wrong_password(login, password):
    user = UserFactory()
    err = error_of(login, user.email, password)
    assert (err.code, err.status) == ("invalid_credentials", 401)


def test_unknown_address_looks_like_a_wrong_password(login):
    err = error_of(login, "khong-ai@example.vn", PASSWORD)
    assert (err.code, err.status) == ("invalid_credentials", 401)


def test_unconfirmed_account_with_the_right_password(login):
    user = UserFactory(email_confirmed_at=None)
    err = error_of(login, user.email, PASSWORD)
    assert (err.code, err.status) == ("unconfirmed", 403)


def test_unconfirmed_account_with_a_wrong_password_is_just_wrong(login):
    user = UserFactory(email_confirmed_at=None)
    assert error_of(login, user.email, "sai-mat-khau").code == "invalid_credentials"


def test_inactive_account_with_the_right_password(login):
    user = UserFactory(is_active=False)
    err = error_of(login, user.email, PASSWORD)
    assert (err.code, err.status) == ("inactive", 403)


def test_inactive_account_is_not_revealed_to_a_wrong_password(login):
    # Resend and reset are neutral so that nobody can probe which addresses exist; the
    # login must not tell a stranger that an address belongs to a disabled account either.
    user = UserFactory(is_active=False)
    assert error_of(login, user.email, "doan-bua-2026").code == "invalid_credentials"


def test_lockout_after_the_failure_limit(login, settings):
    user = UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert error_of(login, user.email, "sai-mat-khau").code == "invalid_credentials"
    err = error_of(login, user.email, "sai-mat-khau")
    assert (err.code, err.status) == ("locked", 403)
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    assert f"{minutes} phút" in err.message
    # Even the right password is refused while locked.
    assert error_of(login, user.email, PASSWORD).code == "locked"


def test_lockout_is_per_account_not_per_address(login, settings):
    user, other = UserFactory(), UserFactory()
    for i in range(settings.AXES_FAILURE_LIMIT):
        # A new address and a different spelling each time: neither resets the count.
        email = user.email.upper() if i % 2 else user.email
        error_of(login, email, "sai-mat-khau", ip=f"198.51.100.{i + 1}")
    assert error_of(login, user.email, PASSWORD, ip="192.0.2.200").code == "locked"
    # The office next door, sharing the public address, is not affected.
    assert login(other.email, PASSWORD, ip="198.51.100.1") == other


def test_lock_lifts_after_the_cool_off(login, settings):
    user = UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        error_of(login, user.email, "sai-mat-khau")
    assert error_of(login, user.email, PASSWORD).code == "locked"
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME + dt.timedelta(minutes=1)
    )
    assert error_of(login, user.email, PASSWORD).code == "locked"
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - dt.timedelta(seconds=1)
    )
    assert login(user.email, PASSWORD) == user


def test_success_resets_the_failure_count(login, settings):
    user = UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        error_of(login, user.email, "sai-mat-khau")
    login(user.email, PASSWORD)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert error_of(login, user.email, "sai-mat-khau").code == "invalid_credentials"


# --- password reset ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["unknown", "unconfirmed", "inactive"])
def test_reset_request_is_neutral(kind):
    email = {
        "unknown": lambda: "khong-ai@example.vn",
        "unconfirmed": lambda: UserFactory(email_confirmed_at=None).email,
        "inactive": lambda: UserFactory(is_active=False).email,
    }[kind]()
    assert services.request_password_reset(email) is None
    assert not OutboundMessage.objects.exists()
    assert not OneTimeToken.objects.exists()


def test_reset_link_sets_a_new_password_once():
    user = UserFactory()
    services.request_password_reset(user.email.upper())
    message = OutboundMessage.objects.get(recipient=user.email)
    assert is_vietnamese(message.subject)
    secret = last_link_secret(user.email, "dat-lai-mat-khau")
    assert services.check_reset_token(secret) == user
    assert services.check_reset_token(secret) == user  # looking does not use it up
    services.reset_password(secret, "MoiHon2027x")
    user.refresh_from_db()
    assert user.check_password("MoiHon2027x") and not user.check_password(PASSWORD)
    err = error_of(services.reset_password, secret, "KhacNua2028y")
    assert err.code == "invalid_token"
    user.refresh_from_db()
    assert user.check_password("MoiHon2027x")


def test_a_newer_reset_link_retires_the_older():
    user = UserFactory()
    services.request_password_reset(user.email)
    old = last_link_secret(user.email, "dat-lai-mat-khau")
    services.request_password_reset(user.email)
    assert error_of(services.check_reset_token, old).code == "invalid_token"


def test_reset_link_expires(settings):
    user = UserFactory()
    services.request_password_reset(user.email)
    secret = last_link_secret(user.email, "dat-lai-mat-khau")
    later = timezone.now() + settings.PASSWORD_RESET_TTL + dt.timedelta(seconds=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert error_of(services.reset_password, secret, "MoiHon2027x").code == "token_expired"
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_weak_new_password_keeps_the_link_usable():
    user = UserFactory()
    services.request_password_reset(user.email)
    secret = last_link_secret(user.email, "dat-lai-mat-khau")
    with pytest.raises(ValidationError) as exc:
        services.reset_password(secret, "ngan1")
    assert list(exc.value.message_dict) == ["password"]
    assert all(is_vietnamese(m) for m in exc.value.message_dict["password"])
    services.reset_password(secret, "MoiHon2027x")


def test_reset_revokes_api_tokens_and_lifts_the_lock(login, settings):
    user = UserFactory()
    bearer = services.issue_api_token(user)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        error_of(login, user.email, "sai-mat-khau")
    assert error_of(login, user.email, PASSWORD).code == "locked"
    services.request_password_reset(user.email)
    services.reset_password(last_link_secret(user.email, "dat-lai-mat-khau"), "MoiHon2027x")
    assert services.user_for_api_token(bearer) is None
    assert ApiToken.objects.get(user=user).revoked_at is not None
    assert login(user.email, "MoiHon2027x") == user


def test_reset_of_one_account_leaves_other_tokens_alone():
    user, other = UserFactory(), UserFactory()
    bearer = services.issue_api_token(other)
    services.request_password_reset(user.email)
    services.reset_password(last_link_secret(user.email, "dat-lai-mat-khau"), "MoiHon2027x")
    assert services.user_for_api_token(bearer) == other
