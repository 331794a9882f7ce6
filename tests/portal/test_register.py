import re

import pytest

from motcua.accounts.models import OneTimeToken, User
from motcua.notifications.models import OutboundMessage
from tests.factories import UserFactory
from tests.portal.conftest import html, mail_count, mailed_link, registration

pytestmark = pytest.mark.django_db


def test_form_has_captcha_and_both_account_kinds(client):
    page = html(client.get("/dang-ky/"))
    assert 'name="captcha_1"' in page and "/ma-xac-nhan/" in page
    assert 'value="citizen"' in page and 'value="organisation"' in page
    assert '<label class="label" for="id_captcha_1">Mã xác nhận</label>' in page


def test_citizen_registers_and_is_sent_to_check_mailbox(client):
    r = client.post("/dang-ky/", registration())
    assert r.status_code == 302
    assert r["Location"] == "/dang-ky/da-gui/?email=an.nguyen%40example.vn"
    user = User.objects.get(email="an.nguyen@example.vn")
    assert user.kind == User.Kind.CITIZEN and not user.is_confirmed
    assert mailed_link(user.email, "/xac-nhan/")
    page = html(client.get(r["Location"]))
    assert "Kiểm tra hộp thư của bạn" in page and "an.nguyen@example.vn" in page
    assert "/hop-thu-demo/?to=an.nguyen%40example.vn" in page


def test_organisation_registers_with_tax_code_and_no_id_number(client):
    r = client.post(
        "/dang-ky/",
        registration(
            kind="organisation",
            id_number="",
            tax_code="0100109106",
            organisation_name="Công ty TNHH Núi Ấn",
        ),
    )
    assert r.status_code == 302, html(r)
    user = User.objects.get(email="an.nguyen@example.vn")
    assert user.kind == User.Kind.ORGANISATION and user.tax_code == "0100109106"
    assert user.organisation_name == "Công ty TNHH Núi Ấn" and user.id_number == ""


def test_organisation_needs_tax_code_and_name(client):
    r = client.post("/dang-ky/", registration(kind="organisation", id_number=""))
    page = html(r)
    assert r.status_code == 200
    assert "Mã số thuế gồm 10 chữ số" in page
    assert "Vui lòng nhập tên tổ chức, doanh nghiệp." in page
    assert not User.objects.exists()


def test_wrong_captcha_is_refused_and_other_problems_shown_at_once(client):
    page = html(client.get("/dang-ky/"))
    key = re.search(r'name="captcha_0" value="(\w+)"', page).group(1)
    r = client.post("/dang-ky/", registration(captcha_0=key, captcha_1="SAI", id_number="123"))
    page = html(r)
    assert r.status_code == 200
    assert "Mã xác nhận không đúng" in page
    assert "Số định danh cá nhân phải gồm đúng 12 chữ số." in page
    assert 'href="#id_captcha_1"' in page and 'href="#id_id_number"' in page
    assert not User.objects.exists() and mail_count("an.nguyen@example.vn") == 0


def test_invalid_id_number_is_a_field_error_linked_from_the_summary(client):
    r = client.post("/dang-ky/", registration(id_number="999090123456"))
    page = html(r)
    assert "Ba chữ số đầu của số định danh" in page
    assert 'role="alert"' in page and 'href="#id_id_number"' in page
    assert 'id="id_id_number_error"' in page
    assert re.search(
        r'<input[^>]*aria-describedby="id_id_number_helptext id_id_number_error"', page
    )
    assert re.search(
        r'<input[^>]*aria-invalid="true"[^>]*id="id_id_number"|<input[^>]*id="id_id_number"[^>]*aria-invalid="true"',
        page,
    )
    assert "<title>Lỗi: " in page
    assert not User.objects.exists()


@pytest.mark.parametrize("password", ["12345678", "abcdefgh", "Ab1"])
def test_weak_password_is_refused(client, password):
    r = client.post("/dang-ky/", registration(password=password, password_confirm=password))
    assert 'href="#id_password"' in html(r)
    assert not User.objects.exists()


def test_passwords_must_match(client):
    r = client.post("/dang-ky/", registration(password_confirm="Matkhau2027"))
    assert "Mật khẩu nhập lại không khớp." in html(r)
    assert not User.objects.exists()


def test_missing_fields_get_their_own_message(client):
    r = client.post("/dang-ky/", {"kind": "citizen", "captcha_0": "x", "captcha_1": "PASSED"})
    page = html(r)
    for message in (
        "Vui lòng nhập địa chỉ thư điện tử.",
        "Vui lòng nhập mật khẩu.",
        "Vui lòng nhập họ và tên.",
        "Vui lòng nhập số điện thoại di động.",
    ):
        assert message in page
    assert page.count("Vui lòng nhập mật khẩu.") == 2  # once in the summary, once at the field


def test_a_taken_address_gets_the_same_answer_and_its_owner_a_mail(client):
    owner = UserFactory(email="an.nguyen@example.vn", full_name="Nguyễn Văn Chủ")
    before = (owner.password, owner.full_name, owner.phone)
    taken = client.post("/dang-ky/", registration(id_number="051090999999"))
    fresh = client.post(
        "/dang-ky/", registration(email="binh.tran@example.vn", id_number="051090888888")
    )
    assert taken.status_code == fresh.status_code == 302
    assert taken["Location"].replace("an.nguyen", "X") == fresh["Location"].replace(
        "binh.tran", "X"
    )
    assert "đã được đăng ký" not in html(client.get(taken["Location"]))
    owner.refresh_from_db()
    assert (owner.password, owner.full_name, owner.phone) == before and owner.is_confirmed
    message = OutboundMessage.objects.get(recipient="an.nguyen@example.vn")
    assert "đã có tài khoản" in message.body_text and "/quen-mat-khau/" in message.body_text
    assert "/xac-nhan/" not in message.body_text


def test_unconfirmed_email_may_register_again_and_gets_a_fresh_link(client):
    client.post("/dang-ky/", registration())
    first = mailed_link("an.nguyen@example.vn", "/xac-nhan/")
    assert client.post("/dang-ky/", registration(full_name="Nguyễn Văn Ân")).status_code == 302
    second = mailed_link("an.nguyen@example.vn", "/xac-nhan/")
    assert first != second
    assert User.objects.get(email="an.nguyen@example.vn").full_name == "Nguyễn Văn Ân"


def test_resend_sends_a_new_link_and_retires_the_old_one(client):
    client.post("/dang-ky/", registration())
    old = mailed_link("an.nguyen@example.vn", "/xac-nhan/")
    r = client.post("/dang-ky/da-gui/", {"email": "an.nguyen@example.vn"}, follow=True)
    assert "một thư mới vừa được gửi" in html(r)
    new = mailed_link("an.nguyen@example.vn", "/xac-nhan/")
    assert new != old and mail_count("an.nguyen@example.vn") == 2
    assert client.post(old).status_code == 400
    assert client.post(new).status_code == 302


def test_resend_says_the_same_for_unknown_or_confirmed_addresses(client):
    UserFactory(email="da.xac.nhan@example.vn")
    for email in ("khong.co@example.vn", "da.xac.nhan@example.vn"):
        r = client.post("/dang-ky/da-gui/", {"email": email}, follow=True)
        assert "Nếu địa chỉ này đang chờ xác nhận" in html(r)
        assert mail_count(email) == 0
    assert OneTimeToken.objects.count() == 0


def test_resend_needs_an_address(client):
    r = client.post("/dang-ky/da-gui/", {"email": ""})
    assert r.status_code == 200 and "Vui lòng nhập địa chỉ thư điện tử." in html(r)


def test_mail_sending_forms_are_rate_limited(client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"register": "2/hour"},
    }
    assert client.post("/dang-ky/", registration()).status_code == 302
    assert client.post("/dang-ky/da-gui/", {"email": "an.nguyen@example.vn"}).status_code == 302
    r = client.post("/dang-ky/da-gui/", {"email": "an.nguyen@example.vn"})
    assert r.status_code == 429 and "Bạn đã gửi quá nhiều yêu cầu" in html(r)
    assert client.post("/quen-mat-khau/", {"email": "an.nguyen@example.vn"}).status_code == 429
    assert mail_count("an.nguyen@example.vn") == 2


def test_logged_in_user_is_sent_to_the_profile(logged_in):
    assert logged_in.get("/dang-ky/")["Location"] == "/trang-ca-nhan/"


def test_captcha_image_and_refresh(client):
    data = client.get("/ma-xac-nhan-moi/").json()
    assert data["image_url"] == f"/ma-xac-nhan/{data['key']}/"
    r = client.get(data["image_url"])
    assert r.status_code == 200 and r["Content-Type"] == "image/png"


def test_error_summary_follows_the_page_order(client):
    page = html(
        client.post("/dang-ky/", {"kind": "organisation", "captcha_0": "x", "captcha_1": "PASSED"})
    )
    summary = page[
        page.index("error-summary__list") : page.index("</ul>", page.index("error-summary__list"))
    ]
    anchors = re.findall(r'href="#id_(\w+)"', summary)
    assert anchors == [
        "organisation_name",
        "tax_code",
        "full_name",
        "phone",
        "email",
        "password",
        "password_confirm",
    ]
    form = page[page.index('class="form register-form"') :]
    assert [a for a in re.findall(r'id="id_(\w+?)_error"', form)] == anchors


def _captcha(page):
    image = re.search(r'name="captcha_0" value="(\w+)"', page).group(1)
    question = re.search(r'name="captcha_2" value="(\w+)"', page).group(1)
    return image, question


def _solve(page):
    """Reads the sum the way a screen reader user hears it, and answers in words."""
    words = "không một hai ba bốn năm sáu bảy tám chín mười".split()
    asked = re.search(r"data-captcha-question-text>([^<]+)<", page).group(1).lower()
    a, op, b = re.fullmatch(r"(\S+) (cộng|trừ) (\S+) (?:bằng|còn) mấy\?", asked).groups()
    result = words.index(a) + words.index(b) if op == "cộng" else words.index(a) - words.index(b)
    return words[result]


def test_captcha_answered_with_the_question_instead_of_the_picture(client, monkeypatch):
    from captcha.conf import settings as captcha_settings
    from captcha.models import CaptchaStore

    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", False)
    page = html(client.get("/dang-ky/"))
    image, question = _captcha(page)
    # The hint, the question and (after a mistake) the error are read with the answer box.
    box = re.search(r'<input[^>]*name="captcha_1"[^>]*>', page).group(0)
    assert 'aria-describedby="id_captcha_helptext id_captcha_question"' in box
    r = client.post(
        "/dang-ky/",
        registration(captcha_0=image, captcha_1=_solve(page), captcha_2=question),
    )
    assert r.status_code == 302 and r["Location"].startswith("/dang-ky/da-gui/")
    assert not CaptchaStore.objects.filter(hashkey__in=[image, question]).exists()


def test_a_wrong_answer_uses_up_both_challenges(client, monkeypatch):
    from captcha.conf import settings as captcha_settings
    from captcha.models import CaptchaStore

    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", False)
    page = html(client.get("/dang-ky/"))
    image, question = _captcha(page)
    r = client.post("/dang-ky/", registration(captcha_0=image, captcha_1="11", captcha_2=question))
    page = html(r)
    assert "Mã xác nhận không đúng" in page
    assert not CaptchaStore.objects.filter(hashkey__in=[image, question]).exists()
    box = re.search(r'<input[^>]*name="captcha_1"[^>]*>', page).group(0)
    assert "id_captcha_error" in box and "id_captcha_question" in box


def test_captcha_refresh_brings_a_new_question_too(client):
    data = client.get("/ma-xac-nhan-moi/").json()
    assert re.fullmatch(r"\w+ (cộng|trừ) \w+ (bằng|còn) mấy\?", data["question"].lower())
    assert data["question_key"] != data["key"]


def test_new_captcha_without_script_keeps_what_was_typed_and_shows_no_error(client):
    """ "Đổi hình và câu hỏi khác" posts the form when the browser runs no script: the page
    comes back with every answer in place, a new captcha, and nothing marked wrong."""
    typed = registration(
        email="", phone="0988 123", captcha_1="", password_confirm="Khac2026", captcha_refresh="1"
    )
    first = html(client.get("/dang-ky/"))
    r = client.post("/dang-ky/", typed)
    page = html(r)
    assert r.status_code == 200 and not User.objects.exists()
    assert 'value="Nguyễn Văn An"' in page and 'value="051090123456"' in page
    assert 'value="0988 123"' in page and 'value="Matkhau2026"' in page
    assert 'value="Khac2026"' in page
    assert 'value="citizen" checked' in page or re.search(r'value="citizen"[^>]*checked', page)
    assert "error-summary" not in page and "error-message" not in page
    assert "<title>Lỗi" not in page
    image = re.compile(r"/ma-xac-nhan/([0-9a-f]{40})/")
    assert image.search(page) and image.search(page)[1] != image.search(first)[1]


def test_enter_in_a_box_registers_rather_than_renewing_the_captcha(client):
    """The browser presses the first submit button on Enter: the form's own comes first."""
    page = html(client.get("/dang-ky/"))
    form = page[page.index('class="form register-form"') :]
    buttons = re.findall(r'<button[^>]*type="submit"[^>]*>', form)
    assert "captcha_refresh" not in buttons[0] and 'class="default-button"' in buttons[0]
    assert any('name="captcha_refresh"' in b for b in buttons)
