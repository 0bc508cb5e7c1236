"""The API's views. Each one parses with a serializer, calls ONE selector or service, renders.

No rule of the case lives here: who may see or do what is ``permissions.access`` and the
services; the state machine is ``workflows.flows``. Errors are mapped in ``errors.py``.

Split by concern: _common, writes, cases, reference, docs."""

from ._common import (  # noqa: F401
    E400,
    E403,
    E403_OPEN,
    E403_READ,
    E404,
    E409,
    READ_ERRORS,
    WRITE_ERRORS,
    content_access,
)
from .cases import (  # noqa: F401
    CaseActionsView,
    CaseClocksView,
    CaseDetailView,
    CaseListQuery,
    CaseListView,
    CaseReadersView,
    CaseTimelineView,
)
from .docs import (  # noqa: F401
    REDOC_PAGE,
    RedocView,
)
from .reference import (  # noqa: F401
    AreaListView,
    AreaQuery,
    MeView,
    OrganisationListView,
    OrganisationQuery,
    TermListView,
    TermQuery,
)
from .writes import (  # noqa: F401
    RECORD_KWARG,
    WRITE_FOR,
    WRITES,
    CaseWriteView,
    In,
    Write,
    case_after_write,
    offer_url,
    write_view,
)
