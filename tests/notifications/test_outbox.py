"""The outbox: written in the caller's transaction, delivered after commit, retried."""

import datetime as dt
from unittest import mock

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from motcua.notifications import services
from motcua.notifications.mailbox import MailboxBackend
from motcua.notifications.models import MailboxMessage, OutboundMessage
from tests.factories import UserFactory

CONTEXT = {"link": "http://127.0.0.1:8000/xac-nhan/bi-mat", "hours": 48}


def queue(to="an@example.vn", **context):
    user = UserFactory.build(email=to, full_name="Nguyễn Văn An")
    return services.queue_email(
        to=to, template="confirm_registration", context={"user": user, **CONTEXT, **context}
    )


def pending(**fields) -> OutboundMessage:
    defaults = {
        "template": "t",
        "recipient": "an@example.vn",
        "subject": "Thử",
        "body_text": "Nội dung",
    }
    return OutboundMessage.objects.create(**{**defaults, **fields})


@pytest.mark.django_db
def test_queue_writes_a_rendered_row_and_sends_only_on_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message = queue()
    row = OutboundMessage.objects.get()
    assert row == message
    assert (row.status, row.attempts, row.recipient) == ("pending", 0, "an@example.vn")
    assert row.subject == "Xác nhận đăng ký tài khoản sử dụng dịch vụ công trực tuyến"
    assert "Nguyễn Văn An" in row.body_text and CONTEXT["link"] in row.body_text
    assert CONTEXT["link"] in row.body_html
    assert "\n" not in row.subject
    assert len(callbacks) == 1
    assert mail.outbox == []  # nothing leaves before the transaction commits

    callbacks[0]()  # what the commit does: the immediate task backend delivers at once
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("sent", 1)
    assert row.sent_at is not None
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["an@example.vn"] and sent.subject == row.subject
    assert sent.alternatives[0][1] == "text/html"


@pytest.mark.django_db
def test_a_rolled_back_change_sends_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                queue()
                raise RuntimeError("lỗi nghiệp vụ")
    assert callbacks == []
    assert not OutboundMessage.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_delivered_after_a_real_commit():
    with transaction.atomic():
        queue()
        assert mail.outbox == []
    assert len(mail.outbox) == 1
    assert OutboundMessage.objects.get().status == "sent"


@pytest.mark.django_db
def test_deliver_is_idempotent():
    message = pending()
    assert services.deliver(message.pk) is True
    assert services.deliver(message.pk) is False
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 1)


@pytest.mark.django_db
def test_deliver_of_an_unknown_id_does_nothing():
    assert services.deliver(987654) is False


@pytest.mark.django_db
def test_failure_schedules_retries_with_growing_delays_then_gives_up():
    message = pending()
    now = timezone.now()
    delays = []
    with (
        mock.patch.object(
            EmailMultiAlternatives, "send", side_effect=ConnectionRefusedError("SMTP đóng")
        ),
        mock.patch("django.utils.timezone.now", return_value=now),
    ):
        for attempt in range(1, services.MAX_ATTEMPTS + 1):
            assert services.deliver(message.pk) is False
            message.refresh_from_db()
            assert message.attempts == attempt
            assert message.last_error == "ConnectionRefusedError: SMTP đóng"
            if attempt < services.MAX_ATTEMPTS:
                assert message.status == "pending"
                delays.append(message.next_attempt_at - now)
    assert message.status == "failed"
    assert delays == [dt.timedelta(seconds=30 * 2**i) for i in range(services.MAX_ATTEMPTS - 1)]
    # A failed message is left alone: no more attempts.
    assert services.deliver(message.pk) is False
    message.refresh_from_db()
    assert message.attempts == services.MAX_ATTEMPTS
    assert mail.outbox == []


def test_backoff_is_capped_at_six_hours():
    assert services._backoff(1) == dt.timedelta(seconds=30)
    assert services._backoff(4) == dt.timedelta(minutes=4)
    assert services._backoff(30) == dt.timedelta(hours=6)


@pytest.mark.django_db
def test_a_retry_that_succeeds_clears_the_error():
    message = pending()
    with mock.patch.object(EmailMultiAlternatives, "send", side_effect=TimeoutError("hết giờ")):
        services.deliver(message.pk)
    services.deliver(message.pk)
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == ("sent", 2, "")


@pytest.mark.django_db
def test_deliver_due_picks_only_due_pending_messages():
    now = timezone.now()
    due = pending(recipient="due@example.vn", next_attempt_at=now - dt.timedelta(minutes=1))
    later = pending(recipient="later@example.vn", next_attempt_at=now + dt.timedelta(minutes=5))
    sent = pending(
        recipient="sent@example.vn", status="sent", next_attempt_at=now - dt.timedelta(hours=1)
    )
    failed = pending(
        recipient="failed@example.vn", status="failed", next_attempt_at=now - dt.timedelta(hours=1)
    )
    assert services.deliver_due() == 1
    assert [m.to for m in mail.outbox] == [["due@example.vn"]]
    statuses = dict(OutboundMessage.objects.values_list("pk", "status"))
    assert statuses == {due.pk: "sent", later.pk: "pending", sent.pk: "sent", failed.pk: "failed"}


@pytest.mark.django_db
def test_deliver_due_respects_the_limit_and_oldest_first():
    now = timezone.now()
    for minutes in (3, 1, 2):
        pending(
            recipient=f"{minutes}@example.vn", next_attempt_at=now - dt.timedelta(minutes=minutes)
        )
    assert services.deliver_due(limit=2) == 2
    assert [m.to[0] for m in mail.outbox] == ["3@example.vn", "2@example.vn"]


@pytest.mark.django_db
def test_sweep_task_delivers_what_is_due():
    from motcua.notifications.tasks import sweep_outbox

    pending()
    result = sweep_outbox.enqueue()
    assert result.return_value == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_mailbox_backend_stores_each_recipient():
    message = EmailMultiAlternatives(
        subject="Xác nhận",
        body="Nội dung",
        from_email="no-reply@motcua.local",
        to=["a@example.vn", "b@example.vn"],
    )
    message.attach_alternative("<p>Nội dung</p>", "text/html")
    plain = EmailMultiAlternatives(subject="Thư thường", body="Chỉ chữ", to=["c@example.vn"])
    assert MailboxBackend().send_messages([message, plain]) == 2
    stored = {m.to: m for m in MailboxMessage.objects.all()}
    assert set(stored) == {"a@example.vn", "b@example.vn", "c@example.vn"}
    assert stored["a@example.vn"].body_html == "<p>Nội dung</p>"
    assert (stored["b@example.vn"].subject, stored["b@example.vn"].from_email) == (
        "Xác nhận",
        "no-reply@motcua.local",
    )
    assert stored["c@example.vn"].body_html == "" and stored["c@example.vn"].body_text == "Chỉ chữ"


@pytest.mark.django_db
def test_outbox_delivers_into_the_mailbox_in_demo_mode(settings):
    from motcua.notifications.selectors import mailbox_messages

    settings.EMAIL_BACKEND = "motcua.notifications.mailbox.MailboxBackend"
    message = queue(to="demo@example.vn")
    services.deliver(message.pk)
    inbox = list(mailbox_messages(to="DEMO@example.vn"))
    assert len(inbox) == 1
    assert inbox[0].subject == message.subject and CONTEXT["link"] in inbox[0].body_text


def test_every_mail_template_has_a_vietnamese_name_for_the_mail_log():
    from pathlib import Path

    from motcua.notifications import models

    folder = Path(models.__file__).parent / "templates" / "notifications" / "email"
    templates = {p.name.split(".")[0] for p in folder.iterdir() if p.suffix == ".txt"}
    assert templates and templates <= set(models.TEMPLATE_NAMES)
