"""Reads for printed documents: one query set that loads everything a document shows."""

from __future__ import annotations

from django.db.models import Prefetch

from motcua.dossiers.models import Channel, Dossier, DossierFile, Status


def submitted_online(code: str) -> Dossier | None:
    """A dossier that was submitted online (by the citizen or by an officer on their behalf),
    with what its submission receipt prints; None for a draft, a counter dossier or an
    unknown code. Who may see it is the caller's check (``dossiers.selectors.can_view``)."""
    return (
        Dossier.objects.filter(
            code=(code or "").strip(),
            submitted_at__isnull=False,
            channel__in=[Channel.ONLINE, Channel.ASSISTED],
        )
        .exclude(status=Status.DRAFT)
        .select_related(
            "version",
            "version__procedure",
            "receiving_agency__parent__parent",
            "delivery_commune__parent",
        )
        .prefetch_related(
            "version__components",
            Prefetch("files", queryset=DossierFile.objects.order_by("uploaded_at", "id")),
        )
        .first()
    )


# The forms addressed to the applicant (TT01/2018, TT03/2025): the receipt, the supplement
# request, the refusal, the apology and the stop notice. The control slip (Mẫu 05) is the
# office's own record of who held the dossier and stays with the staff.
CITIZEN_FORMS = ("01", "02", "03", "04", "stop")


def issued_forms(dossier: Dossier, *, for_owner: bool):
    """The forms issued for ``dossier``, oldest first, without their PDF bytes."""
    from motcua.documents.models import IssuedForm

    qs = IssuedForm.objects.filter(dossier=dossier).defer("pdf", "context")
    if for_owner:
        qs = qs.filter(form_code__in=CITIZEN_FORMS)
    return qs.order_by("issued_at", "id")


def issued_form(dossier: Dossier, form_id, *, for_owner: bool):
    """One issued form of ``dossier`` with its PDF, if this reader may have it."""
    return issued_forms(dossier, for_owner=for_owner).defer(None).filter(public_id=form_id).first()
