"""Errors the services raise; the web and API layers map each to one HTTP status."""

from django.core.exceptions import PermissionDenied, ValidationError  # noqa: F401  (re-exported)
from django.utils.translation import gettext_lazy as _


class CaseNotFound(Exception):
    """404: the case does not exist, or the user may not see it (the two are indistinguishable)."""

    message = _("Case not found.")


class NotFound(Exception):
    """404 for a record inside a case (plan, task …) that is missing or belongs elsewhere."""

    message = _("Not found.")


class Conflict(Exception):
    """409: the change cannot be applied in the case's current state, or someone changed it first."""

    def __init__(self, message, *, code: str = "conflict"):
        super().__init__(str(message))
        self.message = message
        self.code = code


def error_body(detail, *, code: str, errors: dict | None = None) -> dict:
    """The one error model of the API (docs/api.md "Errors"): every error answer under /api/ is
    ``{"detail": message, "code": stable code, "errors": {field: [messages]}}``, ``errors`` empty
    when no field is at fault. Messages are in the request's language."""
    return {"detail": str(detail), "code": code, "errors": errors or {}}
