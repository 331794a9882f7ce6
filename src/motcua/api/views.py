"""API v1 views: parse, call a service or selector, shape the answer. Nothing else."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.decorators import method_decorator
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import api_view, permission_classes, throttle_classes
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from motcua.accounts import services as accounts
from motcua.accounts.services import AccountError
from motcua.api import procedure_list
from motcua.api import serializers as ser
from motcua.api.cache import cache_public
from motcua.api.errors import error_response
from motcua.api.schema import errors
from motcua.catalog import selectors as catalog
from motcua.core.throttling import MailThrottle as RegisterThrottle


def _valid(serializer_class, request):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


@extend_schema(
    request=ser.RegisterIn,
    responses={201: ser.RegisterOut, **errors(429)},
    tags=["auth"],
    summary="Đăng ký tài khoản công dân hoặc tổ chức",
)
@api_view(["POST"])
@throttle_classes([RegisterThrottle])
def register(request):
    data = _valid(ser.RegisterIn, request)
    user = accounts.register(accounts.Registration(**data))
    return Response(
        {"id": user.pk, "email": user.email, "status": "pending_confirmation"}, status=201
    )


@extend_schema(
    request=ser.ConfirmIn,
    responses={
        200: ser.StatusOut,
        **errors(
            400,
            409,
            e400="Mã xác nhận sai, đã dùng hoặc hết hạn, hoặc dữ liệu chưa hợp lệ.",
            e409="Số định danh hoặc mã số thuế đã gắn với một tài khoản khác đã xác nhận.",
        ),
    },
    tags=["auth"],
    summary="Xác nhận đăng ký bằng mã trong thư",
)
@api_view(["POST"])
def confirm(request):
    data = _valid(ser.ConfirmIn, request)
    accounts.confirm_email(data["token"])
    return Response(
        {"status": "confirmed", "message": "Tài khoản đã được xác nhận. Bạn có thể đăng nhập."}
    )


@extend_schema(
    request=ser.ResendIn,
    responses={202: ser.StatusOut, **errors(429)},
    tags=["auth"],
    summary="Gửi lại thư xác nhận đăng ký",
)
@api_view(["POST"])
@throttle_classes([RegisterThrottle])
def resend_confirmation(request):
    data = _valid(ser.ResendIn, request)
    accounts.resend_confirmation(data["email"])
    return Response(
        {
            "status": "sent",
            "message": "Nếu địa chỉ này đang chờ xác nhận, một thư mới đã được gửi.",
        },
        status=202,
    )


@extend_schema(
    request=ser.TokenIn,
    responses={
        200: ser.TokenOut,
        **errors(
            401,
            403,
            e401="Sai thư điện tử hoặc mật khẩu (`invalid_credentials`), cán bộ thiếu mã hai "
            "bước (`otp_required`) hoặc mã sai (`otp_invalid`).",
            e403="Tài khoản tạm khóa vì sai mật khẩu nhiều lần (`locked`), chưa xác nhận "
            "(`unconfirmed`), bị vô hiệu (`inactive`), hoặc cán bộ chưa thiết lập xác thực hai "
            "bước (`otp_setup_required`).",
        ),
    },
    tags=["auth"],
    summary="Đăng nhập, nhận mã truy cập (Bearer)",
)
@api_view(["POST"])
def token(request):
    data = _valid(ser.TokenIn, request)
    user = accounts.check_credentials(request._request, data["email"], data["password"])
    if accounts.staff_needs_second_factor(user):
        if not data.get("otp"):
            raise AccountError(
                "otp_required", "Cán bộ cần nhập mã xác thực hai bước (trường «otp»).", 401
            )
        accounts.verify_second_factor(user, data["otp"])
    secret = accounts.issue_api_token(user, user_agent=request.headers.get("User-Agent", ""))
    token_row = user.api_tokens.order_by("-created_at").first()
    # docs/api.md: dates carry the +07:00 offset; a bare datetime from the database is UTC.
    return Response({"token": secret, "expires_at": timezone.localtime(token_row.expires_at)})


@extend_schema(
    request=None, responses={204: None}, tags=["auth"], summary="Đăng xuất (thu hồi mã truy cập)"
)
@api_view(["POST"])
@permission_classes([IsAuthenticated])
def logout(request):
    accounts.revoke_api_token(request.auth)
    return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(
    request=ser.PasswordResetIn,
    responses={202: ser.StatusOut, **errors(429)},
    tags=["auth"],
    summary="Quên mật khẩu: gửi đường dẫn đặt lại",
)
@api_view(["POST"])
@throttle_classes([RegisterThrottle])
def password_reset(request):
    data = _valid(ser.PasswordResetIn, request)
    accounts.request_password_reset(data["email"])
    return Response(
        {"status": "sent", "message": "Nếu địa chỉ này có tài khoản, thư hướng dẫn đã được gửi."},
        status=202,
    )


@extend_schema(
    request=ser.PasswordResetConfirmIn,
    responses={
        200: ser.StatusOut,
        **errors(400, e400="Mã đặt lại sai, đã dùng hoặc hết hạn, hoặc mật khẩu chưa đủ mạnh."),
    },
    tags=["auth"],
    summary="Đặt lại mật khẩu bằng mã trong thư",
)
@api_view(["POST"])
def password_reset_confirm(request):
    data = _valid(ser.PasswordResetConfirmIn, request)
    accounts.reset_password(data["token"], data["password"])
    return Response({"status": "done", "message": "Mật khẩu đã được đặt lại. Vui lòng đăng nhập."})


@extend_schema(
    methods=["GET"], responses={200: ser.MeOut}, tags=["auth"], summary="Thông tin tài khoản"
)
@extend_schema(
    methods=["PATCH"],
    request=ser.MeUpdateIn,
    responses={200: ser.MeOut},
    tags=["auth"],
    summary="Cập nhật thông tin tài khoản",
)
@api_view(["GET", "PATCH"])
@permission_classes([IsAuthenticated])
def me(request):
    user = request.user
    if request.method == "PATCH":
        # PATCH changes what it names (the schema marks every field optional); the rest
        # keeps its current value and is checked again by the service.
        serializer = ser.MeUpdateIn(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        current = {
            "full_name": user.full_name,
            "phone": user.phone,
            "address": user.address,
            "organisation_name": user.organisation_name,
        }
        accounts.update_profile(
            user, accounts.ProfileUpdate(**{**current, **serializer.validated_data})
        )
    return Response(ser.MeOut(user).data)


class AgencyList(ListAPIView):
    """Cơ quan đang hoạt động, kèm mã định danh điện tử và cơ quan cấp trên."""

    serializer_class = ser.AgencyOut

    def get_queryset(self):
        return catalog.current_agencies().prefetch_related("predecessors")

    @extend_schema(tags=["catalogue"], summary="Danh sách cơ quan")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class FieldList(ListAPIView):
    serializer_class = ser.FieldOut

    def get_queryset(self):
        return catalog.all_fields()

    @extend_schema(tags=["catalogue"], summary="Danh sách lĩnh vực")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


@method_decorator(cache_public, name="dispatch")
class ProcedureList(ListAPIView):
    serializer_class = ser.ProcedureOut

    def get_queryset(self):
        params = self.request.query_params
        level = params.get("level", "")
        if level and level not in procedure_list.LEVELS:
            raise ValidationError(
                {"level": ["Mức độ phải là toan_trinh, mot_phan hoặc truc_tiep."]}
            )
        return procedure_list.search(params)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(procedure_list.rows(list(page)))

    @extend_schema(
        tags=["catalogue"],
        summary="Tra cứu thủ tục",
        parameters=[
            OpenApiParameter("q", str, description="Từ khóa, không phân biệt dấu và hoa thường"),
            OpenApiParameter("agency", str, description="Mã định danh cơ quan"),
            OpenApiParameter("field", str, description="Mã lĩnh vực"),
            OpenApiParameter("level", str, enum=["toan_trinh", "mot_phan", "truc_tiep"]),
        ],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


@cache_public
@extend_schema(
    responses={200: ser.ProcedureDetailOut}, tags=["catalogue"], summary="Chi tiết thủ tục"
)
@api_view(["GET"])
def procedure_detail(request, code):
    version = catalog.get_procedure_version(code)
    if version is None:
        return error_response("not_found", "Không tìm thấy thủ tục có mã này.", 404)
    return Response(ser.ProcedureDetailOut(version).data)
