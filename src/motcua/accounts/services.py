"""Account writes: registration, confirmation, login, password reset, API tokens.

The portal forms and the API serializers only check shapes; the rules live here, so that
both faces behave the same. Errors are raised as ``AccountError`` with a stable ``code``
(the API's error code) and a Vietnamese message, or as Django ``ValidationError`` keyed by
field for bad input.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from motcua.accounts.models import ApiToken, OneTimeToken, User
from motcua.core import validators
from motcua.core.db import fetch_text_row
from motcua.core.text import nfc
from motcua.notifications.services import queue_email


class AccountError(Exception):
    def __init__(self, code: str, message: str, status: int = 400):
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass
class Registration:
    email: str
    password: str
    full_name: str
    phone: str
    id_number: str = ""
    kind: str = User.Kind.CITIZEN
    tax_code: str = ""
    organisation_name: str = ""


def clean_registration(data: Registration) -> Registration:
    """Normalise and validate every field; raise one ``ValidationError`` listing them all."""
    errors: dict[str, list[str]] = {}

    def check(field, fn):
        try:
            return fn()
        except (ValueError, ValidationError) as exc:
            msgs = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            errors.setdefault(field, []).extend(msgs)
            return getattr(data, field)

    email = (data.email or "").strip().lower()
    if not email:
        errors["email"] = ["Vui lòng nhập địa chỉ thư điện tử."]
    elif len(email) > 254:  # Django's validator allows up to 320; the column holds 254
        errors["email"] = ["Địa chỉ thư điện tử dài quá 254 ký tự."]
    else:
        check("email", lambda: validate_email(email) or email)
    full_name = nfc(data.full_name)
    if len(full_name) < 2:
        errors["full_name"] = ["Vui lòng nhập họ và tên."]
    elif len(full_name) > 150:
        errors["full_name"] = ["Họ và tên dài quá 150 ký tự."]
    phone = check("phone", lambda: validators.validate_mobile(data.phone))
    kind = data.kind if data.kind in (User.Kind.CITIZEN, User.Kind.ORGANISATION) else None
    if kind is None:
        errors["kind"] = ["Loại tài khoản phải là công dân hoặc tổ chức."]
    id_number, tax_code, org_name = "", "", ""
    if kind == User.Kind.ORGANISATION:
        tax_code = check("tax_code", lambda: validators.validate_tax_code(data.tax_code))
        org_name = nfc(data.organisation_name)
        if not org_name:
            errors["organisation_name"] = ["Vui lòng nhập tên tổ chức, doanh nghiệp."]
        elif len(org_name) > 255:
            errors["organisation_name"] = ["Tên tổ chức dài quá 255 ký tự."]
        if data.id_number:
            id_number = check("id_number", lambda: validators.validate_id_number(data.id_number))
    else:
        id_number = check("id_number", lambda: validators.validate_id_number(data.id_number))
    candidate = User(email=email, full_name=full_name, phone=phone or "", id_number=id_number or "")
    if not data.password:
        errors["password"] = ["Vui lòng nhập mật khẩu."]
    else:
        check("password", lambda: validate_password(data.password, user=candidate))
    if errors:
        raise ValidationError(errors)
    return Registration(
        email=email,
        password=data.password,
        full_name=full_name,
        phone=phone,
        id_number=id_number or "",
        kind=kind,
        tax_code=tax_code or "",
        organisation_name=org_name,
    )


def register(data: Registration) -> User:
    """Create an unconfirmed account and send the confirmation e-mail.

    Registering again with an address that was never confirmed is not an error: the person
    probably lost the first e-mail. The pending details are replaced, older links stop
    working, and a fresh link is sent.

    An address that already has an account gets the same answer as a new one, so the form
    cannot be used to learn who has an account: nothing is changed, and the owner is told
    by e-mail (with the ways in: log in, reset the password).
    """
    clean = clean_registration(data)
    with transaction.atomic():
        user = User.objects.select_for_update().filter(email=clean.email).first()
        if user is not None and user.is_confirmed:
            queue_email(
                to=user.email,
                template="account_exists",
                context={
                    "user": user,
                    "login_link": f"{settings.BASE_URL}/dang-nhap/",
                    "reset_link": f"{settings.BASE_URL}/quen-mat-khau/",
                },
            )
            return user
        taken = User.objects.filter(email_confirmed_at__isnull=False).exclude(email=clean.email)
        if clean.id_number and taken.filter(id_number=clean.id_number).exists():
            raise ValidationError(
                {
                    "id_number": [
                        "Số định danh này đã gắn với một tài khoản khác. Vui lòng đăng nhập bằng tài khoản đó "
                        "hoặc liên hệ đường dây nóng để được hỗ trợ."
                    ]
                }
            )
        if clean.tax_code and taken.filter(tax_code=clean.tax_code).exists():
            raise ValidationError({"tax_code": ["Mã số thuế này đã gắn với một tài khoản khác."]})
        if user is None:
            user = User(email=clean.email)
        user.full_name, user.phone, user.kind = clean.full_name, clean.phone, clean.kind
        user.id_number, user.tax_code, user.organisation_name = (
            clean.id_number,
            clean.tax_code,
            clean.organisation_name,
        )
        user.set_password(clean.password)
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:
            # Two registrations of one new address in the same instant: the other one won.
            raise ValidationError(
                {"email": ["Địa chỉ thư điện tử này vừa được đăng ký. Vui lòng kiểm tra hộp thư."]}
            ) from None
        _send_token(user, OneTimeToken.Purpose.CONFIRM)
    return user


def _send_token(user: User, purpose: str) -> None:
    now = timezone.now()
    OneTimeToken.objects.filter(user=user, purpose=purpose, used_at__isnull=True).update(
        used_at=now
    )
    secret = secrets.token_urlsafe(32)
    ttl = (
        settings.CONFIRMATION_TTL
        if purpose == OneTimeToken.Purpose.CONFIRM
        else settings.PASSWORD_RESET_TTL
    )
    OneTimeToken.objects.create(
        user=user, purpose=purpose, digest=_digest(secret), expires_at=now + ttl
    )
    if purpose == OneTimeToken.Purpose.CONFIRM:
        link = f"{settings.BASE_URL}/xac-nhan/{secret}"
        template = "confirm_registration"
    else:
        link = f"{settings.BASE_URL}/dat-lai-mat-khau/{secret}"
        template = "password_reset"
    queue_email(
        to=user.email,
        template=template,
        context={
            "user": user,
            "link": link,
            "hours": int(ttl.total_seconds() // 3600),
        },
    )


def resend_confirmation(email: str) -> None:
    """Send a fresh link to an unconfirmed address; silently nothing for any other address,
    so the form cannot be used to learn who has an account."""
    with transaction.atomic():
        user = (
            User.objects.select_for_update()
            .filter(email=(email or "").strip().lower(), email_confirmed_at__isnull=True)
            .first()
        )
        if user is not None:
            _send_token(user, OneTimeToken.Purpose.CONFIRM)


def _use_token(secret: str, purpose: str) -> OneTimeToken:
    token = (
        OneTimeToken.objects.select_for_update()
        .select_related("user")
        .filter(digest=_digest(secret or ""), purpose=purpose)
        .first()
    )
    if token is None or token.used_at is not None:
        raise AccountError("invalid_token", "Đường dẫn không hợp lệ hoặc đã được sử dụng.")
    if token.expires_at <= timezone.now():
        raise AccountError("token_expired", "Đường dẫn đã hết hạn. Vui lòng yêu cầu gửi lại.")
    token.used_at = timezone.now()
    token.save(update_fields=["used_at"])
    return token


def confirm_email(secret: str) -> User:
    """Use a confirmation link. Single use; an expired or replaced link is refused."""
    with transaction.atomic():
        token = _use_token(secret, OneTimeToken.Purpose.CONFIRM)
        user = token.user
        if user.is_confirmed:
            return user
        taken = User.objects.filter(email_confirmed_at__isnull=False).exclude(pk=user.pk)
        if user.id_number and taken.filter(id_number=user.id_number).exists():
            raise AccountError(
                "id_number_taken",
                "Số định danh này đã gắn với một tài khoản khác đã xác nhận.",
                409,
            )
        if user.tax_code and taken.filter(tax_code=user.tax_code).exists():
            raise AccountError(
                "tax_code_taken", "Mã số thuế này đã gắn với một tài khoản khác đã xác nhận.", 409
            )
        user.email_confirmed_at = timezone.now()
        user.save(update_fields=["email_confirmed_at"])
        return user


def check_credentials(request, email: str, password: str) -> User:
    """Authenticate through django-axes so failures count toward the lockout.

    Raises ``AccountError`` with code ``locked`` (403), ``invalid_credentials`` (401),
    ``unconfirmed`` (403) or ``inactive`` (403).
    """
    from axes.exceptions import AxesBackendPermissionDenied

    email = (email or "").strip().lower()
    try:
        user = authenticate(request, email=email, username=email, password=password or "")
    except AxesBackendPermissionDenied:
        user = None
    if getattr(request, "axes_locked_out", False):
        minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
        raise AccountError(
            "locked",
            f"Tài khoản tạm khóa do nhập sai mật khẩu nhiều lần. Vui lòng thử lại sau {minutes} phút "
            "hoặc dùng chức năng Quên mật khẩu.",
            403,
        )
    if user is None:
        # Say "disabled" only to someone who knows the password: anyone else learns nothing
        # about which addresses have accounts (as with resend and password reset).
        inactive = User.objects.filter(email=email, is_active=False).first()
        if inactive is not None and inactive.check_password(password or ""):
            raise AccountError(
                "inactive", "Tài khoản đã bị khóa. Vui lòng liên hệ quản trị viên.", 403
            )
        raise AccountError("invalid_credentials", "Thư điện tử hoặc mật khẩu không đúng.", 401)
    if settings.AXES_RESET_ON_SUCCESS:
        # axes resets on the ``user_logged_in`` signal, which an API token request never
        # sends: without this, earlier typos would keep counting toward a lockout.
        from axes.utils import reset

        reset(username=email)
    if not user.is_confirmed:
        raise AccountError(
            "unconfirmed",
            "Tài khoản chưa được xác nhận. Vui lòng mở thư «Xác nhận đăng ký tài khoản sử dụng dịch vụ công "
            "trực tuyến» và bấm vào đường dẫn trong thư.",
            403,
        )
    return user


def staff_needs_second_factor(user: User) -> bool:
    """Staff with a confirmed TOTP device always give a code; in production all staff must."""
    from django_otp import devices_for_user

    if user.kind != User.Kind.STAFF and not user.is_staff:
        return False
    return settings.STAFF_2FA_REQUIRED or any(devices_for_user(user, confirmed=True))


def verify_second_factor(user: User, code: str):
    """Return the TOTP device that accepted ``code``, or raise ``AccountError``."""
    from django_otp import devices_for_user

    code = (code or "").strip().replace(" ", "")
    for device in devices_for_user(user, confirmed=True):
        if device.verify_token(code):
            return device
    if not any(devices_for_user(user, confirmed=True)):
        raise AccountError(
            "otp_setup_required", "Cán bộ cần thiết lập xác thực hai bước trước khi đăng nhập.", 403
        )
    raise AccountError("otp_invalid", "Mã xác thực không đúng hoặc đã hết hạn.", 401)


def issue_api_token(user: User, *, user_agent: str = "") -> str:
    secret = secrets.token_urlsafe(32)
    ApiToken.objects.create(
        user=user,
        digest=_digest(secret),
        expires_at=timezone.now() + settings.API_TOKEN_TTL,
        user_agent=(user_agent or "")[:200],
    )
    return secret


_TOKEN_QUERIES: dict[str, tuple] = {}
# A token's last use is written at most once a minute: a busy app must not turn reads into
# writes.
API_TOKEN_USE_RESOLUTION = 60


def _token_query():
    """The statement of ``user_for_api_token`` for this database, with the account's field
    names and each column's converters (SQLite returns datetimes as text, booleans as
    integers), worked out once per process and backend."""
    held = _TOKEN_QUERIES.get(connection.vendor)
    if held is not None:
        return held
    quote = connection.ops.quote_name
    fields = list(User._meta.concrete_fields)
    user_table, token_table = quote(User._meta.db_table), quote(ApiToken._meta.db_table)
    columns = ", ".join(f"{user_table}.{quote(f.column)}" for f in fields)
    # Only identifiers from the models' metadata go into the text; the values are parameters.
    token = f"{token_table}."
    sql = " ".join(
        [
            "SELECT",
            f"{token}{quote('id')}, {token}{quote('last_used_at')}, {columns}",
            f"FROM {token_table} INNER JOIN {user_table}",
            f"ON {user_table}.{quote('id')} = {token}{quote('user_id')}",
            f"WHERE {token}{quote('digest')} = %s AND {token}{quote('revoked_at')} IS NULL",
            f"AND {token}{quote('expires_at')} > %s AND {user_table}.{quote('is_active')}",
        ]
    )
    cols = [ApiToken._meta.get_field("last_used_at").get_col(ApiToken._meta.db_table)]
    cols += [f.get_col(User._meta.db_table) for f in fields]
    converters = [
        [(f, c) for f in connection.ops.get_db_converters(c) + c.get_db_converters(connection)]
        for c in cols
    ]
    held = _TOKEN_QUERIES[connection.vendor] = (sql, [f.attname for f in fields], converters)
    return held


def user_for_api_token(secret: str) -> User | None:
    """The active account a live bearer token belongs to, or None.

    Every API request pays for this, so it is one hand-written statement (the account's
    columns and the token's last use) instead of a queryset compiled anew on each request;
    the account is built from the row as the ORM builds it (``Model.from_db``)."""
    now = timezone.now()
    sql, attnames, converters = _token_query()
    with connection.cursor() as cursor:
        cursor.execute(sql, [_digest(secret), now])
        row = cursor.fetchone()
    if row is None:
        return None
    token_id, *values = row
    for i, these in enumerate(converters):
        for convert, column in these:
            values[i] = convert(values[i], column, connection)
    last_used_at, *values = values
    user = User.from_db(connection.alias, attnames, values)
    if last_used_at is None or (now - last_used_at).total_seconds() > API_TOKEN_USE_RESOLUTION:
        ApiToken.objects.filter(pk=token_id).update(last_used_at=now)
    return user


def api_token_owner(secret: str, also: str) -> tuple[int, str | None] | None:
    """The id of the active account a live bearer token belongs to and the value of ``also``,
    or None: the check of ``user_for_api_token`` (and its record of the token's use) for a
    caller that needs no account object, joined to one more read about that account in the
    same prepared statement (``core.db.fetch_text_row``).

    ``also`` is an SQL expression giving text; ``{user_id}`` in it stands for the account's
    id column. It must come from code, never from a request: it goes into the statement."""
    now = timezone.now()
    held = _OWNER_QUERIES.get((connection.vendor, also))
    if held is None:
        held = _OWNER_QUERIES[(connection.vendor, also)] = _owner_query(also)
    adapt = connection.ops.adapt_datetimefield_value
    stale = now - dt.timedelta(seconds=API_TOKEN_USE_RESOLUTION)
    row = fetch_text_row(held, [str(adapt(stale)), _digest(secret), str(adapt(now))])
    if row is None:
        return None
    token_id, user_id, touch, value = row
    if touch:
        ApiToken.objects.filter(pk=int(token_id)).update(last_used_at=now)
    return int(user_id), value


_OWNER_QUERIES: dict[tuple[str, str], str] = {}


def _owner_query(also: str) -> str:
    quote = connection.ops.quote_name
    user_table, token_table = quote(User._meta.db_table), quote(ApiToken._meta.db_table)
    token, user_id = f"{token_table}.", f"{user_table}.{quote('id')}"
    used = f"{token}{quote('last_used_at')}"
    # Every column as text, as the prepared read returns it on PostgreSQL (and the ordinary
    # cursor does on SQLite once cast). The token's use is written when the last one is
    # older than the resolution, the same rule as user_for_api_token's.
    return " ".join(
        [
            f"SELECT CAST({token}{quote('id')} AS TEXT), CAST({user_id} AS TEXT),",
            f"CASE WHEN {used} IS NULL OR {used} < %s THEN '1' ELSE '' END,",
            also.format(user_id=user_id),
            f"FROM {token_table} INNER JOIN {user_table} ON {user_id} = {token}{quote('user_id')}",
            f"WHERE {token}{quote('digest')} = %s AND {token}{quote('revoked_at')} IS NULL",
            f"AND {token}{quote('expires_at')} > %s AND {user_table}.{quote('is_active')}",
        ]
    )


def revoke_api_token(secret: str) -> None:
    ApiToken.objects.filter(digest=_digest(secret), revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def request_password_reset(email: str) -> None:
    """E-mail a reset link to a confirmed, active account; say nothing either way."""
    with transaction.atomic():
        user = User.objects.filter(
            email=(email or "").strip().lower(), is_active=True, email_confirmed_at__isnull=False
        ).first()
        if user is not None:
            _send_token(user, OneTimeToken.Purpose.RESET)


def check_reset_token(secret: str) -> User:
    """Validate a reset link without using it (the page shows the form first)."""
    token = (
        OneTimeToken.objects.select_related("user")
        .filter(digest=_digest(secret or ""), purpose=OneTimeToken.Purpose.RESET)
        .first()
    )
    if token is None or token.used_at is not None:
        raise AccountError("invalid_token", "Đường dẫn không hợp lệ hoặc đã được sử dụng.")
    if token.expires_at <= timezone.now():
        raise AccountError("token_expired", "Đường dẫn đã hết hạn. Vui lòng yêu cầu gửi lại.")
    return token.user


def reset_password(secret: str, new_password: str) -> User:
    with transaction.atomic():
        user = check_reset_token(secret)
        try:
            validate_password(new_password, user=user)
        except ValidationError as exc:
            raise ValidationError({"password": exc.messages}) from None
        _use_token(secret, OneTimeToken.Purpose.RESET)
        user.set_password(new_password)
        user.save(update_fields=["password"])
        ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        from axes.utils import reset

        reset(username=user.email)
        return user


@dataclass
class ProfileUpdate:
    full_name: str
    phone: str
    address: str = ""
    organisation_name: str = ""


def update_profile(user: User, data: ProfileUpdate) -> User:
    errors = {}
    name = nfc(data.full_name)
    if len(name) < 2:
        errors["full_name"] = ["Vui lòng nhập họ và tên."]
    try:
        phone = validators.validate_mobile(data.phone)
    except ValueError as exc:
        errors["phone"] = [str(exc)]
        phone = data.phone
    if errors:
        raise ValidationError(errors)
    user.full_name, user.phone, user.address = name, phone, nfc(data.address)[:255]
    if user.kind == User.Kind.ORGANISATION and data.organisation_name:
        user.organisation_name = nfc(data.organisation_name)
    user.save(update_fields=["full_name", "phone", "address", "organisation_name"])
    return user


def change_password(user: User, old_password: str, new_password: str) -> User:
    if not user.check_password(old_password or ""):
        raise ValidationError({"old_password": ["Mật khẩu hiện tại không đúng."]})
    try:
        validate_password(new_password, user=user)
    except ValidationError as exc:
        raise ValidationError({"new_password": exc.messages}) from None
    user.set_password(new_password)
    user.save(update_fields=["password"])
    return user


def lock_accounts(users, *, actor: User) -> list[User]:
    """Lock accounts (departed staff must be locked, docs/admin.md). Never the actor's own
    account, and a superuser only by a superuser. An inactive user fails authentication and
    the session and API-token lookups refuse it, so open sessions end at the next request."""
    targets = [
        u
        for u in users
        if u.is_active and u.pk != actor.pk and (actor.is_superuser or not u.is_superuser)
    ]
    with transaction.atomic():
        User.objects.filter(pk__in=[u.pk for u in targets]).update(is_active=False)
        ApiToken.objects.filter(user__in=targets, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    return targets
