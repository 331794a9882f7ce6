"""The online submission receipt: what it prints, how it prints, and who may download it.

The PDF is read back with poppler (``pdftotext``, ``pdffonts``; installed by ``make
system-deps``), so the checks are on what a reader sees, diacritics included.
"""

import base64
import subprocess
import time
import zoneinfo

import pytest
from django.conf import settings
from django.urls import reverse

from motcua.accounts.models import Role
from motcua.catalog.models import Agency
from motcua.documents.services import (
    _governing_body,
    keep_together,
    place_name,
    qr_svg_data_uri,
    submission_receipt_context,
    submission_receipt_pdf,
    tracking_url,
)
from motcua.dossiers import services
from tests.documents.helpers import demo_procedure, submitted_dossier
from tests.factories import AgencyFactory, MembershipFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def _pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "receipt.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def _pages(pdf: bytes, tmp_path) -> int:
    path = tmp_path / "receipt.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True)
    line = next(x for x in info.stdout.splitlines() if x.startswith("Pages:"))
    return int(line.split()[1])


def test_receipt_prints_the_dossier_with_vietnamese_text(tmp_path):
    dossier = submitted_dossier(on_behalf=True)
    pdf = submission_receipt_pdf(dossier)
    assert pdf.startswith(b"%PDF-")
    text = " ".join(_pdf_text(pdf, tmp_path).split())
    submitted = dossier.submitted_at.astimezone(zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh"))
    for expected in [
        "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI",
        "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "GIẤY BIÊN NHẬN HỒ SƠ NỘP TRỰC TUYẾN",
        dossier.code,
        "Tiếp nhận hồ sơ thông báo sản phẩm quảng cáo",
        "1.004650",
        "Nguyễn Thị Ánh Tuyết",
        "Người nộp thay: Trần Quốc Bảo",
        f"{submitted:%H:%M %d/%m/%Y}",
        "Thông báo quảng cáo Đường Lê Lợi.pdf",
        "maket-bang-ron-mat-truoc.png",
        "maket-bang-ron-mat-sau.png",
        "Giấy ủy quyền.pdf",
        "Nhận qua dịch vụ bưu chính công ích",
        "Số 12 Phạm Văn Đồng, Phường Cẩm Thành, Tỉnh Quảng Ngãi",
        "5 ngày làm việc, tính từ khi hồ sơ được tiếp nhận",
    ]:
        assert expected in text, expected
    # The URL under the QR code may wrap; its characters are all there in order.
    assert tracking_url(dossier.code) in "".join(text.split())
    # It is the online confirmation, not the official reception receipt issued later.
    assert "Mẫu 01" not in text
    assert _pages(pdf, tmp_path) == 1


def test_receipt_embeds_noto_fonts(tmp_path):
    path = tmp_path / "receipt.pdf"
    path.write_bytes(submission_receipt_pdf(submitted_dossier()))
    fonts = subprocess.run(
        ["pdffonts", str(path)], check=True, capture_output=True, text=True
    ).stdout
    names = [line.split()[0] for line in fonts.splitlines()[2:]]
    # Every font is an embedded Noto subset: no fallback font without Vietnamese glyphs.
    assert names and all("Noto" in n for n in names), names


def test_qr_code_links_to_the_tracking_page():
    dossier = submitted_dossier(post=False)
    context = submission_receipt_context(dossier)
    assert context["tracking_url"] == f"{settings.BASE_URL}/tra-cuu/{dossier.code}"
    assert context["qr"] == qr_svg_data_uri(context["tracking_url"])
    svg = base64.b64decode(context["qr"].split(",", 1)[1])
    assert svg.lstrip().startswith(b"<?xml") and b"<svg" in svg
    assert context["delivery_address"] == ""


def test_header_skips_the_level_group_of_communes():
    province = AgencyFactory(
        code="H48", name="Ủy ban nhân dân tỉnh Quảng Ngãi", kind=Agency.Kind.PROVINCE_COMMITTEE
    )
    group = AgencyFactory(
        code="H48-CAPXA",
        name="Ủy ban nhân dân cấp xã",
        kind=Agency.Kind.LEVEL_GROUP,
        parent=province,
    )
    commune = AgencyFactory(
        code="H48.40.01",
        name="Ủy ban nhân dân phường Cẩm Thành",
        kind=Agency.Kind.COMMUNE_COMMITTEE,
        parent=group,
    )
    assert _governing_body(commune) == "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI"
    assert _governing_body(province) == settings.SITE_NAME.upper()


def test_receipt_renders_in_about_a_second():
    dossier = submitted_dossier()
    submission_receipt_pdf(dossier)  # the first render loads the fonts once per process
    started = time.monotonic()
    submission_receipt_pdf(dossier)
    # About 0.2 s on a developer machine; the bound leaves room for a loaded CI runner.
    assert time.monotonic() - started < 3


def test_draft_has_no_receipt():
    version = demo_procedure()
    owner = UserFactory()
    draft = services.create_draft(owner=owner, procedure_code=version.procedure.code)
    with pytest.raises(ValueError):
        submission_receipt_pdf(draft)


# --- the portal download ---------------------------------------------------------------------


def _url(code):
    return reverse("portal:dossier-receipt", args=[code])


def test_owner_downloads_the_receipt_inline(client):
    dossier = submitted_dossier()
    client.force_login(dossier.owner)
    response = client.get(_url(dossier.code))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="bien-nhan-{dossier.code}.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    assert response.content.startswith(b"%PDF-")


def test_staff_of_the_receiving_agency_may_download(client):
    dossier = submitted_dossier()
    officer = MembershipFactory(agency=dossier.receiving_agency, role=Role.RECEIVER).user
    client.force_login(officer)
    assert client.get(_url(dossier.code)).status_code == 200


def test_anyone_else_gets_404(client):
    dossier = submitted_dossier()
    outsider_staff = MembershipFactory(agency=AgencyFactory(code="H48.99")).user
    for user in (UserFactory(), outsider_staff, StaffFactory()):
        client.force_login(user)
        assert client.get(_url(dossier.code)).status_code == 404
    client.force_login(dossier.owner)
    assert client.get(_url("H48.13-991231-0001")).status_code == 404


def test_anonymous_visitor_is_sent_to_log_in(client):
    dossier = submitted_dossier()
    response = client.get(_url(dossier.code))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("portal:login"))


def test_draft_has_no_download(client):
    version = demo_procedure()
    owner = UserFactory()
    draft = services.create_draft(owner=owner, procedure_code=version.procedure.code)
    client.force_login(owner)
    assert client.get(_url(str(draft.public_id))).status_code == 404


def test_counter_dossier_has_no_online_receipt(client):
    # A dossier typed in at the counter gets the official Mẫu 01, not this confirmation.
    dossier = submitted_dossier()
    type(dossier).objects.filter(pk=dossier.pk).update(channel="counter")
    client.force_login(dossier.owner)
    assert client.get(_url(dossier.code)).status_code == 404


def test_place_before_the_date_and_the_office_named_as_on_the_web(tmp_path):
    dossier = submitted_dossier()
    text = " ".join(
        _pdf_text(submission_receipt_pdf(dossier), tmp_path).replace("\xa0", " ").split()
    )
    submitted = dossier.submitted_at.astimezone(zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh"))
    assert f"Quảng Ngãi, ngày {submitted:%d} tháng {submitted:%m} năm {submitted:%Y}" in text
    assert "Bộ phận Một cửa" in text and "Tiếp nhận và Trả kết quả" not in text


def test_no_line_ends_inside_a_name(tmp_path):
    dossier = submitted_dossier(on_behalf=True)
    lines = _pdf_text(submission_receipt_pdf(dossier), tmp_path).splitlines()
    for name in ("Quảng Ngãi", "Lê Lợi", "Nguyễn Thị Ánh Tuyết", "Trần Quốc Bảo"):
        first, rest = name.split(" ", 1)
        for line in lines:
            # A line whose last word starts the name, without the rest: a broken name.
            assert not line.rstrip().endswith(first) or rest in line, (name, line)
    assert keep_together("Đường Lê Lợi, phường Cẩm Thành, Mẫu số 01") == (
        "Đường\xa0Lê\xa0Lợi, phường Cẩm\xa0Thành, Mẫu số\xa001"
    )


def test_place_name_from_the_admin_unit_or_the_top_agency():
    from motcua.catalog.models import AdministrativeUnit

    province = AgencyFactory(
        code="H48", name="Ủy ban nhân dân tỉnh Quảng Ngãi", kind=Agency.Kind.PROVINCE_COMMITTEE
    )
    department = AgencyFactory(code="H48.31", name="Sở Tư pháp", parent=province)
    assert place_name(department) == "Quảng Ngãi"
    unit = AdministrativeUnit.objects.create(code="51", name="Quảng Ngãi", level="province")
    ward = AdministrativeUnit.objects.create(
        code="21025", name="Phường Cẩm Thành", level="ward", parent=unit
    )
    commune = AgencyFactory(
        code="H48.40.01",
        name="Ủy ban nhân dân phường Cẩm Thành",
        kind=Agency.Kind.COMMUNE_COMMITTEE,
        parent=province,
        admin_unit=ward,
    )
    assert place_name(commune) == "Quảng Ngãi"


def test_calendar_days_say_so_on_the_receipt():
    dossier = submitted_dossier()
    version = dossier.version
    version.time_limit_value, version.time_limit_unit, version.time_limit_online = 15, "days", None
    version.save()
    assert submission_receipt_context(dossier)["time_limit"] == "15 ngày (theo lịch)"
