"""POST /api/auth/token/: a DRF token for API clients, under the same sign-in rules as the pages.

- django-axes counts every wrong password here too (the request is passed to ``authenticate``);
  a locked account gets 429, as on the login page.
- Roles that need a second factor on the pages (``permissions.auth.needs_second_factor``) must
  send a current TOTP code with the password: the second-factor middleware only sees session
  users, so without this a token would be a way round it.
- Every token handed out is recorded as a sign-in event.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from casework.errors import error_body
from permissions.auth import needs_second_factor, record
from permissions.models import AuthEvent
from permissions.tokens import token_for

from .errors import CodedErrorSerializer, ValidationErrorSerializer
from .throttling import ClientRateThrottle


class TokenRequestSerializer(AuthTokenSerializer):
    otp_code = serializers.CharField(
        label=_("Second-factor code"), required=False, allow_blank=True, write_only=True, max_length=16,
        help_text=_("The 6-digit code of your authenticator app. Required for chairpersons, supervisors and "
                    "administrators; register the app once on the web (/account/two-factor/)."))

    def validate(self, attrs):
        attrs = super().validate(attrs)
        user = attrs["user"]
        if needs_second_factor(user):
            request = self.context.get("request")
            code = (attrs.get("otp_code") or "").strip()
            devices = list(TOTPDevice.objects.filter(user=user, confirmed=True))
            if not devices:
                raise ValidationError({"otp_code": [_(
                    "Your role needs a second factor: register an authenticator app on the web first.")]})
            if not code:
                raise ValidationError({"otp_code": [_("Your role needs the 6-digit code of your authenticator app.")]})
            if not any(device.verify_token(code) for device in devices):
                record(AuthEvent.Kind.OTP_FAILED, request=request, user=user)
                raise ValidationError({"otp_code": [_("That code is not right, or it has expired. Try the current one.")]})
            record(AuthEvent.Kind.OTP_VERIFIED, request=request, user=user)
        return attrs


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text=_('Send it as the header "Authorization: Token <token>".'))


@extend_schema_view(post=extend_schema(
    operation_id="auth_token", tags=["auth"], summary=_("Get your API token"),
    description=_('Send username and password (form or JSON), and otp_code if your role needs a second factor. '
                  'Use the token as the header "Authorization: Token <token>". The same token is returned until '
                  'it expires (12 hours after it was issued). Five wrong passwords lock the account for '
                  '30 minutes (429).'),
    request=TokenRequestSerializer,
    responses={200: TokenSerializer,
               400: OpenApiResponse(ValidationErrorSerializer, description=_("Wrong credentials or code.")),
               429: OpenApiResponse(CodedErrorSerializer, description=_("The account is locked for a while."))},
    auth=[]))
class TokenView(ObtainAuthToken):
    serializer_class = TokenRequestSerializer
    # ObtainAuthToken turns throttling off; here the anonymous rate per address applies, beside
    # django-axes' lockout per account (guessing across many accounts is slowed down too).
    throttle_classes = [ClientRateThrottle]

    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        try:
            serializer.is_valid(raise_exception=True)
        except ValidationError:
            # django-axes marks the request it refused; without this the lockout would look like a typo.
            if getattr(request, "axes_locked_out", False):
                return Response(error_body(_("Too many failed sign-ins: the account is locked for a while."),
                                           code="locked_out"), status=status.HTTP_429_TOO_MANY_REQUESTS)
            raise
        user = serializer.validated_data["user"]
        token = token_for(user)
        record(AuthEvent.Kind.TOKEN_ISSUED, request=request, user=user)
        return Response({"token": token.key})
