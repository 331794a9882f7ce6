"""The desk clock (dossiers.desk_clock): every write that can change a work list changes the
stamp of the desks concerned, whatever code path made it; drafts change nothing."""

import pytest

from motcua.accounts.models import Role, StaffMembership
from motcua.catalog.models import Agency
from motcua.dossiers import desk_clock, services
from motcua.dossiers.models import DeskClock, Dossier
from motcua.workflow.models import Step
from tests.dossiers.back_office import office, to_examination
from tests.dossiers.test_submission_core import _ready_draft
from tests.factories import AgencyFactory, MembershipFactory

pytestmark = pytest.mark.django_db(transaction=False)


def _desk(dossier, officer):
    return lambda: desk_clock.stamp(officer.pk, [dossier.receiving_agency_id])


def _changes(read, write):
    before = read()
    result = write()
    assert read() != before
    return result


def test_a_missing_counter_reads_as_zero_and_the_sum_follows_every_key():
    assert desk_clock.stamp(10**9, [10**9, 10**9 + 1]) == "0"
    DeskClock.objects.create(key=f"a:{10**9}", n=3)
    DeskClock.objects.create(key=f"u:{10**9}", n=4)
    assert desk_clock.stamp(10**9, [10**9]) == "7"
    assert desk_clock.stamp(10**9, []) == "4"


def test_drafts_bump_nothing():
    before = dict(DeskClock.objects.values_list("key", "n"))
    owner, draft = _ready_draft()
    services.update_draft(draft, actor=owner, delivery=services.Delivery(method="counter"))
    Dossier.objects.filter(pk=draft.pk).update(applicant_name="Nguyễn Văn Nháp")
    draft.delete()
    assert dict(DeskClock.objects.values_list("key", "n")) == before


def test_a_submission_changes_the_receiving_desk():
    owner, draft = _ready_draft()
    receiver = MembershipFactory(agency=draft.version.agency, role=Role.RECEIVER).user
    _changes(_desk(draft, receiver), lambda: services.submit(draft, owner))


def test_every_transition_changes_the_desks_concerned():
    dossier, staff = office()
    head, handler = staff[Role.DEPT_HEAD], staff[Role.HANDLER]
    d = _changes(
        _desk(dossier, head), lambda: services.perform(dossier, "accept", staff[Role.RECEIVER])
    )
    # Assigning: the handler's own key moves even when only their agency is not read.
    mine = lambda: desk_clock.stamp(handler.pk, [])  # noqa: E731
    d = _changes(mine, lambda: services.perform(d, "assign", head, assignee=handler.pk))
    d = _changes(
        mine,
        lambda: services.perform(
            d, "request_supplement", handler, note="Thiếu bản vẽ.", items=["Bản vẽ mặt bằng"]
        ),
    )
    # The citizen's withdrawal request leaves the status as it was; the desk still sees it.
    _changes(
        _desk(d, staff[Role.RECEIVER]),
        lambda: services.perform(d, "request_withdrawal", d.owner, note="Không còn nhu cầu"),
    )


def test_a_transfer_changes_both_the_old_and_the_new_desk():
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
    d = services.perform(Dossier.objects.get(pk=dossier.pk), "accept", receiver)
    assert d.assignee == local_head
    old_assignee = lambda: desk_clock.stamp(local_head.pk, [])  # noqa: E731
    new_desk = lambda: desk_clock.stamp(far_head.pk, [there.pk])  # noqa: E731
    before = old_assignee(), new_desk()
    d = services.perform(d, "transfer", receiver, agency=there.code)
    assert d.competent_agency == there and d.assignee == far_head
    assert old_assignee() != before[0] and new_desk() != before[1]


def test_a_return_and_a_direct_update_change_the_desk():
    dossier, staff = office()
    d = to_examination(dossier, staff)
    d = services.perform(d, "forward", staff[Role.HANDLER])
    d = services.perform(d, "approve", staff[Role.DEPT_HEAD])
    d = services.perform(d, "sign_result", staff[Role.APPROVER])
    desk = _desk(d, staff[Role.RECEIVER])
    d = _changes(
        desk,
        lambda: services.perform(
            d, "return_result", staff[Role.RECEIVER], method="counter", recipient_name="Nguyễn An"
        ),
    )
    # A write outside the services (an admin edit, a bulk update) counts as well.
    _changes(desk, lambda: Dossier.objects.filter(pk=d.pk).update(sub_state="withdrawal_requested"))
    _changes(desk, lambda: Dossier.objects.filter(pk=d.pk).delete())


def test_memberships_and_steps_change_the_officers_stamp():
    officer = MembershipFactory(role=Role.RECEIVER).user
    agency = AgencyFactory()
    mine = lambda: desk_clock.stamp(officer.pk, [])  # noqa: E731
    membership = _changes(
        mine, lambda: StaffMembership.objects.create(user=officer, agency=agency, role=Role.HANDLER)
    )
    membership.role = Role.DEPT_HEAD
    _changes(mine, membership.save)
    _changes(mine, membership.delete)
    dossier, _ = office()  # builds a process and its steps
    step = Step.objects.filter(process_id=dossier.process_id).first()
    step.role = Role.HANDLER
    _changes(mine, step.save)


def test_one_statement_gives_the_memberships_and_the_stamp_of_their_desks():
    officer = MembershipFactory(role=Role.RECEIVER).user
    agency = officer.memberships.get().agency
    MembershipFactory(user=officer, agency=agency, role=Role.DEPT_HEAD)
    DeskClock.objects.update_or_create(key=f"a:{agency.pk}", defaults={"n": 5})
    memberships, stamp, steps = desk_clock.memberships_and_stamp(officer.pk)
    assert sorted(memberships) == sorted([(Role.RECEIVER, agency.pk), (Role.DEPT_HEAD, agency.pk)])
    assert stamp == desk_clock.stamp(officer.pk, [agency.pk])
    counted = DeskClock.objects.filter(key="steps").values_list("n", flat=True).first()
    assert steps == (counted or 0)


@pytest.mark.django_db(transaction=True)
def test_the_prepared_read_outside_a_transaction_answers_the_same():
    # Out of any transaction, PostgreSQL runs it as a prepared statement (core.db): the same
    # answer, and a write between two reads shows in the second.
    officer = MembershipFactory(role=Role.RECEIVER).user
    agency = officer.memberships.get().agency
    DeskClock.objects.create(key=f"a:{agency.pk}", n=2)
    DeskClock.objects.create(key="steps", n=3)
    # The membership's creation counted once on the officer's own key: 2 + 3 + 1.
    assert desk_clock.memberships_and_stamp(officer.pk) == ([(Role.RECEIVER, agency.pk)], "6", 3)
    DeskClock.objects.filter(key=f"a:{agency.pk}").update(n=4)
    assert desk_clock.memberships_and_stamp(officer.pk)[1] == "8"
    assert desk_clock.memberships_and_stamp(10**9) == ([], "3", 3)
