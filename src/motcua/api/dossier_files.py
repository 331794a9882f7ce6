"""Dossier files over the API: upload to a draft, remove, download, send a supplement.

Uploads are size-limited before the body is read (``core.upload_limits``): a declared
length over the limit is refused at once and a longer stream is cut off, so an oversized
file never reaches memory or disk. The content is then checked by ``dossiers.uploads``
inside ``services.add_file``; nothing is stored unless every check passes.
"""

from urllib.parse import quote

from django.db import transaction
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import api_view, parser_classes, permission_classes
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from motcua.api import dossier_inputs as inp
from motcua.api import dossier_serializers as ser
from motcua.api.dossiers import detail_response, errors, own
from motcua.api.parsers import MultiPartParser
from motcua.core.upload_limits import UploadTooLarge, limit_uploads
from motcua.dossiers import selectors, services
from motcua.dossiers.models import Dossier, DossierFile
from motcua.dossiers.services import DossierError
from motcua.dossiers.storage import private_storage
from motcua.dossiers.uploads import MIME, ascii_name


def _too_large(max_bytes: int) -> DossierError:
    message = f"Tệp vượt quá dung lượng tối đa {max_bytes / 1048576:.0f} MB."
    return DossierError("file_too_large", message, 413, fields={"file": [message]})


def _receive(request, max_bytes: int) -> None:
    """Parse the multipart body under ``max_bytes``; 413 when it is more."""
    try:
        limit_uploads(request, max_bytes)
    except UploadTooLarge:
        raise _too_large(max_bytes) from None
    request.data  # noqa: B018 (parse now, while the limit is installed)
    if getattr(request._request, "upload_too_large", False):
        raise _too_large(max_bytes)


def _own_with_limit(request, reference: str) -> Dossier:
    dossier = selectors.own_dossier_for_upload(request.user, reference)
    if dossier is None:
        raise DossierError("not_found", "Không tìm thấy hồ sơ.", 404)
    return dossier


def _invalid(field: str, message: str) -> DossierError:
    return DossierError(
        "validation_error",
        "Dữ liệu chưa hợp lệ. Vui lòng kiểm tra các trường được nêu.",
        fields={field: [message]},
    )


@extend_schema(
    tags=["dossiers"],
    summary="Đính kèm tệp vào hồ sơ nháp",
    description=(
        "Ảnh chụp (JPG, PNG) gửi vào thành phần chỉ nhận PDF được chuyển thành PDF. "
        "`component` (id một thành phần của thủ tục) là bắt buộc khi `purpose=initial` (mặc "
        "định): thiếu hoặc không thuộc thủ tục thì trả 400 với `fields.component`. "
        "`purpose=authorisation` cho văn bản ủy quyền khi nộp thay (không cần `component`)."
    ),
    request={"multipart/form-data": inp.FileUploadIn},
    responses={201: ser.FileOut, **errors(400, 401, 404, 409, 413)},
)
@api_view(["POST"])
@permission_classes([IsAuthenticated])
@parser_classes([MultiPartParser])
def upload(request, id):
    dossier = _own_with_limit(request, id)
    if not dossier.is_draft:
        raise DossierError("not_draft", "Hồ sơ đã nộp, không thêm tệp được nữa.", 409)
    _receive(request, max(dossier.upload_limit or 0, services.AUTHORISATION_MAX_SIZE))
    incoming = request.FILES.get("file")
    if incoming is None:
        raise _invalid("file", "Vui lòng chọn tệp để tải lên.")
    purpose = request.data.get("purpose") or DossierFile.Purpose.INITIAL
    if purpose not in (DossierFile.Purpose.INITIAL, DossierFile.Purpose.AUTHORISATION):
        raise _invalid("purpose", "Mục đích tệp phải là initial hoặc authorisation.")
    record = services.add_file(
        dossier,
        actor=request.user,
        component_id=request.data.get("component"),
        name=incoming.name,
        content=incoming.read(),
        purpose=purpose,
    )
    return Response(ser.FileOut(record).data, status=201)


def _disposition(name: str) -> str:
    fallback = ascii_name(name).encode("ascii", "ignore").decode()
    fallback = fallback.replace('"', "").replace("\\", "") or "tep"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def _download(request, code: str, file_id) -> FileResponse:
    record = selectors.file_for(request.user, file_id)
    if record is None or code not in (record.dossier.code, str(record.dossier.public_id)):
        raise DossierError("not_found", "Không tìm thấy tệp.", 404)
    try:
        handle = record.file.open("rb")
    except FileNotFoundError:
        raise DossierError("not_found", "Không tìm thấy tệp.", 404) from None
    response = FileResponse(handle, content_type=record.content_type)
    response["Content-Disposition"] = _disposition(record.name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@extend_schema(
    methods=["GET"],
    tags=["dossiers"],
    summary="Tải tệp của hồ sơ",
    description="Chủ hồ sơ, hoặc cán bộ của cơ quan tiếp nhận / giải quyết hồ sơ.",
    responses={
        # The type the file was stored with (uploads.MIME), never a generic one.
        **{
            (200, content_type): OpenApiResponse(OpenApiTypes.BINARY, "Nội dung tệp")
            for content_type in sorted(set(MIME.values()))
        },
        **errors(401, 404),
    },
)
@extend_schema(
    methods=["DELETE"],
    tags=["dossiers"],
    summary="Gỡ tệp khỏi hồ sơ nháp",
    responses={204: None, **errors(401, 404, 409)},
)
@api_view(["GET", "DELETE"])
@permission_classes([IsAuthenticated])
def dossier_file(request, code, file_id):
    if request.method == "GET":
        return _download(request, code, file_id)
    services.remove_file(own(request, code), actor=request.user, file_id=file_id)
    return Response(status=204)


def _pairs(request) -> list[tuple[str, object]]:
    files = request.FILES.getlist("files")
    if not files:
        raise _invalid("files", "Vui lòng đính kèm ít nhất một tệp bổ sung.")
    components = request.data.getlist("component")
    if len(components) == 1:
        components = components * len(files)
    if len(components) != len(files):
        raise _invalid(
            "component", "Cần một thành phần cho mọi tệp, hoặc một thành phần cho từng tệp."
        )
    return list(zip(components, files, strict=True))


@extend_schema(
    tags=["dossiers"],
    summary="Nộp bổ sung hồ sơ",
    description=(
        "Chỉ khi hồ sơ đang ở trạng thái 5. Mọi tệp được lưu và hồ sơ chuyển lại cho cán bộ "
        "trong cùng một giao dịch: một tệp không hợp lệ thì không tệp nào được lưu."
    ),
    request={"multipart/form-data": inp.SupplementIn},
    responses={200: ser.DossierDetailOut, **errors(400, 401, 404, 409, 413)},
)
@api_view(["POST"])
@permission_classes([IsAuthenticated])
@parser_classes([MultiPartParser])
def supplement(request, code):
    dossier = own(request, code)
    if not selectors.may_supplement(dossier):
        raise DossierError("not_allowed", "Hồ sơ không ở trạng thái chờ bổ sung.", 409)
    # One body may carry a file for every component, each up to that component's limit.
    _receive(request, sum(selectors.component_sizes(dossier)) or services.AUTHORISATION_MAX_SIZE)
    pairs = _pairs(request)
    created: list[DossierFile] = []
    try:
        with transaction.atomic():
            for component_id, incoming in pairs:
                created.append(
                    services.add_file(
                        dossier,
                        actor=request.user,
                        component_id=component_id,
                        name=incoming.name,
                        content=incoming.read(),
                        purpose=DossierFile.Purpose.SUPPLEMENT,
                    )
                )
            services.perform(
                dossier,
                "submit_supplement",
                request.user,
                note=str(request.data.get("note", ""))[:2000],
            )
    except Exception:
        # The rows rolled back; the bytes already written must go too.
        storage = private_storage()
        for record in created:
            storage.delete(record.file.name)
        raise
    return detail_response(request, code)
