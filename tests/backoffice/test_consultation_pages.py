"""Consultation (T6) on the staff pages: the handler's form (partners in Vietnamese order, the
due date shown, errors by the fields and in the summary), the partner's inbox on /can-bo/,
its read-only view and answer form, the files served to those who may see them only."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.accounts.models import Role
from motcua.dossiers.models import Consultation, ConsultationFile, DossierEvent
from tests.dossiers.consult_helpers import PDF, consulting_desk, partner, private_dir  # noqa: F401

pytestmark = pytest.mark.django_db

QUESTION = "Đề nghị cho ý kiến về điều kiện phòng cháy của công trình."


def page(code):
    return reverse("backoffice:dossier", args=[code])


def test_the_handler_asks_from_the_dossier_page_and_the_partner_answers(client, private_dir):  # noqa: F811
    d, staff = consulting_desk()
    fire, fire_officer = partner("Công an tỉnh thử nghiệm")
    partner("Ban Quản lý thử nghiệm")
    client.force_login(staff[Role.HANDLER])
    html = client.get(page(d.code)).content.decode()
    assert 'value="consult"' in html and "Cơ quan phối hợp" in html
    assert html.index("Ban Quản lý thử nghiệm") < html.index("Công an tỉnh thử nghiệm")
    assert "5 ngày làm việc (đến " in html  # the deadline each choice gives
    assert 'enctype="multipart/form-data"' in html
    letter = SimpleUploadedFile("cong-van.pdf", PDF, content_type="application/pdf")
    response = client.post(
        page(d.code),
        {
            "action": "consult",
            "consult-lock_version": d.lock_version,
            "consult-agencies": [fire.code],
            "consult-note": QUESTION,
            "consult-days": "3",
            "consult-files": [letter],
        },
    )
    assert response.status_code == 302
    c = Consultation.objects.get(dossier=d)
    assert c.agency == fire and c.days == 3 and c.files.count() == 1
    shown = client.get(page(d.code)).content.decode()
    assert "Lấy ý kiến cơ quan phối hợp" in shown and QUESTION in shown
    assert "Đang chờ trả lời" in shown

    client.force_login(fire_officer)
    home = client.get(reverse("backoffice:queues")).content.decode()
    assert "Hồ sơ xin ý kiến cơ quan bạn (1)" in home and d.code in home
    view = client.get(page(d.code))
    assert view.status_code == 200
    html = view.content.decode()
    assert "Cơ quan bạn đang được xin ý kiến" in html and QUESTION in html
    offered = {chunk.split('"', 1)[0] for chunk in html.split('name="action" value="')[1:]}
    assert offered == {"answer_consultation"}
    question_file = c.files.get()
    file_url = reverse("backoffice:consultation-file", args=[d.code, question_file.public_id])
    assert client.get(file_url).status_code == 200
    d.refresh_from_db()
    response = client.post(
        page(d.code),
        {
            "action": "answer_consultation",
            "answer_consultation-lock_version": d.lock_version,
            "answer_consultation-note": "Đủ điều kiện phòng cháy, chữa cháy.",
        },
    )
    assert response.status_code == 302
    c.refresh_from_db()
    assert not c.is_open and c.answered_by == fire_officer
    # Answered: the partner's window is closed, the file with it.
    assert client.get(page(d.code)).status_code == 404
    assert client.get(file_url).status_code == 404

    client.force_login(staff[Role.HANDLER])
    html = client.get(page(d.code)).content.decode()
    assert "Đủ điều kiện phòng cháy, chữa cháy." in html and "Đã trả lời lúc" in html
    assert "Cơ quan phối hợp trả lời ý kiến" in html  # the history row
    assert client.get(file_url).status_code == 200


def test_a_refused_request_shows_errors_by_the_fields_and_in_the_summary(client):
    d, staff = consulting_desk()
    partner()
    client.force_login(staff[Role.HANDLER])
    response = client.post(
        page(d.code),
        {"action": "consult", "consult-lock_version": d.lock_version, "consult-days": "5"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Có lỗi cần sửa" in html
    assert html.count("Vui lòng chọn ít nhất một cơ quan phối hợp.") == 2  # summary + field
    assert html.count("Vui lòng nhập nội dung xin ý kiến.") == 2
    assert 'href="#id_consult-agencies_0"' in html
    assert not Consultation.objects.exists()
    assert not DossierEvent.objects.filter(dossier=d, action="consult").exists()


def test_a_stranger_partner_sees_neither_the_dossier_nor_its_files(client, private_dir):  # noqa: F811
    from motcua.dossiers import services

    d, staff = consulting_desk()
    fire, _ = partner("Công an tỉnh thử nghiệm")
    _, stranger = partner("Sở khác thử nghiệm")
    letter = SimpleUploadedFile("cong-van.pdf", PDF, content_type="application/pdf")
    services.perform(
        d, "consult", staff[Role.HANDLER], note=QUESTION, agencies=[fire.code], files=[letter]
    )
    record = ConsultationFile.objects.get()
    client.force_login(stranger)
    assert client.get(page(d.code)).status_code == 404
    url = reverse("backoffice:consultation-file", args=[d.code, record.public_id])
    assert client.get(url).status_code == 404
    assert (
        "Hồ sơ xin ý kiến cơ quan bạn (0)"
        in client.get(reverse("backoffice:queues")).content.decode()
    )


def test_the_clock_says_it_waits_for_the_partner_when_the_process_pauses_it(client):
    from motcua.dossiers import services

    d, staff = consulting_desk(pauses=True)
    fire, _ = partner()
    services.perform(d, "consult", staff[Role.HANDLER], note=QUESTION, agencies=[fire.code])
    client.force_login(staff[Role.HANDLER])
    html = client.get(page(d.code)).content.decode()
    assert "Tạm dừng tính thời hạn (chờ ý kiến cơ quan phối hợp)" in html
    assert "Không tính thời gian chờ ý kiến" in html
