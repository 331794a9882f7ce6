"""The verification page in Chromium: what a citizen holding a result sees, accessible."""

import shutil

import pytest

from motcua.signing import services
from tests.documents.helpers import submitted_dossier
from tests.e2e.a11y import assert_no_axe_violations, untied_hints

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="session")
def browser_type_launch_args():
    return {
        "executable_path": shutil.which("chromium"),
        "args": ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "vi-VN", "viewport": {"width": 1366, "height": 900}}


def test_citizen_checks_the_result_and_a_copy(page, live_server, pki, result_pdf, tmp_path):
    from tests.factories import StaffFactory

    services.add_trusted_authority(pki.ca_pem)
    officer = StaffFactory(full_name="Đặng Quốc Việt")
    certificate = services.store_certificate(pki.signer, pki.signer_key, [pki.ca], user=officer)
    result = services.sign_result(
        submitted_dossier(), result_pdf, signer_user=officer, certificate=certificate
    )
    page.goto(f"{live_server.url}/tra-cuu/xac-thuc/{result.dossier.code}")
    assert page.get_by_role("heading", level=1).inner_text() == "Xác thực kết quả đã ký số"
    assert "Chữ ký số hợp lệ." in page.get_by_role("status").first.inner_text()
    assert_no_axe_violations(page)
    assert not untied_hints(page)

    copy = tmp_path / "ban-sao.pdf"
    with result.file.open("rb") as handle:
        data = bytearray(handle.read())
    data[len(data) // 2] ^= 0x01
    copy.write_bytes(bytes(data))
    page.get_by_label("Tệp PDF cần kiểm tra").set_input_files(str(copy))
    page.get_by_role("button", name="Kiểm tra chữ ký").click()
    alert = page.get_by_role("alert").first
    assert "Tệp «ban-sao.pdf»: chữ ký số không hợp lệ." in alert.inner_text()
    page.screenshot(path=str(tmp_path / "xac-thuc.png"), full_page=True)
    assert_no_axe_violations(page)
