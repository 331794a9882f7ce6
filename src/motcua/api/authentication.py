"""``Authorization: Bearer <token>`` for the JSON API (docs/api.md, "Authentication")."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from motcua.accounts import services


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        parts = header.split()
        # The scheme name is case-insensitive (RFC 7235 §2.1): some clients send "bearer".
        if len(parts) != 2 or parts[0].lower() != self.keyword.lower():
            raise exceptions.AuthenticationFailed(
                "Tiêu đề Authorization phải có dạng «Bearer <mã truy cập>»."
            )
        user = services.user_for_api_token(parts[1])
        if user is None:
            raise exceptions.AuthenticationFailed(
                "Mã truy cập không hợp lệ, đã hết hạn hoặc đã bị thu hồi."
            )
        return user, parts[1]

    def authenticate_header(self, request):
        return self.keyword


class BearerScheme(OpenApiAuthenticationExtension):
    target_class = BearerTokenAuthentication
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer"}
