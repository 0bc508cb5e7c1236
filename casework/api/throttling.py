"""Per-client rate limits of the API (issue 12, item 5): a client that sends too much gets 429 in
the error model, with ``Retry-After`` (DRF's ``Throttled``, answered by ``errors.exception_handler``).

One bucket per signed-in user (an officer's browser and their scripts share it), one per IP
address for anonymous calls (the token endpoint; django-axes also locks accounts). Integrations
have their own bucket per client credential (``integrations.api``). Rates are settings
(``API_RATE_LIMITS``), read on every request so a deployment or a test can change them. The
counters live in the ``throttle`` cache: in production a cache all web workers share
(config/production.py), or each worker would allow the whole rate.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import caches
from rest_framework.throttling import SimpleRateThrottle


class ClientRateThrottle(SimpleRateThrottle):
    """Signed-in users by id, anonymous callers by address."""

    def __init__(self):
        # SimpleRateThrottle reads the rate in __init__ from a class attribute fixed at import:
        # resolve the scope per request instead (see allow_request).
        pass

    @property
    def cache(self):  # type: ignore[override]
        return caches["throttle"]

    def scope_for(self, request) -> str:
        return "user" if request.user and request.user.is_authenticated else "anon"

    def allow_request(self, request, view):
        self.scope = self.scope_for(request)
        self.rate = (getattr(settings, "API_RATE_LIMITS", None) or {}).get(self.scope)
        if not self.rate:
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        ident = request.user.pk if self.scope == "user" else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
