import pytest
from django.contrib.auth import SESSION_KEY

from motcua.accounts.models import User
from tests.factories import UserFactory
from tests.portal.conftest import html

pytestmark = pytest.mark.django_db


def test_login_required(client, db):
    r = client.get("/trang-ca-nhan/")
    assert r.status_code == 302 and r["Location"] == "/dang-nhap/?next=/trang-ca-nhan/"


def test_shows_the_account_with_the_id_number_masked(logged_in, user):
    page = html(logged_in.get("/trang-ca-nhan/"))
    assert "Trang cá nhân" in page and user.email in page and user.full_name in page
    assert user.id_number not in page
    assert "••••••••" + user.id_number[-4:] in page
    assert "Công dân" in page


def test_transactions_section_says_there_are_none_yet(logged_in):
    page = html(logged_in.get("/trang-ca-nhan/"))
    assert "Danh sách giao dịch" in page and "Bạn chưa nộp hồ sơ nào." in page
    assert 'href="/thu-tuc/"' in page


def test_organisation_sees_tax_code_and_can_rename(client):
    org = UserFactory(
        kind=User.Kind.ORGANISATION,
        tax_code="0100109106",
        organisation_name="Công ty A",
        id_number="",
    )
    client.force_login(org)
    page = html(client.get("/trang-ca-nhan/"))
    assert (
        "0100109106" in page and "Công ty A" in page and 'name="profile-organisation_name"' in page
    )
    client.post(
        "/trang-ca-nhan/",
        {
            "action": "profile",
            "profile-full_name": org.full_name,
            "profile-phone": org.phone,
            "profile-organisation_name": "Công ty B",
        },
    )
    org.refresh_from_db()
    assert org.organisation_name == "Công ty B"


def test_citizen_has_no_organisation_field(logged_in):
    assert 'name="profile-organisation_name"' not in html(logged_in.get("/trang-ca-nhan/"))


def test_update_profile(logged_in, user):
    r = logged_in.post(
        "/trang-ca-nhan/",
        {
            "action": "profile",
            "profile-full_name": "Trần Thị Bình",
            "profile-phone": "+84 905 061 104",
            "profile-address": "12 Lê Lợi, phường Cẩm Thành, tỉnh Quảng Ngãi",
        },
    )
    assert r.status_code == 302
    user.refresh_from_db()
    assert (user.full_name, user.phone) == ("Trần Thị Bình", "0905061104")
    assert user.address == "12 Lê Lợi, phường Cẩm Thành, tỉnh Quảng Ngãi"
    assert "Đã lưu thông tin tài khoản." in html(logged_in.get("/trang-ca-nhan/"))


def test_update_profile_with_a_bad_phone(logged_in, user):
    before = user.phone
    r = logged_in.post(
        "/trang-ca-nhan/",
        {"action": "profile", "profile-full_name": "Trần Thị Bình", "profile-phone": "12345"},
    )
    page = html(r)
    assert (
        r.status_code == 200
        and 'href="#id_profile-phone"' in page
        and "Số điện thoại di động gồm 10 chữ số" in page
    )
    user.refresh_from_db()
    assert user.phone == before and user.full_name != "Trần Thị Bình"


def test_change_password_keeps_this_session(logged_in, user, password):
    r = logged_in.post(
        "/trang-ca-nhan/",
        {
            "action": "password",
            "password-old_password": password,
            "password-new_password": "MatKhauMoi9",
            "password-new_password_confirm": "MatKhauMoi9",
        },
    )
    assert r.status_code == 302
    user.refresh_from_db()
    assert user.check_password("MatKhauMoi9")
    assert logged_in.session[SESSION_KEY] == str(user.pk)
    assert logged_in.get("/trang-ca-nhan/").status_code == 200


@pytest.mark.parametrize(
    ("old", "new", "confirm", "anchor"),
    [
        ("SaiMatKhau1", "MatKhauMoi9", "MatKhauMoi9", "id_password-old_password"),
        (None, "12345678", "12345678", "id_password-new_password"),
        (None, "MatKhauMoi9", "MatKhauMoi8", "id_password-new_password_confirm"),
    ],
)
def test_change_password_errors(logged_in, user, password, old, new, confirm, anchor):
    r = logged_in.post(
        "/trang-ca-nhan/",
        {
            "action": "password",
            "password-old_password": old or password,
            "password-new_password": new,
            "password-new_password_confirm": confirm,
        },
    )
    assert f'href="#{anchor}"' in html(r)
    user.refresh_from_db()
    assert user.check_password(password)
