"""``Authorization: Bearer <token>`` with a personal API token."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from . import services, tokens
from .models import ApiToken


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = b"bearer"

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Send “Authorization: Bearer <token>”."))
        try:
            token = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Invalid or expired token.")) from None
        record = ApiToken.objects.select_related("user").filter(digest=tokens.digest(token)).first()
        if record is None or not record.is_active or not record.user.is_active:
            raise exceptions.AuthenticationFailed(_("Invalid or expired token."))
        services.api_token_touch(token=record)
        return record.user, record

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer"}
