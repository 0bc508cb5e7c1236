"""The API's one error model: every error under /api/ is JSON
``{"detail": "...", "code": "...", "errors": {"field": ["message", ...]}}`` (``casework.errors.error_body``).

==========================  ======  ===============  ===============================================
raised                      status  code             notes
==========================  ======  ===============  ===============================================
CaseNotFound, NotFound,     404     not_found        the same body whether the case is missing or
Http404, unknown /api/ path                          out of the user's reach: a 404 never tells an
                                                     outsider that a case exists
PermissionDenied            403     permission_denied
  (Django or DRF)
Conflict                    409     state | guard |  detail says why (a guard's own message)
                                    stale_version |
                                    closed
ValidationError (Django     400     invalid          ``errors`` per field; nested fields are named
or DRF), a bad page number                           the way the services name them:
                                                     "child.full_name", "measures[0].kind", "page"
malformed JSON              400     parse_error
not signed in / bad token   401     not_authenticated | authentication_failed
method not allowed          405     method_not_allowed
unsupported media type      415     unsupported_media_type
body over the size limit    413     too_large        (``config.middleware.ApiErrorMiddleware``)
anything unexpected         500     server_error     no detail of the failure (it goes to Sentry)
==========================  ======  ===============  ===============================================

Messages are translated into the request's language (Vietnamese by default): services call
gettext, DRF's own messages are in this project's catalog (``drf_messages``).
"""

from __future__ import annotations

import math

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions as drf_exceptions
from rest_framework import serializers, status
from rest_framework.exceptions import ErrorDetail
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from casework.errors import CaseNotFound, Conflict, NotFound, error_body

NOT_FOUND = _("Not found.")
FORBIDDEN = _("You do not have permission to perform this action.")
INVALID = _("Some fields are not valid.")
PARSE_ERROR = _("The request body is not valid JSON.")
INVALID_PAGE = _("There is no such page: give a page number from 1 to the last page.")


def exception_handler(exc, context):
    response = _casework_response(exc)
    if response is None:
        response = _drf_response(exc, context)
    if response is not None:
        # Same contract as DRF's handler: a request-wide transaction (ATOMIC_REQUESTS) must not
        # commit half a change. Services run in their own atomic blocks, so this is belt and braces.
        set_rollback()
    return response


def _casework_response(exc) -> Response | None:
    if isinstance(exc, CaseNotFound):
        # The class message only: nothing about the case may leak into a 404.
        return _error(CaseNotFound.message, "not_found", status.HTTP_404_NOT_FOUND)
    if isinstance(exc, (NotFound, Http404, drf_exceptions.NotFound)):
        return _error(NOT_FOUND, "not_found", status.HTTP_404_NOT_FOUND)
    if isinstance(exc, DjangoPermissionDenied):
        message = exc.args[0] if exc.args and exc.args[0] else FORBIDDEN
        return _error(message, "permission_denied", status.HTTP_403_FORBIDDEN)
    if isinstance(exc, Conflict):
        return _error(exc.message, exc.code, status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        return _invalid(django_errors(exc))
    if isinstance(exc, DRFValidationError):
        return _invalid(flatten_errors(exc.detail))
    if isinstance(exc, drf_exceptions.Throttled):
        response = _error(RATE_LIMITED, "throttled", status.HTTP_429_TOO_MANY_REQUESTS)
        response["Retry-After"] = str(max(1, math.ceil(exc.wait or 1)))
        return response
    if isinstance(exc, drf_exceptions.ParseError):
        # DRF's text carries the parser's English ("JSON parse error - Expecting value …").
        return _error(PARSE_ERROR, "parse_error", status.HTTP_400_BAD_REQUEST)
    return None


def _drf_response(exc, context) -> Response | None:
    """DRF's other refusals (401, 403, 405, 406, 415, 429) in the same model."""
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = getattr(exc, "detail", "")
    code = exc.get_codes() if hasattr(exc, "get_codes") else "error"
    response.data = error_body(detail if isinstance(detail, str) else FORBIDDEN,
                               code=code if isinstance(code, str) else "error")
    return response


def _error(detail, code: str, http_status: int) -> Response:
    return Response(error_body(detail, code=code), status=http_status)


def _invalid(errors: dict[str, list[str]]) -> Response:
    return Response(error_body(INVALID, code="invalid", errors=errors), status=status.HTTP_400_BAD_REQUEST)


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


@csrf_exempt
def api_not_found(request, *args, **kwargs):
    """Unmatched /api/ paths answer in JSON like every other API error — not with the HTML 404
    page, and for a POST not with the HTML CSRF page (there is nothing here to protect)."""
    return JsonResponse(error_body(gettext("Not found."), code="not_found"), status=404,
                        json_dumps_params={"ensure_ascii": False})


class Pagination(PageNumberPagination):
    """A page number that is not a page is bad input (400 on "page"), not a missing resource."""

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except drf_exceptions.NotFound:
            raise DRFValidationError({self.page_query_param: [str(INVALID_PAGE)]}) from None


# ---------------------------------------------------------------- documented error bodies (OpenAPI)


class ErrorSerializer(serializers.Serializer):
    """The one error model; the subclasses only document what ``code`` and ``errors`` hold."""

    detail = serializers.CharField(help_text=_("A message for the user, in the request's language."))
    code = serializers.CharField(help_text=_(
        "A stable code for programs: not_found, permission_denied, invalid, parse_error, state, guard, "
        "stale_version, closed, not_authenticated, locked_out, second_factor_required, too_large …"))
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text=_('Messages per field, empty when no field is at fault. Nested fields are named '
                    '"child.full_name", "measures[0].kind"; errors about the whole request are under '
                    '"non_field_errors".'))


class ConflictSerializer(ErrorSerializer):
    """code: state (not possible in the current state), guard (a condition of the transition is
    unmet; detail says which), stale_version (someone changed the case since the version sent),
    closed (the case is closed)."""


class CodedErrorSerializer(ErrorSerializer):
    """code: locked_out, second_factor_required …"""


class ValidationErrorSerializer(ErrorSerializer):
    """code: invalid or parse_error; errors: the fields at fault."""


def document_page_errors(result, generator, request, public):
    """drf-spectacular postprocessing hook: every operation that takes ``?page=`` answers 400 on a
    page that is not one (``Pagination``), so each documents that 400 in the error model (issue 12:
    Schemathesis found ``?page=0`` answered with an undocumented status)."""
    for path in result.get("paths", {}).values():
        for operation in path.values():
            if not isinstance(operation, dict):
                continue
            if any(p.get("name") == "page" and p.get("in") == "query" for p in operation.get("parameters", [])):
                operation.setdefault("responses", {}).setdefault("400", {
                    "description": str(INVALID_PAGE),
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ValidationError"}}}})
    return result


RATE_LIMITED = _("Too many requests from this client: wait as long as Retry-After says, then send again.")


def document_rate_limits(result, generator, request, public):
    """drf-spectacular postprocessing hook: every operation may answer 429 with ``Retry-After``
    (casework/api/throttling.py), so each documents it in the error model (code ``throttled``)."""
    for path in result.get("paths", {}).values():
        for operation in path.values():
            if isinstance(operation, dict) and "responses" in operation:
                operation["responses"].setdefault("429", {
                    "description": str(RATE_LIMITED),
                    "headers": {"Retry-After": {"schema": {"type": "integer"},
                                                "description": str(_("Seconds to wait before sending again."))}},
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}})
    return result
