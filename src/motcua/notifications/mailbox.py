"""Django e-mail backend of demo mode: delivers into ``MailboxMessage`` rows.

It lets a newcomer click a confirmation link on the local mailbox page without any mail
server; production sets ``EMAIL_URL`` and never loads this module.
"""

from django.core.mail.backends.base import BaseEmailBackend


class MailboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        from motcua.notifications.models import MailboxMessage

        count = 0
        for message in email_messages:
            html = ""
            for content, mimetype in getattr(message, "alternatives", []) or []:
                if mimetype == "text/html":
                    html = content
            for to in message.recipients():
                MailboxMessage.objects.create(
                    to=to,
                    from_email=message.from_email,
                    subject=message.subject,
                    body_text=message.body,
                    body_html=html,
                )
            count += 1
        return count
