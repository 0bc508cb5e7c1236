"""Second factor required for chairpersons, supervisors and administrators (TOTP, django-otp)."""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from casework.errors import error_body

from .auth import needs_second_factor

# Pages a user who still owes the second factor may reach.
OPEN_PREFIXES = ("/account/two-factor/", "/login/", "/logout/", "/static/", "/i18n/", "/admin/login/",
                 "/admin/logout/", "/api/auth/")


class SecondFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated and not request.path.startswith(OPEN_PREFIXES)
                and not user.is_verified() and needs_second_factor(user)):
            if request.path.startswith("/api/"):
                return JsonResponse(error_body(_("Two-factor authentication is required for your role."),
                                               code="second_factor_required"), status=403)
            return redirect(f"{reverse('two_factor')}?next={request.get_full_path()}")
        return self.get_response(request)
