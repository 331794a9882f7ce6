"""Signing the result at "Ký, ban hành kết quả" (DOMAIN §5.4 T13, §12.3), in the transition's
own transaction: it answers ``dossiers.transitions.performed`` for ``sign_result``. The PDFs
sent with the action are signed, else the result drafted from the procedure's template, with
the acting approver's certificate. A procedure whose result must be signed
(``signed_result_required``) is refused when the approver has no usable certificate."""

from django.utils import timezone

from motcua.dossiers.errors import DossierError
from motcua.signing.services import SigningError, sign_result, usable_certificate


def result_pdf(dossier, actor) -> bytes:
    """The result drafted in the workflow: the official header, the procedure's result name
    as the title, the applicant, and the signer."""
    from motcua.documents.official import FormSpec
    from motcua.documents.services import form_context, render_pdf

    version = dossier.version
    title = (version.result_name or "Văn bản giải quyết thủ tục hành chính").upper()
    spec = FormSpec("result", title, "signing/result.html", "KQ", "result-1", lambda *_: {})
    extra = {"signer_name": actor.display_name}
    context = form_context(spec, dossier, extra, number=dossier.code, issued_at=timezone.now())
    return render_pdf(spec.template, context)


def sign_for_transition(sender, *, dossier, action, actor, params, **_):
    if action != "sign_result":
        return {}
    if usable_certificate(user=actor) is None and not dossier.version.signed_result_required:
        return {}
    files = params.get("files") or []
    documents = [(getattr(f, "name", "ket-qua.pdf"), f.read()) for f in files] or [
        (f"ket-qua-{dossier.code}.pdf", result_pdf(dossier, actor))
    ]
    signed = []
    for name, content in documents:
        try:
            result = sign_result(dossier, content, signer_user=actor, name=name)
        except SigningError as exc:
            raise DossierError("signing_failed", str(exc), 409) from None
        signed.append(str(result.public_id))
    return {"signed_results": signed}
