"""The tracking book (Mẫu 06): filters, exports, and who may open the staff page."""

import datetime as dt
import io
import subprocess
import uuid

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from motcua.accounts.models import Role
from motcua.documents import tracking_book
from motcua.dossiers.models import Status
from tests.documents.helpers import submitted_dossier
from tests.factories import (
    AgencyFactory,
    FieldFactory,
    MembershipFactory,
    ProcedureVersionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
VN = dt.timezone(dt.timedelta(hours=7))


def _copy(d, *, code, submitted, agency=None, status=None, version=None, name=None):
    d.pk = None
    d.public_id = uuid.uuid4()
    d.code = code
    d.submitted_at = submitted
    d.receiving_agency = agency or d.receiving_agency
    d.status = status or d.status
    d.version = version or d.version
    d.applicant_name = name or d.applicant_name
    d.save()
    return d


@pytest.fixture
def book():
    """Four dossiers: three at the Sở (one of them in another field, one refused), one at
    a commune; received on different Vietnamese days."""
    base = submitted_dossier()
    sở = base.receiving_agency
    commune = AgencyFactory(name="Ủy ban nhân dân phường Cẩm Thành")
    other_field = ProcedureVersionFactory(
        name="Cấp giấy phép tổ chức lễ hội", field=FieldFactory(name="Lễ hội"), agency=sở
    )
    version = base.version
    day = dt.datetime(2026, 11, 2, 8, tzinfo=VN)
    rows = {
        "A": _copy(base, code="A-0001", submitted=day, name="Đặng Thị Hoa"),
        "B": _copy(base, code="B-0002", submitted=day + dt.timedelta(days=5), version=other_field),
        # 23:30 on 10 November in Vietnam is still 10 November although UTC says 16:30.
        "C": _copy(
            base,
            code="C-0003",
            submitted=dt.datetime(2026, 11, 10, 23, 30, tzinfo=VN),
            status=Status.REFUSED,
            version=version,
        ),
        "D": _copy(base, code="D-0004", submitted=day, agency=commune, version=version),
    }
    return sở, commune, other_field.field, rows


def _codes(f):
    return [d.code for d in tracking_book.entries(f)]


def test_filters_by_agency_dates_status_and_field(book):
    sở, commune, field, _ = book
    everything = _codes(tracking_book.BookFilter(agencies=None))
    assert {"A-0001", "B-0002", "C-0003", "D-0004"} <= set(everything)
    mine = tracking_book.BookFilter(agencies=[sở])
    assert "D-0004" not in _codes(mine)
    assert _codes(tracking_book.BookFilter(agencies=None, agency=commune)) == ["D-0004"]
    window = tracking_book.BookFilter(
        agencies=[sở], date_from=dt.date(2026, 11, 7), date_to=dt.date(2026, 11, 10)
    )
    assert _codes(window) == ["B-0002", "C-0003"]
    assert _codes(tracking_book.BookFilter(agencies=[sở], status=Status.REFUSED)) == ["C-0003"]
    assert _codes(tracking_book.BookFilter(agencies=[sở], field=field)) == ["B-0002"]


def test_excel_export_has_the_books_columns_and_rows(book):
    sở, *_ = book
    f = tracking_book.BookFilter(agencies=[sở], date_to=dt.date(2026, 11, 30))
    wb = load_workbook(io.BytesIO(tracking_book.to_xlsx(f)))
    ws = wb.active
    assert ws["A1"].value == "SỔ THEO DÕI HỒ SƠ"
    assert [c.value for c in ws[4]] == tracking_book.COLUMNS
    data = [[c.value for c in row] for row in ws.iter_rows(min_row=5)]
    assert [r[1] for r in data] == ["A-0001", "B-0002", "C-0003"]
    assert data[0][0] == 1 and data[0][3] == "Đặng Thị Hoa"
    assert data[0][6] == "08:00 02/11/2026"
    assert data[2][11] == "Không được tiếp nhận"
    assert "Cấp giấy phép tổ chức lễ hội" in data[1][2]


def test_pdf_export_is_landscape_a4_with_the_rows(book, tmp_path):
    sở, *_ = book
    pdf = tracking_book.to_pdf(tracking_book.BookFilter(agencies=[sở], status=Status.REFUSED))
    path = tmp_path / "so.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert "841.89 x 595.276 pts (A4)" in info  # landscape: wider than tall
    text = " ".join(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout.split()
    )
    for expected in [
        "SỔ THEO DÕI HỒ SƠ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "C-0003",
        "Trạng thái: Không được tiếp nhận",
    ]:
        assert expected in text, expected
    assert "A-0001" not in text


def _login(client, user):
    # The password and second-factor steps have their own tests (tests/backoffice).
    client.force_login(user)


def test_staff_page_lists_only_the_officers_agencies_and_exports(book, client):
    sở, commune, *_ = book
    officer = MembershipFactory(agency=sở, role=Role.RECEIVER).user
    _login(client, officer)
    url = reverse("backoffice:tracking-book")
    page = client.get(url).content.decode()
    assert "Sổ theo dõi hồ sơ" in page and "A-0001" in page and "D-0004" not in page
    assert "Xuất Excel" in page and "Xuất PDF" in page
    # Asking for another agency's book is an error next to the field, not its content.
    refused = client.get(url, {"agency": commune.pk})
    assert refused.status_code == 400
    assert "Bạn không theo dõi sổ của cơ quan này." in refused.content.decode()
    assert "D-0004" not in refused.content.decode()
    bad = client.get(url, {"date_from": "2026-11-10", "date_to": "2026-11-01"})
    assert "Ngày kết thúc phải bằng hoặc sau ngày bắt đầu." in bad.content.decode()
    xlsx = client.get(reverse("backoffice:tracking-book-xlsx"), {"status": Status.REFUSED})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    codes = [
        r[1].value for r in load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(min_row=5)
    ]
    assert codes == ["C-0003"]
    pdf = client.get(reverse("backoffice:tracking-book-pdf"))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    printed = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf.content, capture_output=True, check=True
    ).stdout.decode()
    # The officer keeps one agency's book: it is printed under that agency's name.
    assert "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH" in " ".join(printed.split())
    assert "A-0001" in printed and "D-0004" not in printed


@pytest.mark.parametrize(
    "name",
    ["backoffice:tracking-book", "backoffice:tracking-book-xlsx", "backoffice:tracking-book-pdf"],
)
def test_citizens_and_anonymous_are_refused(name, client):
    url = reverse(name)
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/dang-nhap" in anonymous["Location"]
    _login(client, UserFactory())
    assert client.get(url).status_code == 403


def test_staff_who_owe_a_second_factor_are_refused_until_they_give_it(client):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    officer = MembershipFactory(role=Role.RECEIVER).user
    TOTPDevice.objects.create(user=officer, name="Ứng dụng xác thực", confirmed=True)
    _login(client, officer)
    assert client.get(reverse("backoffice:tracking-book")).status_code == 403
