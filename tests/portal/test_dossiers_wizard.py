"""The submission wizard, step by step: "Thông tin người nộp", "Thành phần hồ sơ",
"Hình thức nhận kết quả", "Kiểm tra và nộp hồ sơ", in the seed letters' words."""

import pytest

from motcua.dossiers.models import Dossier, DossierEvent, Status
from tests.portal.conftest import assert_no_inline_code, html
from tests.portal.dossiers_support import (
    CODE,
    advertising,
    commune_group,
    components_of,
    draft_for,
    places,
    private_dir,  # noqa: F401 (fixture)
    ready,
)

# Every test writes its uploads into its own folder.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_dir")]


def _step(dossier, path):
    return f"/ho-so/{dossier.public_id}/{path}"


def test_procedure_page_button_leads_to_the_start_page(logged_in):
    advertising()
    page = html(logged_in.get(f"/thu-tuc/{CODE}/"))
    assert f'href="/thu-tuc/{CODE}/nop-ho-so/"' in page
    start = logged_in.get(f"/thu-tuc/{CODE}/nop-ho-so/")
    assert start.status_code == 200
    text = html(start)
    assert "Thông tin người nộp" in text and "Thông báo sản phẩm quảng cáo" in text
    assert_no_inline_code(start)


def test_start_needs_login_and_a_post_creates_one_draft(client, user):
    advertising()
    r = client.get(f"/thu-tuc/{CODE}/nop-ho-so/")
    assert r.status_code == 302 and r["Location"].startswith("/dang-nhap/?next=")
    client.force_login(user)
    assert Dossier.objects.count() == 0  # looking at the page creates nothing
    r = client.post(f"/thu-tuc/{CODE}/nop-ho-so/")
    draft = Dossier.objects.get()
    assert r.status_code == 302 and r["Location"] == _step(draft, "nguoi-nop/")
    assert draft.status == Status.DRAFT and draft.applicant_name == user.full_name
    # Starting again offers the draft already there.
    assert "Tiếp tục khai bản nháp" in html(client.get(f"/thu-tuc/{CODE}/nop-ho-so/"))


def test_commune_level_procedure_asks_for_the_commune(logged_in):
    group = commune_group()
    advertising(code="2.000001", agency=group)
    page = html(logged_in.get("/thu-tuc/2.000001/nop-ho-so/"))
    assert "UBND xã Tịnh Khê" in page and "UBND cấp xã" not in page.split("<select")[1]
    r = logged_in.post("/thu-tuc/2.000001/nop-ho-so/", {"agency": ""})
    assert r.status_code == 400 and "Vui lòng chọn Ủy ban nhân dân xã, phường" in html(r)
    r = logged_in.post("/thu-tuc/2.000001/nop-ho-so/", {"agency": "H48.X2"})
    assert Dossier.objects.get().receiving_agency.code == "H48.X2"


def test_applicant_is_prefilled_and_saved_on_continue(logged_in, user):
    draft = draft_for(user)
    r = logged_in.get(_step(draft, "nguoi-nop/"))
    page = html(r)
    assert f'value="{user.full_name}"' in page and f'value="{user.id_number}"' in page
    assert "Bước 1/4" in page
    assert_no_inline_code(r)
    data = {
        "full_name": "Công ty TNHH Quảng cáo Sao Mai",
        "id_number": "0100109106",
        "phone": "0988123113",
        "email": "saomai@example.vn",
        "address": "12 Hùng Vương",
        "action": "continue",
    }
    r = logged_in.post(_step(draft, "nguoi-nop/"), data)
    assert r.status_code == 302 and r["Location"] == _step(draft, "thanh-phan/1/")
    draft.refresh_from_db()
    assert draft.applicant_name == "Công ty TNHH Quảng cáo Sao Mai"
    assert draft.applicant_id_number == "0100109106"


def test_applicant_errors_keep_what_was_typed(logged_in, user):
    draft = draft_for(user)
    r = logged_in.post(
        _step(draft, "nguoi-nop/"),
        {"full_name": "", "id_number": "123", "phone": "0988123113", "action": "continue"},
    )
    page = html(r)
    assert r.status_code == 400
    assert "Vui lòng nhập họ và tên chủ hồ sơ." in page and 'href="#id_full_name"' in page
    assert "12 chữ số" in page  # the id number's message
    draft.refresh_from_db()
    assert draft.applicant_id_number == "123"  # saved anyway: nothing typed is lost


def test_save_draft_stays_on_the_step(logged_in, user):
    draft = draft_for(user)
    r = logged_in.post(
        _step(draft, "nguoi-nop/"), {"full_name": "Trần Thị Bình", "action": "save"}, follow=True
    )
    assert "Đã lưu bản nháp" in html(r)
    assert r.redirect_chain[-1][0] == _step(draft, "nguoi-nop/")
    draft.refresh_from_db()
    assert draft.applicant_name == "Trần Thị Bình" and draft.wizard_step == "applicant"


def test_delivery_by_post_needs_a_commune(logged_in, user):
    places()
    draft = draft_for(user)
    page = html(logged_in.get(_step(draft, "nhan-ket-qua/")))
    assert "Nhận qua dịch vụ bưu chính công ích" in page and "Tỉnh Quảng Ngãi" in page
    r = logged_in.post(
        _step(draft, "nhan-ket-qua/"),
        {"method": "post", "province": "51", "address": "12 Hùng Vương", "action": "continue"},
    )
    assert r.status_code == 400 and "Vui lòng chọn xã, phường nhận kết quả" in html(r)
    assert "Phường Cẩm Thành" in html(r)  # the province's communes are offered
    draft.refresh_from_db()
    assert draft.delivery_commune.code == "51" and draft.delivery_address == "12 Hùng Vương"


def test_delivery_refuses_a_made_up_method(logged_in, user):
    draft = draft_for(user)
    r = logged_in.post(_step(draft, "nhan-ket-qua/"), {"method": "x" * 50, "action": "continue"})
    assert r.status_code == 400 and "Vui lòng chọn hình thức nhận kết quả." in html(r)
    draft.refresh_from_db()
    assert draft.delivery_method == ""


def test_delivery_commune_list_without_javascript(logged_in, user):
    places()
    draft = draft_for(user)
    r = logged_in.post(
        _step(draft, "nhan-ket-qua/"), {"method": "post", "province": "51", "action": "refresh"}
    )
    assert r.status_code == 302 and r["Location"].endswith("nhan-ket-qua/#id_commune")
    page = html(logged_in.get(_step(draft, "nhan-ket-qua/")))
    assert '<option value="22015">Xã Tịnh Khê</option>' in page
    r = logged_in.post(
        _step(draft, "nhan-ket-qua/"),
        {
            "method": "post",
            "province": "51",
            "commune": "22015",
            "address": "Thôn 3",
            "action": "continue",
        },
    )
    assert r.status_code == 302 and r["Location"] == _step(draft, "kiem-tra/")
    draft.refresh_from_db()
    assert draft.delivery_commune.name == "Xã Tịnh Khê"


def test_communes_json(client, db):
    places()
    answer = client.get("/dia-ban/51/xa-phuong/").json()
    assert [c["name"] for c in answer["communes"]] == ["Phường Cẩm Thành", "Xã Tịnh Khê"]


def test_review_lists_what_is_missing_with_links_to_its_step(logged_in, user):
    version = advertising()
    form, _ = components_of(version)
    draft = draft_for(user, version)
    r = logged_in.get(_step(draft, "kiem-tra/"))
    page = html(r)
    assert r.status_code == 200 and "Cần hoàn thiện trước khi nộp" in page
    assert f'href="{_step(draft, "thanh-phan/1/")}#id_file-{form.pk}"' in page
    assert f'href="{_step(draft, "nhan-ket-qua/")}#id_method_0"' in page
    assert "Mã xác nhận" in page and "Nộp hồ sơ" in page
    assert_no_inline_code(r)


def test_wrong_captcha_submits_nothing(logged_in, user):
    draft = ready(user)
    r = logged_in.post(_step(draft, "kiem-tra/"), {"captcha_0": "x", "captcha_1": "SAI"})
    assert r.status_code == 400 and "Mã xác nhận không đúng" in html(r)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_missing_required_component_on_submit(logged_in, user):
    version = advertising()
    draft = draft_for(user, version)
    r = logged_in.post(_step(draft, "kiem-tra/"), {"captcha_0": "x", "captcha_1": "PASSED"})
    assert r.status_code == 400 and "Chưa đính kèm «Thông báo sản phẩm quảng cáo" in html(r)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and draft.code is None


def test_submit_twice_makes_one_dossier(logged_in, user):
    draft = ready(user)
    answer = {"captcha_0": "x", "captcha_1": "PASSED"}
    first = logged_in.post(_step(draft, "kiem-tra/"), answer)
    draft.refresh_from_db()
    assert first.status_code == 302 and first["Location"] == f"/ho-so/{draft.code}/da-nop/"
    second = logged_in.post(_step(draft, "kiem-tra/"), answer)
    assert second["Location"] == first["Location"]
    assert Dossier.objects.filter(owner=user).count() == 1
    assert DossierEvent.objects.filter(dossier=draft, action="submit").count() == 1
    page = logged_in.get(first["Location"])
    text = html(page)
    assert "Nộp hồ sơ thành công" in text and draft.code in text
    assert "Tra cứu hồ sơ" in text and "Trang cá nhân" in text
    assert f"/ho-so/{draft.code}/bien-nhan.pdf" in text
    assert_no_inline_code(page)


def test_resume_from_the_personal_page(logged_in, user):
    draft = draft_for(user)
    logged_in.get(_step(draft, "nhan-ket-qua/"))
    page = html(logged_in.get("/trang-ca-nhan/"))
    assert "Tiếp tục khai" in page and f'href="/ho-so/{draft.public_id}/"' in page
    r = logged_in.get(f"/ho-so/{draft.public_id}/")
    assert r.status_code == 302 and r["Location"] == _step(draft, "nhan-ket-qua/")


def test_expired_session_goes_to_login_and_back(client, user):
    draft = draft_for(user)
    r = client.get(_step(draft, "thanh-phan/1/"))
    assert r.status_code == 302
    assert r["Location"] == f"/dang-nhap/?next=/ho-so/{draft.public_id}/thanh-phan/1/"
    r = client.post(
        r["Location"], {"email": user.email, "password": "MatKhau2026", "next": _step(draft, "")}
    )
    assert r["Location"] == _step(draft, "")


def test_discard_a_draft(logged_in, user):
    draft = ready(user)
    assert "Xóa bản nháp?" in html(logged_in.get(_step(draft, "xoa-ban-nhap/")))
    r = logged_in.post(_step(draft, "xoa-ban-nhap/"))
    assert r.status_code == 302 and not Dossier.objects.filter(pk=draft.pk).exists()


def test_a_submitted_draft_leaves_the_wizard(logged_in, user):
    draft = ready(user)
    logged_in.post(_step(draft, "kiem-tra/"), {"captcha_0": "x", "captcha_1": "PASSED"})
    draft.refresh_from_db()
    r = logged_in.get(_step(draft, "nguoi-nop/"))
    assert r.status_code == 302 and r["Location"] == f"/ho-so/{draft.code}/"


def test_new_captcha_on_the_review_page_without_script_is_no_error(logged_in, user):
    draft = ready(user)
    r = logged_in.post(
        _step(draft, "kiem-tra/"), {"captcha_0": "x", "captcha_1": "", "captcha_refresh": "1"}
    )
    page = html(r)
    assert r.status_code == 200 and "Vui lòng nhập mã xác nhận" not in page
    assert "error-summary" not in page
    draft.refresh_from_db()
    assert draft.is_draft
