"""Files in the submission wizard: the rules shown before choosing, uploads checked by the
service, errors next to their component, 413 without losing anything, the authorisation
letter, the background upload's JSON."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.dossiers.models import DossierFile
from tests.portal.conftest import assert_no_inline_code, html
from tests.portal.dossiers_support import (
    advertising,
    attach,
    components_of,
    draft_for,
    png,
    private_dir,  # noqa: F401 (fixture)
)

# Every test writes its uploads into its own folder.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_dir")]


def _step(dossier, path):
    return f"/ho-so/{dossier.public_id}/{path}"


def test_on_behalf_needs_the_authorisation_letter(logged_in, user):
    draft = draft_for(user)
    data = {
        "full_name": "Lê Văn Cường",
        "id_number": "051090123456",
        "phone": "0912345678",
        "on_behalf": "on",
        "submitter_name": user.full_name,
        "submitter_id_number": user.id_number,
        "action": "continue",
    }
    r = logged_in.post(_step(draft, "nguoi-nop/"), data)
    assert r.status_code == 400 and "Vui lòng đính kèm văn bản ủy quyền." in html(r)
    letter = SimpleUploadedFile("uỷ quyền.pdf", b"%PDF-1.4 letter", "application/pdf")
    r = logged_in.post(_step(draft, "nguoi-nop/"), {**data, "authorisation": letter})
    assert r.status_code == 302 and r["Location"] == _step(draft, "thanh-phan/1/")
    assert draft.files.get().purpose == DossierFile.Purpose.AUTHORISATION
    draft.refresh_from_db()
    assert draft.on_behalf and draft.submitter_name == user.full_name


def test_too_large_letter_is_413_and_the_typed_details_are_kept(logged_in, user, monkeypatch):
    from motcua.portal.views import wizard

    monkeypatch.setattr(wizard, "AUTHORISATION_MAX", 1024)
    draft = draft_for(user)
    letter = SimpleUploadedFile("uy-quyen.pdf", b"%PDF-" + b"0" * 10_000, "application/pdf")
    data = {"full_name": "Lê Văn Cường", "on_behalf": "on", "authorisation": letter}
    r = logged_in.post(_step(draft, "nguoi-nop/"), data)
    assert r.status_code == 413 and "văn bản ủy quyền tối đa 10 MB" in html(r)
    draft.refresh_from_db()
    assert draft.applicant_name == "Lê Văn Cường" and draft.files.count() == 0


def test_components_page_shows_the_rules_before_choosing(logged_in, user):
    draft = draft_for(user)
    r = logged_in.get(_step(draft, "thanh-phan/1/"))
    page = html(r)
    assert "Thông báo sản phẩm quảng cáo (Mẫu số 01)" in page and "Bắt buộc" in page
    assert "PDF, DOCX; tối đa 10 MB" in page and "Bản chính: 1" in page
    assert "Ảnh chụp bằng điện thoại (JPG, PNG) được tự động chuyển thành PDF." in page
    assert 'type="file"' in page and 'accept=".jpeg,.jpg,.pdf,.png"' in page
    assert_no_inline_code(r)


def test_components_come_four_to_a_page(logged_in, user):
    version = advertising(components=6)
    draft = draft_for(user, version)
    first = html(logged_in.get(_step(draft, "thanh-phan/1/")))
    second = html(logged_in.get(_step(draft, "thanh-phan/2/")))
    assert "Giấy tờ chứng minh số 3" in first and "Giấy tờ chứng minh số 4" not in first
    assert "Giấy tờ chứng minh số 4" in second and "trang 2/2" in second
    assert logged_in.get(_step(draft, "thanh-phan/3/")).status_code == 404


def test_upload_pdf_and_phone_photo(logged_in, user):
    version = advertising()
    form, mockup = components_of(version)
    draft = draft_for(user, version)
    r = logged_in.post(
        _step(draft, "thanh-phan/1/"),
        {
            f"file-{form.pk}": SimpleUploadedFile(
                "thông báo.pdf", b"%PDF-1.4 x", "application/pdf"
            ),
            f"file-{mockup.pk}": SimpleUploadedFile("ma-ket.png", png(), "image/png"),
            "action": "upload",
        },
    )
    assert r.status_code == 302
    photo = draft.files.get(component=mockup)
    assert photo.converted_from == "png" and photo.name == "ma-ket.pdf"
    page = html(logged_in.get(_step(draft, "thanh-phan/1/")))
    assert "thông báo.pdf" in page and "ma-ket.pdf" in page and "Thay tệp" in page


def test_wrong_type_and_lying_content_are_refused_next_to_the_component(logged_in, user):
    version = advertising()
    form, mockup = components_of(version)
    draft = draft_for(user, version)
    attach(draft, user, form)
    r = logged_in.post(
        _step(draft, "thanh-phan/1/"),
        {f"file-{mockup.pk}": SimpleUploadedFile("ma-ket.exe", b"MZ\x90", "application/pdf")},
    )
    page = html(r)
    assert r.status_code == 400 and "không đúng định dạng" in page
    assert f'href="#id_file-{mockup.pk}"' in page and f'id="id_file-{mockup.pk}_error"' in page
    r = logged_in.post(
        _step(draft, "thanh-phan/1/"),
        {f"file-{mockup.pk}": SimpleUploadedFile("ma-ket.pdf", b"MZ\x90 not a pdf")},
    )
    assert r.status_code == 400 and "không khớp với đuôi .pdf" in html(r)
    assert list(draft.files.values_list("component", flat=True)) == [form.pk]


def test_a_component_shows_one_error_the_latest_not_a_pile(logged_in, user):
    """Several files refused in one post (a multiple component, no script): the component
    says the last problem once, and the summary lists it once, linked to its input."""
    version = advertising(components=3)
    proofs = components_of(version)[2]
    draft = draft_for(user, version)
    r = logged_in.post(
        _step(draft, "thanh-phan/1/"),
        {
            f"file-{proofs.pk}": [
                SimpleUploadedFile("mot.exe", b"MZ\x90", "application/pdf"),
                SimpleUploadedFile("hai.pdf", b"", "application/pdf"),
            ],
            "action": "upload",
        },
    )
    page = html(r)
    assert r.status_code == 400
    assert "«hai.pdf» rỗng" in page and "mot.exe" not in page
    assert page.count(f'href="#id_file-{proofs.pk}"') == 1
    assert page.count(f'id="id_file-{proofs.pk}_error"') == 1


def test_too_large_is_413_and_loses_nothing(logged_in, user):
    version = advertising()
    form, mockup = components_of(version)
    form.max_size = mockup.max_size = 1024
    form.save()
    mockup.save()
    draft = draft_for(user, version)
    attach(draft, user, form)
    big = SimpleUploadedFile("ma-ket.pdf", b"%PDF-" + b"0" * 200_000, "application/pdf")
    r = logged_in.post(_step(draft, "thanh-phan/1/"), {f"file-{mockup.pk}": big})
    page = html(r)
    assert r.status_code == 413 and "Tệp gửi lên quá lớn" in page
    assert "thong-bao.pdf" in page and draft.files.count() == 1
    # Within the page's limit but over this component's: the service's own 413.
    r = logged_in.post(
        f"{_step(draft, 'thanh-phan/1/')}?component={mockup.pk}",
        {f"file-{mockup.pk}": SimpleUploadedFile("b.pdf", b"%PDF-" + b"0" * 1500)},
    )
    assert r.status_code == 413 and "vượt quá dung lượng tối đa" in html(r)
    assert draft.files.count() == 1
    # A body whose declared length passes but whose files turn out too big is cut off
    # while it streams in.
    r = logged_in.post(
        _step(draft, "thanh-phan/1/"),
        {f"file-{mockup.pk}": SimpleUploadedFile("c.pdf", b"%PDF-" + b"0" * 10_000)},
    )
    assert r.status_code == 413 and "Tệp gửi lên quá lớn" in html(r)
    assert draft.files.count() == 1


def test_background_upload_answers_json(logged_in, user):
    version = advertising()
    form, _ = components_of(version)
    draft = draft_for(user, version)
    r = logged_in.post(
        f"{_step(draft, 'thanh-phan/1/')}?component={form.pk}",
        {f"file-{form.pk}": SimpleUploadedFile("a.pdf", b"%PDF-1.4")},
        HTTP_ACCEPT="application/json",
    )
    answer = r.json()
    assert r.status_code == 200 and answer["ok"] and "a.pdf" in answer["blocks"][str(form.pk)]


def test_remove_and_replace_a_file(logged_in, user):
    version = advertising()
    form, _ = components_of(version)
    draft = draft_for(user, version)
    first = attach(draft, user, form, name="cu.pdf")
    attach(draft, user, form, name="moi.pdf")  # single-file component: replaces
    assert list(draft.files.values_list("name", flat=True)) == ["moi.pdf"]
    assert not DossierFile.objects.filter(pk=first.pk).exists()
    current = draft.files.get()
    r = logged_in.post(_step(draft, "thanh-phan/1/"), {"remove": str(current.public_id)})
    assert r.status_code == 302 and draft.files.count() == 0


def test_continue_without_the_required_component(logged_in, user):
    draft = draft_for(user)
    r = logged_in.post(_step(draft, "thanh-phan/1/"), {"action": "continue"})
    assert r.status_code == 400 and "Vui lòng đính kèm «Thông báo sản phẩm quảng cáo" in html(r)
