""" "Trang cá nhân" → "Danh sách giao dịch", a dossier's page, file downloads, "Bổ sung hồ
sơ" and "Rút hồ sơ"."""

from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.accounts.models import Role
from motcua.dossiers import services
from motcua.dossiers.models import DossierFile, Status
from tests.factories import MembershipFactory
from tests.portal.conftest import assert_no_inline_code, html
from tests.portal.dossiers_support import (
    PDF,
    advertising,
    attach,
    components_of,
    draft_for,
    private_dir,  # noqa: F401 (fixture)
    ready,
    submitted,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_dir")]


def _supplement_requested(dossier):
    officer = MembershipFactory(agency=dossier.receiving_agency, role=Role.RECEIVER).user
    return services.perform(
        dossier,
        "request_supplement",
        officer,
        note="Ma-két chưa có chữ ký của người đại diện.",
        items=["Ma-két sản phẩm quảng cáo in màu, có chữ ký và đóng dấu"],
    )


def test_list_shows_code_status_dates_and_next_actions(logged_in, user):
    version = advertising()
    dossier = submitted(user, version)
    draft_for(user, version)
    r = logged_in.get("/trang-ca-nhan/ho-so/")
    page = html(r)
    assert "Danh sách giao dịch" in page and dossier.code in page
    assert "Mới đăng ký" in page and "Bản nháp" in page
    assert dossier.submitted_at.astimezone().strftime("%d/%m/%Y") in page
    assert "Tiếp tục khai" in page and "Xóa bản nháp" in page and "Rút hồ sơ" in page
    assert_no_inline_code(r)


def test_list_filters_by_status_group_and_paginates(logged_in, user):
    version = advertising()
    submitted(user, version)
    for _ in range(21):
        draft_for(user, version)
    drafts = html(logged_in.get("/trang-ca-nhan/ho-so/?nhom=ban-nhap"))
    assert "21 hồ sơ" in drafts and "trang 1/2" in drafts and 'rel="next"' in drafts
    assert drafts.count('class="dossier-card"') == 20
    open_ = html(logged_in.get("/trang-ca-nhan/ho-so/?nhom=dang-giai-quyet"))
    assert "1 hồ sơ" in open_ and "Mới đăng ký" in open_
    assert "Không có hồ sơ nào" in html(logged_in.get("/trang-ca-nhan/ho-so/?nhom=da-ket-thuc"))


def test_profile_lists_the_newest_and_links_to_all(logged_in, user):
    dossier = submitted(user)
    page = html(logged_in.get("/trang-ca-nhan/"))
    assert dossier.code in page and 'href="/trang-ca-nhan/ho-so/"' in page
    assert "Bạn chưa nộp hồ sơ nào." not in page


def test_dossier_page(logged_in, user):
    dossier = submitted(user)
    r = logged_in.get(f"/ho-so/{dossier.code}/")
    page = html(r)
    assert f"Hồ sơ {dossier.code}" in page and "Mới đăng ký" in page
    assert (
        "Sở Văn hóa, Thể thao và Du lịch" in page and "Nhận trực tiếp tại Bộ phận Một cửa" in page
    )
    assert "Nộp hồ sơ trực tuyến" in page  # the history's action label
    file = dossier.files.get()
    assert f'href="/ho-so/{dossier.code}/tep/{file.public_id}/"' in page
    assert "Tải giấy biên nhận (PDF)" in page and "Rút hồ sơ" in page
    assert user.id_number not in page  # masked, as on the account page
    assert_no_inline_code(r)


def test_download_is_an_attachment_with_its_vietnamese_name(logged_in, user):
    version = advertising()
    draft = ready(user, version)
    attach(draft, user, components_of(version)[1], name="Ma-két màu.pdf")
    dossier = services.submit(draft, user)
    file = dossier.files.get(name="Ma-két màu.pdf")
    r = logged_in.get(f"/ho-so/{dossier.code}/tep/{file.public_id}/")
    assert r.status_code == 200 and b"".join(r.streaming_content) == PDF
    disposition = r["Content-Disposition"]
    assert disposition.startswith('attachment; filename="ma-ket-mau.pdf"')
    assert f"filename*=UTF-8''{quote('Ma-két màu.pdf')}" in disposition
    assert r["X-Content-Type-Options"] == "nosniff" and r["Content-Type"] == "application/pdf"


def test_supplement_page_upload_and_send(logged_in, user):
    dossier = _supplement_requested(submitted(user))
    page = html(logged_in.get(f"/ho-so/{dossier.code}/"))
    assert "Yêu cầu bổ sung giấy tờ" in page and "Bổ sung hồ sơ" in page
    url = f"/ho-so/{dossier.code}/bo-sung/"
    r = logged_in.get(url)
    page = html(r)
    assert "Ma-két chưa có chữ ký" in page and "có chữ ký và đóng dấu" in page
    assert_no_inline_code(r)
    r = logged_in.post(url, {"action": "send", "note": ""})
    assert r.status_code == 400 and "Vui lòng đính kèm giấy tờ bổ sung" in html(r)
    mockup = components_of(dossier.version)[1]
    upload = SimpleUploadedFile("ma-ket-ky.pdf", b"%PDF-1.4 signed", "application/pdf")
    r = logged_in.post(url, {f"file-{mockup.pk}": upload, "action": "send", "note": "Đã ký"})
    assert r.status_code == 302 and r["Location"] == f"/ho-so/{dossier.code}/"
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED and dossier.supplement.answer_note == "Đã ký"
    assert dossier.files.filter(purpose=DossierFile.Purpose.SUPPLEMENT).count() == 1


def test_supplement_file_can_be_removed_before_sending(logged_in, user):
    dossier = _supplement_requested(submitted(user))
    mockup = components_of(dossier.version)[1]
    extra = attach(dossier, user, mockup, name="nham.pdf", purpose="supplement")
    r = logged_in.post(f"/ho-so/{dossier.code}/bo-sung/", {"remove": str(extra.public_id)})
    assert r.status_code == 302 and not DossierFile.objects.filter(pk=extra.pk).exists()
    first = dossier.files.get(purpose="initial")
    r = logged_in.post(f"/ho-so/{dossier.code}/bo-sung/", {"remove": str(first.public_id)})
    assert DossierFile.objects.filter(pk=first.pk).exists()  # what was submitted stays


def test_supplement_page_only_when_asked(logged_in, user):
    dossier = submitted(user)
    r = logged_in.get(f"/ho-so/{dossier.code}/bo-sung/", follow=True)
    assert "không ở trạng thái chờ bổ sung" in html(r)


def test_withdrawal_asks_reason_then_confirmation(logged_in, user):
    dossier = submitted(user)
    url = f"/ho-so/{dossier.code}/rut-ho-so/"
    r = logged_in.get(url)
    assert "Lý do rút hồ sơ" in html(r)
    assert_no_inline_code(r)
    r = logged_in.post(url, {"reason": ""})
    assert r.status_code == 400 and "Vui lòng nêu lý do rút hồ sơ." in html(r)
    r = logged_in.post(url, {"reason": "Không còn nhu cầu quảng cáo"})
    assert r.status_code == 200 and "Bạn chắc chắn muốn rút hồ sơ này?" in html(r)
    assert not hasattr(type(dossier).objects.get(pk=dossier.pk), "withdrawal")
    r = logged_in.post(url, {"reason": "Không còn nhu cầu quảng cáo", "confirm": "1"}, follow=True)
    page = html(r)
    assert "Đang chờ xác nhận rút hồ sơ" in page and "Đã gửi đề nghị rút hồ sơ" in page
    dossier.refresh_from_db()
    assert dossier.withdrawal.reason == "Không còn nhu cầu quảng cáo"
    assert f'href="/ho-so/{dossier.code}/rut-ho-so/"' not in page
    r = logged_in.get(url, follow=True)
    assert "Không thể rút hồ sơ ở trạng thái hiện tại." in html(r)


def test_pages_in_english(logged_in, user):
    dossier = submitted(user)
    logged_in.cookies["django_language"] = "en"
    page = html(logged_in.get(f"/ho-so/{dossier.code}/"))
    assert "Newly submitted" in page and "Dossier" in page and "Withdraw" in page
    page = html(logged_in.get("/trang-ca-nhan/ho-so/"))
    assert "My transactions" in page and "Newly submitted" in page


def test_supplement_over_the_limit_stands_next_to_the_component_pressed(logged_in, user):
    dossier = _supplement_requested(submitted(user))
    for component in dossier.version.components.all():
        component.max_size = 1024
        component.save()
    mockup = components_of(dossier.version)[1]
    big = SimpleUploadedFile("ma-ket.pdf", b"%PDF-" + b"0" * 50_000, "application/pdf")
    r = logged_in.post(
        f"/ho-so/{dossier.code}/bo-sung/?component={mockup.pk}",
        {f"file-{mockup.pk}": big, "action": "upload"},
    )
    page = html(r)
    assert r.status_code == 413 and 'id="loi-tai-len"' not in page
    assert f'id="id_file-{mockup.pk}_error"' in page and f'href="#id_file-{mockup.pk}"' in page
