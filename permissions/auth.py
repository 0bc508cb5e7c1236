"""Authentication policy: who needs a second factor, and the record of every sign-in.

Django's auth signals are the only hook every login path shares (admin, pages, API token,
tests' client.login), so the sign-in record listens to them rather than to one view.
"""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .models import AuthEvent, RoleAssignment
from .roles import RoleCode

# Chairpersons decide (approvals, isolation orders), supervisors read every case of an area,
# administrators manage users: their accounts are worth stealing, so they need a second factor.
SECOND_FACTOR_ROLES = {RoleCode.CHAIR, RoleCode.SUPERVISOR, RoleCode.ADMIN}


def needs_second_factor(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff or user.is_superuser:
        return True
    return RoleAssignment.objects.active().filter(user=user, role__code__in=SECOND_FACTOR_ROLES).exists()


def client_ip(request) -> str | None:
    if request is None:
        return None
    # Behind the reverse proxy of a deployment, set it to overwrite REMOTE_ADDR; never trust
    # X-Forwarded-For from the client here.
    return request.META.get("REMOTE_ADDR") or None


def record(kind: str, *, request=None, user=None, username: str = "") -> AuthEvent:
    return AuthEvent.objects.create(
        kind=kind, user=user if getattr(user, "pk", None) else None,
        username=(username or getattr(user, "username", "") or "")[:150],
        ip_address=client_ip(request),
        user_agent=(request.META.get("HTTP_USER_AGENT", "") if request is not None else "")[:255],
    )


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    record(AuthEvent.Kind.LOGIN, request=request, user=user)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record(AuthEvent.Kind.LOGOUT, request=request, user=user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    # Only the username: a mistyped password must never be stored.
    record(AuthEvent.Kind.LOGIN_FAILED, request=request, username=str(credentials.get("username", "")))


def _locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    record(AuthEvent.Kind.LOCKED_OUT, request=request, username=username or "")
