"""Every back-office transition goes through ``perform``: one transaction, one event, the
process's step and roles respected, the clock and the appointment kept."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from motcua.accounts.models import Role
from motcua.dossiers import services
from motcua.dossiers.models import Dossier, DossierEvent, Status
from tests.dossiers.back_office import office, to_examination
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def events(d):
    return list(DossierEvent.objects.filter(dossier=d).values_list("action", flat=True))


def test_the_whole_journey_from_acceptance_to_return():
    dossier, staff = office()
    d = services.perform(dossier, "accept", staff[Role.RECEIVER])
    assert d.status == Status.RECEIVED and d.received_at and d.due_at > d.received_at
    assert d.original_due_at == d.due_at
    assert d.current_step.code == "phan_cong" and d.assignee == staff[Role.DEPT_HEAD]
    accept = DossierEvent.objects.get(dossier=d, action="accept")
    assert accept.data["form"] == "mau_01"
    d = services.perform(d, "assign", staff[Role.DEPT_HEAD], assignee=staff[Role.HANDLER].pk)
    assert d.status == Status.PROCESSING and d.assignee == staff[Role.HANDLER]
    d = services.perform(d, "forward", staff[Role.HANDLER])
    d = services.perform(d, "reject_draft", staff[Role.DEPT_HEAD], note="Thiếu căn cứ pháp lý.")
    assert d.current_step.code == "tham_dinh" and d.assignee == staff[Role.HANDLER]
    d = services.perform(d, "forward", staff[Role.HANDLER])
    d = services.perform(d, "approve", staff[Role.DEPT_HEAD])
    assert d.current_step.code == "ky" and d.assignee == staff[Role.APPROVER]
    d = services.perform(d, "sign_result", staff[Role.APPROVER])
    assert d.status == Status.FINISHED and d.finished_at and d.result_type == "result"
    d = services.perform(
        d, "return_result", staff[Role.RECEIVER], method="counter", recipient_name="Nguyễn Văn An"
    )
    assert d.status == Status.RETURNED and d.returned_at and d.current_step.is_end
    assert events(d) == [
        "submit",
        "accept",
        "assign",
        "forward",
        "reject_draft",
        "forward",
        "approve",
        "sign_result",
        "return_result",
    ]
    assert d.lock_version == 9


@pytest.mark.parametrize(
    ("role", "action", "status"),
    [
        (Role.HANDLER, "accept", 403),  # not a receiver
        (Role.APPROVER, "refuse", 403),
        (Role.RECEIVER, "sign_result", 403),  # not an approver
        (Role.DEPT_HEAD, "assign", 409),  # not yet accepted
        (Role.APPROVER, "stop", 409),  # nothing to stop before reception
        (Role.RECEIVER, "return_result", 409),
    ],
)
def test_forbidden_actions_change_nothing(role, action, status):
    dossier, staff = office()
    before = Dossier.objects.get(pk=dossier.pk)
    with pytest.raises(services.DossierError) as exc:
        services.perform(dossier, action, staff[role], note="Lý do đầy đủ để thử.")
    assert exc.value.status == status
    after = Dossier.objects.get(pk=dossier.pk)
    assert (after.status, after.lock_version, after.current_step_id) == (
        before.status,
        before.lock_version,
        before.current_step_id,
    )
    assert events(after) == ["submit"]


def test_a_step_is_fired_only_by_its_roles():
    dossier, staff = office()
    d = to_examination(dossier, staff)
    with pytest.raises(services.DossierError) as exc:
        services.perform(d, "approve", staff[Role.DEPT_HEAD])  # the draft is not yet sent
    assert exc.value.status == 409
    other_handler = MembershipFactory(agency=d.version.agency, role=Role.HANDLER).user
    with pytest.raises(services.DossierError) as exc:
        services.perform(d, "forward", other_handler)
    assert exc.value.status == 403


def test_refusal_needs_a_reason_and_ends_the_dossier():
    dossier, staff = office()
    with pytest.raises(services.DossierError) as exc:
        services.perform(dossier, "refuse", staff[Role.RECEIVER])
    assert "note" in exc.value.fields
    d = services.perform(dossier, "refuse", staff[Role.RECEIVER], note="Không thuộc thẩm quyền.")
    assert d.status == Status.REFUSED and d.current_step.code == "khong_tiep_nhan"
    assert DossierEvent.objects.get(dossier=d, action="refuse").data["form"] == "mau_03"


def test_a_supplement_pauses_the_clock_once_and_the_answer_resumes_it():
    dossier, staff = office()
    d = to_examination(dossier, staff)
    due = d.due_at
    d = services.perform(
        d,
        "request_supplement",
        staff[Role.HANDLER],
        note="Thiếu bản vẽ.",
        items=["Bản vẽ mặt bằng"],
    )
    assert d.status == Status.SUPPLEMENT_REQUESTED and d.paused_at
    with pytest.raises(services.DossierError) as exc:
        services.perform(
            d, "request_supplement", staff[Role.HANDLER], note="Lần hai.", items=["Ảnh"]
        )
    assert exc.value.status == 409
    services.add_file(
        d,
        actor=d.owner,
        component_id=d.version.components.first().pk,
        name="bo-sung.pdf",
        content=b"%PDF-1.4\n%%EOF\n",
        purpose="supplement",
    )
    d = services.perform(d, "submit_supplement", d.owner)
    assert d.status == Status.PROCESSING and d.paused_at is None
    assert d.due_at >= due


def test_the_least_loaded_handler_gets_the_dossier():
    dossier, staff = office()
    busy = staff[Role.HANDLER]
    idle = MembershipFactory(agency=dossier.version.agency, role=Role.HANDLER).user
    other = Dossier.objects.get(pk=dossier.pk)  # busy holds another open dossier already
    other.pk, other.code, other.public_id = None, None, uuid.uuid4()
    other.status, other.assignee = Status.PROCESSING, busy
    other.save()
    d = services.perform(dossier, "accept", staff[Role.RECEIVER])
    d = services.perform(d, "assign", staff[Role.DEPT_HEAD])
    assert d.assignee == idle


def test_an_officer_outside_the_step_cannot_be_named():
    dossier, staff = office()
    d = services.perform(dossier, "accept", staff[Role.RECEIVER])
    with pytest.raises(services.DossierError) as exc:
        services.perform(d, "assign", staff[Role.DEPT_HEAD], assignee=staff[Role.APPROVER].pk)
    assert "assignee" in exc.value.fields


def test_apology_reschedules_once_and_keeps_the_original_date():
    dossier, staff = office()
    d = to_examination(dossier, staff)
    original = d.due_at
    later = original + dt.timedelta(days=5)
    d = services.perform(
        d, "apologize", staff[Role.APPROVER], note="Cần xác minh thực địa.", new_due=later
    )
    assert d.due_at == later and d.original_due_at == original and d.status == Status.PROCESSING
    with pytest.raises(services.DossierError) as exc:
        services.perform(
            d,
            "apologize",
            staff[Role.APPROVER],
            note="Lần nữa.",
            new_due=later + dt.timedelta(days=1),
        )
    assert exc.value.status == 409


def test_stop_and_withdrawal_end_the_dossier():
    dossier, staff = office()
    d = to_examination(dossier, staff)
    d = services.perform(
        d, "stop", staff[Role.APPROVER], note="Đối tượng đã chết, không thể xử lý."
    )
    assert d.status == Status.STOPPED and d.current_step.code == "dung" and d.finished_at


def test_recall_takes_back_a_hand_over_not_yet_acted_on():
    dossier, staff = office()
    d = to_examination(dossier, staff)
    d = services.perform(d, "forward", staff[Role.HANDLER])
    assert d.current_step.code == "duyet"
    d = services.perform(d, "recall", staff[Role.HANDLER])
    assert d.current_step.code == "tham_dinh" and d.assignee == staff[Role.HANDLER]
    d = services.perform(d, "forward", staff[Role.HANDLER])
    d = services.perform(d, "approve", staff[Role.DEPT_HEAD])
    with pytest.raises(services.DossierError) as exc:
        services.perform(d, "recall", staff[Role.HANDLER])  # the head has acted since
    assert exc.value.status == 409


def test_a_stale_version_is_refused_and_changes_nothing():
    dossier, staff = office()
    seen = Dossier.objects.get(pk=dossier.pk).lock_version
    services.perform(dossier, "accept", staff[Role.RECEIVER], expected_version=seen)
    other_receiver = MembershipFactory(agency=dossier.version.agency, role=Role.RECEIVER).user
    with pytest.raises(services.DossierError) as exc:
        services.perform(dossier, "confirm_withdrawal", other_receiver, expected_version=seen)
    assert exc.value.code == "conflict" and exc.value.status == 409
    assert "cán bộ khác" in exc.value.message
    assert events(dossier) == ["submit", "accept"]


def test_counter_intake_starts_received_with_its_channel():
    dossier, staff = office()
    receiver = staff[Role.RECEIVER]
    version = dossier.version
    draft = services.create_draft(
        owner=receiver,
        procedure_code=version.procedure.code,
        channel="counter",
        applicant=services.Applicant(
            full_name="Trần Văn Bảy", id_number="051090012345", phone="0905123456"
        ),
        delivery=services.Delivery(method="counter"),
    )
    required = version.components.get(required=True)
    services.add_file(
        draft,
        actor=receiver,
        component_id=required.pk,
        name="scan.pdf",
        content=b"%PDF-1.4\n%%EOF\n",
    )
    d = services.perform(draft, "receive_at_counter", receiver)
    assert d.status == Status.RECEIVED and d.channel == "counter" and d.code
    assert d.received_at and d.due_at and d.current_step.code == "phan_cong"
    assert d.received_at <= timezone.now()
    assert events(d) == ["receive_at_counter"]


def test_a_commune_level_dossier_is_transferred_to_the_competent_commune():
    from motcua.catalog.models import Agency
    from tests.factories import AgencyFactory

    dossier, staff = office()
    group = AgencyFactory(kind=Agency.Kind.LEVEL_GROUP, name="Ủy ban nhân dân cấp xã")
    here = AgencyFactory(kind=Agency.Kind.COMMUNE_COMMITTEE, parent=group, name="UBND xã Một")
    there = AgencyFactory(kind=Agency.Kind.COMMUNE_COMMITTEE, parent=group, name="UBND xã Hai")
    version = dossier.version
    version.agency = group
    version.save()
    Dossier.objects.filter(pk=dossier.pk).update(receiving_agency=here)
    receiver = MembershipFactory(agency=here, role=Role.RECEIVER).user
    local_head = MembershipFactory(agency=here, role=Role.DEPT_HEAD).user
    far_head = MembershipFactory(agency=there, role=Role.DEPT_HEAD).user
    d = services.perform(dossier, "accept", receiver)
    assert d.assignee == local_head
    with pytest.raises(services.DossierError) as exc:
        services.perform(d, "transfer", receiver, agency=staff[Role.RECEIVER].pk)
    assert "agency" in exc.value.fields
    d = services.perform(d, "transfer", receiver, agency=there.code)
    assert d.competent_agency == there and d.assignee == far_head
    assert d.status == Status.RECEIVED and d.current_step.code == "phan_cong"
    # The far commune's head now assigns; the dossier still shows at the receiving desk.
    handler = MembershipFactory(agency=there, role=Role.HANDLER).user
    d = services.perform(d, "assign", far_head)
    assert d.assignee == handler
