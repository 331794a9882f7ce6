from django.db.models import QuerySet

from motcua.notifications.models import MailboxMessage


def mailbox_messages(*, to: str = "") -> QuerySet[MailboxMessage]:
    qs = MailboxMessage.objects.order_by("-received_at", "-id")
    return qs.filter(to__iexact=to) if to else qs
