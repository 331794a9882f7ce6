"""The outbox and the demo mailbox in the admin (registered by ``backoffice.admin_site``).

Both are records of what happened, so they are read-only. The outbox reaches millions of
rows: lists sort by primary key, filters use known values instead of a DISTINCT over the
table, and a recipient is searched by exact address, which the index serves.
"""

from pathlib import Path

from django.contrib import admin, messages
from django.utils import timezone

from motcua.notifications.models import TEMPLATE_NAMES, OutboundMessage

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates" / "notifications" / "email"


class TemplateFilter(admin.SimpleListFilter):
    title = "loại thư"
    parameter_name = "mau"

    def lookups(self, request, model_admin):
        keys = (p.name.removesuffix(".subject.txt") for p in TEMPLATE_DIR.glob("*.subject.txt"))
        return sorted(((key, TEMPLATE_NAMES.get(key, key)) for key in keys), key=lambda c: c[1])

    def queryset(self, request, queryset):
        return queryset.filter(template=self.value()) if self.value() else queryset


class ReadOnlyAdmin(admin.ModelAdmin):
    list_per_page = 50
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip().lower()
        if not term:
            return queryset, False
        return queryset.filter(**{self.search_fields[0]: term}), False


class OutboundMessageAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at",
        "recipient",
        "subject",
        "kind",
        "status",
        "attempts",
        "sent_at",
    )
    list_filter = ("status", TemplateFilter, "channel")
    search_fields = ("recipient",)
    search_help_text = "Nhập đúng địa chỉ người nhận."
    ordering = ("-id",)
    readonly_fields = (
        "channel",
        "kind",
        "recipient",
        "subject",
        "body_text",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "created_at",
        "sent_at",
    )
    fields = readonly_fields
    actions = ("resend",)

    @admin.display(description="loại thư", ordering="template")
    def kind(self, obj):
        return obj.template_name

    def has_resend_permission(self, request):
        return request.user.has_perm("notifications.change_outboundmessage")

    @admin.action(description="Gửi lại", permissions=["resend"])
    def resend(self, request, queryset):
        from motcua.notifications.tasks import send_message

        # A message the provider accepted is not sent twice: the links in it may already
        # have been used or replaced.
        ids = list(
            queryset.exclude(status=OutboundMessage.Status.SENT).values_list("pk", flat=True)
        )
        OutboundMessage.objects.filter(pk__in=ids).update(
            status=OutboundMessage.Status.PENDING,
            attempts=0,
            next_attempt_at=timezone.now(),
            last_error="",
        )
        # Through the worker (which calls services.deliver), never from this request thread.
        for pk in ids:
            send_message.enqueue(pk)
        self.message_user(
            request, f"Đã đưa {len(ids)} thông báo vào hàng đợi gửi lại.", messages.SUCCESS
        )
        skipped = queryset.count() - len(ids)
        if skipped:
            self.message_user(
                request, f"Bỏ qua {skipped} thông báo đã gửi thành công.", messages.WARNING
            )


class MailboxMessageAdmin(ReadOnlyAdmin):
    list_display = ("received_at", "to", "subject")
    search_fields = ("to",)
    search_help_text = "Nhập đúng địa chỉ người nhận."
    ordering = ("-received_at",)
    readonly_fields = ("received_at", "to", "from_email", "subject", "body_text")
    fields = readonly_fields
