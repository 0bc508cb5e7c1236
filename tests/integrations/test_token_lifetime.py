"""docs/api.md documents the token lifetime and the answer to an expired token: keep them true."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_an_expired_token_is_refused_in_the_error_model_as_documented(world, settings):
    assert settings.API_TOKEN_TTL_HOURS == 12
    token = Token.objects.create(user=world.users["officer_a"])
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get("/api/me/").status_code == 200
    Token.objects.filter(pk=token.pk).update(created=timezone.now() - dt.timedelta(hours=12, seconds=1))
    answer = client.get("/api/me/")
    assert answer.status_code == 403
    assert answer.json() == {"detail": "The token has expired: ask for a new one.",
                             "code": "authentication_failed", "errors": {}}
    assert not Token.objects.filter(pk=token.pk).exists()
