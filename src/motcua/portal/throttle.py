"""The portal's e-mail-sending forms use the API's per-address budget (core.throttling)."""

from motcua.core.throttling import allow_mail

__all__ = ["allow_mail"]
