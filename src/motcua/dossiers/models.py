"""Dossiers (hồ sơ): what a citizen submits, its files and its append-only history.

A dossier is bound to the procedure version it was created under (docs/domain.md), so later
catalogue changes never alter its components, deadline or fee. Its status is the national
code 1–10 (0 is our draft, never sent anywhere) plus an internal sub-state for work
queues. Status changes happen only in ``dossiers.services`` through the transition
table of ``dossiers.lifecycle``.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from motcua.core.text import fold
from motcua.dossiers.storage import private_storage


class Status(models.IntegerChoices):
    DRAFT = 0, "Bản nháp"
    SUBMITTED = 1, "Mới đăng ký"
    RECEIVED = 2, "Được tiếp nhận"
    REFUSED = 3, "Không được tiếp nhận"
    PROCESSING = 4, "Đang xử lý"
    SUPPLEMENT_REQUESTED = 5, "Yêu cầu bổ sung giấy tờ"
    PAYMENT_REQUESTED = 6, "Yêu cầu thực hiện nghĩa vụ tài chính"
    WITHDRAWN = 7, "Công dân yêu cầu rút hồ sơ"
    STOPPED = 8, "Dừng xử lý"
    FINISHED = 9, "Đã xử lý xong"
    RETURNED = 10, "Đã trả kết quả"


class Channel(models.TextChoices):
    """How the dossier came in. Only ``online`` counts as submitted online by the citizen;
    an officer typing in a walk-in citizen's dossier is ``assisted`` (KPI honesty)."""

    ONLINE = "online", "Công dân nộp trực tuyến"
    ASSISTED = "assisted", "Cán bộ nộp trực tuyến thay công dân"
    COUNTER = "counter", "Nộp trực tiếp tại Bộ phận Một cửa"
    POST = "post", "Nộp qua dịch vụ bưu chính công ích"


class Dossier(models.Model):
    public_id = models.UUIDField("mã nội bộ", default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField("mã số hồ sơ", max_length=60, unique=True, null=True, blank=True)
    version = models.ForeignKey(
        "catalog.ProcedureVersion",
        on_delete=models.PROTECT,
        related_name="dossiers",
        verbose_name="phiên bản thủ tục",
    )
    receiving_agency = models.ForeignKey(
        "catalog.Agency",
        on_delete=models.PROTECT,
        related_name="received_dossiers",
        verbose_name="cơ quan tiếp nhận",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="dossiers",
        verbose_name="tài khoản nộp",
    )
    channel = models.CharField(
        "kênh nộp", max_length=10, choices=Channel.choices, default=Channel.ONLINE
    )
    status = models.PositiveSmallIntegerField(
        "trạng thái", choices=Status.choices, default=Status.DRAFT
    )
    sub_state = models.CharField("trạng thái chi tiết", max_length=32, blank=True)
    wizard_step = models.CharField("bước đang khai", max_length=32, blank=True)

    applicant_name = models.CharField("họ tên chủ hồ sơ", max_length=150, blank=True)
    # The name folded (no marks, đ→d) for the officers' search: set by ``save``.
    applicant_name_folded = models.CharField(
        "họ tên chủ hồ sơ (không dấu)", max_length=150, blank=True, editable=False
    )
    applicant_id_number = models.CharField("số định danh chủ hồ sơ", max_length=14, blank=True)
    applicant_phone = models.CharField("điện thoại chủ hồ sơ", max_length=15, blank=True)
    applicant_email = models.EmailField("thư điện tử chủ hồ sơ", blank=True)
    applicant_address = models.CharField("địa chỉ chủ hồ sơ", max_length=255, blank=True)

    on_behalf = models.BooleanField("nộp thay (ủy quyền)", default=False)
    submitter_name = models.CharField("họ tên người nộp", max_length=150, blank=True)
    submitter_id_number = models.CharField("số định danh người nộp", max_length=14, blank=True)
    submitter_phone = models.CharField("điện thoại người nộp", max_length=15, blank=True)
    submitter_email = models.EmailField("thư điện tử người nộp", blank=True)

    delivery_method = models.CharField("hình thức nhận kết quả", max_length=10, blank=True)
    delivery_commune = models.ForeignKey(
        "catalog.AdministrativeUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="xã, phường nhận kết quả",
    )
    delivery_address = models.CharField("địa chỉ nhận kết quả", max_length=255, blank=True)
    note = models.TextField("ghi chú", blank=True)

    created_at = models.DateTimeField("tạo lúc", default=timezone.now)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)
    submitted_at = models.DateTimeField("nộp lúc", null=True, blank=True)
    received_at = models.DateTimeField("tiếp nhận lúc", null=True, blank=True)
    due_at = models.DateTimeField("hẹn trả", null=True, blank=True)
    finished_at = models.DateTimeField("xử lý xong lúc", null=True, blank=True)
    returned_at = models.DateTimeField("trả kết quả lúc", null=True, blank=True)
    lock_version = models.PositiveIntegerField("phiên bản bản ghi", default=0, editable=False)

    # The back office (DOMAIN §5.2): the process version the dossier started with, where it
    # stands in it, who holds it, and the clock (original and rescheduled appointment).
    process = models.ForeignKey(
        "workflow.Process",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="quy trình áp dụng",
    )
    current_step = models.ForeignKey(
        "workflow.Step",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="bước hiện tại",
    )
    # Boundary-free reception (DOMAIN §5.8): the unit that decides, when it is not the one
    # that received the dossier; null means the procedure version's own agency.
    competent_agency = models.ForeignKey(
        "catalog.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="cơ quan có thẩm quyền giải quyết",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_dossiers",
        verbose_name="cán bộ đang xử lý",
    )
    step_started_at = models.DateTimeField("bắt đầu bước lúc", null=True, blank=True)
    step_due_at = models.DateTimeField("hạn xử lý bước", null=True, blank=True)
    original_due_at = models.DateTimeField("ngày hẹn trả ban đầu", null=True, blank=True)
    paused_at = models.DateTimeField("tạm dừng tính hạn từ", null=True, blank=True)
    result_type = models.CharField(
        "loại kết quả",
        max_length=10,
        blank=True,
        choices=[("result", "Kết quả giải quyết"), ("negative", "Văn bản trả lời, trả lại")],
    )

    class Meta:
        verbose_name = "hồ sơ"
        verbose_name_plural = "hồ sơ"
        indexes = [
            models.Index(fields=["owner", "-created_at", "-id"], name="dossier_owner_recent"),
            models.Index(fields=["receiving_agency", "status"], name="dossier_agency_status"),
            models.Index(fields=["status", "updated_at"], name="dossier_status_updated"),
            models.Index(fields=["assignee", "status", "-id"], name="dossier_assignee_status"),
            models.Index(fields=["current_step", "-id"], name="dossier_step"),
            # The personal list's stamp (selectors.my_dossiers_stamp) counts an account's
            # dossiers and takes their latest change from this index alone, without reading
            # one table page per dossier (10 ms → 0.1 ms for 200 dossiers, EXPLAIN ANALYZE).
            models.Index(fields=["owner", "updated_at"], name="dossier_owner_updated"),
            # The staff work queues (dossiers.staff_selectors): a page of one agency's
            # dossiers in one status, newest first, and the deadline queues by due date.
            models.Index(
                fields=["receiving_agency", "status", "-id"], name="dossier_agency_status_id"
            ),
            models.Index(fields=["version", "status", "-id"], name="dossier_version_status_id"),
            models.Index(
                fields=["competent_agency", "status", "-id"], name="dossier_competent_status_id"
            ),
            models.Index(
                fields=["receiving_agency", "status", "due_at"], name="dossier_agency_due"
            ),
            models.Index(fields=["version", "status", "due_at"], name="dossier_version_due"),
            # The landing page counts those returned in the last 30 days from these.
            models.Index(
                fields=["receiving_agency", "status", "returned_at"], name="dossier_agency_returned"
            ),
            models.Index(
                fields=["version", "status", "returned_at"], name="dossier_version_returned"
            ),
            models.Index(fields=["applicant_id_number"], name="dossier_applicant_idno"),
            # The one-stop desk's queue (queues.staff_queue) takes the citizens' withdrawal
            # requests of its agencies from this small index, not from every in-progress row.
            models.Index(
                fields=["receiving_agency"],
                condition=models.Q(sub_state="withdrawal_requested"),
                name="dossier_withdrawal_requested",
            ),
        ]

    def __str__(self):
        return self.code or f"Bản nháp {self.public_id}"

    def save(self, *args, **kwargs):
        self.applicant_name_folded = fold(self.applicant_name)[:150]
        fields = kwargs.get("update_fields")
        if fields is not None and "applicant_name" in fields:
            kwargs["update_fields"] = {*fields, "applicant_name_folded"}
        super().save(*args, **kwargs)

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT

    @property
    def reference(self) -> str:
        """What the citizen and the API use to name it: the code once it has one."""
        return self.code or str(self.public_id)


def _file_name(instance, filename):
    # Random name, no trace of what the citizen called it: the original name is kept apart.
    now = timezone.now()
    return f"dossiers/{now:%Y/%m}/{uuid.uuid4().hex}"


class DossierFile(models.Model):
    class Purpose(models.TextChoices):
        INITIAL = "initial", "Nộp lần đầu"
        SUPPLEMENT = "supplement", "Bổ sung"
        AUTHORISATION = "authorisation", "Văn bản ủy quyền"

    public_id = models.UUIDField("mã nội bộ", default=uuid.uuid4, unique=True, editable=False)
    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="files", verbose_name="hồ sơ"
    )
    component = models.ForeignKey(
        "catalog.Component",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="thành phần hồ sơ",
    )
    purpose = models.CharField(
        "mục đích", max_length=14, choices=Purpose.choices, default=Purpose.INITIAL
    )
    name = models.CharField("tên tệp", max_length=255)
    file = models.FileField("tệp", upload_to=_file_name, storage=private_storage, max_length=255)
    size = models.PositiveBigIntegerField("dung lượng")
    sha256 = models.CharField("mã băm SHA-256", max_length=64)
    content_type = models.CharField("loại tệp", max_length=100)
    converted_from = models.CharField("chuyển đổi từ", max_length=10, blank=True)
    uploaded_at = models.DateTimeField("tải lên lúc", default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="người tải lên",
    )

    class Meta:
        verbose_name = "tệp hồ sơ"
        verbose_name_plural = "tệp hồ sơ"
        ordering = ["dossier", "component_id", "uploaded_at", "id"]
        indexes = [models.Index(fields=["dossier", "component"], name="file_dossier_component")]

    def __str__(self):
        return self.name


# Actions whose notes are written by one officer for another, never shown to the citizen.
INTERNAL_NOTE_ACTIONS = frozenset(
    {
        "assign",
        "forward",
        "transfer",
        "approve",
        "reject_draft",
        "recall",
        "request_payment",
        "consult",
        "answer_consultation",
    }
)


class DossierEvent(models.Model):
    """One row per status change or citizen action, never updated (Mẫu 05 is built from it).

    ``hash`` chains each event to the previous one of the same dossier, so an edit made
    behind the application's back shows up when the chain is recomputed.
    """

    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="events", verbose_name="hồ sơ"
    )
    at = models.DateTimeField("lúc", default=timezone.now)
    action = models.CharField("thao tác", max_length=32)
    status = models.PositiveSmallIntegerField("trạng thái", choices=Status.choices)
    # PROTECT: the actor's id is part of the hashed payload, and an account that acted on a
    # dossier is locked when its owner leaves, never deleted.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="người thực hiện",
    )
    actor_name = models.CharField("tên người thực hiện", max_length=150, blank=True)
    note = models.TextField("ghi chú", blank=True)
    data = models.JSONField("dữ liệu kèm theo", default=dict, blank=True)
    prev_hash = models.CharField("mã băm sự kiện trước", max_length=64, blank=True)
    hash = models.CharField("mã băm", max_length=64)

    class Meta:
        verbose_name = "lịch sử xử lý"
        verbose_name_plural = "lịch sử xử lý"
        ordering = ["dossier", "at", "id"]
        indexes = [models.Index(fields=["dossier", "at", "id"], name="event_dossier_at")]

    def __str__(self):
        return f"{self.action} @ {self.at:%d/%m/%Y %H:%M}"

    @property
    def public_note(self) -> str:
        """The note as the citizen may read it: officers' notes between themselves (a
        rejected draft, a hand-over) stay inside the office."""
        return "" if self.action in INTERNAL_NOTE_ACTIONS else self.note


class CodeCounter(models.Model):  # noqa: DJ008 (internal counter, never displayed)
    """Last sequence number given by an agency on a day (docs/domain.md). Taken and bumped
    in the submitting transaction, so a rolled-back submission leaves no gap."""

    agency_code = models.CharField("mã cơ quan", max_length=35)
    day = models.DateField("ngày")
    last = models.PositiveIntegerField("số thứ tự cuối", default=0)

    class Meta:
        verbose_name = "bộ đếm số hồ sơ"
        verbose_name_plural = "bộ đếm số hồ sơ"
        constraints = [
            models.UniqueConstraint(fields=["agency_code", "day"], name="uniq_code_counter")
        ]


class SupplementRequest(models.Model):
    """A request to complete the dossier (Mẫu 02). At most one per dossier (Decree 118)."""

    dossier = models.OneToOneField(
        Dossier, on_delete=models.CASCADE, related_name="supplement", verbose_name="hồ sơ"
    )
    requested_at = models.DateTimeField("yêu cầu lúc", default=timezone.now)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="người yêu cầu",
    )
    status_before = models.PositiveSmallIntegerField(
        "trạng thái trước khi yêu cầu", choices=Status.choices
    )
    reason = models.TextField("lý do")
    items = models.JSONField("nội dung cần bổ sung", default=list)
    deadline = models.DateTimeField("hạn bổ sung", null=True, blank=True)
    answered_at = models.DateTimeField("công dân bổ sung lúc", null=True, blank=True)
    answer_note = models.TextField("ghi chú của công dân", blank=True)

    class Meta:
        verbose_name = "yêu cầu bổ sung hồ sơ"
        verbose_name_plural = "yêu cầu bổ sung hồ sơ"

    def __str__(self):
        return f"Yêu cầu bổ sung hồ sơ {self.dossier}"


class WithdrawalRequest(models.Model):
    """The citizen's request to stop; the one-stop office confirms it."""

    dossier = models.OneToOneField(
        Dossier, on_delete=models.CASCADE, related_name="withdrawal", verbose_name="hồ sơ"
    )
    reason = models.TextField("lý do")
    requested_at = models.DateTimeField("đề nghị lúc", default=timezone.now)
    confirmed_at = models.DateTimeField("xác nhận lúc", null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="người xác nhận",
    )

    class Meta:
        verbose_name = "đề nghị rút hồ sơ"
        verbose_name_plural = "đề nghị rút hồ sơ"
        constraints = [
            models.CheckConstraint(
                condition=Q(confirmed_at__isnull=True) | Q(confirmed_by__isnull=False),
                name="withdrawal_confirmed_by",
            )
        ]

    def __str__(self):
        return f"Đề nghị rút hồ sơ {self.dossier}"


class TrackingCard(models.Model):  # noqa: DJ008 (a cache row, never displayed by itself)
    """The public tracking answer of a submitted dossier, ready to send (``dossiers.tracking``).

    Keyed by the dossier code so that a lookup is one primary-key probe with no join. It
    holds the applicant's number only to check the one supplied, as the dossier row does;
    ``body`` holds no personal data. Rewritten with every event, in the same transaction.
    """

    code = models.CharField("mã số hồ sơ", max_length=60, primary_key=True)
    dossier = models.OneToOneField(
        Dossier, on_delete=models.CASCADE, related_name="tracking_card", verbose_name="hồ sơ"
    )
    id_number = models.CharField("số định danh chủ hồ sơ", max_length=20)
    body = models.TextField("nội dung tra cứu")


class DeskClock(models.Model):  # noqa: DJ008 (a counter row, never displayed by itself)
    """How many times what an officer's work list can show has changed, per desk
    (``dossiers.desk_clock``): ``a:<agency id>``, ``u:<user id>`` and ``steps``.

    Bumped by database triggers (migration 0011) in the transaction of the write itself,
    so no code path can forget it and every server process reads the same value. A missing
    row reads as 0: rows loaded with triggers off (the bench's seed) start there."""

    key = models.CharField("khóa", max_length=40, primary_key=True)
    n = models.BigIntegerField("số lần thay đổi", default=0)

    class Meta:
        verbose_name = "đồng hồ bàn làm việc"
        verbose_name_plural = "đồng hồ bàn làm việc"


def _consultation_file_name(instance, filename):
    # Apart from the dossier's own files: the orphan sweep of ``dossiers/`` knows only those.
    now = timezone.now()
    return f"consultations/{now:%Y/%m}/{uuid.uuid4().hex}"


class Consultation(models.Model):
    """Inter-agency consultation (liên thông, DOMAIN §5.4 T6): the handler asks a partner
    agency for its opinion; the partner's officers answer. Internal: the citizen never reads
    the question or the answer. Created and answered only through ``services.perform``."""

    public_id = models.UUIDField("mã nội bộ", default=uuid.uuid4, unique=True, editable=False)
    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="consultations", verbose_name="hồ sơ"
    )
    agency = models.ForeignKey(
        "catalog.Agency",
        on_delete=models.PROTECT,
        related_name="consultations",
        verbose_name="cơ quan phối hợp",
    )
    question = models.TextField("nội dung xin ý kiến")
    asked_at = models.DateTimeField("gửi lúc", default=timezone.now)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="người xin ý kiến",
    )
    days = models.PositiveSmallIntegerField("thời hạn trả lời (ngày làm việc)")
    due_at = models.DateTimeField("hạn trả lời")
    # Whether the dossier's clock stopped for it: the process action's clock decides
    # (DOMAIN §7.5: only where the procedure's legal text excludes the consultation time).
    pauses_clock = models.BooleanField("không tính vào thời hạn giải quyết", default=False)
    answered_at = models.DateTimeField("trả lời lúc", null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="người trả lời",
    )
    answer = models.TextField("ý kiến trả lời", blank=True)

    class Meta:
        verbose_name = "lấy ý kiến cơ quan phối hợp"
        verbose_name_plural = "lấy ý kiến cơ quan phối hợp"
        ordering = ["dossier", "asked_at", "id"]
        indexes = [
            # The partner's list: its open consultations, newest first (keyset on the id).
            models.Index(
                fields=["agency", "-id"],
                condition=Q(answered_at__isnull=True),
                name="consultation_open_agency",
            ),
            models.Index(fields=["dossier", "answered_at"], name="consultation_dossier"),
        ]

    def __str__(self):
        return f"Xin ý kiến {self.agency} về hồ sơ {self.dossier}"

    @property
    def is_open(self) -> bool:
        return self.answered_at is None


class ConsultationFile(models.Model):
    class Side(models.TextChoices):
        QUESTION = "question", "Kèm theo đề nghị"
        ANSWER = "answer", "Kèm theo ý kiến trả lời"

    public_id = models.UUIDField("mã nội bộ", default=uuid.uuid4, unique=True, editable=False)
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="files", verbose_name="xin ý kiến"
    )
    side = models.CharField("thuộc", max_length=8, choices=Side.choices)
    name = models.CharField("tên tệp", max_length=255)
    file = models.FileField(
        "tệp", upload_to=_consultation_file_name, storage=private_storage, max_length=255
    )
    size = models.PositiveBigIntegerField("dung lượng")
    sha256 = models.CharField("mã băm SHA-256", max_length=64)
    content_type = models.CharField("loại tệp", max_length=100)
    uploaded_at = models.DateTimeField("tải lên lúc", default=timezone.now)

    class Meta:
        verbose_name = "tệp xin ý kiến"
        verbose_name_plural = "tệp xin ý kiến"
        ordering = ["consultation", "side", "id"]

    def __str__(self):
        return self.name
