"""Reading processes: the one in force for a procedure, the actions open from a step."""

from __future__ import annotations

from django.db.models import OuterRef, Q, Subquery

from motcua.workflow.models import Action, Process, Step


def process_in_force(procedure_id, case: str = "") -> Process | None:
    found = Process.objects.filter(
        procedure_id=procedure_id, state=Process.State.PUBLISHED, case__in={case, ""}
    ).order_by("-case")  # the case's own process before the general one
    return found.first()


def start_in_force(procedure_id, case: str = "") -> tuple[int, int | None] | None:
    """``process_in_force`` and its ``start_step`` as ids, in one statement: what a dossier
    entering the office is bound to (``dossiers.services``)."""
    start = Step.objects.filter(process=OuterRef("pk"), is_start=True).order_by("position", "id")
    found = (
        Process.objects.filter(
            procedure_id=procedure_id, state=Process.State.PUBLISHED, case__in={case, ""}
        )
        .order_by("-case")
        .values_list("pk", Subquery(start.values("pk")[:1]))
        .first()
    )
    return tuple(found) if found is not None else None


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
