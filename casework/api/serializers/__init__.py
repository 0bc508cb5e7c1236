"""Response bodies. They only render what the selectors and services hand them.

Who sees what is decided upstream (``permissions.access``, ``casework.selectors``); the one rule
applied here is the shape: a user with ``case.view_status`` only (the 111 hotline) gets
``CaseStatusOnlySerializer``, and the child is always the dict ``access_log.reveal_child`` returned —
lists never call it and always show the masked form.

Split by concern: refs, lists, records, case, reference."""

from .case import (  # noqa: F401
    CASE_DETAIL_SCHEMA,
    AbuseFormSerializer,
    CaseClassificationSerializer,
    CaseDetailSerializer,
    CaseEventSerializer,
    ChoiceSerializer,
    IncidentSerializer,
    IntakeSerializer,
    OfferRecordSerializer,
    OfferSerializer,
    PerpetratorSerializer,
    ReporterSerializer,
    render_case,
)
from .lists import (  # noqa: F401
    CASE_LIST_ENTRY_SCHEMA,
    CaseListItemSerializer,
    CaseStatusOnlySerializer,
    case_list_entries,
)
from .records import (  # noqa: F401
    AuthoredSerializer,
    ComprehensiveAssessmentResultSerializer,
    ComprehensiveAssessmentSerializer,
    ConferenceResultSerializer,
    ConferenceSerializer,
    EmergencyMeasureResultSerializer,
    EmergencyMeasureSerializer,
    InitialAssessmentResultSerializer,
    InitialAssessmentSerializer,
    IsolationOrderResultSerializer,
    IsolationOrderSerializer,
    MeasureSerializer,
    PlanResultSerializer,
    PlanSerializer,
    ReviewResultSerializer,
    ReviewSerializer,
    TaskLogResultSerializer,
    TaskLogSerializer,
    TaskResultSerializer,
    TaskSerializer,
    TransferResultSerializer,
    TransferSerializer,
)
from .reference import (  # noqa: F401
    AreaSerializer,
    GrantListSerializer,
    GrantSerializer,
    MeSerializer,
    OrganisationSerializer,
    ReaderSerializer,
    RoleAssignmentSerializer,
    TermSerializer,
)
from .refs import (  # noqa: F401
    CHILD_SCHEMA,
    AreaRefSerializer,
    CaseRefSerializer,
    ChildIdentitySerializer,
    ClockSerializer,
    MaskedChildSerializer,
    OrganisationRefSerializer,
    TermRefSerializer,
    masked_child,
)
