"""API keys of integration clients: ``Authorization: Api-Key cpk_<prefix>_<secret>``.

Accepted only by the views of this app (intake and status): the rest of /api/ does not list this
class, so a leaked hotline key cannot read or change a case file.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from .models import KEY_PREFIX, IntegrationClient

SCHEME = "Api-Key"


class ApiKeyAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0].lower() != SCHEME.lower():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid API key header."))
        parts = header[1].split("_", 2)
        if len(parts) != 3 or parts[0] != KEY_PREFIX:
            raise exceptions.AuthenticationFailed(_("Invalid API key."))
        client = (IntegrationClient.objects.select_related("user").filter(key_prefix=parts[1]).first())
        # One answer for an unknown, wrong, revoked or inactive key: nothing to probe.
        if client is None or not client.key_matches(parts[2]) or not client.active or not client.user.is_active:
            raise exceptions.AuthenticationFailed(_("Invalid API key."))
        IntegrationClient.objects.filter(pk=client.pk).update(last_used_at=timezone.now())
        return client.user, client

    def authenticate_header(self, request):
        return SCHEME
