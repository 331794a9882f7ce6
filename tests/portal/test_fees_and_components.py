"""What a citizen pays is shown wherever the dossier is: the check page, the confirmation,
the dossier's page and the list; a document to show at the counter is never asked for as
an upload."""

import pytest

from motcua.catalog.models import Component, FeeItem
from motcua.dossiers import services
from tests.portal.conftest import html
from tests.portal.dossiers_support import (
    advertising,
    private_dir,  # noqa: F401 (fixture)
    ready,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_dir")]

BASIS = "Thông tư số 85/2019/TT-BTC của Bộ Tài chính"


def with_fees():
    version = advertising()
    FeeItem.objects.create(
        version=version,
        position=0,
        name="Lệ phí thẩm định nội dung quảng cáo",
        amount=1_234_000,
        legal_basis=BASIS,
    )
    FeeItem.objects.create(
        version=version, position=1, name="Phí cấp bản sao", amount=2_000, unit="trang"
    )
    version.fee_total = 1_236_000
    version.save(update_fields=["fee_total"])
    return version


def test_fee_and_basis_on_check_confirmation_detail_and_list(logged_in, user):
    version = with_fees()
    dossier = ready(user, version)
    review = html(logged_in.get(f"/ho-so/{dossier.public_id}/kiem-tra/"))
    for page in [review]:
        assert "Phí, lệ phí phải nộp" in page
        assert "1.236.000\u00a0₫" in page and "1.234.000\u00a0₫" in page
        assert "2.000\u00a0₫/trang" in page
        assert f"Căn cứ: {BASIS}" in page
    dossier = services.submit(dossier, user)
    for url in (f"/ho-so/{dossier.code}/da-nop/", f"/ho-so/{dossier.code}/"):
        page = html(logged_in.get(url))
        assert "1.236.000\u00a0₫" in page and f"Căn cứ: {BASIS}" in page, url
    listing = html(logged_in.get("/trang-ca-nhan/ho-so/"))
    assert "Phí, lệ phí" in listing and "1.236.000\u00a0₫" in listing


def test_no_fee_line_when_the_procedure_charges_nothing(logged_in, user):
    dossier = services.submit(ready(user), user)
    assert "Phí, lệ phí phải nộp" not in html(logged_in.get(f"/ho-so/{dossier.code}/"))


def shown_only(version):
    return Component.objects.create(
        version=version,
        position=5,
        name="Giấy tờ tùy thân của người yêu cầu",
        required=True,
        originals=0,
        copies=0,
        copy_type=Component.CopyType.SHOW_ONLY,
        allowed_types=["pdf", "jpg", "png"],
    )


def test_a_show_only_document_says_what_to_do_and_is_not_uploaded(client, logged_in, user):
    version = advertising()
    identity = shown_only(version)
    procedure = html(client.get(f"/thu-tuc/{version.procedure.code}/"))
    row = procedure[procedure.index(identity.name) :]
    row = row[: row.index("</tr>")]
    assert "Xuất trình bản chính khi nhận kết quả, không cần tải lên." in row
    assert "Bắt buộc xuất trình" in row
    assert "Bản chính: 0" not in row and ">Bắt buộc<" not in row

    dossier = ready(user, version)
    # Nothing to upload: the draft can be submitted without a file for it.
    assert f"components.{identity.pk}" not in services.submission_errors(dossier)
    page = html(logged_in.get(f"/ho-so/{dossier.public_id}/thanh-phan/1/"))
    block = page[page.index(identity.name) :]
    block = block[: block.index("</div>")]
    assert "Xuất trình bản chính khi nhận kết quả" in block
    assert f'id="id_file-{identity.pk}"' not in page
    review = html(logged_in.get(f"/ho-so/{dossier.public_id}/kiem-tra/"))
    assert "Xuất trình bản chính khi nhận kết quả" in review
    assert f"#id_file-{identity.pk}" not in review
    submitted = services.submit(dossier, user)
    assert "Xuất trình bản chính khi nhận kết quả" in html(
        logged_in.get(f"/ho-so/{submitted.code}/")
    )
