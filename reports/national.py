"""The national child database export (Decree 56/2017 art. 30.3): a closed case's file as a
documented JSON document the commune uploads. The format is described field by field in
``docs/reports.md``; ``FORMAT`` names its version.

This is the one output of the reports app that holds a child's identity (the national database
needs it), so it is gated like an identity read and recorded as one timeline event
(``FILE_EXPORTED``) with the document's SHA-256 and what it contained.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.audit import case_event_record
from casework.errors import Conflict, PermissionDenied
from casework.models import CaseEventType
from permissions.access import access_case_by_id
from permissions.reports import can_export_case_file
from permissions.roles import Capability as C
from workflows.states import CaseStatus

from .figures import checksum

FORMAT = "vn.bvte.case-file/1"
SECTIONS = ["case", "child", "incident", "classification", "assessments", "plans", "tasks", "emergency",
            "isolation", "reviews"]


def _iso(value):
    return value.isoformat() if value is not None else None


def case_file_document(case) -> dict:
    """The document itself (no side effect); callers go through ``case_national_export``."""
    child, incident, intake = case.child, case.incident, case.intake
    forms = list(case.abuse_form_links.select_related("term"))
    return {
        "format": FORMAT,
        "case": {"code": case.code, "status": case.status, "level": case.level, "opened_at": _iso(case.opened_at),
                 "closed_at": _iso(case.closed_at), "closure_reason": case.closure_reason,
                 "responsible_commune": case.commune.code, "plan_cycles": case.plan_cycle,
                 "criminal_track": case.criminal_track},
        "child": {"full_name": child.full_name, "date_of_birth": _iso(child.date_of_birth),
                  "estimated_age": child.estimated_age, "sex": child.sex, "ethnicity": child.ethnicity,
                  "disability": child.disability, "residence_commune": getattr(child.residence_area, "code", None),
                  "address": child.address, "school": getattr(child.school, "name", None),
                  "class_name": child.class_name, "parents": child.parents, "caregiver": child.caregiver},
        "incident": {"occurred_at": _iso(incident.occurred_at), "commune": incident.commune.code,
                     "village": getattr(incident.village, "code", None), "environment": incident.environment,
                     "received_at": _iso(intake.received_at), "channel": intake.channel,
                     "perpetrators": [{"relation": getattr(p.relation, "code", None), "is_child": p.is_child,
                                       "sex": p.sex} for p in incident.perpetrators.select_related("relation")]},
        "classification": {"reported_as": intake.classification,
                           "abuse_forms": [f.term.code for f in forms],
                           "primary_abuse_form": next((f.term.code for f in forms if f.primary), None),
                           "special_groups": sorted(case.special_groups.values_list("code", flat=True)),
                           "risk_kind": getattr(case.risk_kind, "code", None),
                           "environment": case.environment},
        "assessments": [{"form": "02", "at": _iso(a.created_at), "risk_level": a.risk_level}
                        for a in case.initialassessments.all()]
                       + [{"form": "03", "at": _iso(a.created_at), "risk_level": a.risk_level}
                          for a in case.comprehensiveassessments.all()],
        "plans": [{"version": p.version, "cycle": p.cycle, "status": p.status, "starts_on": _iso(p.starts_on),
                   "ends_on": _iso(p.ends_on), "decision_no": p.decision_no, "decided_at": _iso(p.decided_at),
                   "measures": [{"kind": m.kind.code, "legal_article": m.legal_article, "level": m.level,
                                 "responsible": m.responsible.name, "starts_on": _iso(m.starts_on),
                                 "ends_on": _iso(m.ends_on)} for m in p.measures.select_related("kind", "responsible")]}
                  for p in case.plans.order_by("version")],
        "tasks": [{"body": t.organisation.name, "title": t.title, "status": t.status, "due_on": _iso(t.due_on),
                   "closed_at": _iso(t.closed_at)} for t in case.tasks.select_related("organisation")],
        "emergency": [{"kind": m.kind.code, "status": m.status, "ordered_at": _iso(m.ordered_at),
                       "done_at": _iso(m.done_at)} for m in case.emergencymeasures.select_related("kind")],
        "isolation": [{"decision_no": o.decision_no, "issued_at": _iso(o.issued_at), "ends_at": _iso(o.ends_at),
                       "total_days": o.total_days, "status": o.status} for o in case.isolationorders.all()],
        "reviews": [{"at": _iso(r.created_at), "cycle": r.plan_cycle, "recommendation": r.recommendation}
                    for r in case.reviews.all()],
    }


@transaction.atomic
def case_national_export(*, actor, case_id) -> dict:
    """Export a closed case's file for the national child database (art. 30.3).

    Who: the officer of the commune that owns the case (sees the identity and drafts its plans).
    Writes: one CaseEvent(FILE_EXPORTED) with the format, the sections and the SHA-256.
    After commit: nothing. Raises: CaseNotFound (also out of reach), PermissionDenied,
    Conflict (the case is not closed).
    """
    access = access_case_by_id(actor, case_id, for_update=True)
    if not can_export_case_file(access):
        raise PermissionDenied(_("Only the officer of the commune that owns the case exports its file."))
    case = access.case
    if case.status != CaseStatus.CLOSED:
        raise Conflict(_("Only a closed case's file goes to the national child database."), code="state")
    document = case_file_document(case)
    document["exported_at"] = timezone.now().isoformat()
    document["exported_by"] = actor.get_full_name() or actor.get_username()
    digest = checksum(document)
    case_event_record(case=case, type=CaseEventType.FILE_EXPORTED, actor=actor,
                      assignment=access.assignment(C.IDENTITY_VIEW),
                      data={"kind": "national_child_database", "format": FORMAT, "sections": SECTIONS,
                            "sha256": digest, "identity": True})
    return {"document": document, "sha256": digest}
