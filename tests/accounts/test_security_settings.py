"""The real settings module (not settings_test), imported fresh in a clean environment.

The tests weaken password hashing for speed; these checks make sure production does not.
"""

import json
import subprocess
import sys
import textwrap

import pytest

GOOD_KEY = "k3J9-vQ2_xZp8LmN4tRw7YbC1dFg6HsA0eUiO5qPzXcVbNmLkJhGfDsAqWeRtYuI"

PROBE = textwrap.dedent(
    """
    import json
    from motcua import settings as s
    print(json.dumps({
        "hashers": s.PASSWORD_HASHERS,
        "secret_key": s.SECRET_KEY,
        "email_backend": getattr(s, "EMAIL_BACKEND", None),
        "email_host": getattr(s, "EMAIL_HOST", None),
        "session_secure": s.SESSION_COOKIE_SECURE,
        "csrf_secure": s.CSRF_COOKIE_SECURE,
        "hsts": getattr(s, "SECURE_HSTS_SECONDS", 0),
        "staff_2fa": s.STAFF_2FA_REQUIRED,
        "debug": s.DEBUG,
        "allowed_hosts": s.ALLOWED_HOSTS,
        "x_frame": s.X_FRAME_OPTIONS,
        "nosniff": s.SECURE_CONTENT_TYPE_NOSNIFF,
        "lockout": [s.AXES_FAILURE_LIMIT, s.AXES_LOCKOUT_PARAMETERS],
    }))
    """
)


def load(tmp_path, **env):
    clean = {"PATH": "/usr/bin:/bin", "MOTCUA_DATA_DIR": str(tmp_path / "data"), **env}
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    return done


def loaded(tmp_path, **env) -> dict:
    done = load(tmp_path, **env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def refused(tmp_path, **env) -> str:
    done = load(tmp_path, **env)
    assert done.returncode != 0, done.stdout
    assert "ImproperlyConfigured" in done.stderr, done.stderr
    return done.stderr


def test_demo_defaults(tmp_path):
    s = loaded(tmp_path)
    assert s["hashers"][0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert s["email_backend"] == "motcua.notifications.mailbox.MailboxBackend"
    assert s["debug"] is False
    assert (s["x_frame"], s["nosniff"]) == ("DENY", True)
    assert s["lockout"] == [5, ["username"]]
    assert not s["session_secure"] and not s["hsts"]
    # The generated key is kept in the data dir, so links survive a restart.
    key_file = tmp_path / "data" / "secret_key"
    assert key_file.read_text().strip() == s["secret_key"]
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert loaded(tmp_path)["secret_key"] == s["secret_key"]


PRODUCTION = {"MOTCUA_MODE": "production", "EMAIL_URL": "smtp://127.0.0.1:2525"}


@pytest.mark.parametrize(
    "key",
    [
        None,
        "",
        "ngan-qua",
        "django-insecure-" + "a1b2c3d4e5f6g7h8i9j0" * 3,
        "a" * 80,  # long but not random
    ],
)
def test_production_refuses_a_missing_or_weak_secret_key(tmp_path, key):
    env = dict(PRODUCTION)
    if key is not None:
        env["SECRET_KEY"] = key
    assert "SECRET_KEY" in refused(tmp_path, **env)


def test_production_refuses_to_start_without_email_url(tmp_path):
    assert "EMAIL_URL" in refused(tmp_path, MOTCUA_MODE="production", SECRET_KEY=GOOD_KEY)


def test_production_refuses_captcha_test_mode(tmp_path):
    refused(tmp_path, **PRODUCTION, SECRET_KEY=GOOD_KEY, MOTCUA_CAPTCHA_TEST_MODE="true")


def test_unknown_mode_refused(tmp_path):
    refused(tmp_path, MOTCUA_MODE="staging")


def test_production_starts_with_good_values(tmp_path):
    s = loaded(
        tmp_path,
        **PRODUCTION,
        SECRET_KEY=GOOD_KEY,
        MOTCUA_BASE_URL="https://dichvucong.quangngai.gov.vn",
    )
    assert s["secret_key"] == GOOD_KEY
    assert s["hashers"][0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert s["email_backend"] == "django.core.mail.backends.smtp.EmailBackend"
    assert s["email_host"] == "127.0.0.1"
    assert s["staff_2fa"] is True
    assert s["allowed_hosts"] == ["dichvucong.quangngai.gov.vn"]
    assert s["session_secure"] and s["csrf_secure"]
    assert s["hsts"] >= 31536000
    assert not (tmp_path / "data" / "secret_key").exists()


def test_plain_http_base_url_gives_no_hsts(tmp_path):
    s = loaded(tmp_path, **PRODUCTION, SECRET_KEY=GOOD_KEY, MOTCUA_BASE_URL="http://10.0.0.5:8000")
    assert not s["session_secure"] and not s["csrf_secure"]
    assert not s["hsts"]
