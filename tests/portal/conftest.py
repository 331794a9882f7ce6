"""Helpers of the portal page tests (Django test client, no browser)."""

import re

import pytest

from motcua.notifications.models import OutboundMessage
from tests.factories import PASSWORD, UserFactory

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style[\s>]|\sstyle\s*=", re.I)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)


def html(response) -> str:
    return response.content.decode()


def assert_no_inline_code(response):
    """The CSP forbids inline scripts and styles; a page that has any is broken in browsers."""
    page = html(response)
    assert not INLINE_SCRIPT.search(page), INLINE_SCRIPT.search(page).group(0)
    assert not INLINE_STYLE.search(page), INLINE_STYLE.search(page).group(0)
    assert not INLINE_HANDLER.search(page), INLINE_HANDLER.search(page).group(0)


def mailed_link(email: str, path: str) -> str:
    """The path of the newest link starting with ``path`` e-mailed to ``email``; the outbox
    row is written in the same transaction as the token, so no worker needs to run."""
    message = OutboundMessage.objects.filter(recipient=email).order_by("-id").first()
    assert message is not None, f"no e-mail to {email}"
    match = re.search(rf"https?://[^/\s]+({re.escape(path)}[\w-]+)", message.body_text)
    assert match, message.body_text
    return match.group(1)


def mail_count(email: str) -> int:
    return OutboundMessage.objects.filter(recipient=email).count()


def registration(**overrides) -> dict:
    data = {
        "kind": "citizen",
        "email": "an.nguyen@example.vn",
        "password": "Matkhau2026",
        "password_confirm": "Matkhau2026",
        "full_name": "Nguyễn Văn An",
        "phone": "0988123113",
        "id_number": "051090123456",
        "tax_code": "",
        "organisation_name": "",
        "captcha_0": "test",
        "captcha_1": "PASSED",
    }
    data.update(overrides)
    return data


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def logged_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def password():
    return PASSWORD
