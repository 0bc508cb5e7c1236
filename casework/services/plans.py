"""Plans (form 04), their approval (form 05) and adjustment (Decree 56/2017 art. 28–29)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from permissions import rules
from permissions.roles import Capability
from workflows.flows import PlanFlow, TaskFlow
from workflows.states import OPEN_TASK_STATUSES, CaseStatus, PlanStatus, ProtectionLevel

from ..errors import Conflict, NotFound, ValidationError
from ..models import CaseEventType as E
from ..models import Measure, Plan, Task, Term, TermKind
from ._core import Actor, commit_change, fire, lock_case, require, require_reason
from .lifecycle import case_flow


@dataclass
class MeasureInput:
    kind: str
    responsible_id: int
    starts_on: dt.date
    ends_on: dt.date
    level: str = ""
    legal_article: str = ""
    description: str = ""
    coordinating_id: int | None = None
    resources: str = ""
    cost: Decimal | int | str | None = None
    # Art. 28.3.c: service providers mobilised (organisation ids the case's work may go to).
    provider_ids: list = field(default_factory=list)


def _check_plan(case, goals, starts_on, ends_on, review_on, measures: list[MeasureInput]) -> list[dict]:
    """Validate a draft; returns the measures as model kwargs. Raises ValidationError with every problem."""
    errors: dict = {}
    if not (goals or "").strip():
        errors["goals"] = _("State the plan's goals.")
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = _("The plan cannot end before it starts.")
    if starts_on and review_on and review_on < starts_on:
        errors["review_on"] = _("The review cannot be before the plan starts.")
    for name, value in (("starts_on", starts_on), ("ends_on", ends_on), ("review_on", review_on)):
        if value is None:
            errors[name] = _("This field is required.")
    terms = {t.code: t for t in Term.objects.of(TermKind.MEASURE).filter(code__in=[m.kind for m in measures])}
    # Only bodies the case's work may be addressed to (permissions.rules): a measure gives its body
    # the child's file.
    orgs = rules.assignable_organisations(case).in_bulk(
        {m.responsible_id for m in measures} | {m.coordinating_id for m in measures if m.coordinating_id}
        | {p for m in measures for p in (m.provider_ids or [])})
    rows = []
    for i, m in enumerate(measures):
        prefix = f"measures[{i}]."
        term = terms.get(m.kind)
        if term is None:
            errors[prefix + "kind"] = _("Unknown measure.")
        if m.responsible_id not in orgs:
            errors[prefix + "responsible_id"] = rules.NOT_ADDRESSABLE
        if m.coordinating_id and m.coordinating_id not in orgs:
            errors[prefix + "coordinating_id"] = rules.NOT_ADDRESSABLE
        if any(p not in orgs or orgs[p].kind not in rules.SERVICE_PROVIDER_KINDS for p in (m.provider_ids or [])):
            errors[prefix + "provider_ids"] = _("Choose service providers the case's work may be addressed to.")
        if m.starts_on is None or m.ends_on is None:
            errors[prefix + "starts_on"] = _("Give the start and expected end.")
        elif m.ends_on < m.starts_on:
            errors[prefix + "ends_on"] = _("The measure cannot end before it starts.")
        level = m.level or (term.protection_level if term else "") or ProtectionLevel.SUPPORT
        if level not in ProtectionLevel.values:
            errors[prefix + "level"] = _("Choose prevention, support or intervention.")
        article = m.legal_article or (term.legal_article if term else "")
        if term and not article:
            errors[prefix + "legal_article"] = _("Name the legal article the measure implements.")
        cost = None
        if m.cost in (None, ""):
            # Art. 28.3.d: a cost estimate for each service or task (zero when it costs nothing).
            errors[prefix + "cost"] = _("Give the cost estimate of the measure in đồng (0 if none).")
        else:
            try:
                cost = Decimal(str(m.cost))
                if cost < 0:
                    raise InvalidOperation
            except InvalidOperation:
                errors[prefix + "cost"] = _("Give the cost in đồng, zero or more.")
        rows.append(dict(kind=term, responsible=orgs.get(m.responsible_id), coordinating=orgs.get(m.coordinating_id),
                         starts_on=m.starts_on, ends_on=m.ends_on, level=level, legal_article=article,
                         description=m.description, resources=m.resources, cost=cost,
                         providers=[orgs[p] for p in (m.provider_ids or []) if p in orgs]))
    if errors:
        raise ValidationError(errors)
    return rows


@transaction.atomic
def case_planning_start(*, actor: Actor, case_id, expected_version=None):
    """Move the case to plan drafting once form 03 and the conference minutes are on file.

    Who: the officer. Writes: Case.status → planning, one CaseEvent(PLANNING_STARTED).
    Raises: CaseNotFound, PermissionDenied, Conflict.
    """
    access = lock_case(actor, case_id, expected_version=expected_version)
    case = access.case
    before = case.status
    assignment = fire(access, case_flow(access).start_planning)
    commit_change(access, case, type=E.PLANNING_STARTED, assignment=assignment, fields=["status"],
                  from_state=before, to_state=case.status)
    return case


@transaction.atomic
def plan_draft_save(*, actor: Actor, case_id, goals: str, starts_on, ends_on, review_on, measures: list[MeasureInput],
                    expected_version=None) -> Plan:
    """Create or replace the draft plan of the current cycle (form 04, art. 28.3).

    A returned plan is never edited: saving after a return starts a new version, so the version
    the chairperson returned stays on file as it was.
    Who: the officer, while the case is in plan drafting or returned.
    Writes: Plan (draft) and its Measures, one CaseEvent(PLAN_DRAFTED or PLAN_UPDATED).
    Raises: CaseNotFound, PermissionDenied, ValidationError, Conflict.
    """
    access = lock_case(actor, case_id, expected_version=expected_version)
    case = access.case
    assignment = require(access, Capability.PLAN_DRAFT)
    if case.status not in (CaseStatus.PLANNING, CaseStatus.RETURNED):
        raise Conflict(_("The plan is drafted during plan drafting."), code="state")
    rows = _check_plan(case, goals, starts_on, ends_on, review_on, measures)
    plan = case.plans.filter(status=PlanStatus.DRAFT).first()
    event = E.PLAN_UPDATED
    if plan is None:
        last = case.plans.order_by("-version").values_list("version", flat=True).first() or 0
        plan = Plan(case=case, author=actor, version=last + 1, cycle=case.plan_cycle)
        event = E.PLAN_DRAFTED
    plan.goals, plan.starts_on, plan.ends_on, plan.review_on = goals.strip(), starts_on, ends_on, review_on
    plan.save()
    plan.measures.all().delete()
    created = Measure.objects.bulk_create([Measure(plan=plan, **{k: v for k, v in row.items() if k != "providers"})
                                           for row in rows])
    Measure.providers.through.objects.bulk_create([
        Measure.providers.through(measure_id=m.pk, organisation_id=p.pk)
        for m, row in zip(created, rows, strict=True) for p in row["providers"]])
    commit_change(access, case, type=event, assignment=assignment, from_state=case.status, to_state=case.status,
                  data={"plan": plan.pk, "version": plan.version, "cycle": plan.cycle, "goals": plan.goals,
                        "starts_on": starts_on, "ends_on": ends_on, "review_on": review_on,
                        "measures": [{"kind": r["kind"].code, "level": r["level"], "article": r["legal_article"],
                                      "responsible": r["responsible"].pk, "responsible_name": r["responsible"].name,
                                      "coordinating": r["coordinating"].pk if r["coordinating"] else None,
                                      "starts_on": r["starts_on"], "ends_on": r["ends_on"], "cost": r["cost"],
                                      "providers": [p.pk for p in r["providers"]],
                                      "description": r["description"]} for r in rows]})
    return plan


def _current(case, status) -> Plan:
    plan = case.plans.filter(status=status).order_by("-version").first()
    if plan is None:
        raise Conflict(_("There is no plan in that state."), code="state")
    return plan


@transaction.atomic
def plan_submit(*, actor: Actor, case_id, expected_version=None) -> Plan:
    """Send the file to the chairperson for approval (art. 28.2).

    Who: the officer. Guards: a draft with measures; forms 03 and conference minutes on file;
    form 02 for an intervention-level case.
    Writes: Plan → submitted, Case → awaiting approval, one CaseEvent(PLAN_SUBMITTED); meets
    the 5-working-day drafting clock and starts the 2-working-day approval clock.
    After commit: notifies the chairperson.
    Raises: CaseNotFound, PermissionDenied, Conflict (with the missing item).
    """
    access = lock_case(actor, case_id, expected_version=expected_version)
    case = access.case
    before = case.status
    assignment = fire(access, case_flow(access).submit_plan)
    plan = _current(case, PlanStatus.DRAFT)
    fire(access, PlanFlow(plan, caps=access.caps).submit)
    plan.submitted_at = timezone.now()
    plan.save(update_fields=["status", "submitted_at"])
    commit_change(access, case, type=E.PLAN_SUBMITTED, assignment=assignment, fields=["status"], from_state=before,
                  to_state=case.status, data={"plan": plan.pk, "version": plan.version})
    return plan


@transaction.atomic
def plan_return(*, actor: Actor, case_id, reason: str, expected_version=None) -> Plan:
    """Return the submitted plan for revision.

    Who: the chairperson of the responsible commune.
    Writes: Plan → returned with the reason, Case → returned, one CaseEvent(PLAN_RETURNED).
    After commit: notifies the officer.
    Raises: CaseNotFound, PermissionDenied, ValidationError (no reason), Conflict.
    """
    reason = require_reason(reason)
    access = lock_case(actor, case_id, expected_version=expected_version)
    case = access.case
    before = case.status
    assignment = fire(access, case_flow(access).return_plan)
    plan = _current(case, PlanStatus.SUBMITTED)
    fire(access, PlanFlow(plan, caps=access.caps).return_for_revision)
    plan.return_reason, plan.decided_at, plan.decided_by = reason, timezone.now(), actor
    plan.save(update_fields=["status", "return_reason", "decided_at", "decided_by"])
    commit_change(access, case, type=E.PLAN_RETURNED, assignment=assignment, fields=["status"], from_state=before,
                  to_state=case.status, reason=reason, data={"plan": plan.pk, "version": plan.version})
    return plan


@transaction.atomic
def plan_approve(*, actor: Actor, case_id, decision_no: str, expected_version=None) -> Plan:
    """Approve the plan (form 05, art. 28.4) and refer each measure to its body (art. 28.5).

    Who: the commune chairperson of the case's commune.
    Writes: Plan → approved (a previously approved version → superseded), Case → implementing,
    one Task per measure, one CaseEvent(PLAN_APPROVED); meets the approval clock, starts task and
    review clocks.
    After commit: notifies the officer and every body assigned a measure.
    Raises: CaseNotFound, PermissionDenied, ValidationError (no decision number), Conflict.
    """
    decision_no = require_reason(decision_no, "decision_no")
    access = lock_case(actor, case_id, expected_version=expected_version)
    case = access.case
    before = case.status
    assignment = fire(access, case_flow(access).approve_plan)
    plan = _current(case, PlanStatus.SUBMITTED)
    cancelled = []
    for old in case.plans.filter(status=PlanStatus.APPROVED):
        fire(access, PlanFlow(old, caps=access.caps).supersede)
        old.save(update_fields=["status"])
        # The new version's measures replace the old version's open tasks; the chairperson's
        # decision is the authority for cancelling them.
        for task in Task.objects.filter(measure__plan=old, status__in=OPEN_TASK_STATUSES):
            TaskFlow(task, caps={Capability.TASK_ASSIGN}).cancel()
            task.closed_at, task.outcome_reason = timezone.now(), _("Replaced by plan version %(v)s") % {
                "v": plan.version}
            task.save(update_fields=["status", "closed_at", "outcome_reason"])
            cancelled.append(task.pk)
    fire(access, PlanFlow(plan, caps=access.caps).approve)
    now = timezone.now()
    plan.decided_at, plan.decided_by, plan.decision_no = now, actor, decision_no
    plan.save(update_fields=["status", "decided_at", "decided_by", "decision_no"])
    measures = list(plan.measures.select_related("kind", "responsible", "coordinating"))
    tasks = Task.objects.bulk_create([
        Task(case=case, measure=m, organisation=m.responsible, title=str(m.kind.label_vi), details=m.description,
             due_on=m.ends_on, assigned_by=actor, assigned_at=now)
        for m in measures
    ])
    # Art. 28.5: every body that must act — responsible or coordinating — and the parents or
    # caregiver are sent the decision; the bodies are told in the app (notifications.dispatch),
    # and the printed decision lists them all under "Nơi nhận".
    orgs = {m.responsible_id: m.responsible for m in measures}
    orgs.update({m.coordinating_id: m.coordinating for m in measures if m.coordinating_id})
    bodies = sorted(orgs)
    commit_change(access, case, type=E.PLAN_APPROVED, assignment=assignment, fields=["status"], from_state=before,
                  to_state=case.status,
                  data={"plan": plan.pk, "version": plan.version, "decision_no": decision_no,
                        "tasks": [t.pk for t in tasks], "tasks_cancelled": cancelled, "organisations": bodies,
                        "recipients": sorted(o.name for o in orgs.values()), "parents_recipient": True})
    return plan


@transaction.atomic
def plan_revise(*, actor: Actor, case_id, reason: str, expected_version=None):
    """Propose an adjustment of the approved plan (art. 29.1a); the new version needs approval.

    Who: the officer. Writes: Case → planning, one CaseEvent(PLAN_REVISION_STARTED). The
    approved version stays in force until the new one is approved.
    Raises: CaseNotFound, PermissionDenied, ValidationError, Conflict.
    """
    reason = require_reason(reason)
    access = lock_case(actor, case_id, expected_version=expected_version)
    case = access.case
    before = case.status
    assignment = fire(access, case_flow(access).revise_plan)
    commit_change(access, case, type=E.PLAN_REVISION_STARTED, assignment=assignment, fields=["status"],
                  from_state=before, to_state=case.status, reason=reason)
    return case


def plan_for_case(case, plan_id) -> Plan:
    plan = case.plans.filter(pk=plan_id).first()
    if plan is None:
        raise NotFound
    return plan
