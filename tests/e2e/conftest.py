"""Browser tests: pytest-playwright driving Debian's Chromium against pytest-django's live server."""

import shutil

import pytest


@pytest.fixture(scope="session")
def browser_type_launch_args():
    return {
        "executable_path": shutil.which("chromium"),
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # Chromium's default locale is en-US, and Django's LocaleMiddleware honours Accept-Language;
    # the journeys are written against the Vietnamese pages a citizen sees.
    return {**browser_context_args, "locale": "vi-VN"}


@pytest.fixture
def site(live_server, settings):
    """The live server, with e-mail links pointing at it and mail kept in the demo mailbox."""
    settings.BASE_URL = live_server.url
    settings.EMAIL_BACKEND = "motcua.notifications.mailbox.MailboxBackend"
    settings.MAILBOX_ENABLED = True
    return live_server.url
