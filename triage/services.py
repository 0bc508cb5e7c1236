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

from casework.errors import Conflict, NotFound, PermissionDenied, ValidationError
from casework.models import Case, Child
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
from permissions import merge
from permissions import triage as rules
from permissions.access import case_queryset_for

from .models import ChildMerge


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




# ------------------------------------------------------------------ merging two records of a child


def _records(actor, child_ids, must_see):
    """Every case and registry entry of the children, with the actor's access to each case.
    A child with no record the actor may see is reported as not found."""
    from permissions.access import case_access
    from permissions.prevention import registry_queryset_for
    from prevention.models import RegistryEntry

    cases = list(Case.objects.filter(child_id__in=child_ids).select_related(
        "commune", "incident_commune", "residence_commune").order_by("pk"))
    entries = list(RegistryEntry.objects.filter(child_id__in=child_ids).select_related("commune").order_by("pk"))
    seen_cases = set(case_queryset_for(actor).filter(pk__in=[c.pk for c in cases]).values_list("child_id", flat=True))
    seen_entries = set(registry_queryset_for(actor).filter(pk__in=[e.pk for e in entries])
                       .values_list("child_id", flat=True))
    if any(cid not in seen_cases | seen_entries for cid in must_see):
        raise NotFound
    return [case_access(actor, c) for c in cases], entries


def _check_merge(actor, child_ids, must_see=None):
    accesses, entries = _records(actor, child_ids, child_ids if must_see is None else must_see)
    refusal = merge.merge_refusal(actor, accesses=accesses, entry_communes=[e.commune for e in entries])
    if refusal:
        raise PermissionDenied(refusal)
    return accesses, entries


def _move_cases(actor, case_ids, *, to_child, event, data, reason):
    for case_id in case_ids:
        access = lock_case(actor, case_id)
        case = access.case
        before = case.child_id
        case.child_id = to_child
        commit_change(access, case, type=event, assignment=access.assignment(rules.TRIAGE_CAPABILITY),
                      fields=["child"], from_state=case.status, to_state=case.status, reason=reason,
                      changes={"child": [before, to_child]}, data=data)


@transaction.atomic
def child_merge(*, actor: Actor, kept_id: int, merged_id: int, reason: str, reasons_shown=()) -> ChildMerge:
    """Record that two child records are one child: the merged record's cases and registry
    entries move to the kept one. Both Child rows stay as they were (both histories are kept).

    Who: a user who triages every case of both children and keeps the registry of every entry's
    commune (``permissions.merge.merge_refusal``).
    Writes: ChildMerge (what moved); Case.child of each moved case with one CaseEvent(CHILD_MERGED)
    on it; one CaseEvent(CHILD_MERGED) on each case of the kept child; RegistryEntry.child.
    After commit: nothing beyond the timelines.
    Raises: NotFound (a child the actor cannot see), PermissionDenied, ValidationError, Conflict
    (already merged away).
    """
    from prevention.models import RegistryEntry

    reason = require_reason(reason)
    kept_id, merged_id = int(kept_id), int(merged_id)
    if kept_id == merged_id:
        raise ValidationError({"merged_id": _("Choose two different children.")})
    # Both rows locked in id order: two merges of the same pair cannot interleave.
    rows = {c.pk: c for c in Child.objects.select_for_update().filter(pk__in=[kept_id, merged_id]).order_by("pk")}
    if len(rows) != 2:
        raise NotFound
    if ChildMerge.objects.filter(merged_id__in=[kept_id, merged_id], undone_at__isnull=True).exists():
        raise Conflict(_("One of these records was already merged into another."), code="state")
    accesses, entries = _check_merge(actor, [kept_id, merged_id])
    moving = [a.case.pk for a in accesses if a.case.child_id == merged_id]
    staying = [a.case.pk for a in accesses if a.case.child_id == kept_id]
    moved_entries = [e.pk for e in entries if e.child_id == merged_id]
    merge = ChildMerge.objects.create(kept_id=kept_id, merged_id=merged_id, moved_cases=moving,
                                      moved_entries=moved_entries, reason=reason,
                                      reasons_shown=list(reasons_shown), merged_by=actor, merged_at=timezone.now())
    data = {"merge": merge.pk, "kept": kept_id, "merged": merged_id}
    _move_cases(actor, moving, to_child=kept_id, event=E.CHILD_MERGED, data=data, reason=reason)
    for case_id in staying:
        access = lock_case(actor, case_id)
        commit_change(access, access.case, type=E.CHILD_MERGED, assignment=access.assignment(rules.TRIAGE_CAPABILITY),
                      from_state=access.case.status, to_state=access.case.status, reason=reason, data=data)
    RegistryEntry.objects.filter(pk__in=moved_entries).update(child_id=kept_id)
    return merge


@transaction.atomic
def child_merge_undo(*, actor: Actor, merge_id: int, reason: str) -> ChildMerge:
    """Undo a merge: what moved goes back to the merged record.

    Who: as for the merge, on the records as they are now.
    Writes: ChildMerge.undone_*; Case.child of each case moved (still on the kept child) with one
    CaseEvent(CHILD_MERGE_UNDONE); one on each case of the kept child; RegistryEntry.child.
    Raises: NotFound, PermissionDenied, ValidationError, Conflict (already undone).
    """
    from prevention.models import RegistryEntry

    reason = require_reason(reason)
    merge = ChildMerge.objects.select_for_update().filter(pk=merge_id).first()
    if merge is None:
        raise NotFound
    # After the merge the merged record may have nothing left of its own: the kept one is seen.
    accesses, _entries = _check_merge(actor, [merge.kept_id, merge.merged_id], must_see=[merge.kept_id])
    if not merge.active:
        raise Conflict(_("This merge was already undone."), code="state")
    back = [a.case.pk for a in accesses if a.case.pk in merge.moved_cases and a.case.child_id == merge.kept_id]
    staying = [a.case.pk for a in accesses if a.case.child_id == merge.kept_id and a.case.pk not in back]
    merge.undone_by, merge.undone_at, merge.undo_reason = actor, timezone.now(), reason
    merge.save(update_fields=["undone_by", "undone_at", "undo_reason"])
    data = {"merge": merge.pk, "kept": merge.kept_id, "merged": merge.merged_id}
    _move_cases(actor, back, to_child=merge.merged_id, event=E.CHILD_MERGE_UNDONE, data=data, reason=reason)
    for case_id in staying:
        access = lock_case(actor, case_id)
        commit_change(access, access.case, type=E.CHILD_MERGE_UNDONE,
                      assignment=access.assignment(rules.TRIAGE_CAPABILITY), from_state=access.case.status,
                      to_state=access.case.status, reason=reason, data=data)
    RegistryEntry.objects.filter(pk__in=merge.moved_entries, child_id=merge.kept_id).update(child_id=merge.merged_id)
    return merge


__all__ = ["child_merge", "child_merge_undo", "report_attach"]
