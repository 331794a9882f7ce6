"""Refuse an oversized upload before its body is read into memory or onto disk.

Faces call ``limit_uploads(request, max_bytes)`` before touching ``request.FILES`` /
``request.data``. A declared Content-Length over the limit is refused at once; a body that
turns out larger (chunked, or lying) is cut off by the upload handler as soon as the running
total passes the limit, and ``request.upload_too_large`` is set for the view to answer 413.
"""

from django.core.files.uploadhandler import FileUploadHandler, StopUpload

# Multipart boundaries and the other form fields ride along with the file.
ENVELOPE = 64 * 1024


class UploadTooLarge(Exception):
    pass


class LimitedUploadHandler(FileUploadHandler):
    def __init__(self, request, max_bytes: int):
        super().__init__(request)
        self.max_bytes = max_bytes
        self.received = 0

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length and content_length > self.max_bytes + ENVELOPE:
            self.request.upload_too_large = True
            raise StopUpload(connection_reset=True)

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.max_bytes:
            self.request.upload_too_large = True
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None


def limit_uploads(request, max_bytes: int) -> None:
    """Install the limit on a Django request (pass ``request._request`` from DRF).

    Raises ``UploadTooLarge`` straight away when the declared length already says so.
    """
    django_request = getattr(request, "_request", request)
    try:
        declared = int(django_request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > max_bytes + ENVELOPE:
        django_request.upload_too_large = True
        raise UploadTooLarge()
    django_request.upload_too_large = False
    django_request.upload_handlers.insert(0, LimitedUploadHandler(django_request, max_bytes))
