"""Test settings: the real settings with the slow or outward-facing parts swapped out.

Password hashing is the one deliberate weakening (argon2 would dominate the run time);
``tests/accounts/test_security_settings.py`` checks that the real settings still use argon2.
"""

import os
import warnings

# The captcha library warns that test mode accepts any answer: that is the point here.
warnings.filterwarnings("ignore", message="CAPTCHA_TEST_MODE", category=RuntimeWarning)

os.environ.setdefault("MOTCUA_CAPTCHA_TEST_MODE", "true")
os.environ.setdefault("MOTCUA_DATA_DIR", os.path.join(os.getcwd(), "var", "test"))

from motcua.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MAILBOX_ENABLED = True
# Tasks run inline in tests; the "db" backend is the real one, used by the test that starts
# a real ``motcua worker`` process.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "db": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}
# A file, not memory, so that a worker subprocess can open the same test database.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # One file per process: parallel runs (xdist workers, two developers) must not share it.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / f"test-{os.getpid()}.sqlite3")}  # noqa: F405
REST_FRAMEWORK = {  # noqa: F405
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"register": "10000/hour", "tracking": "100000/minute"},
}
AXES_COOLOFF_TIME = AXES_COOLOFF_TIME  # noqa: F405  (kept: lockout tests rely on it)
LOGGING = {"version": 1, "disable_existing_loggers": False}
# Factories write the catalogue without the services that invalidate the response cache;
# the cache's own tests switch it on.
CATALOGUE_CACHE_SECONDS = 0
