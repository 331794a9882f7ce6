"""MotCua settings: one module, every value from the environment (README.md, "Cấu hình").

Two modes share this file. ``demo`` (the default) must run on a fresh machine with no
configuration at all: SQLite in the data dir, a secret key generated once, e-mail kept in a
local mailbox. ``production`` refuses to start rather than run with a demo default.
"""

import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
env = environ.Env()

MODE = env.str("MOTCUA_MODE", default="demo")
if MODE not in {"demo", "production"}:
    raise ImproperlyConfigured("MOTCUA_MODE phải là 'demo' hoặc 'production'.")
PRODUCTION = MODE == "production"
DEBUG = env.bool("MOTCUA_DEBUG", default=False)

DATA_DIR = Path(env.str("MOTCUA_DATA_DIR", default="./var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)
PRIVATE_MEDIA_ROOT = DATA_DIR / "private"

BASE_URL = env.str("MOTCUA_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
_base = urlsplit(BASE_URL)
HTTPS = _base.scheme == "https"


def _secret_key() -> str:
    """In demo mode a key is generated once and kept in the data dir, so sessions and
    confirmation links survive a restart; production must be given a real one."""
    key = env.str("SECRET_KEY", default="")
    if PRODUCTION:
        if len(key) < 50 or key.startswith("django-insecure") or len(set(key)) < 10:
            raise ImproperlyConfigured(
                "Chế độ production cần biến SECRET_KEY ngẫu nhiên dài ít nhất 50 ký tự."
            )
        return key
    if key:
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
# Encrypts the signing keys at rest (motcua.signing.keys); falls back to SECRET_KEY.
SIGNING_KEY = env.str("MOTCUA_SIGNING_KEY", default="")

ALLOWED_HOSTS = env.list(
    "MOTCUA_ALLOWED_HOSTS",
    default=[_base.hostname or "127.0.0.1"] + ([] if PRODUCTION else ["localhost", "127.0.0.1"]),
)
CSRF_TRUSTED_ORIGINS = [f"{_base.scheme}://{_base.netloc}"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "motcua.core.apps.AxesConfig",
    "motcua.core.apps.CaptchaConfig",
    "motcua.core.apps.OTPConfig",
    "motcua.core.apps.TOTPConfig",
    "django_htmx",
    "motcua.core.apps.TasksConfig",
    "motcua.core.apps.TasksDatabaseConfig",
    "motcua.core",
    "motcua.accounts",
    "motcua.catalog",
    "motcua.notifications",
    "motcua.workflow",
    "motcua.dossiers",
    "motcua.documents",
    "motcua.workcalendar",
    "motcua.signing",
    "motcua.portal",
    "motcua.backoffice",
    "motcua.api",
    "motcua.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "motcua.core.middleware.SecurityHeadersMiddleware",
    # Before anything reads the request: text holding NUL never reaches a query.
    "motcua.core.middleware.RejectNulMiddleware",
    # Public tracking needs nothing below this line (motcua.api.tracking).
    "motcua.api.tracking.TrackingMiddleware",
    # A citizen's unchanged dossier list for a token without cookies (motcua.api.my_dossiers).
    "motcua.api.my_dossiers.MyDossiersMiddleware",
    # A kept page of the officer's work list, likewise (motcua.api.staff_queue).
    "motcua.api.staff_queue.StaffQueueMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "motcua.core.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Anonymous visitors' catalogue pages need nothing below this line (motcua.portal.page_cache).
    "motcua.portal.page_cache.AnonymousPageMiddleware",
    # The plain anonymous catalogue search likewise (motcua.api.procedure_list).
    "motcua.api.procedure_list.ProcedureListMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "motcua.urls"
WSGI_APPLICATION = "motcua.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Before the apps' own: templates here replace django.contrib.admin's.
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "motcua.portal.context_processors.site",
            ],
        },
    }
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'motcua.sqlite3'}")
}
_db = DATABASES["default"]
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the writer; IMMEDIATE takes the write lock at BEGIN so two
    # writers queue on busy_timeout instead of failing half-way with "database is locked".
    _db["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
        "PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    _db.setdefault("CONN_MAX_AGE", env.int("MOTCUA_DB_CONN_MAX_AGE", default=60))
    # Off by default, as in Django: the check is a "SELECT 1" round trip before the first
    # query of every request, which doubled the database work of the busiest read (public
    # tracking). Without it, after a database restart each worker thread's first request
    # fails once and the dead connection is dropped; turn it on where a pooler or firewall
    # silently cuts idle connections.
    _db["CONN_HEALTH_CHECKS"] = env.bool("MOTCUA_DB_HEALTH_CHECKS", default=False)
# The public tracking read as a prepared statement (motcua.core.db); off behind a
# transaction-mode pooler that cannot keep prepared statements (PgBouncer before 1.21).
DB_PREPARED_READS = env.bool("MOTCUA_DB_PREPARED_READS", default=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Room for the catalogue response cache (two entries per cached URL); Redis in production
# (CACHE_URL=redis://…) shares it, and its invalidation, between all web processes.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://motcua?max_entries=20000")}
CATALOGUE_CACHE_SECONDS = env.int("MOTCUA_CATALOGUE_CACHE_SECONDS", default=60)

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("email", "full_name", "phone", "id_number")},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "motcua.accounts.validators.LettersAndDigitsValidator"},
]
LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "portal:profile"

# Lock the account, not the address: a whole commune office shares one public IP.
AXES_FAILURE_LIMIT = env.int("MOTCUA_LOCKOUT_FAILURES", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("MOTCUA_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_FORM_FIELD = "email"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "motcua.portal.lockout.lockout_response"
AXES_VERBOSE = False
AXES_ENABLE_ADMIN = True
# W006 wants the IP in the lock key; we lock the account on purpose (see above), which no
# rotation of address, User-Agent or cookie can get around.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

SESSION_COOKIE_AGE = env.int("MOTCUA_SESSION_SECONDS", default=8 * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if HTTPS:
    SECURE_HSTS_SECONDS = env.int("MOTCUA_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = False
if env.bool("MOTCUA_BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = DATA_DIR / "public"
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# E-mail: demo keeps every message in a local mailbox page; production must name a server.
MAILBOX_ENABLED = False
if "EMAIL_URL" in env:
    vars().update(env.email_url("EMAIL_URL"))
elif PRODUCTION:
    raise ImproperlyConfigured("Chế độ production cần biến EMAIL_URL (ví dụ smtp://máy-chủ:25).")
else:
    EMAIL_BACKEND = "motcua.notifications.mailbox.MailboxBackend"
    MAILBOX_ENABLED = True
DEFAULT_FROM_EMAIL = env.str(
    "MOTCUA_FROM_EMAIL", default="Cổng dịch vụ công <no-reply@motcua.local>"
)
EMAIL_TIMEOUT = 20

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

CAPTCHA_TEST_MODE = env.bool("MOTCUA_CAPTCHA_TEST_MODE", default=False)
if CAPTCHA_TEST_MODE and PRODUCTION:
    raise ImproperlyConfigured("MOTCUA_CAPTCHA_TEST_MODE không được bật ở chế độ production.")
CAPTCHA_LENGTH = 5
CAPTCHA_FONT_SIZE = 30
CAPTCHA_TIMEOUT = 10

# Staff must prove a second factor in production; the demo lets newcomers in with a password.
STAFF_2FA_REQUIRED = env.bool("MOTCUA_STAFF_2FA_REQUIRED", default=PRODUCTION)
OTP_TOTP_ISSUER = env.str("MOTCUA_SITE_NAME", default="Cổng dịch vụ công tỉnh Quảng Ngãi")

SITE_NAME = OTP_TOTP_ISSUER
SITE_HOTLINE = env.str("MOTCUA_HOTLINE", default="0255.3822200")
DEMO_PASSWORD = env.str("MOTCUA_DEMO_PASSWORD", default="demo12345")
CONFIRMATION_TTL = timedelta(hours=env.int("MOTCUA_CONFIRMATION_HOURS", default=48))
PASSWORD_RESET_TTL = timedelta(hours=env.int("MOTCUA_PASSWORD_RESET_HOURS", default=2))
DRAFT_RETENTION = timedelta(days=env.int("MOTCUA_DRAFT_DAYS", default=30))
API_TOKEN_TTL = timedelta(days=env.int("MOTCUA_API_TOKEN_DAYS", default=30))

VNPAY_TMN_CODE = env.str("VNPAY_TMN_CODE", default="MOTCUADEMO")
VNPAY_HASH_SECRET = env.str("VNPAY_HASH_SECRET", default="MOTCUADEMOSECRETKEY0123456789ABCDEF")
VNPAY_PAYMENT_URL = env.str("VNPAY_PAYMENT_URL", default=f"{BASE_URL}/thanh-toan/sandbox/vnpay")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["motcua.api.authentication.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "motcua.api.parsers.JSONParser",
        "motcua.api.parsers.MultiPartParser",
        "motcua.api.parsers.FormParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "motcua.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "EXCEPTION_HANDLER": "motcua.api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DEFAULT_THROTTLE_RATES": {
        "register": env.str("MOTCUA_REGISTER_RATE", default="30/hour"),
        # Public tracking asks for the applicant's 12-digit number: slow down guessing.
        "tracking": env.str("MOTCUA_TRACKING_RATE", default="120/minute"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "MotCua API",
    "DESCRIPTION": "API công khai của hệ thống MotCua (phiên bản 1). Xem docs/api.md.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "motcua.api.schema.add_error_responses",
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("MOTCUA_LOG_LEVEL", default="WARNING")},
    "loggers": {
        "motcua": {"level": env.str("MOTCUA_LOG_LEVEL", default="INFO")},
        # An invalid signature is an answer of the verification page, not a server error;
        # pyHanko logs each one with a traceback.
        "pyhanko": {"level": "CRITICAL"},
        "pyhanko_certvalidator": {"level": "CRITICAL"},
    },
}
