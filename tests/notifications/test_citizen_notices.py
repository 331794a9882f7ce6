"""The applicant's e-mails at each step (issue 9, item 8): sent from the one hook at the end of
``perform``, in Vietnamese, written in the transition's transaction and sent after commit."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from motcua.accounts.models import Role
from motcua.dossiers import services
from motcua.dossiers.errors import DossierError
from motcua.notifications import citizen
from motcua.notifications.models import TEMPLATE_NAMES, OutboundMessage
from tests.dossiers.back_office import office, to_examination
from tests.dossiers.test_submission_core import PDF

pytestmark = pytest.mark.django_db


def messages(template: str) -> list[OutboundMessage]:
    return list(OutboundMessage.objects.filter(template=template).order_by("id"))


def test_acceptance_mails_the_appointment_only_once_the_transition_commits(
    django_capture_on_commit_callbacks,
):
    dossier, staff = office()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        done = services.perform(dossier, "accept", staff[Role.RECEIVER])
    [row] = messages("dossier_accepted")
    assert row.recipient == dossier.owner.email and row.status == "pending"
    assert mail.outbox == []  # nothing leaves before the commit
    due = timezone.localtime(done.due_at)
    assert f"{due:%d/%m/%Y}" in row.subject and f"{due:%d/%m/%Y}" in row.body_text
    assert "đã tiếp nhận hồ sơ" in row.body_text and dossier.code in row.body_html
    assert f"/ho-so/{dossier.code}/" in row.body_text
    for callback in callbacks:
        callback()
    assert [m.subject for m in mail.outbox] == [row.subject]


def test_a_refused_transition_tells_nobody_anything():
    dossier, staff = office()
    before = OutboundMessage.objects.count()
    with pytest.raises(DossierError):
        services.perform(dossier, "accept", staff[Role.HANDLER])  # not the one-stop officer
    with pytest.raises(DossierError):
        services.perform(dossier, "refuse", staff[Role.RECEIVER], note="")  # no reason
    assert OutboundMessage.objects.count() == before


def test_supplement_request_lists_every_item_with_its_reason_and_links_to_the_upload():
    dossier, staff = office()
    services.perform(
        dossier,
        "request_supplement",
        staff[Role.RECEIVER],
        note="Hồ sơ thiếu giấy tờ về quyền sử dụng đất.",
        items=[
            {"name": "Giấy chứng nhận quyền sử dụng đất", "reason": "Bản chụp bị mờ"},
            {"name": "Bản vẽ thiết kế", "reason": "Thiếu chữ ký của người thiết kế"},
        ],
    )
    [row] = messages("supplement_requested")
    assert "Giấy chứng nhận quyền sử dụng đất: Bản chụp bị mờ" in row.body_text
    assert "Bản vẽ thiết kế: Thiếu chữ ký của người thiết kế" in row.body_html
    assert "Hồ sơ thiếu giấy tờ về quyền sử dụng đất." in row.body_text
    assert f"/ho-so/{dossier.code}/bo-sung/" in row.body_text


def test_refusal_states_the_reason():
    dossier, staff = office()
    reason = "Thủ tục không thuộc thẩm quyền giải quyết của Sở Xây dựng."
    services.perform(dossier, "refuse", staff[Role.RECEIVER], note=reason)
    [row] = messages("dossier_refused")
    assert row.subject == f"Hồ sơ {dossier.code} không được tiếp nhận"
    assert f"Lý do: {reason}" in row.body_text and reason in row.body_html


@pytest.mark.parametrize(
    ("method", "how"),
    [("counter", "Bộ phận Một cửa"), ("post", "bưu chính"), ("online", "tải bản điện tử")],
)
def test_result_ready_says_how_to_get_it(method, how):
    dossier, staff = office()
    dossier.delivery_method = method
    dossier.save(update_fields=["delivery_method"])
    d = to_examination(dossier, staff)
    d = services.perform(d, "forward", staff[Role.HANDLER])
    d = services.perform(d, "approve", staff[Role.DEPT_HEAD])
    services.perform(d, "sign_result", staff[Role.APPROVER])
    [row] = messages("result_ready")
    assert row.subject == f"Hồ sơ {dossier.code} đã có kết quả giải quyết"
    assert how in row.body_text
    assert f"/tra-cuu/xac-thuc/{dossier.code}" in row.body_text


def test_routing_between_officers_sends_the_citizen_nothing():
    dossier, staff = office()
    to_examination(dossier, staff)
    services.perform(dossier, "forward", staff[Role.HANDLER], note="Anh xem giúp hồ sơ này.")
    templates = set(OutboundMessage.objects.values_list("template", flat=True))
    assert templates == {"dossier_submitted", "dossier_accepted"}


def test_the_applicant_address_is_told_too_once():
    dossier, staff = office()
    dossier.applicant_email = "nguoi.duoc.nop.thay@example.vn"
    dossier.save(update_fields=["applicant_email"])
    services.perform(dossier, "accept", staff[Role.RECEIVER])
    assert sorted(m.recipient for m in messages("dossier_accepted")) == sorted(
        {dossier.owner.email, "nguoi.duoc.nop.thay@example.vn"}
    )


def test_every_template_the_hook_sends_has_a_readable_name_in_the_mail_log():
    assert set(citizen.TEMPLATES.values()) <= set(TEMPLATE_NAMES)


def test_a_new_appointment_and_a_stop_are_told_with_their_reason():
    dossier, staff = office()
    d = to_examination(dossier, staff)
    later = d.due_at + dt.timedelta(days=5)
    d = services.perform(
        d, "apologize", staff[Role.APPROVER], note="Cần xác minh thực địa.", new_due=later
    )
    [row] = messages("dossier_delayed")
    assert f"{timezone.localtime(later):%d/%m/%Y}" in row.subject
    assert "Lý do: Cần xác minh thực địa." in row.body_text
    services.perform(d, "stop", staff[Role.APPROVER], note="Người đề nghị đã chuyển đi nơi khác.")
    [row] = messages("dossier_stopped")
    assert row.subject == f"Hồ sơ {dossier.code} bị dừng giải quyết"
    assert "Người đề nghị đã chuyển đi nơi khác." in row.body_html


def test_a_walk_in_applicant_with_an_address_is_told_of_the_counter_intake_not_the_officer():
    dossier, staff = office()
    officer = staff[Role.RECEIVER]
    required = dossier.version.components.get(required=True)
    draft = services.create_draft(
        owner=officer,
        procedure_code=dossier.version.procedure.code,
        channel="counter",
        applicant=services.Applicant(
            full_name="Trần Văn Bảy",
            id_number="051090012345",
            phone="0905123456",
            email="tranvanbay@example.vn",
            address="Thôn 1, xã Tịnh Khê",
        ),
        delivery=services.Delivery(method="counter"),
    )
    services.add_file(draft, actor=officer, component_id=required.pk, name="scan.pdf", content=PDF)
    services.perform(draft, "receive_at_counter", officer)
    [row] = messages("dossier_accepted")
    assert row.recipient == "tranvanbay@example.vn"
    assert "Giấy tiếp nhận hồ sơ và hẹn trả kết quả đã nhận tại Bộ phận Một cửa" in row.body_text
    assert "/ho-so/" not in row.body_text
