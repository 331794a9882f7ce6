"""Accounts: citizens, organisations and staff in one user table.

The e-mail address is the login (the seed letters' "tên đăng nhập" is the registered e-mail).
Secrets handed to a person (confirmation links, reset links, API tokens) are stored only as
SHA-256 digests, so a copy of the database cannot be used to log in.
"""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("Cần địa chỉ thư điện tử.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("kind", User.Kind.STAFF)
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("email_confirmed_at", timezone.now())
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    class Kind(models.TextChoices):
        CITIZEN = "citizen", "Công dân"
        ORGANISATION = "organisation", "Tổ chức, doanh nghiệp"
        STAFF = "staff", "Cán bộ, công chức"

    email = models.EmailField("thư điện tử", unique=True)
    full_name = models.CharField("họ và tên", max_length=150)
    kind = models.CharField(
        "loại tài khoản", max_length=16, choices=Kind.choices, default=Kind.CITIZEN
    )
    phone = models.CharField("số điện thoại", max_length=15, blank=True)
    id_number = models.CharField("số định danh cá nhân", max_length=12, blank=True)
    tax_code = models.CharField("mã số thuế", max_length=14, blank=True)
    organisation_name = models.CharField("tên tổ chức", max_length=255, blank=True)
    address = models.CharField("địa chỉ", max_length=255, blank=True)
    email_confirmed_at = models.DateTimeField("xác nhận thư lúc", null=True, blank=True)
    is_active = models.BooleanField("đang hoạt động", default=True)
    is_staff = models.BooleanField("vào trang quản trị", default=False)
    date_joined = models.DateTimeField("ngày đăng ký", default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = "tài khoản"
        verbose_name_plural = "tài khoản"
        constraints = [
            # One confirmed account per person and per enterprise; unconfirmed registrations
            # may not squat a number somebody else is entitled to.
            models.UniqueConstraint(
                fields=["id_number"],
                condition=Q(email_confirmed_at__isnull=False) & ~Q(id_number=""),
                name="uniq_confirmed_id_number",
            ),
            models.UniqueConstraint(
                fields=["tax_code"],
                condition=Q(email_confirmed_at__isnull=False) & ~Q(tax_code=""),
                name="uniq_confirmed_tax_code",
            ),
        ]
        indexes = [models.Index(fields=["kind", "date_joined"], name="user_kind_joined")]

    def __str__(self):
        return f"{self.full_name} <{self.email}>"

    @property
    def is_confirmed(self) -> bool:
        return self.email_confirmed_at is not None

    @property
    def display_name(self) -> str:
        return self.organisation_name or self.full_name


class Role(models.TextChoices):
    """Back-office roles; permissions are per agency and role (docs/domain.md)."""

    RECEIVER = "receiver", "Cán bộ một cửa (tiếp nhận)"
    DEPT_HEAD = "dept_head", "Lãnh đạo phòng"
    HANDLER = "handler", "Chuyên viên thụ lý"
    APPROVER = "approver", "Lãnh đạo cơ quan (ký duyệt)"
    CLERK = "clerk", "Văn thư"
    PARTNER_AGENCY = "partner_agency", "Cơ quan phối hợp"
    CENTER_SUPERVISOR = "center_supervisor", "Giám sát Trung tâm PVHCC"
    UNIT_ADMIN = "unit_admin", "Quản trị đơn vị"
    SYS_ADMIN = "sys_admin", "Quản trị hệ thống"


class StaffMembership(models.Model):
    """A staff member holds a role in an agency; permissions are per agency and role."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name="cán bộ"
    )
    agency = models.ForeignKey(
        "catalog.Agency",
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name="cơ quan",
    )
    role = models.CharField("vai trò", max_length=24, choices=Role.choices)
    valid_from = models.DateField("từ ngày", default=timezone.localdate)
    valid_to = models.DateField("đến ngày", null=True, blank=True)

    class Meta:
        verbose_name = "vai trò cán bộ"
        verbose_name_plural = "vai trò cán bộ"
        constraints = [
            models.UniqueConstraint(fields=["user", "agency", "role"], name="uniq_membership")
        ]
        indexes = [models.Index(fields=["agency", "role"], name="membership_agency_role")]

    def __str__(self):
        return f"{self.user.full_name} — {self.get_role_display()} — {self.agency}"


class OneTimeToken(models.Model):
    """A single-use, expiring secret sent by e-mail (registration confirmation, password reset).
    Issuing a new one for the same purpose retires the older ones."""

    class Purpose(models.TextChoices):
        CONFIRM = "confirm", "Xác nhận đăng ký"
        RESET = "reset", "Đặt lại mật khẩu"

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="tokens", verbose_name="tài khoản"
    )
    purpose = models.CharField("mục đích", max_length=8, choices=Purpose.choices)
    digest = models.CharField("mã băm", max_length=64, unique=True)
    created_at = models.DateTimeField("tạo lúc", default=timezone.now)
    expires_at = models.DateTimeField("hết hạn lúc")
    used_at = models.DateTimeField("dùng lúc", null=True, blank=True)

    class Meta:
        verbose_name = "mã dùng một lần"
        verbose_name_plural = "mã dùng một lần"
        indexes = [models.Index(fields=["user", "purpose", "used_at"], name="token_user_purpose")]

    def __str__(self):
        return f"{self.get_purpose_display()} — {self.user_id}"


class ApiToken(models.Model):
    """Bearer token of the JSON API (mobile app, integrators)."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name="tài khoản"
    )
    digest = models.CharField("mã băm", max_length=64, unique=True)
    created_at = models.DateTimeField("tạo lúc", default=timezone.now)
    expires_at = models.DateTimeField("hết hạn lúc")
    revoked_at = models.DateTimeField("thu hồi lúc", null=True, blank=True)
    last_used_at = models.DateTimeField("dùng gần nhất lúc", null=True, blank=True)
    user_agent = models.CharField("ứng dụng", max_length=200, blank=True)

    class Meta:
        verbose_name = "mã truy cập API"
        verbose_name_plural = "mã truy cập API"
        indexes = [models.Index(fields=["user", "revoked_at"], name="apitoken_user")]

    def __str__(self):
        return f"Mã truy cập của {self.user_id} tạo lúc {self.created_at:%d/%m/%Y %H:%M}"


# The login records of django-axes and the staff authenticators of django-otp, as the
# administration shows them. Their own models carry English names (and django-otp's no
# translatable ones) that their migrations fix; these proxies give them Vietnamese names in
# this app, with no table of their own.


class StaffDevice(TOTPDevice):
    class Meta:
        proxy = True
        verbose_name = "thiết bị xác thực hai bước"
        verbose_name_plural = "thiết bị xác thực hai bước"

    def __str__(self):
        return f"{self.name} — {self.user.email}"


class LoginFailureCount(AccessAttempt):
    """What axes counts against an account; deleting the row lifts a lock at once."""

    class Meta:
        proxy = True
        verbose_name = "số lần đăng nhập sai"
        verbose_name_plural = "số lần đăng nhập sai"

    def __str__(self):
        return f"{self.username}: {self.failures_since_start} lần sai"


class LoginRecord(AccessLog):
    class Meta:
        proxy = True
        verbose_name = "lượt đăng nhập"
        verbose_name_plural = "nhật ký đăng nhập"

    def __str__(self):
        return (
            f"{self.username} đăng nhập lúc {timezone.localtime(self.attempt_time):%d/%m/%Y %H:%M}"
        )


class LoginFailure(AccessFailureLog):
    class Meta:
        proxy = True
        verbose_name = "lần đăng nhập sai"
        verbose_name_plural = "nhật ký đăng nhập sai"

    def __str__(self):
        return (
            f"{self.username} đăng nhập sai lúc "
            f"{timezone.localtime(self.attempt_time):%d/%m/%Y %H:%M}"
        )
