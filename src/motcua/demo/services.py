"""The demo province: Quảng Ngãi as it is today, with staff for every role.

Everything goes through the domain services (catalogue import, account creation), so the
demo exercises the same paths a real province's data would. Idempotent: running it again
updates what is there and resets the demo passwords.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from motcua.accounts.models import Role, StaffMembership, User
from motcua.catalog import services as catalog
from motcua.catalog.models import Agency, ProcedureVersion
from motcua.catalog.selectors import effective, search_procedures
from motcua.signing.authority import seed_demo_certificates
from motcua.workflow.models import Process
from motcua.workflow.services import build_standard, seed_processes
from motcua.workflow.vocabulary import Clock

DEMO_DOMAIN = "demo.motcua.vn"
# Every commune of the province gets its People's Committee under this group.
COMMUNE_GROUP = "H48-CAPXA"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    full_name: str
    kind: str
    roles: tuple[str, ...] = ()
    id_number: str = ""
    phone: str = ""
    tax_code: str = ""
    organisation_name: str = ""
    superuser: bool = False


ACCOUNTS = (
    DemoAccount(
        f"congdan@{DEMO_DOMAIN}",
        "Nguyễn Văn An",
        User.Kind.CITIZEN,
        id_number="062090001234",
        phone="0988123113",
    ),
    DemoAccount(
        f"doanhnghiep@{DEMO_DOMAIN}",
        "Trần Thị Bình",
        User.Kind.ORGANISATION,
        phone="0905061104",
        tax_code="0100109106",
        organisation_name="Công ty TNHH Quảng cáo Núi Ấn",
    ),
    DemoAccount(
        f"tiepnhan@{DEMO_DOMAIN}",
        "Lê Thị Thu",
        User.Kind.STAFF,
        roles=(Role.RECEIVER,),
        phone="0914000001",
    ),
    DemoAccount(
        f"truongphong@{DEMO_DOMAIN}",
        "Phạm Văn Hùng",
        User.Kind.STAFF,
        roles=(Role.DEPT_HEAD,),
        phone="0914000002",
    ),
    DemoAccount(
        f"chuyenvien@{DEMO_DOMAIN}",
        "Võ Thị Mai",
        User.Kind.STAFF,
        roles=(Role.HANDLER,),
        phone="0914000003",
    ),
    DemoAccount(
        f"lanhdao@{DEMO_DOMAIN}",
        "Đặng Quốc Việt",
        User.Kind.STAFF,
        roles=(Role.APPROVER,),
        phone="0914000004",
    ),
    DemoAccount(
        f"vanthu@{DEMO_DOMAIN}",
        "Huỳnh Thị Lan",
        User.Kind.STAFF,
        roles=(Role.CLERK,),
        phone="0914000005",
    ),
    DemoAccount(
        f"phoihop@{DEMO_DOMAIN}",
        "Trương Văn Phúc",
        User.Kind.STAFF,
        roles=(Role.PARTNER_AGENCY,),
        phone="0914000008",
    ),
    DemoAccount(
        f"giamsat@{DEMO_DOMAIN}",
        "Ngô Minh Tâm",
        User.Kind.STAFF,
        roles=(Role.CENTER_SUPERVISOR,),
        phone="0914000006",
    ),
    DemoAccount(
        f"admin@{DEMO_DOMAIN}",
        "Quản trị hệ thống",
        User.Kind.STAFF,
        roles=(Role.SYS_ADMIN,),
        phone="0914000007",
        superuser=True,
    ),
)

# The partner agency the demo consults (T6): the provincial police, asked about fire safety
# and the like; its officer is ``phoihop@``.
PARTNER_AGENCY_CODE = "H48.90"
# The demo procedure whose process excludes the consultation time from the time limit
# (DOMAIN §7.5): configuration of its process (the consult action's clock), shown on one
# procedure so the pause can be seen; every other procedure counts the time.
PAUSING_CONSULTATION_WORDS = "giay phep xay dung"

# The four procedures of the seed letters, by words of their names (folded); staff are
# members of the agencies that handle them.
SEED_PROCEDURE_WORDS = (
    "thong bao san pham quang cao",
    "giay phep xay dung",
    "chuyen truong doi voi hoc sinh trung hoc pho thong",
    "chung chi hanh nghe duoc",
)


def _load(name: str) -> dict:
    return json.loads(
        resources.files("motcua.catalog").joinpath("demo_data", name).read_text(encoding="utf-8")
    )


def demo_agencies() -> list[Agency]:
    """Agencies whose staff the demo needs: those handling the seed letters' procedures, the
    provincial service centre (receivers sit there) and one commune (commune procedures)."""
    agency_ids = set()
    for words in SEED_PROCEDURE_WORDS:
        best = search_procedures(q=words).first()
        if best is not None:
            agency_ids.add(best.agency_id)
    agencies = list(
        Agency.objects.filter(pk__in=agency_ids, valid_to__isnull=True).order_by("code")
    )
    centre = (
        Agency.objects.filter(kind=Agency.Kind.SERVICE_CENTRE, valid_to__isnull=True)
        .order_by("code")
        .first()
    )
    commune = (
        Agency.objects.filter(
            kind=Agency.Kind.COMMUNE_COMMITTEE, valid_to__isnull=True, name__icontains="Sa Thầy"
        ).first()
        or Agency.objects.filter(kind=Agency.Kind.COMMUNE_COMMITTEE, valid_to__isnull=True)
        .order_by("code")
        .first()
    )
    return [
        a
        for a in [centre, *agencies, commune]
        if a is not None and a.kind != Agency.Kind.LEVEL_GROUP
    ]


@transaction.atomic
def seed_accounts() -> list[User]:
    agencies = demo_agencies()
    now = timezone.now()
    users = []
    for acc in ACCOUNTS:
        user = User.objects.filter(email=acc.email).first() or User(email=acc.email)
        user.full_name, user.kind, user.phone = acc.full_name, acc.kind, acc.phone
        user.id_number, user.tax_code, user.organisation_name = (
            acc.id_number,
            acc.tax_code,
            acc.organisation_name,
        )
        user.is_staff = acc.kind == User.Kind.STAFF
        user.is_superuser = acc.superuser
        user.is_active = True
        user.email_confirmed_at = user.email_confirmed_at or now
        user.set_password(settings.DEMO_PASSWORD)
        user.save()
        for role in acc.roles:
            # Supervisors and administrators act for the centre; receivers sit at its counters
            # and at the commune desk; the others work in every agency handling a demo
            # procedure, so one login shows the whole journey.
            if role in (Role.SYS_ADMIN, Role.CENTER_SUPERVISOR):
                targets = agencies[:1]
            elif role == Role.PARTNER_AGENCY:
                targets = list(
                    Agency.objects.filter(code=PARTNER_AGENCY_CODE, valid_to__isnull=True)
                )
            elif role == Role.RECEIVER:
                targets = agencies
            else:
                targets = [a for a in agencies if a.kind != Agency.Kind.SERVICE_CENTRE]
            for agency in targets:
                StaffMembership.objects.get_or_create(user=user, agency=agency, role=role)
        users.append(user)
    return users


# A blank form as the demo ships it: written here, rendered to PDF, so the demo's "Mẫu" links
# lead to a real file without copying anybody's document.
_FORM_HTML = """<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><style>
@page {{ size: A4; margin: 20mm 18mm 20mm 28mm; }}
html {{ font: 12pt/1.5 "Noto Serif", serif; }}
.c {{ text-align: center; }} .b {{ font-weight: bold; }} h1 {{ font-size: 14pt; margin: 14pt 0 2pt; }}
p.line {{ margin: 8pt 0; border-bottom: 0.6pt dotted #000; }}
.sign {{ margin-top: 24pt; margin-left: 55%; text-align: center; }}
</style></head><body>
<p class="c b">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM<br>Độc lập - Tự do - Hạnh phúc</p>
<h1 class="c">{title}</h1>
<p class="c"><i>{subject}</i></p>
<p>Kính gửi: {agency}</p>
{lines}
<p>Tôi cam đoan những nội dung kê khai trên là đúng sự thật.</p>
<p class="sign"><i>……, ngày … tháng … năm …</i><br><b>NGƯỜI KÊ KHAI</b><br>(Ký, ghi rõ họ tên)</p>
<p><small>Bản mẫu của hệ thống trình diễn MotCua; dùng mẫu do cơ quan có thẩm quyền ban hành
khi nộp hồ sơ thật.</small></p>
</body></html>"""

_FORM_LINES = (
    "Họ và tên người kê khai:",
    "Số định danh cá nhân:",
    "Địa chỉ liên hệ:",
    "Số điện thoại:",
    "Nội dung đề nghị:",
    "",
    "Giấy tờ kèm theo:",
)


def demo_form_pdf(component) -> bytes:
    """A simple blank form for ``component``, as a PDF."""
    from django.utils.html import escape

    from motcua.documents.services import render_pdf_html

    lines = "\n".join(f'<p class="line">{escape(label)}&nbsp;</p>' for label in _FORM_LINES)
    return render_pdf_html(
        _FORM_HTML.format(
            title=escape(component.template_name.upper()),
            subject=escape(component.name),
            agency=escape(component.version.agency.name),
            lines=lines,
        )
    )


def seed_demo_forms(limit: int = 6) -> int:
    """Attach a generated blank form to the components of the seed procedures that name
    one (first ``limit``); components that already have a file keep it."""
    from django.core.files.base import ContentFile

    from motcua.catalog.models import Component
    from motcua.core.text import fold

    count = 0
    for words in SEED_PROCEDURE_WORDS:
        version = search_procedures(q=words).first()
        if version is None:
            continue
        for component in Component.objects.filter(version=version).exclude(template_name=""):
            if count >= limit:
                return count
            if not component.template_file:
                name = fold(component.template_name).replace(" ", "-")[:60] or "mau"
                component.template_file.save(
                    f"{name}.pdf", ContentFile(demo_form_pdf(component)), save=True
                )
            count += 1
    return count


def _seed_pausing_consultation() -> int:
    """The construction permit's process, when it has none yet, with consultation time not
    counted (its consult action pauses the clock)."""
    best = search_procedures(q=PAUSING_CONSULTATION_WORDS).first()
    if (
        best is None
        or Process.objects.filter(
            procedure_id=best.procedure_id, case="", state=Process.State.PUBLISHED
        ).exists()
    ):
        return 0
    build_standard(best, consult_clock=Clock.PAUSE)
    return 1


def seed_demo(stdout=None) -> dict:
    def say(msg):
        if stdout:
            stdout.write(msg)

    units = catalog.load_administrative_units()
    say(f"Đơn vị hành chính: {units}")
    agencies = catalog.import_catalogue(_load("agencies.json"))
    communes = catalog.ensure_commune_committees(COMMUNE_GROUP)
    say(f"Cơ quan: {agencies.agencies} (thêm {communes} Ủy ban nhân dân cấp xã)")
    procedures = catalog.import_catalogue(_load("procedures.json"))
    say(f"Danh mục thủ tục: {procedures.summary()}")
    forms = seed_demo_forms()
    say(f"Mẫu đơn, tờ khai tải về được: {forms}")
    processes = _seed_pausing_consultation()
    processes += seed_processes(ProcedureVersion.objects.filter(effective()))
    say(f"Quy trình nội bộ mới công bố: {processes}")
    users = seed_accounts()
    say(f"Tài khoản trình diễn: {len(users)} (mật khẩu: {settings.DEMO_PASSWORD})")
    certificates = seed_demo_certificates(users, demo_agencies())
    say(f"Chứng thư số trình diễn (ký kết quả): {len(certificates)}")
    return {
        "units": units,
        "agencies": agencies.agencies,
        "procedures": procedures,
        "accounts": users,
        "processes": processes,
        "certificates": certificates,
    }
