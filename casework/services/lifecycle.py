"""The statutory path of a case: verification, assessments, emergency, review, closure,
not-eligible, reopening and the protection level (Decree 56/2017 art. 25–30)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from permissions import rules
from permissions.roles import Capability
from workflows.flows import LevelFlow
from workflows.states import CaseStatus, PlanStatus, ProtectionLevel, RiskLevel

from ..errors import Conflict, ValidationError
from ..models import (
    Case,
    CaseConference,
    ComprehensiveAssessment,
    InitialAssessment,
    Review,
)
from ..models import (
    CaseEventType as E,
)
from ..selectors.cases import case_flow
from ._core import (
    Actor,
    cancel_leftovers,
    check_not_before,
    check_not_future,
    commit_change,
    fire,
    lock_case,
    require,
    require_reason,
)


def _move(actor, case_id, transition: str, event: E, *, expected_version=None, reason: str = "",
          data: dict | None = None, fields: tuple[str, ...] = ()) -> Case:
    access = lock_case(actor, case_id, expected_version=expected_version)
    case = access.case
    before = case.status
    assignment = fire(access, getattr(case_flow(access), transition))
    commit_change(access, case, type=event, assignment=assignment, fields=["status", *fields],
                  from_state=before, to_state=case.status, reason=reason, data=data)
    return case


def snapshot(record) -> dict:
    """The record's own fields, copied into its timeline event: a supervisor reads what was
    written (risk levels, findings, minutes) from the timeline alone."""
    skip = {"id", "case", "author", "created_at"}
    data = {"record": record.pk}
    for f in record._meta.concrete_fields:
        if f.name not in skip:
            data[f.name] = getattr(record, f.attname)
    return data


def _record(actor, case_id, capability: str, event: E, *, expected_version=None, fields=(), changes=None,
            data=None, apply=None):
    """A change that adds facts to a case without moving its state."""
    access = lock_case(actor, case_id, expected_version=expected_version)
    assignment = require(access, capability)
    if not access.case.is_open:
        raise Conflict(_("The case is closed."), code="closed")
    result = apply(access.case, access) if apply else None
    commit_change(access, access.case, type=event, assignment=assignment, fields=list(fields),
                  from_state=access.case.status, to_state=access.case.status, changes=changes,
                  data={**(data or {}), **(snapshot(result) if hasattr(result, "pk") else {})})
    return result if result is not None else access.case


@transaction.atomic
def case_verification_start(*, actor: Actor, case_id, expected_version=None) -> Case:
    """Start verifying a report (art. 25).

    Who: the officer of the responsible commune.
    Writes: Case.status → verifying, one CaseEvent(VERIFICATION_STARTED), deadlines.
    After commit: nothing beyond the timeline.
    Raises: CaseNotFound, PermissionDenied, Conflict.
    """
    return _move(actor, case_id, "start_verification", E.VERIFICATION_STARTED, expected_version=expected_version)


@transaction.atomic
def case_verification_record(*, actor: Actor, case_id, findings: str, expected_version=None) -> Case:
    """Record what verification found: the facts, how unsafe the child is, the risk (art. 25).

    Who: the officer of the responsible commune.
    Writes: Case.verification_notes, one CaseEvent(VERIFICATION_RECORDED).
    Raises: CaseNotFound, PermissionDenied, ValidationError, Conflict.
    """
    findings = require_reason(findings, "findings")

    def apply(case, access):
        if case.status != CaseStatus.VERIFYING:
            raise Conflict(_("Findings are recorded while the case is being verified."), code="state")
        case.verification_notes = findings

    return _record(actor, case_id, Capability.CASE_VERIFY, E.VERIFICATION_RECORDED, expected_version=expected_version,
                   fields=["verification_notes"], changes={"verification_notes": findings}, apply=apply)


@transaction.atomic
def case_initial_assessment_start(*, actor: Actor, case_id, expected_version=None) -> Case:
    """Move a verified case to its initial risk assessment (art. 26, form 02).

    Who: the officer of the responsible commune.
    Writes: Case.status → assessing, one CaseEvent(INITIAL_ASSESSMENT_STARTED), deadlines.
    Raises: CaseNotFound, PermissionDenied, Conflict (findings not recorded yet).
    """
    return _move(actor, case_id, "start_initial_assessment", E.INITIAL_ASSESSMENT_STARTED,
                 expected_version=expected_version)


RISK_VALUES = set(RiskLevel.values)


def _risk(value: str, field: str, errors: dict) -> None:
    if value not in RISK_VALUES:
        errors[field] = _("Choose high, medium or low.")


@transaction.atomic
def initial_assessment_record(*, actor: Actor, case_id, risk_level: str, findings: str, life_threatened: bool = False,
                              caregiver_is_abuser: bool = False, emergency_needed: bool = False,
                              expected_version=None) -> InitialAssessment:
    """Record the initial risk assessment (form 02, art. 26).

    Who: the officer of the responsible commune, while the case is in initial assessment.
    Writes: InitialAssessment, Case.risk_level, one CaseEvent(INITIAL_ASSESSMENT_RECORDED).
    Raises: CaseNotFound, PermissionDenied, ValidationError, Conflict.
    """
    errors: dict = {}
    _risk(risk_level, "risk_level", errors)
    if not (findings or "").strip():
        errors["findings"] = _("Describe the findings.")
    if errors:
        raise ValidationError(errors)

    def apply(case, access):
        # Art. 31.3.b: an emergency declared straight from the report keeps assessing the harm,
        # and its form 02 is recorded during the emergency phase.
        if case.status not in (CaseStatus.ASSESSING, CaseStatus.EMERGENCY):
            raise Conflict(_("The initial assessment is recorded during the initial assessment step."), code="state")
        case.risk_level = risk_level
        return InitialAssessment.objects.create(
            case=case, author=actor, risk_level=risk_level, findings=findings.strip(),
            life_threatened=life_threatened, caregiver_is_abuser=caregiver_is_abuser,
            emergency_needed=emergency_needed or life_threatened)

    return _record(actor, case_id, Capability.CASE_ASSESS, E.INITIAL_ASSESSMENT_RECORDED,
                   expected_version=expected_version, fields=["risk_level"], changes={"risk_level": risk_level},
                   data={"emergency_needed": emergency_needed or life_threatened}, apply=apply)


@transaction.atomic
def case_emergency_declare(*, actor: Actor, case_id, reason: str, informed_at=None, expected_version=None) -> Case:
    """Declare that the child needs emergency protection (art. 26.3, 31, 32), at any open step.

    Art. 32.1 covers threats that arise during implementation (the abuser returns, the parents
    do not carry out the plan): the branch opens from every open state. A plan waiting for the
    chairperson's decision is returned, as it was drafted for a situation that no longer holds.
    ``informed_at``: when the new information came in (default now); a declaration made on the
    report itself counts its 12 hours from the report's receipt.
    Who: the officer or the chairperson of the responsible commune.
    Writes: Case.status → emergency, Case.emergency, a submitted plan → returned, one
    CaseEvent(EMERGENCY_DECLARED); starts the 12-hour clocks.
    After commit: notifies the officers and the chairperson.
    Raises: CaseNotFound, PermissionDenied, ValidationError (no reason, time in the future or
    before the report), Conflict.
    """
    from workflows.flows import PlanFlow

    reason = require_reason(reason)
    access = lock_case(actor, case_id, expected_version=expected_version)
    case = access.case
    now = timezone.now()
    if informed_at is not None:
        check_not_future(informed_at, "informed_at", now=now)
        check_not_before(informed_at, case.intake.received_at, "informed_at", _("the report was received"))
    before = case.status
    assignment = fire(access, case_flow(access).declare_emergency)
    data: dict = {"informed_at": (informed_at or now).isoformat()}
    for plan in case.plans.filter(status=PlanStatus.SUBMITTED):
        # The system returns it on the declaration's authority; the decision clock stops with it.
        PlanFlow(plan, caps={Capability.PLAN_DECIDE}).return_for_revision()
        plan.return_reason, plan.decided_at = _("Emergency declared: %(reason)s") % {"reason": reason}, now
        plan.save(update_fields=["status", "return_reason", "decided_at"])
        data["plan_returned"] = plan.pk
    commit_change(access, case, type=E.EMERGENCY_DECLARED, assignment=assignment, fields=["status", "emergency"],
                  from_state=before, to_state=case.status, reason=reason, data=data)
    return case


@transaction.atomic
def case_emergency_end(*, actor: Actor, case_id, reason: str = "", expected_version=None) -> Case:
    """Close the emergency phase and go on to the comprehensive assessment (art. 27, 31.3.b).

    Who: the officer. Guards: at least one emergency measure carried out, none still pending,
    the initial assessment (form 02) on file.
    Writes: Case.status → comprehensive, one CaseEvent(EMERGENCY_ENDED); starts the plan clock.
    Raises: CaseNotFound, PermissionDenied, Conflict.
    """
    return _move(actor, case_id, "end_emergency", E.EMERGENCY_ENDED, expected_version=expected_version,
                 reason=reason)


@transaction.atomic
def case_comprehensive_start(*, actor: Actor, case_id, expected_version=None) -> Case:
    """Begin the comprehensive assessment (art. 27.1, form 03).

    Who: the officer. Guard: the initial assessment (form 02) recorded without an emergency
    finding — at every protection level (art. 27.1 "after the initial assessment").
    Writes: Case.status → comprehensive, one CaseEvent(COMPREHENSIVE_STARTED).
    Raises: CaseNotFound, PermissionDenied, Conflict.
    """
    return _move(actor, case_id, "start_comprehensive_assessment", E.COMPREHENSIVE_STARTED,
                 expected_version=expected_version)


COMPREHENSIVE_FIELDS = ["physical_psychological_state", "family_circumstances", "risk_factors",
                        "schooling_self_protection", "community_safety", "needs", "child_views"]


@transaction.atomic
def comprehensive_assessment_record(*, actor: Actor, case_id, risk_level: str, caregiver_views: str = "",
                                    expected_version=None, **answers: str) -> ComprehensiveAssessment:
    """Record the comprehensive assessment, every item of art. 27.1 a–h (form 03).

    Who: the officer, while the case is in comprehensive assessment.
    Writes: ComprehensiveAssessment, Case.risk_level, one CaseEvent(COMPREHENSIVE_ASSESSMENT_RECORDED).
    Raises: CaseNotFound, PermissionDenied, ValidationError (any item missing), Conflict.
    """
    errors: dict = {}
    _risk(risk_level, "risk_level", errors)
    unknown = set(answers) - set(COMPREHENSIVE_FIELDS)
    if unknown:
        errors.update({name: _("Unknown field.") for name in unknown})
    for name in COMPREHENSIVE_FIELDS:
        if not (answers.get(name) or "").strip():
            errors[name] = _("This item of the assessment is required.")
    if errors:
        raise ValidationError(errors)

    def apply(case, access):
        if case.status != CaseStatus.COMPREHENSIVE:
            raise Conflict(_("Form 03 is recorded during the comprehensive assessment."), code="state")
        case.risk_level = risk_level
        return ComprehensiveAssessment.objects.create(
            case=case, author=actor, risk_level=risk_level, caregiver_views=caregiver_views,
            **{k: answers[k].strip() for k in COMPREHENSIVE_FIELDS})

    return _record(actor, case_id, Capability.CASE_ASSESS, E.COMPREHENSIVE_ASSESSMENT_RECORDED,
                   expected_version=expected_version, fields=["risk_level"], changes={"risk_level": risk_level},
                   apply=apply)


@transaction.atomic
def conference_record(*, actor: Actor, case_id, held_at, chair_id, bodies_present_ids=(), decisions: str,
                      community_representative: str = "", caregiver_present: str = "", caregiver_absence: str = "",
                      participants: str = "", expected_version=None) -> CaseConference:
    """Record the minutes of the case conference (art. 27.2).

    Who: the officer keeps the file; the meeting is chaired by the commune chairperson or a deputy
    under a live delegation (``permissions.rules.conference_chairs``), with the bodies responsible
    for the child (``rules.assignable_organisations``), a representative of the residential area
    and the parents or caregiver — or the reason they were not there.
    Writes: CaseConference (+ the bodies present), one CaseEvent(CONFERENCE_RECORDED) carrying
    the whole minutes, the bodies by name.
    After commit: the timeline only.
    Raises: CaseNotFound, PermissionDenied, ValidationError (per field), Conflict.
    """
    text = {"decisions": decisions, "community_representative": community_representative}
    errors = {name: _("This field is required.") for name, value in text.items() if not (value or "").strip()}
    if held_at is None:
        errors["held_at"] = _("This field is required.")
    elif held_at > timezone.now():
        errors["held_at"] = _("The conference cannot be in the future.")
    caregiver_present = (caregiver_present or "").strip()
    if not caregiver_present and not caregiver_absence:
        errors["caregiver_present"] = _("Name the parent or caregiver who attended, or say why none did.")
    elif caregiver_present and caregiver_absence:
        errors["caregiver_absence"] = _("A parent or caregiver attended: leave the reason for absence empty.")
    elif caregiver_absence and caregiver_absence not in CaseConference.CaregiverAbsence.values:
        errors["caregiver_absence"] = _("Choose one of the reasons offered.")
    if errors:
        raise ValidationError(errors)

    def apply(case, access):
        if case.status not in (CaseStatus.COMPREHENSIVE, CaseStatus.PLANNING, CaseStatus.RETURNED):
            raise Conflict(_("Minutes are recorded after the comprehensive assessment."), code="state")
        check_not_before(held_at, case.intake.received_at, "held_at", _("the report was received"))
        found = {}
        chair = rules.conference_chairs(case).filter(pk=chair_id).first() if chair_id else None
        if chair is None:
            found["chair_id"] = _("The conference is chaired by the chairperson of this case's commune, or a deputy "
                                  "under a recorded delegation.")
        wanted = {int(pk) for pk in bodies_present_ids or ()}
        bodies = list(rules.assignable_organisations(case).filter(pk__in=wanted).order_by("name"))
        if not wanted:
            found["bodies_present_ids"] = _("Name at least one body responsible for the child that attended.")
        elif len(bodies) != len(wanted):
            found["bodies_present_ids"] = rules.NOT_ADDRESSABLE
        if found:
            raise ValidationError(found)
        record = CaseConference.objects.create(
            case=case, author=actor, held_at=held_at, chair=chair, chaired_by=chair.get_full_name() or chair.username,
            community_representative=community_representative.strip(), caregiver_present=caregiver_present,
            caregiver_absence=caregiver_absence or "", participants=(participants or "").strip(), decisions=decisions)
        record.bodies_present.set(bodies)
        minutes["bodies_present"] = [b.name for b in bodies]
        return record

    minutes: dict = {}
    return _record(actor, case_id, Capability.CASE_ASSESS, E.CONFERENCE_RECORDED, expected_version=expected_version,
                   data=minutes, apply=apply)


@transaction.atomic
def case_review_start(*, actor: Actor, case_id, expected_version=None) -> Case:
    """Begin the review at the end of the plan (art. 30, form 06).

    Who: the officer. Writes: Case.status → reviewing, one CaseEvent(REVIEW_STARTED).
    Raises: CaseNotFound, PermissionDenied, Conflict.
    """
    return _move(actor, case_id, "start_review", E.REVIEW_STARTED, expected_version=expected_version)


@transaction.atomic
def review_record(*, actor: Actor, case_id, harm_still_serious: str, abuser_can_reach_child: str, obstacles_at_home: str,
                  child_capacity: str, findings: str, recommendation: str, expected_version=None) -> Review:
    """Record the review (form 06): each item high/medium/low, and the officer's proposal.

    Who: the officer, while the case is under review.
    Writes: Review, one CaseEvent(REVIEW_RECORDED).
    After commit: notifies the chairperson, who decides.
    Raises: CaseNotFound, PermissionDenied, ValidationError, Conflict.
    """
    errors: dict = {}
    for name, value in (("harm_still_serious", harm_still_serious),
                        ("abuser_can_reach_child", abuser_can_reach_child),
                        ("obstacles_at_home", obstacles_at_home), ("child_capacity", child_capacity)):
        _risk(value, name, errors)
    if not (findings or "").strip():
        errors["findings"] = _("Describe the findings.")
    if recommendation not in Review.Recommendation.values:
        errors["recommendation"] = _("Propose to end the plan or to start a new cycle.")
    if errors:
        raise ValidationError(errors)

    def apply(case, access):
        if case.status != CaseStatus.REVIEWING:
            raise Conflict(_("Form 06 is recorded during the review."), code="state")
        return Review.objects.create(
            case=case, author=actor, harm_still_serious=harm_still_serious,
            abuser_can_reach_child=abuser_can_reach_child, obstacles_at_home=obstacles_at_home,
            child_capacity=child_capacity, findings=findings.strip(), recommendation=recommendation,
            plan_cycle=case.plan_cycle)

    return _record(actor, case_id, Capability.CASE_ASSESS, E.REVIEW_RECORDED, expected_version=expected_version,
                   data={"recommendation": recommendation}, apply=apply)


def _end_current_plan(case: Case) -> None:
    from workflows.flows import PlanFlow
    for plan in case.plans.filter(status=PlanStatus.APPROVED):
        # The chairperson's decision on the case ends its plan; the plan's own machine records it.
        PlanFlow(plan, caps={Capability.PLAN_DECIDE}).end()
        plan.save(update_fields=["status"])


@transaction.atomic
def case_close(*, actor: Actor, case_id, reason: str, expected_version=None) -> Case:
    """End the plan and close the case after its review (art. 30.2).

    Who: the chairperson of the responsible commune. Guard: a review (form 06) of this cycle.
    Writes: Case.status → closed, closed_at, closure_reason; the approved plan → ended; one
    CaseEvent(CASE_CLOSED) listing what it cancelled (emergency measures still ordered, a
    pending transfer); running clocks cancelled. Guards: the review, and every task done, not
    possible or cancelled (art. 30.1: the review weighs the work done).
    Raises: CaseNotFound, PermissionDenied, ValidationError (no reason), Conflict.
    """
    reason = require_reason(reason)
    access = lock_case(actor, case_id, expected_version=expected_version)
    case = access.case
    before = case.status
    assignment = fire(access, case_flow(access).close)
    _end_current_plan(case)
    case.closed_at, case.closure_reason = timezone.now(), reason
    left = cancel_leftovers(case, reason, case.closed_at)
    commit_change(access, case, type=E.CASE_CLOSED, assignment=assignment,
                  fields=["status", "closed_at", "closure_reason", *left.pop("fields")], from_state=before,
                  to_state=case.status, reason=reason, data=left)
    return case


@transaction.atomic
def case_new_cycle(*, actor: Actor, case_id, reason: str, expected_version=None) -> Case:
    """Start a new plan cycle after the review (art. 30.2).

    Who: the chairperson. Guard: a review (form 06) of this cycle.
    Writes: Case.status → planning, plan_cycle + 1; the approved plan → ended; one
    CaseEvent(NEW_CYCLE_STARTED); a new 5-working-day plan clock.
    Raises: CaseNotFound, PermissionDenied, ValidationError, Conflict.
    """
    reason = require_reason(reason)
    access = lock_case(actor, case_id, expected_version=expected_version)
    case = access.case
    before = case.status
    assignment = fire(access, case_flow(access).start_new_cycle)
    _end_current_plan(case)
    commit_change(access, case, type=E.NEW_CYCLE_STARTED, assignment=assignment, fields=["status", "plan_cycle"],
                  from_state=before, to_state=case.status, reason=reason, data={"plan_cycle": case.plan_cycle})
    return case


@transaction.atomic
def case_not_eligible(*, actor: Actor, case_id, reason: str, expected_version=None) -> Case:
    """Close a case as not eligible (không thuộc diện) at verification or assessment.

    Who: the officer of the responsible commune.
    Writes: Case.status → not_eligible, closed_at, closure_reason; open tasks, ordered emergency
    measures and a pending transfer cancelled with the reason; one CaseEvent(CASE_NOT_ELIGIBLE)
    that lists them.
    Raises: CaseNotFound, PermissionDenied, ValidationError (no reason), Conflict.
    """
    reason = require_reason(reason)
    access = lock_case(actor, case_id, expected_version=expected_version)
    case = access.case
    before = case.status
    assignment = fire(access, case_flow(access).mark_not_eligible)
    case.closed_at, case.closure_reason = timezone.now(), reason
    left = cancel_leftovers(case, reason, case.closed_at)
    commit_change(access, case, type=E.CASE_NOT_ELIGIBLE, assignment=assignment,
                  fields=["status", "closed_at", "closure_reason", *left.pop("fields")], from_state=before,
                  to_state=case.status, reason=reason, data=left)
    return case


@transaction.atomic
def case_reopen(*, actor: Actor, case_id, reason: str, expected_version=None) -> Case:
    """Reopen a closed or not-eligible case; it goes back to verification.

    Who: the officer or the chairperson of the responsible commune.
    Writes: Case.status → verifying, closed_at cleared, one CaseEvent(CASE_REOPENED).
    Raises: CaseNotFound, PermissionDenied, ValidationError (no reason), Conflict.
    """
    reason = require_reason(reason)
    access = lock_case(actor, case_id, expected_version=expected_version)
    case = access.case
    before = case.status
    assignment = fire(access, case_flow(access).reopen)
    case.closed_at = None
    commit_change(access, case, type=E.CASE_REOPENED, assignment=assignment, fields=["status", "closed_at"],
                  from_state=before, to_state=case.status, reason=reason)
    return case


LEVEL_TRANSITIONS = {
    (ProtectionLevel.PREVENTION, ProtectionLevel.SUPPORT): "raise_to_support",
    (ProtectionLevel.PREVENTION, ProtectionLevel.INTERVENTION): "raise_to_intervention",
    (ProtectionLevel.SUPPORT, ProtectionLevel.INTERVENTION): "raise_to_intervention",
    (ProtectionLevel.INTERVENTION, ProtectionLevel.SUPPORT): "lower_to_support",
    (ProtectionLevel.SUPPORT, ProtectionLevel.PREVENTION): "lower_to_prevention",
}


@transaction.atomic
def case_level_change(*, actor: Actor, case_id, level: str, reason: str, expected_version=None) -> Case:
    """Move the case between prevention, support and intervention (Law on Children art. 47–50).

    Who: the officer or the chairperson of the responsible commune; the case must be open.
    Writes: Case.level, one CaseEvent(LEVEL_CHANGED) with the reason.
    Raises: CaseNotFound, PermissionDenied, ValidationError (no reason, unknown level), Conflict.
    """
    reason = require_reason(reason)
    if level not in ProtectionLevel.values:
        raise ValidationError({"level": _("Choose prevention, support or intervention.")})
    access = lock_case(actor, case_id, expected_version=expected_version)
    case = access.case
    if not case.is_open:
        raise Conflict(_("The case is closed."), code="closed")
    before = case.level
    name = LEVEL_TRANSITIONS.get((ProtectionLevel(before), ProtectionLevel(level))) \
        if level in ProtectionLevel.values else None
    if name is None:
        raise Conflict(_("The case cannot move from this level to that one directly."), code="state")
    assignment = fire(access, getattr(LevelFlow(case, caps=access.caps), name))
    commit_change(access, case, type=E.LEVEL_CHANGED, assignment=assignment, fields=["level"],
                  from_state=before, to_state=case.level, reason=reason)
    return case
