"""Account reads that change nothing (a page may make them on a GET)."""

from django.utils import timezone

from motcua.accounts.models import OneTimeToken


def confirmation_link_problem(secret: str) -> str | None:
    """Why a confirmation link cannot be used, read without using it up: ``None`` when it
    can; ``already_confirmed`` when it was used and its account is confirmed (the person
    clicked twice, or came back to an old mail); otherwise the code ``confirm_email``
    would raise (``invalid_token``, ``token_expired``)."""
    from motcua.accounts.services import _digest

    token = (
        OneTimeToken.objects.select_related("user")
        .filter(digest=_digest(secret or ""), purpose=OneTimeToken.Purpose.CONFIRM)
        .first()
    )
    if token is None:
        return "invalid_token"
    if token.used_at is not None:
        return "already_confirmed" if token.user.is_confirmed else "invalid_token"
    if token.expires_at <= timezone.now():
        return "token_expired"
    return None


def login_attempts_left(request, email: str) -> int:
    """How many more wrong passwords for ``email`` lock it (django-axes counts them by
    address, whoever types them, so this says nothing about whether the account exists)."""
    from axes.handlers.proxy import AxesProxyHandler
    from django.conf import settings

    failures = AxesProxyHandler.get_failures(request, {"email": email})
    return max(settings.AXES_FAILURE_LIMIT - failures, 0)
