"""What every API view shares: the documented error answers and the content-read door."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse

from casework.errors import PermissionDenied
from casework.selectors import (
    case_for_user,
)
from permissions.access import CaseAccess

from ..errors import ConflictSerializer, ErrorSerializer, ValidationErrorSerializer

# ---------------------------------------------------------------- documented errors

E400 = OpenApiResponse(ValidationErrorSerializer, description=_("Invalid input; nothing was written."))
E403 = OpenApiResponse(ErrorSerializer, description=_("You may see the case but not do this."))
E403_OPEN = OpenApiResponse(ErrorSerializer, description=_("You may not open cases."))
E403_READ = OpenApiResponse(ErrorSerializer, description=_("You may see only the status of this case."))
E404 = OpenApiResponse(ErrorSerializer, description=_(
    "The case (or the record in it) does not exist or is out of your reach; the two look the same."))
E409 = OpenApiResponse(ConflictSerializer, description=_(
    "Not possible in the current state, a condition is unmet, or the version sent is stale."))
READ_ERRORS = {403: E403_READ, 404: E404}
WRITE_ERRORS = {400: E400, 403: E403, 404: E404, 409: E409}


def content_access(user, case_id) -> CaseAccess:
    """The case for a read of its content; a status-only viewer knows it exists, so 403, not 404."""
    access = case_for_user(user, case_id)
    if not access.content_visible:
        raise PermissionDenied(_("You may see only the status of this case."))
    return access


