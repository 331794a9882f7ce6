"""The official form a process action names (Mẫu 01 at acceptance, 02 supplement, 03
refusal, 04 apology, the stop notice), issued in the transition's own transaction: it answers
``dossiers.transitions.performed``, so a form that cannot be drawn refuses the transition and
a refused transition gives its number back."""

from motcua.documents.official import FormError
from motcua.documents.services import issue_form
from motcua.dossiers.errors import DossierError
from motcua.workflow.vocabulary import FormCode

# The process's word for a form → the form set's code.
FORM_FILES = {
    FormCode.MAU_01: "01",
    FormCode.MAU_02: "02",
    FormCode.MAU_03: "03",
    FormCode.MAU_04: "04",
    FormCode.STOP_NOTICE: "stop",
}


def issue_for_transition(sender, *, dossier, action, step_action, actor, note, data, **_):
    code = FORM_FILES.get(getattr(step_action, "form", "") or "")
    if code is None or not dossier.code:
        return {}
    extra: dict = {"signer_name": actor.display_name if actor else ""}
    if code in ("02", "03"):
        extra["reason"] = note
    elif code == "04":
        extra.update(reason=note, new_due_at=dossier.due_at, old_due_at=data.get("old_due_at"))
    elif code == "stop":
        extra.update(by_authority=action == "stop", reason=note)
    try:
        form = issue_form(code, dossier, issued_by=actor, **extra)
    except FormError as exc:
        raise DossierError(
            "validation_error", exc.message, 400, {exc.field: [exc.message]}
        ) from None
    return {"issued_form": str(form.public_id), "form_reference": form.reference}
