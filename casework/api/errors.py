"""The API's error model: every error is JSON with a ``detail``; each service error maps to one status.

==========================  ======  =====================================================
raised                      status  body
==========================  ======  =====================================================
CaseNotFound, NotFound,     404     {"detail": "..."} — the same body whether the case is
Http404                             missing or out of the user's reach, so a 404 never tells
                                    an outsider that a case exists
PermissionDenied (Django)   403     {"detail": "..."}
Conflict                    409     {"detail": "...", "code": "state" | "guard" | "stale_version" | ...}
ValidationError (Django     400     {"detail": "...", "errors": {"field": ["message", ...]}}
or DRF)                             nested fields are flattened the way the services name
                                    them: "child.full_name", "measures[0].kind"
anything else               DRF's own handling (401/403 unauthenticated, 405, 415 ...)
==========================  ======  =====================================================

Messages are translated: services call gettext under the request's language (LocaleMiddleware,
Accept-Language), and the lazy messages here are rendered the same way.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers, status
from rest_framework.exceptions import ErrorDetail
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from casework.errors import CaseNotFound, Conflict, NotFound

NOT_FOUND = _("Not found.")
FORBIDDEN = _("You do not have permission to perform this action.")
INVALID = _("Some fields are not valid.")


def exception_handler(exc, context):
    response = _casework_response(exc)
    if response is None:
        return drf_exception_handler(exc, context)
    # Same contract as DRF's handler: a request-wide transaction (ATOMIC_REQUESTS) must not commit
    # half a change. Services run in their own atomic blocks, so today this is belt and braces.
    set_rollback()
    return response


def _casework_response(exc) -> Response | None:
    if isinstance(exc, CaseNotFound):
        # The class message only: nothing about the case may leak into a 404.
        return Response({"detail": str(CaseNotFound.message)}, status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, NotFound):
        return Response({"detail": str(NotFound.message)}, status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, Http404):
        return Response({"detail": str(NOT_FOUND)}, status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, DjangoPermissionDenied):
        message = str(exc.args[0]) if exc.args and exc.args[0] else str(FORBIDDEN)
        return Response({"detail": message}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, Conflict):
        return Response({"detail": str(exc.message), "code": exc.code}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        return _invalid(django_errors(exc))
    if isinstance(exc, DRFValidationError):
        return _invalid(flatten_errors(exc.detail))
    return None


def _invalid(errors: dict[str, list[str]]) -> Response:
    return Response({"detail": str(INVALID), "errors": errors}, status=status.HTTP_400_BAD_REQUEST)


def _non_field_key() -> str:
    return api_settings.NON_FIELD_ERRORS_KEY


def django_errors(exc: DjangoValidationError) -> dict[str, list[str]]:
    """A Django ValidationError as {field: [messages]}; Django's "__all__" becomes DRF's non-field key."""
    if hasattr(exc, "error_dict"):
        return {(_non_field_key() if field == "__all__" else field): [str(m) for m in messages]
                for field, messages in exc.message_dict.items()}
    return {_non_field_key(): [str(m) for m in exc.messages]}


def flatten_errors(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error structure, flattened to the services' field names.

    {"child": {"date_of_birth": [..]}}        -> {"child.date_of_birth": [..]}
    {"measures": [{}, {"kind": [..]}]}        -> {"measures[1].kind": [..]}
    {"abuse_forms": {0: [..]}} (ListField)    -> {"abuse_forms[0]": [..]}
    """
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            if isinstance(key, int):
                name = f"{prefix}[{key}]"
            elif key == _non_field_key() and prefix:
                name = prefix
            else:
                name = f"{prefix}.{key}" if prefix else str(key)
            for field, messages in flatten_errors(value, name).items():
                out.setdefault(field, []).extend(messages)
    elif isinstance(detail, (list, tuple)):
        if all(isinstance(item, (str, ErrorDetail)) for item in detail):
            if detail:
                out.setdefault(prefix or _non_field_key(), []).extend(str(item) for item in detail)
        else:
            for i, item in enumerate(detail):
                if item:
                    for field, messages in flatten_errors(item, f"{prefix}[{i}]").items():
                        out.setdefault(field, []).extend(messages)
    else:
        out.setdefault(prefix or _non_field_key(), []).append(str(detail))
    return out


def api_not_found(request, *args, **kwargs):
    """Unmatched /api/ paths answer in JSON like every other API error, not with the HTML 404 page."""
    return JsonResponse({"detail": gettext("Not found.")}, status=404, json_dumps_params={"ensure_ascii": False})


# ---------------------------------------------------------------- documented error bodies (OpenAPI)


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text=_("A message for the user, in the request's language."))


class ConflictSerializer(ErrorSerializer):
    code = serializers.CharField(help_text=_(
        "Why the change was refused: state (not possible in the current state), guard (a condition of "
        "the transition is unmet; detail says which), stale_version (someone changed the case since "
        "the version sent), closed (the case is closed)."))


class CodedErrorSerializer(ErrorSerializer):
    code = serializers.CharField(help_text=_("A stable code for programs: locked_out, second_factor_required …"))


class ValidationErrorSerializer(ErrorSerializer):
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text=_('Messages per field. Nested fields are named "child.full_name", "measures[0].kind"; '
                    'errors about the whole request are under "non_field_errors".'))
