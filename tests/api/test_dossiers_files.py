"""Dossier files over the API: upload checks, removal, download rights, supplements."""

import hashlib
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.accounts.models import Role
from motcua.dossiers import services
from motcua.dossiers.models import Dossier, DossierFile, Status
from tests.api.dossier_helpers import (  # noqa: F401 (private_dir is a fixture)
    DOSSIERS,
    PDF,
    client_for,
    create,
    jpeg,
    new_citizen_api,
    private_dir,
    ready_draft,
    receiver_of,
    required_component,
    stored_files,
    submitted,
    unique_pdf,
    upload,
    version,
    zip_bytes,
)
from tests.api.helpers import assert_error
from tests.factories import AgencyFactory, MembershipFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_dir")]


def _draft(api, **version_kwargs):
    v = version(**version_kwargs)
    return v, create(api).json()["id"]


def _optional(v):
    return v.components.get(required=False)


# --- upload ----------------------------------------------------------------------------------


def test_upload_a_pdf(citizen_api):
    v, draft_id = _draft(citizen_api)
    content = unique_pdf()
    r = upload(citizen_api, draft_id, required_component(v), content, name="Đơn đề nghị.pdf")
    assert r.status_code == 201, r.content
    body = r.json()
    assert {"id", "name", "size", "sha256"} <= set(body)
    assert body["name"] == "Đơn đề nghị.pdf" and body["size"] == len(content)
    assert body["sha256"] == hashlib.sha256(content).hexdigest()
    record = DossierFile.objects.get(public_id=body["id"])
    assert record.component == required_component(v)
    [path] = stored_files()
    assert path.read_bytes() == content


def test_a_photo_into_a_pdf_only_component_becomes_a_pdf(citizen_api):
    v, draft_id = _draft(citizen_api)
    component = required_component(v)
    component.allowed_types = ["pdf"]
    component.save()
    r = upload(citizen_api, draft_id, component, jpeg(), name="anh-chup.jpg")
    assert r.status_code == 201, r.content
    assert r.json()["name"].endswith(".pdf")
    record = DossierFile.objects.get(public_id=r.json()["id"])
    assert record.converted_from == "jpg" and record.content_type == "application/pdf"
    assert record.file.open("rb").read().startswith(b"%PDF")


def test_the_authorisation_letter_needs_no_component(citizen_api):
    _, draft_id = _draft(citizen_api)
    r = upload(citizen_api, draft_id, None, PDF, name="uy-quyen.pdf", purpose="authorisation")
    assert r.status_code == 201, r.content
    assert DossierFile.objects.get().purpose == "authorisation"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bang-tinh.xlsx", b"PK\x03\x04 whatever"),  # a type the component does not take
        ("don.pdf", b"MZ\x90\x00\x03 a windows program"),  # an .exe renamed
        ("don.pdf", zip_bytes()),  # a zip renamed
        ("don.docx", zip_bytes()),  # a zip that is no Word document
        ("don.pdf", b""),
    ],
)
def test_wrong_or_lying_files_are_refused_and_nothing_is_stored(citizen_api, name, content):
    v, draft_id = _draft(citizen_api)
    r = upload(citizen_api, draft_id, required_component(v), content, name=name)
    assert_error(r, 400, "invalid_file", fields=["file"])
    assert not DossierFile.objects.exists() and stored_files() == []


def _small_limits(v, max_size=1000):
    v.components.update(max_size=max_size)


def test_declared_length_over_the_limit_is_413_before_reading(citizen_api):
    v, draft_id = _draft(citizen_api)
    _small_limits(v)
    big = PDF + b"0" * 200_000
    with pytest.MonkeyPatch.context() as mp:
        # The body must never be parsed: fail loudly if it is.
        mp.setattr(
            "motcua.core.upload_limits.LimitedUploadHandler.receive_data_chunk",
            lambda *a: pytest.fail("the body was read"),
        )
        mp.setattr("motcua.dossiers.services.AUTHORISATION_MAX_SIZE", 1000)
        r = upload(citizen_api, draft_id, required_component(v), big)
    error = assert_error(r, 413, "file_too_large", fields=["file"])
    assert "«" not in error["message"]  # the view's answer, not the content check's
    assert not DossierFile.objects.exists() and stored_files() == []


def test_a_body_longer_than_the_limit_is_cut_off_while_streaming(citizen_api, monkeypatch):
    v, draft_id = _draft(citizen_api)
    _small_limits(v)
    monkeypatch.setattr("motcua.dossiers.services.AUTHORISATION_MAX_SIZE", 1000)
    # Under the declared-length allowance (64 KiB of envelope) but over the limit.
    r = upload(citizen_api, draft_id, required_component(v), PDF + b"0" * 30_000)
    error = assert_error(r, 413, "file_too_large", fields=["file"])
    assert "«" not in error["message"]  # cut off by the stream limit, not checked whole
    assert not DossierFile.objects.exists() and stored_files() == []


def test_over_the_component_limit_but_under_the_draft_limit_is_413(citizen_api):
    v, draft_id = _draft(citizen_api)
    v.components.filter(required=True).update(max_size=1000)
    r = upload(citizen_api, draft_id, required_component(v), PDF + b"0" * 5000)
    assert_error(r, 413, "file_too_large", fields=["file"])
    assert not DossierFile.objects.exists() and stored_files() == []


def test_unknown_component_and_missing_file(citizen_api):
    v, draft_id = _draft(citizen_api)
    other = version("1.000002")
    r = upload(citizen_api, draft_id, required_component(other), PDF)
    assert_error(r, 400, "validation_error", fields=["component"])
    assert_error(upload(citizen_api, draft_id, "abc", PDF), 400, "validation_error", ["component"])
    r = citizen_api.post(
        f"{DOSSIERS}/{draft_id}/files", {"component": required_component(v).pk}, format="multipart"
    )
    assert_error(r, 400, "validation_error", fields=["file"])
    r = upload(citizen_api, draft_id, required_component(v), PDF, purpose="supplement")
    assert_error(r, 400, "validation_error", fields=["purpose"])
    assert not DossierFile.objects.exists() and stored_files() == []


def test_upload_to_a_submitted_dossier_is_409(citizen_api):
    v = version()
    d = submitted(citizen_api, v)
    r = upload(citizen_api, d.code, required_component(v), PDF)
    assert_error(r, 409, "not_draft")
    assert d.files.count() == 1


def test_upload_to_an_unknown_draft_is_404(citizen_api):
    v = version()
    r = upload(citizen_api, "00000000-0000-0000-0000-000000000000", required_component(v), PDF)
    assert_error(r, 404, "not_found")


def test_a_second_file_replaces_the_first_unless_several_are_allowed(citizen_api):
    v, draft_id = _draft(citizen_api)
    upload(citizen_api, draft_id, required_component(v), PDF)
    upload(citizen_api, draft_id, required_component(v), unique_pdf())
    upload(citizen_api, draft_id, _optional(v), PDF, name="a.pdf")
    upload(citizen_api, draft_id, _optional(v), PDF, name="b.pdf")
    assert DossierFile.objects.filter(component=required_component(v)).count() == 1
    assert DossierFile.objects.filter(component=_optional(v)).count() == 2


# --- remove ----------------------------------------------------------------------------------


def test_remove_a_file_from_a_draft(citizen_api, django_capture_on_commit_callbacks):
    v, draft_id = _draft(citizen_api)
    file_id = upload(citizen_api, draft_id, required_component(v), PDF).json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        r = citizen_api.delete(f"{DOSSIERS}/{draft_id}/files/{file_id}")
    assert r.status_code == 204
    assert not DossierFile.objects.exists() and stored_files() == []
    r = citizen_api.delete(f"{DOSSIERS}/{draft_id}/files/{file_id}")
    assert_error(r, 404, "not_found")


def test_files_of_a_submitted_dossier_stay(citizen_api):
    d = submitted(citizen_api, version())
    file_id = d.files.get().public_id
    assert_error(citizen_api.delete(f"{DOSSIERS}/{d.code}/files/{file_id}"), 409, "not_draft")
    assert d.files.count() == 1


# --- download --------------------------------------------------------------------------------


def _file_url(d: Dossier) -> str:
    return f"{DOSSIERS}/{d.code}/files/{d.files.get().public_id}"


def test_owner_downloads_with_safe_headers(citizen_api):
    v = version()
    draft_id = create(citizen_api, delivery={"method": "counter"}).json()["id"]
    content = unique_pdf()
    upload(citizen_api, draft_id, required_component(v), content, name="Giấy đề nghị.pdf")
    r = citizen_api.get(f"{DOSSIERS}/{draft_id}/files/{DossierFile.objects.get().public_id}")
    assert r.status_code == 200
    assert b"".join(r.streaming_content) == content
    assert r["Content-Type"] == "application/pdf"
    assert r["X-Content-Type-Options"] == "nosniff"
    disposition = r["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert 'filename="giay-de-nghi.pdf"' in disposition
    assert f"filename*=UTF-8''{quote('Giấy đề nghị.pdf')}" in disposition


def test_download_rights(citizen_api):
    d = submitted(citizen_api, version())
    url = _file_url(d)
    assert citizen_api.get(url).status_code == 200
    assert_error(new_citizen_api().get(url), 404, "not_found")
    assert client_for(receiver_of(d)).get(url).status_code == 200
    handler = MembershipFactory(agency=d.version.agency, role=Role.HANDLER).user
    assert client_for(handler).get(url).status_code == 200
    elsewhere = MembershipFactory(agency=AgencyFactory(), role=Role.RECEIVER).user
    assert_error(client_for(elsewhere).get(url), 404, "not_found")


def test_download_under_another_dossiers_code_is_404(citizen_api):
    v = version()
    first, second = submitted(citizen_api, v), submitted(citizen_api, v)
    r = citizen_api.get(f"{DOSSIERS}/{second.code}/files/{first.files.get().public_id}")
    assert_error(r, 404, "not_found")


def test_staff_cannot_download_from_a_draft(citizen_api):
    v = version()
    draft_id = ready_draft(citizen_api, v)
    d = Dossier.objects.get(public_id=draft_id)
    url = f"{DOSSIERS}/{draft_id}/files/{d.files.get().public_id}"
    assert_error(client_for(receiver_of(d)).get(url), 404, "not_found")


# --- supplement ------------------------------------------------------------------------------


def _awaiting_supplement(api, v):
    d = submitted(api, v)
    services.perform(
        d, "request_supplement", receiver_of(d), note="Bản scan mờ", items=["Đơn rõ nét"]
    )
    return d


def _supplement(api, d, files, component, **extra):
    data = {"files": [SimpleUploadedFile(n, c) for n, c in files], **extra}
    if component is not None:
        data["component"] = component
    return api.post(f"{DOSSIERS}/{d.code}/supplement", data, format="multipart")


def test_supplement_goes_back_to_the_officer(citizen_api):
    v = version()
    d = _awaiting_supplement(citizen_api, v)
    r = _supplement(
        citizen_api,
        d,
        [("don-moi.pdf", unique_pdf()), ("ban-sao.pdf", PDF)],
        [required_component(v).pk, _optional(v).pk],
        note="Đã bổ sung",
    )
    assert r.status_code == 200, r.content
    d.refresh_from_db()
    assert d.status == Status.SUBMITTED and d.sub_state == "supplement_submitted"
    assert r.json()["status"] == 1 and r.json()["supplement"] is None
    assert d.files.filter(purpose="supplement").count() == 2
    assert r.json()["history"][-1]["action"] == "submit_supplement"
    assert d.supplement.answer_note == "Đã bổ sung"


def test_one_component_for_all_files(citizen_api):
    v = version()
    d = _awaiting_supplement(citizen_api, v)
    r = _supplement(citizen_api, d, [("a.pdf", PDF), ("b.pdf", PDF)], _optional(v).pk)
    assert r.status_code == 200, r.content
    assert d.files.filter(purpose="supplement", component=_optional(v)).count() == 2


def test_a_bad_file_in_a_supplement_leaves_nothing(citizen_api):
    v = version()
    d = _awaiting_supplement(citizen_api, v)
    stored = set(stored_files())
    r = _supplement(
        citizen_api,
        d,
        [("tot.pdf", unique_pdf()), ("xau.pdf", b"MZ\x90\x00 program")],
        required_component(v).pk,
    )
    assert_error(r, 400, "invalid_file", fields=["file"])
    d.refresh_from_db()
    assert d.status == Status.SUPPLEMENT_REQUESTED
    assert not d.files.filter(purpose="supplement").exists()
    assert set(stored_files()) == stored


def test_supplement_needs_files_and_matching_components(citizen_api):
    v = version()
    d = _awaiting_supplement(citizen_api, v)
    assert_error(_supplement(citizen_api, d, [], 1), 400, "validation_error", ["files"])
    r = _supplement(citizen_api, d, [("a.pdf", PDF)] * 3, [_optional(v).pk] * 2)
    assert_error(r, 400, "validation_error", ["component"])
    d.refresh_from_db()
    assert d.status == Status.SUPPLEMENT_REQUESTED


def test_supplement_when_none_was_asked_is_409(citizen_api):
    v = version()
    d = submitted(citizen_api, v)
    r = _supplement(citizen_api, d, [("a.pdf", PDF)], required_component(v).pk)
    assert_error(r, 409, "not_allowed")
    assert not d.files.filter(purpose="supplement").exists()


def test_a_second_supplement_request_is_refused(citizen_api):
    v = version()
    d = _awaiting_supplement(citizen_api, v)
    _supplement(citizen_api, d, [("a.pdf", PDF)], required_component(v).pk)
    with pytest.raises(services.DossierError) as exc:
        services.perform(d, "request_supplement", receiver_of(d), note="Lần hai", items=["X"])
    assert exc.value.code == "supplement_once" and exc.value.status == 409
    r = _supplement(citizen_api, d, [("a.pdf", PDF)], required_component(v).pk)
    assert_error(r, 409, "not_allowed")
