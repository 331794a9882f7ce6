"""Private file storage for dossier files: never under a public URL; served only through
views that check who is asking (``dossiers.selectors.can_view_file``)."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage


def private_storage() -> FileSystemStorage:
    return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)
