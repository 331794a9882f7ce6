"""What every operation of the schema may answer besides its own successes (docs/api.md).

Views declare the errors that belong to their rules (403, 409, 413, 429…) next to themselves
with ``errors(...)``; this postprocessing hook adds the ones that follow from the operation's
shape, so that a new endpoint is described truthfully without anyone remembering them:

- 400 everywhere: a NUL character anywhere in the request, or a parameter/body field that is
  not valid, answers ``invalid_character`` or ``validation_error``;
- 401 wherever a bearer token is read: a wrong, expired or revoked token is refused even on
  public endpoints, and a missing one where the operation requires it;
- 404 where the path names something, or the list is paginated (a page past the last one);
- 415 where there is a body, in a media type the operation does not read.
"""

from drf_spectacular.utils import OpenApiResponse

ERROR_SCHEMA = {"$ref": "#/components/schemas/ErrorOut"}

DESCRIPTIONS = {
    "400": "Dữ liệu chưa hợp lệ (`validation_error`, kèm `fields`), JSON không đọc được "
    "(`parse_error`) hoặc có ký tự NUL (`invalid_character`).",
    "401": "Thiếu mã truy cập ở thao tác cần đăng nhập, hoặc mã sai, hết hạn, đã thu hồi "
    "(`unauthenticated`).",
    "403": "Không có quyền thực hiện thao tác này.",
    "404": "Không tìm thấy (`not_found`).",
    "409": "Trạng thái hiện tại không cho phép thao tác này.",
    "413": "Tệp hoặc yêu cầu vượt giới hạn dung lượng (`file_too_large`).",
    "415": "Định dạng dữ liệu gửi lên không được hỗ trợ (`unsupported_media_type`).",
    "429": "Thao tác quá nhiều lần; thử lại sau số giây trong `Retry-After` (`throttled`).",
}


def errors(*codes: int, **descriptions: str) -> dict:
    """Error answers a view declares for its own rules, all in the one error shape;
    ``e401="…"`` says what a code means for this operation when the general text is too vague."""
    return {
        code: OpenApiResponse(
            _error_serializer(), descriptions.get(f"e{code}", DESCRIPTIONS[str(code)])
        )
        for code in codes
    }


def _error_serializer():
    from motcua.api.dossier_serializers import ErrorOut

    return ErrorOut


def _uses_bearer(operation: dict, default: list) -> bool:
    security = operation.get("security", default) or []
    return any("bearerAuth" in requirement for requirement in security)


def _implied(path: str, operation: dict, default_security: list) -> set[str]:
    codes = {"400"}
    if _uses_bearer(operation, default_security):
        codes.add("401")
    names = {p.get("name") for p in operation.get("parameters", [])}
    if "{" in path or "page" in names:
        codes.add("404")
    if "requestBody" in operation:
        codes.add("415")
    return codes


def add_error_responses(result, generator, request, public):
    default_security = result.get("security", [])
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            for code in sorted(_implied(path, operation, default_security)):
                responses.setdefault(
                    code,
                    {
                        "content": {"application/json": {"schema": ERROR_SCHEMA}},
                        "description": DESCRIPTIONS[code],
                    },
                )
            operation["responses"] = dict(sorted(responses.items()))
    return result
