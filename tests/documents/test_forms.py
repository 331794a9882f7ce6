"""Official forms Mẫu 01–05 and the stop notice: what they print, how they are numbered."""

import datetime as dt
import os
import subprocess
from unittest import mock

import pytest
from django.utils import timezone

from motcua.accounts.models import Role
from motcua.documents.models import IssuedForm
from motcua.documents.official import FormError
from motcua.documents.services import issue_form, render_form, tracking_url
from motcua.dossiers import services
from tests.documents.helpers import submitted_dossier
from tests.factories import AgencyFactory, MembershipFactory

pytestmark = pytest.mark.django_db

HEADER = [
    "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI",
    "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
]


def pdf_text(pdf: bytes, tmp_path, name="form") -> str:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    # Where a person wants to look at the pages: FORMS_PNG_DIR=/tmp/x pytest …
    if out := os.environ.get("FORMS_PNG_DIR"):
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(path), f"{out}/{name}"], check=True)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return " ".join(text.replace("\u00a0", " ").split())


def page_size(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "size.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True)
    return next(x for x in info.stdout.splitlines() if x.startswith("Page size:"))


@pytest.fixture
def officer():
    return MembershipFactory(role=Role.RECEIVER, user__full_name="Lê Thị Hồng Nhung").user


@pytest.fixture
def dossier():
    d = submitted_dossier(on_behalf=True)
    d.received_at = timezone.now()
    d.due_at = d.received_at + dt.timedelta(days=7)
    d.save(update_fields=["received_at", "due_at"])
    return d


CASES = {
    "01": (
        {"signer_name": "Lê Thị Hồng Nhung"},
        [
            "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
            "Nguyễn Thị Ánh Tuyết",
            "Trần Quốc Bảo",
            "Thời gian trả kết quả giải quyết hồ sơ",
            "Bản điện tử (2 tệp)",
            "NGƯỜI TIẾP NHẬN HỒ SƠ",
            "Lê Thị Hồng Nhung",
        ],
    ),
    "02": (
        {
            "items": [
                {"item": "Bản sao giấy chứng nhận đăng ký doanh nghiệp", "reason": "Ảnh mờ"},
                {"item": "Ma-két in màu mặt sau", "reason": "Thiếu kích thước"},
            ]
        },
        ["PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", "Ảnh mờ", "Thiếu kích thước", "một lần"],
    ),
    "03": (
        {"reason": "Thủ tục không thuộc thẩm quyền của Sở Văn hóa"},
        ["PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ", "không thuộc thẩm quyền"],
    ),
    "04": (
        {
            "reason": "Cần lấy ý kiến của Ủy ban nhân dân phường Cẩm Thành",
            "new_due_at": dt.datetime(2026, 12, 30, 16, 30, tzinfo=dt.UTC),
        },
        [
            "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
            "Kính gửi: Ông (Bà) Nguyễn Thị Ánh Tuyết",
            "23 giờ 30 phút, ngày 30 tháng 12 năm 2026",
            "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ",
        ],
    ),
    "05": ({}, ["PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", "Nộp hồ sơ trực tuyến"]),
    "stop": (
        {"reason": "Tôi không còn nhu cầu"},
        ["THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ", "theo đề nghị của Ông (Bà)", "không còn nhu cầu"],
    ),
}


@pytest.mark.parametrize("form_code", list(CASES))
def test_each_form_renders_its_header_and_key_texts(form_code, dossier, officer, tmp_path):
    extra, expected = CASES[form_code]
    issued = issue_form(form_code, dossier, issued_by=officer, **extra)
    pdf = bytes(issued.pdf)
    assert pdf.startswith(b"%PDF-")
    assert "(A4)" in page_size(pdf, tmp_path)
    text = pdf_text(pdf, tmp_path, f"mau-{form_code}")
    for line in [*HEADER, *expected, dossier.code, f"Số: {issued.reference}"]:
        assert line in text, line
    assert "Quảng Ngãi, ngày" in text
    # The URL under the QR code wraps at a hyphen, which pdftotext then drops.
    assert tracking_url(dossier.code).replace("-", "") in "".join(text.split()).replace("-", "")
    assert issued.template_version and issued.issued_by == officer


@pytest.mark.parametrize(
    ("form_code", "extra", "field"),
    [
        ("02", {}, "items"),
        ("02", {"items": ["Bản sao giấy phép"]}, "reason"),
        ("03", {"reason": "  "}, "reason"),
        ("04", {"reason": "Chờ ý kiến"}, "new_due_at"),
        ("04", {"new_due_at": "2026-12-30T10:00:00+07:00"}, "reason"),
        ("stop", {"by_authority": True}, "reason"),
        ("99", {}, "form_code"),
    ],
)
def test_a_form_missing_what_the_officer_must_state_is_refused(
    form_code, extra, field, dossier, officer
):
    with pytest.raises(FormError) as caught:
        issue_form(form_code, dossier, issued_by=officer, **extra)
    assert caught.value.field == field
    assert not IssuedForm.objects.exists()


def test_supplement_form_reads_the_dossiers_supplement_request(dossier, tmp_path):
    member = MembershipFactory(agency=dossier.receiving_agency, role=Role.RECEIVER)
    services.perform(
        dossier,
        "request_supplement",
        member.user,
        note="Giấy tờ chưa hợp lệ",
        items=["Bản sao giấy chứng nhận có chứng thực"],
    )
    dossier.refresh_from_db()
    issued = issue_form("02", dossier, issued_by=member.user)
    text = pdf_text(bytes(issued.pdf), tmp_path)
    assert "Bản sao giấy chứng nhận có chứng thực" in text
    assert "Giấy tờ chưa hợp lệ" in text


def test_control_slip_lists_the_dossiers_history(dossier, tmp_path):
    member = MembershipFactory(
        agency=dossier.receiving_agency, role=Role.RECEIVER, user__full_name="Phạm Minh Khôi"
    )
    services.perform(
        dossier, "request_supplement", member.user, note="Thiếu giấy tờ", items=["Bản sao"]
    )
    dossier.refresh_from_db()
    text = pdf_text(bytes(issue_form("05", dossier, issued_by=member.user).pdf), tmp_path)
    assert "Nộp hồ sơ trực tuyến" in text
    assert "Yêu cầu bổ sung, hoàn thiện hồ sơ" in text
    assert "Phạm Minh Khôi" in text
    assert "Thiếu giấy tờ" in text
    assert text.index("Nộp hồ sơ trực tuyến") < text.index("Yêu cầu bổ sung, hoàn thiện")


def test_preview_is_unnumbered_and_stores_nothing(dossier, tmp_path):
    text = pdf_text(render_form("03", dossier, reason="Sai thẩm quyền"), tmp_path)
    assert "Số: …" in text
    assert not IssuedForm.objects.exists()


def test_numbers_run_per_agency_form_and_year(dossier, officer):
    other = AgencyFactory(name="Ủy ban nhân dân phường Cẩm Thành")
    at = dt.datetime(2026, 6, 1, 3, tzinfo=dt.UTC)
    clock = mock.patch("django.utils.timezone.now", lambda: at)
    clock.start()
    first = issue_form("03", dossier, issued_by=officer, reason="Sai thẩm quyền")
    second = issue_form("03", dossier, issued_by=officer, reason="Sai thẩm quyền")
    receipt = issue_form("01", dossier, issued_by=officer)
    elsewhere = issue_form("03", dossier, issued_by=officer, reason="Khác", agency=other)
    assert (first.number, second.number, receipt.number, elsewhere.number) == (1, 2, 1, 1)
    assert second.reference == "02/PTC"
    assert elsewhere.agency == other
    # 31 December 17:30 UTC is already 1 January in Vietnam: a new year, a new sequence.
    at = dt.datetime(2026, 12, 31, 17, 30, tzinfo=dt.UTC)
    new_year = issue_form("03", dossier, issued_by=officer, reason="Sai thẩm quyền")
    clock.stop()
    assert (new_year.year, new_year.number) == (2027, 1)


def test_a_rolled_back_transition_gives_its_number_back(dossier, officer):
    from django.db import transaction

    class Refused(Exception):
        pass

    with pytest.raises(Refused), transaction.atomic():
        issue_form("03", dossier, issued_by=officer, reason="Sai thẩm quyền")
        raise Refused
    again = issue_form("03", dossier, issued_by=officer, reason="Sai thẩm quyền")
    assert again.number == 1
    assert IssuedForm.objects.count() == 1


def test_control_slip_judges_each_hand_over_against_its_step_deadline(dossier, officer, tmp_path):
    from motcua.dossiers.models import DossierEvent, Status

    due = dossier.received_at + dt.timedelta(days=2)
    for days, unit in ((1, "Phòng Quản lý văn hóa"), (3, "Văn phòng Sở")):
        DossierEvent.objects.create(
            dossier=dossier,
            at=dossier.received_at + dt.timedelta(days=days, hours=1),
            action="forward",
            status=Status.PROCESSING,
            actor_name="Võ Văn Thành",
            data={"unit": unit, "to_name": "Hồ Thị Lan", "step_due_at": due.isoformat()},
            hash="0" * 64,
        )
    text = pdf_text(bytes(issue_form("05", dossier, issued_by=officer).pdf), tmp_path)
    assert "Phòng Quản lý văn hóa" in text and "Văn phòng Sở" in text
    assert "Giao: Võ Văn Thành Nhận: Hồ Thị Lan" in text
    assert text.index("Trước hạn") < text.index("Quá hạn")
    from motcua.dossiers.lifecycle import transition

    # The slip names an action as the lifecycle table does, never by its code.
    assert transition("forward").label in text and "forward" not in text
