"""Reading processes: the one in force for a procedure, the actions open from a step."""

from __future__ import annotations

from django.db.models import Q

from motcua.core.orm import Reusable
from motcua.workflow.models import Action, Process, Step


def process_in_force(procedure_id, case: str = "") -> Process | None:
    found = Process.objects.filter(
        procedure_id=procedure_id, state=Process.State.PUBLISHED, case__in={case, ""}
    ).order_by("-case")  # the case's own process before the general one
    return found.first()


def _start(procedure_id, case: str = ""):
    return (
        Step.objects.filter(
            is_start=True,
            process__procedure_id=procedure_id,
            process__state=Process.State.PUBLISHED,
            process__case__in={case, ""},
        )
        .select_related("process")
        .order_by("-process__case")[:1]
    )


# Every submission binds its dossier with the general process (no case): compiled once
# (core.orm). A named case makes the IN list longer, so it takes the ordinary way.
_GENERAL_START = Reusable(_start, -7_300_051)


def start_in_force(procedure_id, case: str = ""):
    """The start step of the process in force, its process joined: one query, as a
    submission binds the dossier to both."""
    found = _GENERAL_START(procedure_id) if not case else _start(procedure_id, case)
    return found[0] if found else None


def actions_at(process_id, step) -> list[Action]:
    """The actions a dossier standing at ``step`` may take (including the global ones)."""
    if step is not None and step.is_end:
        return []
    where = Q(from_step__isnull=True)
    if step is not None:
        where |= Q(from_step_id=step.pk)
    return list(
        Action.objects.filter(where, process_id=process_id).select_related("to_step", "from_step")
    )
