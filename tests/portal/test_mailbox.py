import pytest

from motcua.notifications.models import MailboxMessage
from tests.portal.conftest import html

pytestmark = pytest.mark.django_db


@pytest.fixture
def messages(db):
    first = MailboxMessage.objects.create(
        to="an@example.vn",
        from_email="no-reply@motcua.local",
        subject="Xác nhận đăng ký",
        body_text="Bấm vào:\n\nhttp://127.0.0.1:8000/xac-nhan/abcDEF_123-x\n\n<script>alert(1)</script>",
        body_html='<p onclick="x()">HTML <img src=x onerror=alert(1)></p>',
    )
    second = MailboxMessage.objects.create(
        to="binh@example.vn",
        from_email="no-reply@motcua.local",
        subject="Đặt lại mật khẩu",
        body_text="Xin chào",
    )
    return first, second


def test_lists_messages_newest_first_and_filters_by_recipient(client, messages):
    page = html(client.get("/hop-thu-demo/"))
    assert page.index("Đặt lại mật khẩu") < page.index("Xác nhận đăng ký")
    page = html(client.get("/hop-thu-demo/", {"to": "AN@example.vn"}))
    assert "Xác nhận đăng ký" in page and "Đặt lại mật khẩu" not in page


def test_paginated(client, db):
    for i in range(25):
        MailboxMessage.objects.create(
            to="an@example.vn", from_email="x@y.vn", subject=f"Thư {i}", body_text=""
        )
    page = html(client.get("/hop-thu-demo/"))
    assert page.count("<tr>") == 21 and 'href="?page=2"' in page


def test_message_links_are_clickable_and_nothing_is_trusted(client, messages):
    page = html(client.get(f"/hop-thu-demo/{messages[0].pk}/"))
    assert '<a href="http://127.0.0.1:8000/xac-nhan/abcDEF_123-x" rel="nofollow">' in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "onerror" not in page and "onclick" not in page


def test_unknown_message_is_404(client, db):
    assert client.get("/hop-thu-demo/12345/").status_code == 404


def test_everything_is_404_when_the_mailbox_is_off(client, messages, settings):
    settings.MAILBOX_ENABLED = False
    assert client.get("/hop-thu-demo/").status_code == 404
    assert client.get(f"/hop-thu-demo/{messages[0].pk}/").status_code == 404
    assert "hộp thư thử nghiệm" not in html(client.get("/"))


def test_demo_banner_links_to_the_mailbox(client, db):
    assert '<a href="/hop-thu-demo/">Chế độ trình diễn: xem hộp thư thử nghiệm</a>' in html(
        client.get("/")
    )
