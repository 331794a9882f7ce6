"""Writing processes: publish a draft, start a new version, build the standard process.

A published version is frozen; changing a process means a new draft version (copied from the
one in force), checked and published in its turn, so dossiers already started keep theirs.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from motcua.accounts.models import Role
from motcua.workflow.models import Action, Process, Step
from motcua.workflow.validation import process_problems
from motcua.workflow.vocabulary import ACTION_STATUS, ActionCode, Clock, FormCode


def publish(process: Process, *, by=None) -> Process:
    """Check the draft and put it in force, retiring the version it replaces."""
    with transaction.atomic():
        process = Process.objects.select_for_update().get(pk=process.pk)
        if process.state != Process.State.DRAFT:
            raise ValidationError("Chỉ công bố được quy trình đang ở dạng bản nháp.")
        found = process_problems(process)
        if found:
            raise ValidationError([p.message for p in found])
        Process.objects.filter(
            procedure_id=process.procedure_id, case=process.case, state=Process.State.PUBLISHED
        ).update(state=Process.State.RETIRED)
        process.state = Process.State.PUBLISHED
        process.published_at = timezone.now()
        process.published_by = by
        process.save(update_fields=["state", "published_at", "published_by"])
    return process


def new_version(process: Process) -> Process:
    """A draft copy of ``process`` with the next number, steps and actions included."""
    with transaction.atomic():
        last = Process.objects.filter(
            procedure_id=process.procedure_id, case=process.case
        ).aggregate(n=Max("number"))["n"]
        copy = Process.objects.create(
            procedure_id=process.procedure_id,
            case=process.case,
            number=(last or 0) + 1,
            name=process.name,
            decision=process.decision,
        )
        steps = {}
        for s in process.steps.all():
            old = s.pk
            s.pk, s.process = None, copy
            s.save()
            steps[old] = s
        for a in process.actions.all():
            a.pk, a.process = None, copy
            a.from_step = steps.get(a.from_step_id)
            a.to_step = steps.get(a.to_step_id)
            a.save()
    return copy


# --- the standard process -----------------------------------------------------------------

STAFF_ROLES = [Role.RECEIVER, Role.DEPT_HEAD, Role.HANDLER, Role.APPROVER]


def _hours(version) -> Decimal:
    """The legal time limit in working hours (8 h a working day; calendar days counted as
    working days here: the step budgets only share it out)."""
    value = Decimal(version.time_limit_online or version.time_limit_value or 1)
    if version.time_limit_unit == "hours":
        return value
    if version.time_limit_unit == "months":
        return value * 22 * 8
    return value * 8


def _budget(total: Decimal) -> dict[str, Decimal]:
    """Share the time limit as real internal processes do (Nghệ An QĐ 3857/QĐ-UBND: 4 h
    reception, 4 h assignment, the bulk to the handler, a review and a signature)."""
    if total <= 16:
        return {
            "tiep_nhan": Decimal(1),
            "phan_cong": Decimal(1),
            "tham_dinh": max(total - 4, Decimal(1)),
            "duyet": Decimal(1),
            "ky": Decimal(1),
        }
    review = (total * Decimal("0.15")).quantize(Decimal(1))
    sign = (total * Decimal("0.1")).quantize(Decimal(1))
    return {
        "tiep_nhan": Decimal(4),
        "phan_cong": Decimal(4),
        "tham_dinh": total - 8 - review - sign,
        "duyet": review,
        "ky": sign,
    }


def build_standard(
    version, *, publish_it: bool = True, case: str = "", consult_clock: str = Clock.NONE
) -> Process:
    """The one-stop process most procedures follow (DOMAIN §3.1, §5.3): reception at the
    centre, assignment by the department head, examination and draft by the handler (who may
    ask partner agencies for an opinion, T6), review, signature by the agency's leader, return
    at the centre (not counted in the time limit).

    ``consult_clock``: ``Clock.PAUSE`` where the procedure's legal text excludes the
    consultation time from the time limit (DOMAIN §7.5); by default it counts."""
    budget = _budget(_hours(version))
    with transaction.atomic():
        process = Process.objects.create(
            procedure_id=version.procedure_id,
            case=case,
            number=(
                Process.objects.filter(procedure_id=version.procedure_id, case=case).aggregate(
                    n=Max("number")
                )["n"]
                or 0
            )
            + 1,
            name=f"Quy trình nội bộ: {version.name}"[:255],
        )
        spec = [
            ("tiep_nhan", "Tiếp nhận, kiểm tra hồ sơ", Role.RECEIVER, "Bộ phận Một cửa", True),
            (
                "phan_cong",
                "Lãnh đạo phòng phân công thụ lý",
                Role.DEPT_HEAD,
                "Phòng chuyên môn",
                True,
            ),
            (
                "tham_dinh",
                "Chuyên viên thẩm định, dự thảo kết quả",
                Role.HANDLER,
                "Phòng chuyên môn",
                True,
            ),
            ("duyet", "Lãnh đạo phòng xem xét dự thảo", Role.DEPT_HEAD, "Phòng chuyên môn", True),
            ("ky", "Lãnh đạo cơ quan ký duyệt kết quả", Role.APPROVER, "Lãnh đạo cơ quan", True),
            ("tra_ket_qua", "Trả kết quả cho công dân", Role.RECEIVER, "Bộ phận Một cửa", False),
        ]
        steps = {}
        for position, (code, name, role, department, counted) in enumerate(spec):
            steps[code] = Step.objects.create(
                process=process,
                position=position,
                code=code,
                name=name,
                role=role,
                department=department,
                hours=budget.get(code, Decimal(0)),
                counts_toward_deadline=counted,
                is_start=code == "tiep_nhan",
            )
        for position, (code, name) in enumerate(
            [
                ("da_tra", "Đã trả kết quả"),
                ("khong_tiep_nhan", "Không tiếp nhận hồ sơ"),
                ("dung", "Dừng giải quyết hồ sơ"),
            ],
            start=len(spec),
        ):
            steps[code] = Step.objects.create(
                process=process,
                position=position,
                code=code,
                name=name,
                role=Role.RECEIVER,
                department="Bộ phận Một cửa",
                counts_toward_deadline=False,
                is_end=True,
            )
        paid = version.fee_total > 0
        rows = [
            (
                ActionCode.ACCEPT,
                "tiep_nhan",
                "phan_cong",
                [Role.RECEIVER],
                Clock.START,
                FormCode.MAU_01,
                {},
            ),
            (
                ActionCode.REQUEST_SUPPLEMENT,
                "tiep_nhan",
                None,
                [Role.RECEIVER],
                Clock.PAUSE,
                FormCode.MAU_02,
                {"once_per_dossier": True},
            ),
            (
                ActionCode.REFUSE,
                "tiep_nhan",
                "khong_tiep_nhan",
                [Role.RECEIVER],
                Clock.STOP,
                FormCode.MAU_03,
                {},
            ),
            (
                ActionCode.ASSIGN,
                "phan_cong",
                "tham_dinh",
                [Role.DEPT_HEAD],
                Clock.NONE,
                FormCode.NONE,
                {},
            ),
            (
                ActionCode.TRANSFER,
                "phan_cong",
                None,
                [Role.RECEIVER, Role.DEPT_HEAD],
                Clock.NONE,
                FormCode.NONE,
                {},
            ),
            (
                ActionCode.FORWARD,
                "tham_dinh",
                "duyet",
                [Role.HANDLER],
                Clock.NONE,
                FormCode.NONE,
                {},
            ),
            (
                ActionCode.REQUEST_SUPPLEMENT,
                "tham_dinh",
                None,
                [Role.HANDLER, Role.RECEIVER],
                Clock.PAUSE,
                FormCode.MAU_02,
                {"once_per_dossier": True},
            ),
            (
                ActionCode.CONSULT,
                "tham_dinh",
                None,
                [Role.HANDLER],
                consult_clock,
                FormCode.NONE,
                {},
            ),
            (ActionCode.APPROVE, "duyet", "ky", [Role.DEPT_HEAD], Clock.NONE, FormCode.NONE, {}),
            (
                ActionCode.REJECT_DRAFT,
                "duyet",
                "tham_dinh",
                [Role.DEPT_HEAD],
                Clock.NONE,
                FormCode.NONE,
                {},
            ),
            (
                ActionCode.SIGN_RESULT,
                "ky",
                "tra_ket_qua",
                [Role.APPROVER],
                Clock.STOP,
                FormCode.NONE,
                {"requires_paid": paid},
            ),
            (
                ActionCode.REJECT_RESULT,
                "ky",
                "tra_ket_qua",
                [Role.APPROVER],
                Clock.STOP,
                FormCode.NONE,
                {},
            ),
            (
                ActionCode.REJECT_DRAFT,
                "ky",
                "tham_dinh",
                [Role.APPROVER],
                Clock.NONE,
                FormCode.NONE,
                {},
            ),
            (
                ActionCode.RETURN_RESULT,
                "tra_ket_qua",
                "da_tra",
                [Role.RECEIVER],
                Clock.NONE,
                FormCode.NONE,
                {},
            ),
            (
                ActionCode.APOLOGIZE,
                None,
                None,
                [Role.DEPT_HEAD, Role.APPROVER],
                Clock.NONE,
                FormCode.MAU_04,
                {"once_per_dossier": True},
            ),
            (ActionCode.STOP, None, "dung", [Role.APPROVER], Clock.STOP, FormCode.STOP_NOTICE, {}),
            (
                ActionCode.CONFIRM_WITHDRAWAL,
                None,
                "dung",
                [Role.RECEIVER],
                Clock.STOP,
                FormCode.STOP_NOTICE,
                {},
            ),
            (ActionCode.RECALL, None, None, STAFF_ROLES, Clock.NONE, FormCode.NONE, {}),
        ]
        for code, src, dst, roles, clock, form, extra in rows:
            Action.objects.create(
                process=process,
                code=code,
                from_step=steps.get(src),
                to_step=steps.get(dst),
                roles=[str(r) for r in roles],
                clock=clock,
                form=form,
                sets_status=ACTION_STATUS[code],
                **extra,
            )
    if publish_it:
        process = publish(process)
    return process


def seed_processes(versions) -> int:
    """Give every procedure without a process in force the standard one (idempotent)."""
    made = 0
    for version in versions:
        if Process.objects.filter(
            procedure_id=version.procedure_id, case="", state=Process.State.PUBLISHED
        ).exists():
            continue
        build_standard(version)
        made += 1
    return made
