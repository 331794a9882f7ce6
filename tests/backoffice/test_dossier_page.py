"""The officer's dossier page: only the actions this officer may fire now, each one a call
to ``perform`` (PRG with a confirmation), refusals and conflicts in Vietnamese with what was
typed kept, and files shown only to the staff who may see the dossier."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from motcua.accounts.models import Role
from motcua.catalog.models import Agency
from motcua.documents.models import IssuedForm
from motcua.dossiers import services
from motcua.dossiers.models import Dossier, DossierEvent, Status, SupplementRequest
from motcua.signing.models import SignerCertificate
from motcua.signing.services import verify_pdf, verify_result
from tests.dossiers.back_office import office, to_examination
from tests.dossiers.test_submission_core import PDF
from tests.factories import AgencyFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def page(code):
    return reverse("backoffice:dossier", args=[code])


def buttons(response) -> set[str]:
    """The action codes the page offers (each form posts its own ``action``)."""
    html = response.content.decode()
    return {chunk.split('"', 1)[0] for chunk in html.split('name="action" value="')[1:]}


def post(client, d, action, **fields):
    data = {"action": action, f"{action}-lock_version": d.lock_version}
    data.update({f"{action}-{k}": v for k, v in fields.items()})
    return client.post(page(d.code), data)


@pytest.fixture
def desk(client):
    dossier, staff = office()

    def as_(role):
        client.force_login(staff[role])
        return client

    return dossier, staff, as_


def test_each_role_is_offered_only_what_it_may_fire_now(desk):
    d, staff, as_ = desk
    assert buttons(as_(Role.RECEIVER).get(page(d.code))) == {
        "accept",
        "refuse",
        "request_supplement",
    }
    # Staff of the agency see the dossier but have nothing to do at reception.
    for role in (Role.DEPT_HEAD, Role.HANDLER, Role.APPROVER):
        r = as_(role).get(page(d.code))
        assert r.status_code == 200
        assert buttons(r) == set()
        assert "Bạn không có thao tác nào trên hồ sơ này lúc này." in r.content.decode()
    d = services.perform(d, "accept", staff[Role.RECEIVER])
    assert buttons(as_(Role.DEPT_HEAD).get(page(d.code))) == {"assign", "apologize"}
    assert buttons(as_(Role.RECEIVER).get(page(d.code))) == set()


def test_accept_redirects_with_a_confirmation_and_shows_the_clock(desk):
    d, staff, as_ = desk
    client = as_(Role.RECEIVER)
    r = post(client, d, "accept", note="Đủ thành phần.")
    assert r.status_code == 302 and r.url == page(d.code)
    d.refresh_from_db()
    assert d.status == Status.RECEIVED and d.due_at is not None
    r = client.get(page(d.code))
    html = r.content.decode()
    assert f"Đã thực hiện «Tiếp nhận hồ sơ» cho hồ sơ {d.code}." in html
    assert "Đang xử lý trong hạn" in html or "Sắp đến hạn" in html
    assert d.due_at and "Ngày hẹn trả" in html
    assert DossierEvent.objects.filter(dossier=d, action="accept").count() == 1


def test_a_forbidden_action_is_refused_and_changes_nothing(desk):
    d, staff, as_ = desk
    r = post(as_(Role.HANDLER), d, "accept")
    assert r.status_code == 403
    assert "không thuộc vai trò của bạn" in r.content.decode()
    d.refresh_from_db()
    assert d.status == Status.SUBMITTED
    assert not DossierEvent.objects.filter(dossier=d, action="accept").exists()


def test_a_refusal_needs_its_reason_next_to_the_field(desk):
    d, staff, as_ = desk
    r = post(as_(Role.RECEIVER), d, "refuse", note="")
    assert r.status_code == 400
    html = r.content.decode()
    assert 'id="id_refuse-note_error"' in html and "Vui lòng nhập lý do." in html
    assert 'href="#id_refuse-note"' in html  # the summary links to the field
    r = post(as_(Role.RECEIVER), d, "refuse", note="Không thuộc thẩm quyền của Sở.")
    assert r.status_code == 302
    d.refresh_from_db()
    assert d.status == Status.REFUSED


def test_someone_else_acted_first_the_officer_is_told_and_keeps_what_was_typed(desk):
    d, staff, as_ = desk
    stale = d.lock_version
    other = MembershipFactory(agency=d.version.agency, role=Role.RECEIVER).user
    services.perform(d, "accept", other)
    r = as_(Role.RECEIVER).post(
        page(d.code),
        {"action": "refuse", "refuse-lock_version": stale, "refuse-note": "Sai thẩm quyền rõ ràng"},
    )
    assert r.status_code == 409
    html = r.content.decode()
    assert "Hồ sơ vừa được cán bộ khác xử lý" in html or "không thuộc vai trò" in html
    d.refresh_from_db()
    assert d.status == Status.RECEIVED


def test_conflict_on_the_same_step_keeps_the_typed_reason(desk):
    d, staff, as_ = desk
    d = services.perform(d, "accept", staff[Role.RECEIVER])
    d = services.perform(d, "assign", staff[Role.DEPT_HEAD], assignee=staff[Role.HANDLER].pk)
    stale = d.lock_version
    # The handler opened the page; meanwhile the dossier moved on the same step (apology).
    d.due_at_before = d.due_at
    services.perform(
        d,
        "apologize",
        MembershipFactory(agency=d.version.agency, role=Role.APPROVER).user,
        note="Cần thêm thời gian thẩm định thực địa.",
        new_due=(d.due_at.date().replace(year=d.due_at.year + 1)),
    )
    r = as_(Role.HANDLER).post(
        page(d.code),
        {"action": "forward", "forward-lock_version": stale, "forward-note": "Dự thảo đã xong"},
    )
    assert r.status_code == 409
    html = r.content.decode()
    assert "Hồ sơ vừa được cán bộ khác xử lý" in html
    assert "Dự thảo đã xong" in html  # the note is still in its field
    assert Dossier.objects.get(pk=d.pk).current_step == d.current_step


def test_supplement_lists_every_item_with_its_reason(desk):
    d, staff, as_ = desk
    client = as_(Role.RECEIVER)
    r = post(client, d, "request_supplement", note="Hồ sơ chưa đầy đủ", rows=3)
    assert r.status_code == 400
    assert "Cần ít nhất một nội dung phải bổ sung." in r.content.decode()
    # "Thêm dòng" adds a row and keeps what was typed, sending nothing.
    r = client.post(
        page(d.code),
        {
            "action": "request_supplement",
            "request_supplement-lock_version": d.lock_version,
            "request_supplement-rows": 3,
            "request_supplement-note": "Hồ sơ chưa đầy đủ",
            "request_supplement-item_0": "Bản vẽ mặt bằng",
            "more": "1",
        },
    )
    assert r.status_code == 200
    html = r.content.decode()
    assert 'name="request_supplement-item_3"' in html and "Bản vẽ mặt bằng" in html
    assert not SupplementRequest.objects.filter(dossier=d).exists()
    r = post(
        client,
        d,
        "request_supplement",
        note="Hồ sơ chưa đầy đủ",
        rows=4,
        item_0="Bản vẽ mặt bằng",
        why_0="Thiếu chữ ký của người thiết kế",
        item_3="Giấy tờ về quyền sử dụng đất",
    )
    assert r.status_code == 302
    request = SupplementRequest.objects.get(dossier=d)
    assert request.items == [
        "Bản vẽ mặt bằng — Thiếu chữ ký của người thiết kế",
        "Giấy tờ về quyền sử dụng đất",
    ]
    d.refresh_from_db()
    assert d.status == Status.SUPPLEMENT_REQUESTED


def test_assign_offers_the_eligible_officers_and_defaults_to_the_least_loaded(desk):
    d, staff, as_ = desk
    d = services.perform(d, "accept", staff[Role.RECEIVER])
    second = MembershipFactory(agency=d.version.agency, role=Role.HANDLER).user
    client = as_(Role.DEPT_HEAD)
    html = client.get(page(d.code)).content.decode()
    assert "Cán bộ ít việc nhất (mặc định)" in html
    assert second.display_name in html and staff[Role.HANDLER].display_name in html
    assert post(client, d, "assign", assignee=str(second.pk)).status_code == 302
    d.refresh_from_db()
    assert d.assignee == second and d.status == Status.PROCESSING


def test_pickers_list_people_and_communes_in_vietnamese_order(desk):
    d, staff, as_ = desk
    d = services.perform(d, "accept", staff[Role.RECEIVER])
    for name in ("Bùi Văn Bình", "Ân Thị Rảnh", "Âu Văn Ba"):
        MembershipFactory(agency=d.version.agency, role=Role.HANDLER, user__full_name=name)
    html = as_(Role.DEPT_HEAD).get(page(d.code)).content.decode()
    # "Â" after "A" and before "B": the database's code-point order gives the reverse.
    assert html.index("Ân Thị Rảnh") < html.index("Âu Văn Ba") < html.index("Bùi Văn Bình")

    group = AgencyFactory(kind=Agency.Kind.LEVEL_GROUP, name="Ủy ban nhân dân cấp xã")
    receiver = staff[Role.RECEIVER]
    for name in ("Ủy ban nhân dân xã Đức Phổ", "Ủy ban nhân dân xã Ân Phong"):
        commune = AgencyFactory(kind=Agency.Kind.COMMUNE_COMMITTEE, parent=group, name=name)
        MembershipFactory(user=receiver, agency=commune, role=Role.RECEIVER)
    d.version.agency = group
    d.version.save()
    url = reverse("backoffice:intake")
    html = as_(Role.RECEIVER).get(url, {"procedure": d.version.procedure.code}).content.decode()
    assert html.index("xã Ân Phong") < html.index("xã Đức Phổ")


def test_return_at_the_counter_needs_the_recipient(desk):
    d, staff, as_ = desk
    d = to_examination(d, staff)
    d = services.perform(d, "forward", staff[Role.HANDLER])
    d = services.perform(d, "approve", staff[Role.DEPT_HEAD])
    d = services.perform(d, "sign_result", staff[Role.APPROVER])
    client = as_(Role.RECEIVER)
    assert "return_result" in buttons(client.get(page(d.code)))
    r = post(client, d, "return_result", method="counter", recipient_name="")
    assert r.status_code == 400
    assert "Vui lòng nhập họ tên người nhận kết quả." in r.content.decode()
    r = post(client, d, "return_result", method="counter", recipient_name="Nguyễn Văn An")
    assert r.status_code == 302
    d.refresh_from_db()
    assert d.status == Status.RETURNED
    event = DossierEvent.objects.get(dossier=d, action="return_result")
    assert event.data["recipient_name"] == "Nguyễn Văn An"


def test_files_are_shown_inline_to_staff_of_the_agency_and_404_to_others(desk, client):
    d, staff, as_ = desk
    record = d.files.first()
    url = reverse("backoffice:dossier-file", args=[d.code, record.public_id])
    r = as_(Role.RECEIVER).get(url)
    assert r.status_code == 200
    assert r["Content-Disposition"].startswith("inline")
    assert r["Content-Type"] == record.content_type
    assert b"".join(r.streaming_content).startswith(b"%PDF")
    stranger = MembershipFactory(agency=AgencyFactory(), role=Role.RECEIVER).user
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    assert client.get(page(d.code)).status_code == 404
    # A file of another dossier under this dossier's code is no way round.
    owner = UserFactory()
    draft = services.create_draft(owner=owner, procedure_code=d.version.procedure.code)
    services.update_draft(draft, actor=owner, delivery=services.Delivery(method="counter"))
    component = d.version.components.get(required=True)
    services.add_file(draft, actor=owner, component_id=component.pk, name="b.pdf", content=PDF)
    other = services.submit(draft, owner)
    client.force_login(stranger)
    assert client.get(reverse("backoffice:dossier", args=[other.code])).status_code == 404
    client.force_login(staff[Role.RECEIVER])
    foreign = reverse("backoffice:dossier-file", args=[d.code, other.files.first().public_id])
    assert client.get(foreign).status_code == 404


def test_citizens_and_anonymous_visitors_never_reach_the_page(desk, client):
    d, staff, as_ = desk
    assert client.get(page(d.code)).status_code == 302  # to the login page
    client.force_login(d.owner)
    assert client.get(page(d.code)).status_code == 403


def test_counter_intake_receives_a_walk_in_dossier_at_once(desk, client):
    d, staff, as_ = desk
    client = as_(Role.RECEIVER)
    url = reverse("backoffice:intake")
    code = d.version.procedure.code
    r = client.get(url)
    assert r.status_code == 200 and code in r.content.decode()
    r = client.get(url, {"procedure": code})
    component = d.version.components.get(required=True)
    assert f'name="component_{component.pk}"' in r.content.decode()
    target = f"{url}?procedure={code}"
    # Missing scan and name: errors next to their fields, nothing stored.
    r = client.post(target, {"id_number": "001090001234", "delivery": "counter"})
    assert r.status_code == 400
    html = r.content.decode()
    assert "Vui lòng nhập họ và tên chủ hồ sơ." in html
    assert f"Chưa đính kèm «{component.name}»." in html
    assert f'id="id_component_{component.pk}_error"' in html
    before = Dossier.objects.count()
    scan = SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf")
    r = client.post(
        target,
        {
            "full_name": "Trần Thị Bích",
            "id_number": "001090001234",
            "phone": "0912345678",
            "delivery": "counter",
            f"component_{component.pk}": scan,
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    walk_in = Dossier.objects.exclude(pk=d.pk).get(applicant_name="Trần Thị Bích")
    assert Dossier.objects.count() == before + 1
    assert r.url == page(walk_in.code)
    assert walk_in.status == Status.RECEIVED and walk_in.channel == "counter"
    assert walk_in.received_at and walk_in.due_at
    assert walk_in.files.count() == 1
    assert "Đã tiếp nhận hồ sơ" in client.get(r.url).content.decode()


def test_counter_intake_is_for_the_one_stop_desk_only(desk):
    d, staff, as_ = desk
    assert as_(Role.HANDLER).get(reverse("backoffice:intake")).status_code == 403


def test_accept_issues_the_receipt_and_it_downloads_from_the_page(desk):
    d, staff, as_ = desk
    client = as_(Role.RECEIVER)
    assert post(client, d, "accept").status_code == 302
    form = IssuedForm.objects.get(dossier=d)
    assert form.form_code == "01"
    html = client.get(page(d.code)).content.decode()
    url = reverse("backoffice:dossier-form", args=[d.code, form.public_id])
    assert url in html and f"Mẫu 01, số {form.reference}" in html
    r = client.get(url)
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")
    stranger = MembershipFactory(agency=AgencyFactory(), role=Role.RECEIVER).user
    client.force_login(stranger)
    assert client.get(url).status_code == 404


def test_refusal_and_supplement_issue_their_forms(desk):
    d, staff, as_ = desk
    post(as_(Role.RECEIVER), d, "refuse", note="Không thuộc thẩm quyền của Sở.")
    refusal = IssuedForm.objects.get(dossier=d)
    assert refusal.form_code == "03"
    assert refusal.context["reason"] == "Không thuộc thẩm quyền của Sở."


def test_signing_keeps_a_result_whose_signature_validates(desk):
    d, staff, as_ = desk
    d = to_examination(d, staff)
    d = services.perform(d, "forward", staff[Role.HANDLER])
    d = services.perform(d, "approve", staff[Role.DEPT_HEAD])
    client = as_(Role.APPROVER)
    assert post(client, d, "sign_result").status_code == 302
    result = d.signed_results.get()
    check = verify_result(result)
    assert check.valid, check.message
    url = reverse("backoffice:dossier-result", args=[d.code, result.public_id])
    assert url in client.get(page(d.code)).content.decode()
    r = client.get(url)
    assert r["Content-Disposition"].startswith("inline")
    assert verify_pdf(b"".join(r.streaming_content)).valid


def test_an_approver_without_a_certificate_cannot_sign(desk):
    d, staff, as_ = desk
    d = to_examination(d, staff)
    d = services.perform(d, "forward", staff[Role.HANDLER])
    d = services.perform(d, "approve", staff[Role.DEPT_HEAD])
    SignerCertificate.objects.filter(user=staff[Role.APPROVER]).delete()
    r = post(as_(Role.APPROVER), d, "sign_result")
    assert r.status_code == 409
    assert "chưa có chứng thư số" in r.content.decode()
    d.refresh_from_db()
    assert d.status == Status.PROCESSING and not d.signed_results.exists()


def test_apology_takes_a_new_date_and_issues_form_04(desk):
    d, staff, as_ = desk
    d = services.perform(d, "accept", staff[Role.RECEIVER])
    client = as_(Role.DEPT_HEAD)
    r = post(client, d, "apologize", note="Cần xác minh thực địa.", new_due="")
    assert r.status_code == 400
    assert "Vui lòng chọn ngày hẹn trả mới." in r.content.decode()
    earlier = timezone.localtime(d.due_at).date()
    r = post(client, d, "apologize", note="Cần xác minh thực địa.", new_due=str(earlier))
    assert r.status_code == 400
    assert "Ngày hẹn mới phải sau ngày hẹn trả hiện tại." in r.content.decode()
    later = earlier + dt.timedelta(days=10)
    r = post(client, d, "apologize", note="Cần xác minh thực địa.", new_due=later.isoformat())
    assert r.status_code == 302
    d.refresh_from_db()
    assert timezone.localtime(d.due_at).date() == later and d.original_due_at < d.due_at
    assert IssuedForm.objects.filter(dossier=d, form_code="04").count() == 1
    # Once only: the action is gone from the page.
    assert "apologize" not in buttons(client.get(page(d.code)))


def test_stop_by_the_authority_issues_the_stop_notice(desk):
    d, staff, as_ = desk
    d = services.perform(d, "accept", staff[Role.RECEIVER])
    client = as_(Role.APPROVER)
    assert "stop" in buttons(client.get(page(d.code)))
    r = post(client, d, "stop", note="Hồ sơ thuộc diện tạm dừng theo quyết định của tỉnh.")
    assert r.status_code == 302
    d.refresh_from_db()
    assert d.status == Status.STOPPED
    notice = IssuedForm.objects.get(dossier=d, form_code="stop")
    assert notice.context["by_authority"] is True


def test_recall_is_offered_only_to_whoever_just_handed_the_dossier_on(desk):
    d, staff, as_ = desk
    d = services.perform(d, "accept", staff[Role.RECEIVER])
    d = services.perform(d, "assign", staff[Role.DEPT_HEAD], assignee=staff[Role.HANDLER].pk)
    assert "recall" in buttons(as_(Role.DEPT_HEAD).get(page(d.code)))
    assert "recall" not in buttons(as_(Role.HANDLER).get(page(d.code)))
    assert post(as_(Role.DEPT_HEAD), d, "recall").status_code == 302
    d.refresh_from_db()
    assert d.assignee != staff[Role.HANDLER] and d.status == Status.RECEIVED
