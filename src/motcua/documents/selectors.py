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
