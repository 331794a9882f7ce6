"""The one exception dossier services raise (re-exported by ``dossiers.services``)."""


class DossierError(Exception):
    """A refused request: ``code`` for the API, a Vietnamese ``message``, field errors."""

    def __init__(self, code: str, message: str, status: int = 400, fields: dict | None = None):
        super().__init__(message)
        self.code, self.message, self.status, self.fields = code, message, status, fields or {}
