from motcua.signing.models import SignedResult


def latest_signed_result(code: str) -> SignedResult | None:
    """The newest signed result of the dossier with this code (what verification shows)."""
    return (
        SignedResult.objects.filter(dossier__code=code)
        .select_related("dossier__version")
        .order_by("-signed_at", "-id")
        .first()
    )


def dossier_result(dossier) -> SignedResult | None:
    """The newest signed result of ``dossier`` (a re-signed result replaces the older)."""
    return (
        SignedResult.objects.filter(dossier=dossier)
        .select_related("signer")
        .order_by("-signed_at", "-id")
        .first()
    )
