"""API tokens that expire, like sessions do (a token on a lost phone must not live forever)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed


def token_lifetime() -> dt.timedelta:
    return dt.timedelta(hours=getattr(settings, "API_TOKEN_TTL_HOURS", 12))


def token_expired(token: Token, now=None) -> bool:
    return token.created <= (now or timezone.now()) - token_lifetime()


def token_for(user) -> Token:
    """The user's current token; an expired one is replaced."""
    token, created = Token.objects.get_or_create(user=user)
    if not created and token_expired(token):
        token.delete()
        token = Token.objects.create(user=user)
    return token


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token_expired(token):
            token.delete()
            raise AuthenticationFailed(_("The token has expired: ask for a new one."))
        return user, token
