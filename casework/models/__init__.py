from .areas import Area, AreaKind, Organisation, OrganisationKind
from .audit import AuditAnchor, CaseEvent, CaseEventType
from .cases import Case, CaseAbuseForm, Channel, Intake
from .deadlines import CaseDeadline, ClockState
from .people import Child, Environment, Incident, Perpetrator, Sex
from .records import (
    CaseConference,
    ComprehensiveAssessment,
    EmergencyMeasure,
    InitialAssessment,
    IsolationOrder,
    Measure,
    Plan,
    Review,
    Task,
    TaskLog,
    Transfer,
)
from .taxonomy import Term, TermKind

__all__ = [
    "Area", "AreaKind", "AuditAnchor", "Case", "CaseAbuseForm", "CaseConference", "CaseDeadline", "CaseEvent", "CaseEventType",
    "Channel", "Child", "ClockState", "ComprehensiveAssessment", "EmergencyMeasure", "Environment", "Incident",
    "InitialAssessment", "Intake", "IsolationOrder", "Measure", "Organisation", "OrganisationKind", "Perpetrator",
    "Plan", "Review", "Sex", "Task", "TaskLog", "Term", "TermKind", "Transfer",
]
