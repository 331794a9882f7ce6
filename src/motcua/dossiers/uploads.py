"""Checking what a citizen uploads before anything is stored.

The extension is only a claim: the content is sniffed from its first bytes and must agree
with it. Photos from a phone (JPEG, PNG) are accepted where a component wants a PDF and
turned into one on the server, because most citizens have a camera, not a scanner.
Errors are ``UploadError`` with a Vietnamese message and an HTTP status (400 or 413).
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from motcua.core.text import fold

MIME = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "zip": "application/zip",
}
IMAGE_TYPES = {"jpg", "jpeg", "png"}
MAX_IMAGE_PIXELS = 40_000_000  # a 40-megapixel photo; anything larger is a decompression bomb


class UploadError(Exception):
    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message, self.status = message, status


@dataclass
class CheckedFile:
    name: str
    content: bytes
    kind: str
    content_type: str
    sha256: str
    converted_from: str = ""

    @property
    def size(self) -> int:
        return len(self.content)


def sniff(head: bytes) -> str | None:
    """The file kind the bytes really are, or None when we do not accept such content."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"  # legacy .doc / .xls container
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    return None


def _office_kind(content: bytes) -> str:
    """A .docx/.xlsx is a zip with a known inner layout; tell them apart from a plain zip."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return "broken"
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return "zip"


def clean_name(name: str) -> str:
    """A display name safe anywhere: no path, no control characters, NFC, at most 120
    characters, the extension kept."""
    name = unicodedata.normalize("NFC", (name or "").replace("\\", "/").split("/")[-1])
    name = re.sub(r"[\x00-\x1f\x7f<>:\"|?*]", "", name).strip(" .")
    if not name:
        name = "tep"
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    stem = stem[: 120 - len(ext) - 1] if ext else name[:120]
    return f"{stem}.{ext.lower()}" if ext else stem


def extension(name: str) -> str:
    _, dot, ext = name.rpartition(".")
    return ext.lower() if dot else ""


def image_to_pdf(content: bytes) -> bytes:
    from PIL import Image, ImageOps

    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    try:
        with Image.open(io.BytesIO(content)) as img:
            img = ImageOps.exif_transpose(img)  # phone photos arrive rotated
            if img.mode not in ("RGB", "L"):
                img = img.convert("RGB")
            out = io.BytesIO()
            img.save(out, "PDF", resolution=150.0)
    except (OSError, Image.DecompressionBombError, ValueError):
        raise UploadError("Ảnh bị hỏng hoặc quá lớn, không chuyển được sang PDF.") from None
    return out.getvalue()


def check_upload(
    name: str, content: bytes, *, allowed_types: list[str], max_size: int
) -> CheckedFile:
    """Validate one upload against a component's rules; return what should be stored."""
    allowed = {t.lower() for t in allowed_types}
    if "jpg" in allowed:
        allowed.add("jpeg")
    display = clean_name(name)
    ext = extension(display)
    if len(content) > max_size:
        raise UploadError(
            f"Tệp «{display}» vượt quá dung lượng tối đa {max_size / 1048576:.0f} MB.", 413
        )
    if not content:
        raise UploadError(f"Tệp «{display}» rỗng.")
    accepts_photo_as_pdf = "pdf" in allowed and ext in IMAGE_TYPES
    if ext not in allowed and not accepts_photo_as_pdf:
        shown = ", ".join(sorted(t.upper() for t in allowed_types))
        raise UploadError(
            f"Tệp «{display}» không đúng định dạng. Định dạng được chấp nhận: {shown}."
        )
    kind = sniff(content[:16])
    if kind == "zip":
        kind = _office_kind(content)
    if kind == "ole":
        kind = ext if ext in {"doc", "xls"} else "ole"
    expected = "jpg" if ext == "jpeg" else ext
    if kind != expected:
        raise UploadError(
            f"Nội dung tệp «{display}» không khớp với đuôi .{ext}: tệp có thể bị hỏng hoặc bị đổi tên."
        )
    converted_from = ""
    if ext not in allowed:
        content = image_to_pdf(content)
        converted_from, ext = ext, "pdf"
        display = f"{display.rpartition('.')[0]}.pdf"
        if len(content) > max_size:
            raise UploadError(
                f"Tệp «{display}» sau khi chuyển sang PDF vượt quá {max_size / 1048576:.0f} MB.",
                413,
            )
    return CheckedFile(
        name=display,
        content=content,
        kind=ext,
        content_type=MIME.get(ext, "application/octet-stream"),
        sha256=hashlib.sha256(content).hexdigest(),
        converted_from=converted_from,
    )


def ascii_name(name: str) -> str:
    """For Content-Disposition's plain ``filename=`` fallback."""
    stem, dot, ext = name.rpartition(".")
    base = fold(stem if dot else name).replace(" ", "-") or "tep"
    return f"{base}.{ext}" if dot else base
