"""Triage of a new report (issue 12, item 2): attaching it to a case or an incident.

Accepting (start verification), transferring (``transfer_request``) and rejecting
(``case_not_eligible``) a report are the case services that already exist; they answer the
sender through ``notifications.dispatch.AUDIENCE`` and ``integrations.webhooks.EVENTS``. This
module adds the one triage move that had no service.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.errors import ValidationError
from casework.models import Case
from casework.models import CaseEventType as E
from casework.selectors.cases import case_flow
from casework.services._core import (
    Actor,
    cancel_leftovers,
    commit_change,
    fire,
    lock_case,
    require,
    require_reason,
)
from permissions import triage as rules
from permissions.access import case_queryset_for


def _target(actor, code: str) -> int:
    code = (code or "").strip()
    pk = case_queryset_for(actor).filter(code=code).values_list("pk", flat=True).first() if code else None
    if pk is None:
        # The same answer for a case that does not exist and one the actor may not see.
        raise ValidationError({"target_code": _("No case with this number among the cases you can see.")})
    return pk


@transaction.atomic
def report_attach(*, actor: Actor, case_id, target_code: str, mode: str = "case", reason: str,
                  expected_version=None) -> Case:
    """Attach a new report to an existing case (the same child, the same harm) or to the incident
    of an existing case (another child of the same incident). Both records are kept.

    Who: the officer who triages the report (``case.verify`` on both cases).
    Writes: mode "case": the report's case → not_eligible (closed, it lives on in the target's
    file), what was pending on it cancelled; mode "incident": the report's case now belongs to the
    target's incident (its own incident row is kept) and stays in the queue. Either way one
    CaseEvent(REPORT_ATTACHED) on the report and one CaseEvent(REPORT_ATTACHED_HERE) on the target.
    After commit: the reporter is told (in the app; an integration by signed callback
    ``report.attached``); the target's officers see it on its timeline.
    Raises: CaseNotFound, PermissionDenied, ValidationError (no reason, unknown target, a target
    the rules refuse), Conflict (stale version, state).
    """
    reason = require_reason(reason)
    access = lock_case(actor, case_id, expected_version=expected_version)
    assignment = require(access, rules.TRIAGE_CAPABILITY)
    target = lock_case(actor, _target(actor, target_code))
    refusal = rules.attach_refusal(access, target, mode)
    if refusal:
        raise ValidationError({"target_code": refusal})
    report, into = access.case, target.case
    data = {"mode": mode, "report": report.pk, "report_code": report.code, "target": into.pk,
            "target_code": into.code}
    before = report.status
    if mode == "case":
        fire(access, case_flow(access).mark_not_eligible)
        report.closed_at, report.closure_reason = timezone.now(), reason
        left = cancel_leftovers(report, reason, report.closed_at)
        fields = ["status", "closed_at", "closure_reason", *left.pop("fields")]
        changes = None
        data.update(left)
    else:
        changes = {"incident": [report.incident_id, into.incident_id]}
        report.incident_id = into.incident_id
        fields = ["incident"]
    commit_change(access, report, type=E.REPORT_ATTACHED, assignment=assignment, fields=fields,
                  from_state=before, to_state=report.status, reason=reason, changes=changes, data=data)
    commit_change(target, into, type=E.REPORT_ATTACHED_HERE, assignment=target.assignment(rules.TRIAGE_CAPABILITY),
                  from_state=into.status, to_state=into.status, reason=reason, data=data)
    return report


__all__ = ["report_attach"]
