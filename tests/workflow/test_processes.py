"""Processes as data: the standard process is valid, faults are named, versions are frozen."""

import pytest
from django.core.exceptions import ValidationError

from motcua.accounts.models import Role
from motcua.dossiers.models import Status
from motcua.workflow import diagram, services
from motcua.workflow.models import Action, Process, Step
from motcua.workflow.selectors import actions_at, process_in_force, start_in_force
from motcua.workflow.validation import process_problems
from tests.factories import ProcedureVersionFactory

pytestmark = pytest.mark.django_db


def codes(process):
    return {p.code for p in process_problems(process)}


def test_the_standard_process_is_valid_and_in_force():
    version = ProcedureVersionFactory(time_limit_value=15)
    process = services.build_standard(version)
    assert process.state == Process.State.PUBLISHED
    assert process_problems(process) == []
    assert process_in_force(version.procedure_id) == process
    # 15 working days = 120 working hours shared among the counted steps.
    assert process.counted_hours() == 120
    start = process.start_step()
    assert {a.code for a in actions_at(process.pk, start)} >= {
        "accept",
        "refuse",
        "request_supplement",
        "stop",
        "confirm_withdrawal",
    }


def test_a_second_start_an_orphan_and_a_roleless_action_are_all_named():
    process = services.build_standard(ProcedureVersionFactory(), publish_it=False)
    Step.objects.create(
        process=process, code="thua", name="Bước thừa", role=Role.HANDLER, is_start=True
    )
    Action.objects.filter(process=process, code="assign").update(roles=[])
    found = codes(process)
    assert {"start", "roles"} <= found
    Step.objects.filter(process=process, code="thua").update(is_start=False)
    assert {"unreachable", "dead_end"} <= codes(process)
    with pytest.raises(ValidationError):
        services.publish(process)
    assert Process.objects.get(pk=process.pk).state == Process.State.DRAFT


def test_a_step_without_a_way_out_is_a_dead_end():
    process = services.build_standard(ProcedureVersionFactory(), publish_it=False)
    Action.objects.filter(process=process, code="approve").delete()
    problems = process_problems(process)
    assert any(p.code == "dead_end" and p.step == "duyet" for p in problems)


def test_a_final_action_must_end_and_statuses_follow_the_life_cycle():
    process = services.build_standard(ProcedureVersionFactory(), publish_it=False)
    Action.objects.filter(process=process, code="refuse").update(
        to_step=Step.objects.get(process=process, code="phan_cong")
    )
    Action.objects.filter(process=process, code="assign").update(sets_status=Status.FINISHED)
    assert {"final", "status"} <= codes(process)


def test_publishing_a_new_version_retires_the_old_one_and_keeps_its_rows():
    version = ProcedureVersionFactory()
    first = services.build_standard(version)
    second = services.new_version(first)
    assert second.number == 2 and second.editable
    assert second.steps.count() == first.steps.count()
    assert second.actions.count() == first.actions.count()
    # The copy's actions point at the copy's steps, never at the old version's.
    assert not Action.objects.filter(process=second, to_step__process=first).exists()
    services.publish(second)
    first.refresh_from_db()
    assert first.state == Process.State.RETIRED
    assert process_in_force(version.procedure_id) == second
    assert first.steps.exists()  # dossiers started on it still find their steps


def test_the_start_in_force_follows_publishing_procedures_and_cases():
    # Compiled once per connection (core.orm): each call must still answer for its own
    # procedure, the version published since, and a case's own process before the general.
    one, other = ProcedureVersionFactory(), ProcedureVersionFactory()
    first = services.build_standard(one)
    elsewhere = services.build_standard(other)
    for _ in range(2):
        found = start_in_force(one.procedure_id)
        assert found == first.start_step() and found.process == first
        assert start_in_force(other.procedure_id).process == elsewhere
    second = services.new_version(first)
    services.publish(second)
    assert start_in_force(one.procedure_id).process == second
    assert start_in_force(one.procedure_id).is_start
    assert start_in_force(-1) is None
    special = services.build_standard(one, case="nuoc_ngoai")
    assert start_in_force(one.procedure_id, "nuoc_ngoai").process == special
    assert start_in_force(one.procedure_id, "khac").process == second
    assert start_in_force(one.procedure_id).process == second


def test_the_diagram_is_drawn_from_the_rows():
    process = services.build_standard(ProcedureVersionFactory())
    drawing = diagram.svg(process)
    assert drawing.startswith("<svg")
    for step in process.steps.all():
        assert step.name in drawing
    assert "Trả lại dự thảo cho chuyên viên" in drawing


def test_the_vocabulary_speaks_the_life_cycle_language():
    from motcua.dossiers import lifecycle
    from motcua.dossiers.models import Status as DossierStatus
    from motcua.workflow.vocabulary import ACTION_STATUS, NationalStatus

    assert dict(NationalStatus.choices) == {k: v for k, v in DossierStatus.choices if k}
    for code, status in ACTION_STATUS.items():
        t = lifecycle.transition(code)
        assert t is not None, code
        assert t.target == status, code
