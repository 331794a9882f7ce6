"""/api/v1/auth/* and /api/v1/me: every answer and every error of docs/api.md "Authentication"."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.accounts import services
from motcua.accounts.models import ApiToken, OneTimeToken, User
from motcua.notifications.models import OutboundMessage
from tests.accounts.helpers import last_link_secret
from tests.api.helpers import assert_error
from tests.factories import PASSWORD, MembershipFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

REGISTER = "/api/v1/auth/register"
GOOD = {
    "email": "An.Nguyen@Example.vn",
    "password": "Matkhau2026",
    "full_name": "Nguyễn Văn An",
    "phone": "0988123113",
    "id_number": "051090123456",
}


def post(api, url, data=None, **extra):
    return api.post(url, data if data is not None else {}, format="json", **extra)


def bearer(api, token):
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return api


# --- the whole journey, with real commits so the e-mail really leaves -----------------------


@pytest.mark.django_db(transaction=True)
def test_register_confirm_login_me_logout(api):
    r = post(api, REGISTER, GOOD)
    assert r.status_code == 201, r.content
    user = User.objects.get()
    assert r.json() == {
        "id": user.pk,
        "email": "an.nguyen@example.vn",
        "status": "pending_confirmation",
    }
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["an.nguyen@example.vn"]
    assert message.subject == "Xác nhận đăng ký tài khoản sử dụng dịch vụ công trực tuyến"
    token = re.search(r"/xac-nhan/([\w-]+)", message.body).group(1)

    assert_error(
        post(api, "/api/v1/auth/token", {"email": GOOD["email"], "password": GOOD["password"]}),
        403,
        "unconfirmed",
    )
    r = post(api, "/api/v1/auth/confirm", {"token": token})
    assert r.status_code == 200 and r.json()["status"] == "confirmed"
    assert_error(post(api, "/api/v1/auth/confirm", {"token": token}), 400, "invalid_token")

    r = post(
        api, "/api/v1/auth/token", {"email": "AN.NGUYEN@example.vn", "password": GOOD["password"]}
    )
    assert r.status_code == 200, r.content
    me = bearer(api, r.json()["token"]).get("/api/v1/me")
    assert me.status_code == 200
    assert me.json()["full_name"] == "Nguyễn Văn An" and me.json()["confirmed"] is True
    assert post(api, "/api/v1/auth/logout").status_code == 204
    assert_error(api.get("/api/v1/me"), 401, "unauthenticated")


# --- register ---------------------------------------------------------------------------------


def test_register_answers_exactly_the_documented_shape(api):
    r = post(api, REGISTER, GOOD)
    assert r.status_code == 201
    body = r.json()
    assert set(body) == {"id", "email", "status"}
    assert body["status"] == "pending_confirmation" and body["email"] == "an.nguyen@example.vn"
    assert isinstance(body["id"], int)
    assert OutboundMessage.objects.filter(recipient="an.nguyen@example.vn").count() == 1


def test_register_an_organisation(api):
    r = post(
        api,
        REGISTER,
        {
            **GOOD,
            "id_number": "",
            "kind": "organisation",
            "tax_code": "0100109106-001",
            "organisation_name": "Công ty TNHH Thử",
        },
    )
    assert r.status_code == 201, r.content
    assert User.objects.get().tax_code == "0100109106-001"


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        ({"email": "khong-phai-thu"}, {"email"}),
        ({"email": "a" * 250 + "@example.vn"}, {"email"}),  # over the serializer's 254
        ({"password": "abc"}, {"password"}),
        ({"password": "chichucaithoi"}, {"password"}),
        ({"full_name": ""}, {"full_name"}),
        ({"full_name": "A"}, {"full_name"}),
        ({"phone": "02553822200"}, {"phone"}),
        ({"phone": "0988"}, {"phone"}),
        ({"id_number": "12345"}, {"id_number"}),
        ({"id_number": "000090123456"}, {"id_number"}),
        ({"id_number": ""}, {"id_number"}),
        ({"kind": "staff"}, {"kind"}),
        ({"kind": "organisation", "id_number": ""}, {"tax_code", "organisation_name"}),
        ({"email": None}, {"email"}),
        ({"full_name": {"ho": "Nguyễn"}}, {"full_name"}),
        ({"phone": ["0988123113"]}, {"phone"}),
    ],
)
def test_register_invalid_fields(api, change, fields):
    r = post(api, REGISTER, {**GOOD, **change})
    assert_error(r, 400, "validation_error", fields)
    assert not User.objects.exists()
    assert not OutboundMessage.objects.exists()


def test_register_reports_every_rule_at_once(api):
    r = post(
        api,
        REGISTER,
        {**GOOD, "email": "x", "password": "1", "phone": "1", "id_number": "1", "full_name": "AB"},
    )
    assert_error(r, 400, "validation_error", {"email", "password", "phone", "id_number"})


@pytest.mark.parametrize("missing", ["email", "password", "full_name", "phone"])
def test_register_missing_field(api, missing):
    data = {k: v for k, v in GOOD.items() if k != missing}
    assert_error(post(api, REGISTER, data), 400, "validation_error", {missing})


def test_register_body_must_be_an_object(api):
    assert_error(post(api, REGISTER, [GOOD]), 400, "validation_error", {"non_field_errors"})


def test_register_a_confirmed_address_again_answers_as_for_a_new_one(api):
    owner = UserFactory(email="an.nguyen@example.vn")
    password = owner.password
    taken = post(api, REGISTER, {**GOOD, "id_number": "051190123456"})
    fresh = post(
        api, REGISTER, {**GOOD, "email": "binh.tran@example.vn", "id_number": "051190654321"}
    )
    assert taken.status_code == fresh.status_code == 201
    assert set(taken.json()) == set(fresh.json())
    assert taken.json()["status"] == fresh.json()["status"] == "pending_confirmation"
    owner.refresh_from_db()
    assert owner.password == password and owner.is_confirmed
    told = OutboundMessage.objects.get(recipient="an.nguyen@example.vn")
    assert "đã có tài khoản" in told.body_text


def test_register_a_number_confirmed_elsewhere(api):
    UserFactory(id_number=GOOD["id_number"])
    assert_error(post(api, REGISTER, GOOD), 400, "validation_error", {"id_number"})


def test_register_again_before_confirming_sends_a_fresh_link(api):
    assert post(api, REGISTER, GOOD).status_code == 201
    first = last_link_secret("an.nguyen@example.vn", "xac-nhan")
    r = post(api, REGISTER, {**GOOD, "full_name": "Nguyễn Văn Ân"})
    assert r.status_code == 201
    assert User.objects.get().full_name == "Nguyễn Văn Ân"
    second = last_link_secret("an.nguyen@example.vn", "xac-nhan")
    assert_error(post(api, "/api/v1/auth/confirm", {"token": first}), 400, "invalid_token")
    assert post(api, "/api/v1/auth/confirm", {"token": second}).status_code == 200


# --- confirm ----------------------------------------------------------------------------------


@pytest.fixture
def pending_secret(api):
    assert post(api, REGISTER, GOOD).status_code == 201
    return last_link_secret("an.nguyen@example.vn", "xac-nhan")


def test_confirm(api, pending_secret):
    r = post(api, "/api/v1/auth/confirm", {"token": pending_secret})
    assert r.status_code == 200
    assert r.json()["status"] == "confirmed"
    assert User.objects.get().is_confirmed


@pytest.mark.parametrize("token", ["khong-dung", "x" * 43])
def test_confirm_wrong_token(api, pending_secret, token):
    assert_error(post(api, "/api/v1/auth/confirm", {"token": token}), 400, "invalid_token")
    assert not User.objects.get().is_confirmed


def test_confirm_expired_token(api, pending_secret):
    OneTimeToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert_error(post(api, "/api/v1/auth/confirm", {"token": pending_secret}), 400, "token_expired")


def test_confirm_without_token(api):
    assert_error(post(api, "/api/v1/auth/confirm", {}), 400, "validation_error", {"token"})
    assert_error(
        post(api, "/api/v1/auth/confirm", {"token": ""}), 400, "validation_error", {"token"}
    )


def test_confirm_a_number_someone_confirmed_meanwhile(api, pending_secret):
    UserFactory(id_number=GOOD["id_number"])
    assert_error(
        post(api, "/api/v1/auth/confirm", {"token": pending_secret}), 409, "id_number_taken"
    )


def test_confirm_a_tax_code_someone_confirmed_meanwhile(api):
    org = {
        **GOOD,
        "id_number": "",
        "kind": "organisation",
        "tax_code": "0100109106",
        "organisation_name": "Công ty A",
    }
    assert post(api, REGISTER, org).status_code == 201
    secret = last_link_secret("an.nguyen@example.vn", "xac-nhan")
    UserFactory(kind=User.Kind.ORGANISATION, tax_code="0100109106", id_number="")
    assert_error(post(api, "/api/v1/auth/confirm", {"token": secret}), 409, "tax_code_taken")


# --- resend-confirmation ----------------------------------------------------------------------


def test_resend_is_neutral(api, pending_secret):
    confirmed = UserFactory()
    answers = [
        post(api, "/api/v1/auth/resend-confirmation", {"email": email})
        for email in ("AN.NGUYEN@example.vn", confirmed.email, "khong-ai@example.vn")
    ]
    assert {r.status_code for r in answers} == {202}
    assert len({r.content for r in answers}) == 1  # the same words whoever asks
    assert OutboundMessage.objects.filter(recipient="an.nguyen@example.vn").count() == 2
    assert not OutboundMessage.objects.filter(recipient=confirmed.email).exists()
    assert last_link_secret("an.nguyen@example.vn", "xac-nhan") != pending_secret


def test_resend_needs_an_email(api):
    assert_error(
        post(api, "/api/v1/auth/resend-confirmation", {}), 400, "validation_error", {"email"}
    )


# --- token ------------------------------------------------------------------------------------


TOKEN = "/api/v1/auth/token"


def test_token(api, citizen):
    r = post(
        api,
        TOKEN,
        {"email": citizen.email, "password": PASSWORD},
        HTTP_USER_AGENT="MotCua-Android/2.1",
    )
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {"token", "expires_at"}
    assert dt.datetime.fromisoformat(body["expires_at"]) > timezone.now() + dt.timedelta(days=29)
    assert body["expires_at"].endswith("+07:00")  # docs/api.md: dates with the +07:00 offset
    row = ApiToken.objects.get(user=citizen)
    assert row.user_agent == "MotCua-Android/2.1"
    assert bearer(api, body["token"]).get("/api/v1/me").json()["email"] == citizen.email


@pytest.mark.parametrize("password", ["sai-mat-khau", PASSWORD.upper()])
def test_token_wrong_password(api, citizen, password):
    assert_error(
        post(api, TOKEN, {"email": citizen.email, "password": password}), 401, "invalid_credentials"
    )


def test_token_unknown_address(api):
    assert_error(
        post(api, TOKEN, {"email": "khong-ai@example.vn", "password": PASSWORD}),
        401,
        "invalid_credentials",
    )


def test_token_unconfirmed(api):
    user = UserFactory(email_confirmed_at=None)
    assert_error(post(api, TOKEN, {"email": user.email, "password": PASSWORD}), 403, "unconfirmed")


def test_token_inactive(api):
    user = UserFactory(is_active=False)
    assert_error(post(api, TOKEN, {"email": user.email, "password": PASSWORD}), 403, "inactive")


def test_token_missing_fields(api):
    assert_error(post(api, TOKEN, {}), 400, "validation_error", {"email", "password"})


def test_token_locked_after_repeated_failures(api, citizen, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert_error(
            post(api, TOKEN, {"email": citizen.email, "password": "sai"}),
            401,
            "invalid_credentials",
        )
    assert_error(post(api, TOKEN, {"email": citizen.email, "password": "sai"}), 403, "locked")
    # Another address and the right password change nothing while the lock lasts.
    r = post(api, TOKEN, {"email": citizen.email, "password": PASSWORD}, REMOTE_ADDR="192.0.2.99")
    assert_error(r, 403, "locked")
    assert not ApiToken.objects.exists()


@pytest.fixture
def staff_with_totp(db):
    staff = StaffFactory()
    device = TOTPDevice.objects.create(user=staff, name="điện thoại", confirmed=True)
    return staff, device


def code_of(device, offset=0) -> str:
    return (
        f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + offset):06d}"
    )


def test_staff_with_a_device_must_give_a_code(api, staff_with_totp):
    staff, device = staff_with_totp
    creds = {"email": staff.email, "password": PASSWORD}
    assert_error(post(api, TOKEN, creds), 401, "otp_required")
    assert_error(post(api, TOKEN, {**creds, "otp": ""}), 401, "otp_required")
    wrong = f"{(int(code_of(device)) + 1) % 1_000_000:06d}"
    assert_error(post(api, TOKEN, {**creds, "otp": wrong}), 401, "otp_invalid")
    device.refresh_from_db()
    device.throttling_failure_count = 0  # django-otp slows down after a failure
    device.throttling_failure_timestamp = None
    device.save()
    r = post(api, TOKEN, {**creds, "otp": code_of(device)})
    assert r.status_code == 200, r.content
    assert "token" in r.json()


def test_staff_code_with_spaces_accepted(api, staff_with_totp):
    staff, device = staff_with_totp
    code = code_of(device)
    r = post(
        api, TOKEN, {"email": staff.email, "password": PASSWORD, "otp": f"{code[:3]} {code[3:]}"}
    )
    assert r.status_code == 200, r.content


def test_staff_code_cannot_be_replayed(api, staff_with_totp):
    staff, device = staff_with_totp
    creds = {"email": staff.email, "password": PASSWORD, "otp": code_of(device)}
    assert post(api, TOKEN, creds).status_code == 200
    assert_error(post(api, TOKEN, creds), 401, "otp_invalid")


def test_staff_without_device_in_demo_mode(api, staff, settings):
    settings.STAFF_2FA_REQUIRED = False
    assert post(api, TOKEN, {"email": staff.email, "password": PASSWORD}).status_code == 200


def test_staff_without_device_when_2fa_is_required(api, staff, settings):
    settings.STAFF_2FA_REQUIRED = True
    creds = {"email": staff.email, "password": PASSWORD}
    assert_error(post(api, TOKEN, creds), 401, "otp_required")
    assert_error(post(api, TOKEN, {**creds, "otp": "123456"}), 403, "otp_setup_required")


def test_citizens_never_need_a_code(api, citizen, settings):
    settings.STAFF_2FA_REQUIRED = True
    assert post(api, TOKEN, {"email": citizen.email, "password": PASSWORD}).status_code == 200


# --- logout -----------------------------------------------------------------------------------


def test_logout_revokes_only_this_token(api, citizen):
    phone, laptop = services.issue_api_token(citizen), services.issue_api_token(citizen)
    assert post(bearer(api, phone), "/api/v1/auth/logout").status_code == 204
    assert_error(api.get("/api/v1/me"), 401, "unauthenticated")
    assert bearer(api, laptop).get("/api/v1/me").status_code == 200


def test_logout_needs_a_token(api):
    assert_error(post(api, "/api/v1/auth/logout"), 401, "unauthenticated")


# --- password reset ---------------------------------------------------------------------------


def test_password_reset_is_neutral(api, citizen):
    known = post(api, "/api/v1/auth/password-reset", {"email": citizen.email.upper()})
    unknown = post(api, "/api/v1/auth/password-reset", {"email": "khong-ai@example.vn"})
    assert known.status_code == unknown.status_code == 202
    assert known.content == unknown.content
    assert OutboundMessage.objects.filter(recipient=citizen.email).count() == 1
    assert OutboundMessage.objects.count() == 1


def test_password_reset_confirm(api, citizen):
    old_token = services.issue_api_token(citizen)
    post(api, "/api/v1/auth/password-reset", {"email": citizen.email})
    secret = last_link_secret(citizen.email, "dat-lai-mat-khau")
    assert_error(
        post(api, "/api/v1/auth/password-reset/confirm", {"token": secret, "password": "ngan"}),
        400,
        "validation_error",
        {"password"},
    )
    r = post(
        api, "/api/v1/auth/password-reset/confirm", {"token": secret, "password": "MoiHon2027x"}
    )
    assert r.status_code == 200 and r.json()["status"] == "done"
    assert_error(
        post(
            api,
            "/api/v1/auth/password-reset/confirm",
            {"token": secret, "password": "KhacNua2028y"},
        ),
        400,
        "invalid_token",
    )
    assert_error(bearer(api, old_token).get("/api/v1/me"), 401, "unauthenticated")
    api.credentials()
    assert post(api, TOKEN, {"email": citizen.email, "password": "MoiHon2027x"}).status_code == 200


def test_password_reset_confirm_errors(api, citizen):
    url = "/api/v1/auth/password-reset/confirm"
    assert_error(post(api, url, {}), 400, "validation_error", {"token", "password"})
    assert_error(
        post(api, url, {"token": "khong-dung", "password": "MoiHon2027x"}), 400, "invalid_token"
    )
    post(api, "/api/v1/auth/password-reset", {"email": citizen.email})
    secret = last_link_secret(citizen.email, "dat-lai-mat-khau")
    OneTimeToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert_error(post(api, url, {"token": secret, "password": "MoiHon2027x"}), 400, "token_expired")


def test_password_reset_needs_an_email(api):
    assert_error(post(api, "/api/v1/auth/password-reset", {}), 400, "validation_error", {"email"})


# --- me ---------------------------------------------------------------------------------------


def test_me(citizen_api, citizen):
    r = citizen_api.get("/api/v1/me")
    assert r.status_code == 200
    body = r.json()
    assert body["id"] == citizen.pk and body["email"] == citizen.email
    assert (body["kind"], body["confirmed"], body["roles"]) == ("citizen", True, [])
    assert body["id_number"] == citizen.id_number and body["phone"] == citizen.phone
    assert body["date_joined"].endswith("+07:00")
    assert "password" not in body


def test_me_of_staff_lists_roles(api):
    membership = MembershipFactory()
    r = bearer(api, services.issue_api_token(membership.user)).get("/api/v1/me")
    assert r.json()["roles"] == [
        {
            "agency": membership.agency.code,
            "agency_name": membership.agency.name,
            "role": "receiver",
        }
    ]


def test_me_without_a_token(api):
    r = api.get("/api/v1/me")
    assert_error(r, 401, "unauthenticated")
    assert r["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize(
    "header",
    ["Bearer khong-dung", "Bearer", "Bearer a b", "Token abc", "Basic YWJjOmRlZg=="],
)
def test_me_with_a_bad_header(api, citizen, header):
    services.issue_api_token(citizen)
    r = api.get("/api/v1/me", HTTP_AUTHORIZATION=header)
    assert_error(r, 401, "unauthenticated")


def test_me_with_a_revoked_token(api, citizen):
    token = services.issue_api_token(citizen)
    services.revoke_api_token(token)
    assert_error(bearer(api, token).get("/api/v1/me"), 401, "unauthenticated")


def test_me_with_an_expired_token(api, citizen):
    token = services.issue_api_token(citizen)
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert_error(bearer(api, token).get("/api/v1/me"), 401, "unauthenticated")


def test_auth_scheme_is_case_insensitive(api, citizen):
    # RFC 7235 §2.1: clients may send "bearer".
    token = services.issue_api_token(citizen)
    assert api.get("/api/v1/me", HTTP_AUTHORIZATION=f"bearer {token}").status_code == 200


def test_me_patch(citizen_api, citizen):
    r = citizen_api.patch(
        "/api/v1/me",
        {
            "full_name": "Nguyễn Thị Bình",
            "phone": "+84 912 345 678",
            "address": "Thôn 1, xã Bình Sơn",
        },
        format="json",
    )
    assert r.status_code == 200, r.content
    assert (r.json()["full_name"], r.json()["phone"], r.json()["address"]) == (
        "Nguyễn Thị Bình",
        "0912345678",
        "Thôn 1, xã Bình Sơn",
    )
    citizen.refresh_from_db()
    assert citizen.phone == "0912345678"


def test_me_patch_is_partial(citizen_api, citizen):
    # openapi.yaml documents every PATCH field as optional (PatchedMeUpdateInRequest).
    name = citizen.full_name
    r = citizen_api.patch("/api/v1/me", {"phone": "0912345678"}, format="json")
    assert r.status_code == 200, r.content
    citizen.refresh_from_db()
    assert (citizen.full_name, citizen.phone) == (name, "0912345678")


def test_me_patch_invalid(citizen_api, citizen):
    before = citizen.phone
    r = citizen_api.patch(
        "/api/v1/me", {"full_name": "Nguyễn An", "phone": "0255382220"}, format="json"
    )
    assert_error(r, 400, "validation_error", {"phone"})
    r = citizen_api.patch("/api/v1/me", {"full_name": " ", "phone": "0912345678"}, format="json")
    assert_error(r, 400, "validation_error", {"full_name"})
    citizen.refresh_from_db()
    assert citizen.phone == before


def test_me_patch_needs_a_token(api):
    assert_error(
        api.patch("/api/v1/me", {"phone": "0912345678"}, format="json"), 401, "unauthenticated"
    )
