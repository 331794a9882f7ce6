"""The procedure catalogue: agencies, administrative units, fields, procedures.

Everything a dossier depends on is versioned by date (docs/domain.md): agencies carry a
validity interval and predecessors, and a procedure's content lives in ``ProcedureVersion``
rows so that a dossier keeps the version it was received under. Text that citizens search
carries a ``*_folded`` twin computed by ``core.text.fold``.
"""

from django.db import models
from django.db.models import Q

from motcua.core.text import fold, sort_key

# The length of ``core.text.sort_key`` for the longest name it reads.
SORT_KEY_LENGTH = 500


class AdministrativeUnit(models.Model):
    """Province or commune of the two-tier system in force since 1 July 2025."""

    class Level(models.TextChoices):
        PROVINCE = "province", "Tỉnh, thành phố"
        COMMUNE = "commune", "Xã"
        WARD = "ward", "Phường"
        SPECIAL_ZONE = "special_zone", "Đặc khu"

    code = models.CharField("mã đơn vị hành chính", max_length=5, unique=True)
    name = models.CharField("tên", max_length=120)
    name_folded = models.CharField("tên không dấu", max_length=120, editable=False)
    name_sort = models.CharField(
        "khóa sắp xếp", max_length=SORT_KEY_LENGTH, editable=False, default=""
    )
    level = models.CharField("cấp", max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name="thuộc",
    )
    valid_from = models.DateField("hiệu lực từ", null=True, blank=True)
    valid_to = models.DateField("hết hiệu lực", null=True, blank=True)

    class Meta:
        verbose_name = "đơn vị hành chính"
        verbose_name_plural = "đơn vị hành chính"
        ordering = ["code"]
        indexes = [models.Index(fields=["parent", "name_sort"], name="adminunit_parent_sort")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_folded = fold(self.name)
        self.name_sort = sort_key(self.name)
        super().save(*args, **kwargs)


class Agency(models.Model):
    """A node of the organisation tree, identified by its electronic identifier (docs/domain.md)."""

    class Kind(models.TextChoices):
        PROVINCE_COMMITTEE = "province_committee", "UBND tỉnh"
        DEPARTMENT = "department", "Sở, ban, ngành"
        SERVICE_CENTRE = "service_centre", "Trung tâm Phục vụ hành chính công"
        COMMUNE_COMMITTEE = "commune_committee", "UBND xã, phường, đặc khu"
        COMMUNE_CENTRE = "commune_centre", "Trung tâm PVHCC cấp xã"
        CENTRAL_BRANCH = "central_branch", "Cơ quan ngành dọc"
        PUBLIC_SERVICE_UNIT = "public_service_unit", "Đơn vị sự nghiệp"
        LEVEL_GROUP = "level_group", "Nhóm cơ quan cùng cấp"

    code = models.CharField("mã định danh điện tử", max_length=35, unique=True)
    code_qcvn102 = models.CharField("mã theo QCVN 102:2016", max_length=13, blank=True)
    name = models.CharField("tên cơ quan", max_length=255)
    short_name = models.CharField("tên viết tắt", max_length=80, blank=True)
    name_folded = models.CharField("tên không dấu", max_length=255, editable=False)
    name_sort = models.CharField(
        "khóa sắp xếp", max_length=SORT_KEY_LENGTH, editable=False, default=""
    )
    kind = models.CharField("loại", max_length=24, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name="cơ quan cấp trên",
    )
    admin_unit = models.ForeignKey(
        AdministrativeUnit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name="đơn vị hành chính",
    )
    address = models.CharField("địa chỉ", max_length=255, blank=True)
    phone = models.CharField("điện thoại", max_length=40, blank=True)
    email = models.EmailField("thư điện tử", blank=True)
    hotline = models.CharField("đường dây nóng", max_length=40, blank=True)
    website = models.URLField("trang thông tin", blank=True)
    valid_from = models.DateField("hoạt động từ", null=True, blank=True)
    valid_to = models.DateField("ngừng hoạt động từ sau ngày", null=True, blank=True)
    predecessors = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="successors", verbose_name="kế thừa từ"
    )

    class Meta:
        verbose_name = "cơ quan"
        verbose_name_plural = "cơ quan"
        ordering = ["code"]
        indexes = [
            models.Index(fields=["parent"], name="agency_parent"),
            models.Index(fields=["parent", "name_sort"], name="agency_parent_sort"),
            models.Index(fields=["valid_to", "kind"], name="agency_valid_kind"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="agency_valid_interval",
            )
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_folded = fold(f"{self.name} {self.short_name}")
        self.name_sort = sort_key(self.name)
        super().save(*args, **kwargs)

    def is_valid_on(self, day) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


class Field(models.Model):
    """Lĩnh vực: the sector a procedure belongs to."""

    code = models.CharField("mã lĩnh vực", max_length=30, unique=True)
    name = models.CharField("tên lĩnh vực", max_length=200)
    name_folded = models.CharField("tên không dấu", max_length=200, editable=False)
    name_sort = models.CharField(
        "khóa sắp xếp", max_length=SORT_KEY_LENGTH, editable=False, default=""
    )

    class Meta:
        verbose_name = "lĩnh vực"
        verbose_name_plural = "lĩnh vực"
        ordering = ["name_sort"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_folded = fold(self.name)
        self.name_sort = sort_key(self.name)
        super().save(*args, **kwargs)


class Procedure(models.Model):
    """The stable identity of a procedure: its national code. Content is in versions."""

    code = models.CharField("mã thủ tục", max_length=40, unique=True)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    # Dossiers submitted in the last twelve months, for search ranking: recomputed by a
    # periodic job (``catalog.tasks.refresh_popularity``), never counted per search.
    recent_dossiers = models.PositiveIntegerField(
        "hồ sơ nộp trong 12 tháng qua", default=0, db_default=0, editable=False
    )

    class Meta:
        verbose_name = "thủ tục hành chính"
        verbose_name_plural = "thủ tục hành chính"
        ordering = ["code"]

    def __str__(self):
        return self.code


class OnlineLevel(models.TextChoices):
    FULL = "toan_trinh", "Toàn trình"
    PARTIAL = "mot_phan", "Một phần"
    IN_PERSON = "truc_tiep", "Trực tiếp"


class TimeUnit(models.TextChoices):
    WORKING_DAYS = "working_days", "ngày làm việc"
    DAYS = "days", "ngày (theo lịch)"
    HOURS = "hours", "giờ làm việc"
    MONTHS = "months", "tháng"


class CompetenceLevel(models.TextChoices):
    CENTRAL = "trung_uong", "Trung ương"
    PROVINCE = "tinh", "Cấp tỉnh"
    COMMUNE = "xa", "Cấp xã"


class DeliveryMethod(models.TextChoices):
    COUNTER = "counter", "Nhận trực tiếp tại Bộ phận Một cửa"
    POST = "post", "Nhận qua dịch vụ bưu chính công ích"
    ONLINE = "online", "Nhận kết quả trực tuyến"


class ProcedureVersion(models.Model):
    """What a procedure is between ``valid_from`` and ``valid_to`` (inclusive)."""

    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="versions", verbose_name="thủ tục"
    )
    valid_from = models.DateField("áp dụng từ ngày")
    valid_to = models.DateField("áp dụng đến hết ngày", null=True, blank=True)
    name = models.TextField("tên thủ tục")
    search_text = models.TextField("nội dung tìm kiếm", editable=False, default="")
    name_sort = models.CharField(
        "khóa sắp xếp", max_length=SORT_KEY_LENGTH, editable=False, default=""
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="procedure_versions",
        verbose_name="cơ quan thực hiện",
    )
    field = models.ForeignKey(
        Field, on_delete=models.PROTECT, related_name="procedure_versions", verbose_name="lĩnh vực"
    )
    competence_level = models.CharField(
        "cấp thực hiện",
        max_length=12,
        choices=CompetenceLevel.choices,
        default=CompetenceLevel.PROVINCE,
    )
    level = models.CharField(
        "mức độ dịch vụ công trực tuyến", max_length=12, choices=OnlineLevel.choices
    )
    time_limit_value = models.DecimalField("thời hạn giải quyết", max_digits=6, decimal_places=1)
    time_limit_unit = models.CharField(
        "đơn vị thời hạn", max_length=14, choices=TimeUnit.choices, default=TimeUnit.WORKING_DAYS
    )
    time_limit_online = models.DecimalField(
        "thời hạn khi nộp trực tuyến", max_digits=6, decimal_places=1, null=True, blank=True
    )
    no_appointment = models.BooleanField("không có ngày hẹn trả", default=False)
    applicants = models.TextField("đối tượng thực hiện", blank=True)
    sequence = models.TextField("trình tự thực hiện", blank=True)
    methods = models.TextField("cách thức thực hiện", blank=True)
    requirements = models.TextField("yêu cầu, điều kiện", blank=True)
    result_name = models.TextField("kết quả thực hiện", blank=True)
    result_code = models.CharField("mã kết quả", max_length=40, blank=True)
    legal_basis = models.JSONField("căn cứ pháp lý", default=list, blank=True)
    delivery_methods = models.JSONField("hình thức nhận kết quả", default=list)
    boundary_free = models.BooleanField("tiếp nhận không phụ thuộc địa giới", default=False)
    postal_allowed = models.BooleanField("nhận/trả qua bưu chính công ích", default=True)
    authorisation_allowed = models.BooleanField("cho phép nộp thay (ủy quyền)", default=True)
    signed_result_required = models.BooleanField("kết quả phải ký số", default=True)
    publication_decision = models.CharField("quyết định công bố", max_length=60, blank=True)
    publication_date = models.DateField("ngày công bố", null=True, blank=True)
    notes = models.TextField("ghi chú nội bộ", blank=True)
    fee_total = models.BigIntegerField("tổng phí, lệ phí (đồng)", default=0, editable=False)

    class Meta:
        verbose_name = "phiên bản thủ tục"
        verbose_name_plural = "phiên bản thủ tục"
        ordering = ["procedure__code", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "valid_from"], name="uniq_version_start"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="version_valid_interval",
            ),
        ]
        indexes = [
            models.Index(fields=["valid_from", "valid_to"], name="version_validity"),
            models.Index(fields=["agency", "valid_from"], name="version_agency"),
            models.Index(fields=["field", "valid_from"], name="version_field"),
            models.Index(fields=["level", "valid_from"], name="version_level"),
            models.Index(fields=["name_sort"], name="version_name_sort"),
        ]

    def __str__(self):
        return f"{self.procedure.code} (từ {self.valid_from:%d/%m/%Y})"

    def refresh_search_text(self) -> None:
        self.search_text = fold(f"{self.procedure.code} {self.name}")
        self.name_sort = sort_key(self.name)


class Component(models.Model):
    """Thành phần hồ sơ: one document the applicant supplies."""

    class CopyType(models.TextChoices):
        ORIGINAL = "ban_chinh", "Bản chính"
        COPY = "ban_sao", "Bản sao"
        CERTIFIED_COPY = "ban_sao_chung_thuc", "Bản sao có chứng thực"
        ELECTRONIC = "ban_dien_tu", "Bản điện tử"
        SHOW_ONLY = "xuat_trinh", "Xuất trình"

    version = models.ForeignKey(
        ProcedureVersion,
        on_delete=models.CASCADE,
        related_name="components",
        verbose_name="phiên bản thủ tục",
    )
    position = models.PositiveSmallIntegerField("thứ tự", default=0)
    code = models.CharField("mã giấy tờ", max_length=40, blank=True)
    name = models.TextField("tên thành phần")
    description = models.TextField("hướng dẫn", blank=True)
    required = models.BooleanField("bắt buộc", default=True)
    multiple = models.BooleanField("cho phép nhiều tệp", default=False)
    originals = models.PositiveSmallIntegerField("số bản chính", default=1)
    copies = models.PositiveSmallIntegerField("số bản sao", default=0)
    copy_type = models.CharField(
        "loại bản", max_length=20, choices=CopyType.choices, default=CopyType.ORIGINAL
    )
    allowed_types = models.JSONField("định dạng cho phép", default=list)
    max_size = models.PositiveIntegerField("dung lượng tối đa (byte)", default=10 * 1024 * 1024)
    template_name = models.CharField("mẫu đơn, tờ khai", max_length=255, blank=True)
    # The form itself, for the citizen to download: a file kept in the public storage, or
    # the address where the issuing ministry publishes it.
    template_file = models.FileField(
        "tệp mẫu đơn, tờ khai", upload_to="mau-don/%Y/", blank=True, max_length=255
    )
    template_url = models.URLField("địa chỉ tải mẫu đơn, tờ khai", blank=True, max_length=500)

    class Meta:
        verbose_name = "thành phần hồ sơ"
        verbose_name_plural = "thành phần hồ sơ"
        ordering = ["version", "position", "id"]

    def __str__(self):
        return self.name

    @property
    def shown_only(self) -> bool:
        """Shown in the original at the counter (xuất trình), never handed in or uploaded:
        required or not, it is no file the dossier waits for."""
        return self.copy_type == self.CopyType.SHOW_ONLY

    @property
    def has_template(self) -> bool:
        return bool(self.template_file or self.template_url)


class FeeItem(models.Model):
    """A fee (phí) or charge (lệ phí) of a procedure version, in đồng."""

    class Kind(models.TextChoices):
        FEE = "phi", "Phí"
        CHARGE = "le_phi", "Lệ phí"
        OTHER = "other", "Nghĩa vụ tài chính khác"

    version = models.ForeignKey(
        ProcedureVersion,
        on_delete=models.CASCADE,
        related_name="fees",
        verbose_name="phiên bản thủ tục",
    )
    position = models.PositiveSmallIntegerField("thứ tự", default=0)
    kind = models.CharField("loại", max_length=8, choices=Kind.choices, default=Kind.CHARGE)
    name = models.CharField("tên khoản thu", max_length=255)
    amount = models.BigIntegerField("mức thu (đồng)")
    unit = models.CharField("đơn vị tính", max_length=60, blank=True)
    legal_basis = models.CharField("căn cứ", max_length=255, blank=True)

    class Meta:
        verbose_name = "phí, lệ phí"
        verbose_name_plural = "phí, lệ phí"
        ordering = ["version", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="fee_amount_non_negative")
        ]

    def __str__(self):
        return f"{self.name}: {self.amount:,} đ".replace(",", ".")


class SearchSynonym(models.Model):
    """A word or abbreviation citizens type, and what it means in the catalogue's language.

    The province's administrator keeps this table (Django admin). A row with no meaning marks
    a filler word, ignored when searching ("xin", "làm", "thủ tục"). Search reads the table
    through ``catalog.search``, whose cache every save and delete invalidates.
    """

    phrase = models.CharField(
        "người dân gõ",
        max_length=100,
        help_text="Từ, cụm từ hoặc chữ viết tắt, ví dụ «GPXD», «công chứng», «xây nhà».",
    )
    meaning = models.CharField(
        "nghĩa là",
        max_length=200,
        blank=True,
        help_text=(
            "Cách gọi trong tên thủ tục, ví dụ «giấy phép xây dựng». Để trống nếu là từ đệm "
            "cần bỏ qua khi tìm (ví dụ «xin», «làm», «thủ tục»)."
        ),
    )
    phrase_folded = models.CharField(max_length=100, editable=False, db_index=True)
    meaning_folded = models.CharField(max_length=200, editable=False)

    class Meta:
        verbose_name = "từ đồng nghĩa, viết tắt"
        verbose_name_plural = "từ đồng nghĩa, viết tắt"
        ordering = ["phrase_folded", "meaning_folded"]
        constraints = [
            models.UniqueConstraint(
                fields=["phrase_folded", "meaning_folded"], name="uniq_search_synonym"
            )
        ]

    def __str__(self):
        return f"{self.phrase} → {self.meaning}" if self.meaning else f"{self.phrase} (bỏ qua)"

    def save(self, *args, **kwargs):
        self.phrase_folded = fold(self.phrase)
        self.meaning_folded = fold(self.meaning)
        super().save(*args, **kwargs)
