"""API bearer tokens, profile updates and password change (accounts.services)."""

import datetime as dt
import unicodedata
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from motcua.accounts import services
from motcua.accounts.models import ApiToken, User
from tests.accounts.helpers import is_vietnamese
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_token_is_stored_only_as_a_digest():
    user = UserFactory()
    secret = services.issue_api_token(user, user_agent="MotCua/1.0 (Android)")
    assert len(secret) >= 40
    row = ApiToken.objects.get(user=user)
    assert secret not in {row.digest, row.user_agent}
    assert not ApiToken.objects.filter(digest=secret).exists()
    assert row.user_agent == "MotCua/1.0 (Android)"
    assert services.user_for_api_token(secret) == user


def test_tokens_are_distinct():
    user = UserFactory()
    assert services.issue_api_token(user) != services.issue_api_token(user)
    assert ApiToken.objects.filter(user=user).count() == 2


def test_user_agent_is_truncated():
    secret = services.issue_api_token(UserFactory(), user_agent="x" * 500)
    assert services.user_for_api_token(secret) is not None
    assert len(ApiToken.objects.get().user_agent) == 200


def test_token_expires(settings):
    user = UserFactory()
    secret = services.issue_api_token(user)
    row = ApiToken.objects.get()
    assert abs(row.expires_at - (timezone.now() + settings.API_TOKEN_TTL)) < dt.timedelta(seconds=5)
    with mock.patch(
        "django.utils.timezone.now", return_value=row.expires_at - dt.timedelta(seconds=1)
    ):
        assert services.user_for_api_token(secret) == user
    with mock.patch("django.utils.timezone.now", return_value=row.expires_at):
        assert services.user_for_api_token(secret) is None


def test_revoked_token_stops_working_and_only_that_one():
    user = UserFactory()
    kept, revoked = services.issue_api_token(user), services.issue_api_token(user)
    services.revoke_api_token(revoked)
    assert services.user_for_api_token(revoked) is None
    assert services.user_for_api_token(kept) == user
    first_revocation = ApiToken.objects.get(revoked_at__isnull=False).revoked_at
    services.revoke_api_token(revoked)  # idempotent: the revocation time stays
    assert ApiToken.objects.get(revoked_at__isnull=False).revoked_at == first_revocation


def test_token_of_a_deactivated_account_stops_working():
    user = UserFactory()
    secret = services.issue_api_token(user)
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert services.user_for_api_token(secret) is None


@pytest.mark.parametrize("secret", ["", "khong-dung", "a" * 43])
def test_unknown_token(secret):
    services.issue_api_token(UserFactory())
    assert services.user_for_api_token(secret) is None


def test_last_use_is_written_at_most_once_a_minute(django_assert_num_queries):
    secret = services.issue_api_token(UserFactory())
    start = timezone.now()
    with mock.patch("django.utils.timezone.now", return_value=start):
        services.user_for_api_token(secret)
    assert ApiToken.objects.get().last_used_at == start
    with mock.patch("django.utils.timezone.now", return_value=start + dt.timedelta(seconds=59)):
        with django_assert_num_queries(1):  # the read only, no UPDATE
            services.user_for_api_token(secret)
    assert ApiToken.objects.get().last_used_at == start
    later = start + dt.timedelta(seconds=61)
    with mock.patch("django.utils.timezone.now", return_value=later):
        services.user_for_api_token(secret)
    assert ApiToken.objects.get().last_used_at == later


# --- profile -------------------------------------------------------------------------------


def test_update_profile_normalises():
    user = UserFactory()
    services.update_profile(
        user,
        services.ProfileUpdate(
            full_name=unicodedata.normalize("NFD", " Lê Thị Hồng "),
            phone="+84 912.345.678",
            address="  Thôn 3, xã Bình Sơn, tỉnh Quảng Ngãi ",
        ),
    )
    user.refresh_from_db()
    assert user.full_name == unicodedata.normalize("NFC", "Lê Thị Hồng")
    assert user.phone == "0912345678"
    assert user.address == "Thôn 3, xã Bình Sơn, tỉnh Quảng Ngãi"


def test_update_profile_reports_bad_fields_and_changes_nothing():
    user = UserFactory()
    before = (user.full_name, user.phone)
    with pytest.raises(ValidationError) as exc:
        services.update_profile(user, services.ProfileUpdate(full_name=" ", phone="02553822200"))
    assert set(exc.value.message_dict) == {"full_name", "phone"}
    assert all(is_vietnamese(m) for ms in exc.value.message_dict.values() for m in ms)
    user.refresh_from_db()
    assert (user.full_name, user.phone) == before


def test_organisation_name_only_changes_for_organisations():
    citizen = UserFactory()
    services.update_profile(
        citizen,
        services.ProfileUpdate(
            full_name="Nguyễn An", phone="0988123113", organisation_name="Công ty X"
        ),
    )
    citizen.refresh_from_db()
    assert citizen.organisation_name == ""
    org = UserFactory(kind=User.Kind.ORGANISATION, organisation_name="Công ty cũ", id_number="")
    services.update_profile(
        org,
        services.ProfileUpdate(
            full_name="Người đại diện", phone="0988123113", organisation_name="Công ty mới"
        ),
    )
    org.refresh_from_db()
    assert org.organisation_name == "Công ty mới"


def test_change_password():
    user = UserFactory()
    services.change_password(user, PASSWORD, "DoiMoi2027z")
    user.refresh_from_db()
    assert user.check_password("DoiMoi2027z")


def test_change_password_needs_the_current_one():
    user = UserFactory()
    with pytest.raises(ValidationError) as exc:
        services.change_password(user, "sai-mat-khau", "DoiMoi2027z")
    assert list(exc.value.message_dict) == ["old_password"]
    assert is_vietnamese(exc.value.message_dict["old_password"][0])
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


@pytest.mark.parametrize("new", ["ngan1", "chichucai", "12345678901", "password123"])
def test_change_password_applies_the_rules(new):
    user = UserFactory()
    with pytest.raises(ValidationError) as exc:
        services.change_password(user, PASSWORD, new)
    assert list(exc.value.message_dict) == ["new_password"]
    assert all(is_vietnamese(m) for m in exc.value.message_dict["new_password"])
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_token_gives_the_account_as_the_orm_reads_it():
    # The account is built from a hand-written row: every field must come back with the
    # type and value the ORM gives it (aware datetimes, booleans, nulls), on both databases.
    user = UserFactory(last_login=timezone.now() - dt.timedelta(days=2))
    secret = services.issue_api_token(user)
    found = services.user_for_api_token(secret)
    expected = User.objects.get(pk=user.pk)
    assert found is not None and found.pk == user.pk and not found._state.adding
    for field in User._meta.concrete_fields:
        got, want = getattr(found, field.attname), getattr(expected, field.attname)
        assert got == want and type(got) is type(want), field.name
    assert timezone.is_aware(found.last_login) and found.is_active is True


def test_a_token_costs_one_statement_reading_only_its_id_and_last_use(
    django_assert_num_queries,
):
    secret = services.issue_api_token(UserFactory())
    services.user_for_api_token(secret)  # the first use is written
    with django_assert_num_queries(1) as captured:
        assert services.user_for_api_token(secret) is not None
    sql = captured.captured_queries[0]["sql"]
    # The token's row is only checked, not loaded: its digest and user agent stay put.
    for column in ("digest", "user_agent", "created_at", "revoked_at", "expires_at"):
        assert f'"accounts_apitoken"."{column}",' not in sql.split("FROM")[0], column
