"""The only code that writes prevention records (one door per kind of change).

Each service runs in ``transaction.atomic``: it loads the record through the access rules of
``permissions.prevention`` (NotFound when unseen, before any input is looked at), locks the row,
checks the actor's capability, fires the transition of ``prevention.flows`` and writes ONE
``PreventionEvent`` in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.fsm.base import NoTransition, TransitionConditionsUnmet

from casework.errors import Conflict, NotFound, PermissionDenied, ValidationError
from casework.models import Area, AreaKind, Child, Organisation, Sex, Term, TermKind
from casework.models.people import CHILD_AGE_LIMIT
from evidence import files
from evidence import records as evidence_records
from evidence.models import OwnerKind, RecordFile
from permissions import prevention as rules
from permissions.roles import Capability as C

from . import sheets, template_data
from .flows import PlanTaskFlow, WatchFlow, WorkPlanFlow
from .models import (
    Activity,
    Amendment,
    LegalBasis,
    PlanSection,
    PlanTask,
    PlanTaskNote,
    PopulationBase,
    PreventionEvent,
    RegistryEntry,
    ReportingDate,
    Support,
    Target,
    TargetMilestone,
    TargetReport,
    WatchRecord,
    WorkPlan,
)
from .models import (
    PreventionEventType as E,
)
from .states import (
    IN_FORCE,
    OPEN_TASK,
    ActivityKind,
    GoalKind,
    Measurement,
    PopulationScope,
    Recurrence,
    RegistryCategory,
    SectionKind,
    SupportKind,
    TaskStatus,
    WorkPlanStatus,
)

COUNT_FIELDS = sheets.POPULATION_FIELDS


# ------------------------------------------------------------------ shared steps

def event_record(*, type, actor, assignment=None, plan=None, subject: str, from_state="", to_state="",
                 reason="", data=None) -> PreventionEvent:
    """The only writer of PreventionEvent rows."""
    return PreventionEvent.objects.create(
        type=type, at=timezone.now(), actor=actor,
        actor_name=(actor.get_full_name() or actor.get_username()) if actor else "system",
        actor_role=assignment.role.code if assignment else "",
        actor_organisation=assignment.organisation.name if assignment else "",
        plan=plan, subject=subject, from_state=str(from_state or ""), to_state=str(to_state or ""),
        reason=reason or "", data=data or {})


def fire(flow, name: str, user, *args):
    """Permission first (whatever the state), then the state, then the guards."""
    transition = getattr(flow, name)
    if not any(t.has_perm(flow, user) for t in transition.get_transitions()):
        raise PermissionDenied(_("You are not allowed to do this."))
    if not transition.can_proceed(check_conditions=False):
        raise Conflict(_("This action is not possible in the current state."), code="state")
    try:
        transition(*args)
    except TransitionConditionsUnmet as exc:
        raise Conflict(exc.unmet_message or str(exc), code="guard") from None
    except NoTransition:  # pragma: no cover - can_proceed above answers first
        raise Conflict(_("This action is not possible in the current state."), code="state") from None


def _check_version(obj, expected):
    if expected not in (None, "") and int(expected) != obj.version:
        raise Conflict(_("Someone else changed this after you opened it. Reload and try again."),
                       code="stale_version")


def _require(access, capability):
    if capability not in access.caps:
        raise PermissionDenied(_("You are not allowed to do this."))
    return access.assignment(capability)


def _text(value, name, errors, *, required=True, limit=None):
    value = (value or "").strip()
    if required and not value:
        errors[name] = _("This field is required.")
    if limit and len(value) > limit:
        errors[name] = _("At most %(n)s characters.") % {"n": limit}
    return value


def _decimal(value, name, errors, *, required=True):
    if value in (None, ""):
        if required:
            errors[name] = _("This field is required.")
        return None
    try:
        number = Decimal(str(value).replace(",", "."))
    except InvalidOperation:
        errors[name] = _("Write a number.")
        return None
    if number < 0:
        errors[name] = _("Write a number.")
        return None
    return number


def _plan_lock(actor, plan_id, version=None):
    access = rules.access_plan_by_id(actor, plan_id, for_update=True)
    _check_version(access.plan, version)
    return access


def _bump(plan, *fields):
    plan.version += 1
    plan.save(update_fields=["version", *fields])


def _editable(plan):
    if plan.status != WorkPlanStatus.DRAFT:
        raise Conflict(_("Only a draft plan can be changed; an issued plan is changed by an amendment."),
                       code="state")


# ------------------------------------------------------------------ plans

def _next_year_text(text: str, shift: int) -> str:
    # "năm 2025" → "năm 2026" (and "2021 - 2025" ranges): years only, not numbers like 111.
    return re.sub(r"\b(20\d\d)\b", lambda m: str(int(m.group(1)) + shift), text or "")


@transaction.atomic
def plan_create(*, actor, organisation_id, year_from: int, year_to: int | None = None, title: str = "",
                parent_id=None, parent_citation: str = "") -> WorkPlan:
    """Start a plan from the template carrying the shared structure (sections I–VI, reporting
    dates of the body's kind, recipients and signature lines).

    Who: a holder of ``workplan.draft`` in the issuing body.
    Writes: WorkPlan (draft), its sections and reporting dates, one PreventionEvent(PLAN_CREATED).
    After commit: nothing.
    Raises: PermissionDenied, ValidationError, NotFound (the higher plan is unseen).
    """
    assignment = next((a for a in rules.bodies_that_may_draft(actor) if str(a.organisation_id) ==
                       str(organisation_id)), None)
    if assignment is None:
        raise PermissionDenied(_("You do not draft plans for this body."))
    body = assignment.organisation
    errors = {}
    try:
        year_from = int(year_from)
        year_to = int(year_to or year_from)
    except (TypeError, ValueError):
        errors["year_from"] = _("Write a year.")
        year_from = year_to = 0
    if not errors and not (2000 <= year_from <= year_to <= 2100):
        errors["year_to"] = _("The years must run forwards, between 2000 and 2100.")
    parent = None
    if parent_id:
        try:
            parent = rules.access_plan_by_id(actor, parent_id).plan
        except NotFound:
            errors["parent_id"] = _("Unknown plan.")
    if errors:
        raise ValidationError(errors)
    years = str(year_from) if year_from == year_to else f"{year_from} – {year_to}"
    signer = template_data.SIGNER.get(body.kind, ("", ""))
    plan = WorkPlan.objects.create(
        issuing_organisation=body, area=body.area, year_from=year_from, year_to=year_to,
        title=(title or "").strip() or template_data.TITLE.format(years=years),
        parent=parent, parent_citation=parent_citation, closing=template_data.CLOSING.format(years=years),
        recipients=template_data.RECIPIENTS.get(body.kind, "- Lưu: VT."), signer_authority=signer[0],
        signer_title=signer[1], created_by=actor, place=body.area.name)
    PlanSection.objects.bulk_create([
        PlanSection(plan=plan, order=i, numeral=numeral, kind=kind, heading=heading, body=body_text)
        for i, (numeral, kind, heading, body_text) in enumerate(template_data.SECTIONS)])
    ReportingDate.objects.bulk_create([
        ReportingDate(plan=plan, kind=kind, reporter=who, recipient=to, month=month, day=day)
        for kind, who, to, month, day in template_data.reporting_for(body.kind)])
    event_record(type=E.PLAN_CREATED, actor=actor, assignment=assignment, plan=plan, subject=f"plan:{plan.pk}",
                 to_state=plan.status, data={"template": True, "years": plan.years})
    return plan


@transaction.atomic
def plan_copy(*, actor, plan_id, years_ahead: int = 1) -> WorkPlan:
    """Copy last year's plan to start this year's: header, legal bases, sections, targets (with
    milestones), tasks per body (back to assigned) and reporting dates, with every date and year
    moved forward; number, date, signature and progress are not copied.

    Who: a holder of ``workplan.draft`` in the plan's issuing body.
    Writes: the new WorkPlan and its parts, one PreventionEvent(PLAN_COPIED).
    Raises: NotFound, PermissionDenied.
    """
    access = rules.access_plan_by_id(actor, plan_id)
    assignment = _require(access, C.WORKPLAN_DRAFT)
    old = access.plan
    shift = int(years_ahead)
    plan = WorkPlan.objects.create(
        issuing_organisation=old.issuing_organisation, area=old.area, year_from=old.year_from + shift,
        year_to=old.year_to + shift, title=_next_year_text(old.title, shift), place=old.place,
        governing_body=old.governing_body, national_motto=old.national_motto,
        preamble=_next_year_text(old.preamble, shift), parent_citation=old.parent_citation,
        copied_from=old, closing=_next_year_text(old.closing, shift), recipients=old.recipients,
        signer_authority=old.signer_authority, signer_title=old.signer_title, signer_name=old.signer_name,
        created_by=actor)
    LegalBasis.objects.bulk_create([LegalBasis(plan=plan, order=b.order, citation=b.citation)
                                    for b in old.legal_bases.all()])
    PlanSection.objects.bulk_create([
        PlanSection(plan=plan, order=s.order, numeral=s.numeral, kind=s.kind, heading=s.heading,
                    body=_next_year_text(s.body, shift)) for s in old.sections.all()])
    ReportingDate.objects.bulk_create([
        ReportingDate(plan=plan, kind=r.kind, reporter=r.reporter, recipient=r.recipient, month=r.month,
                      day=r.day, note=r.note) for r in old.reporting_dates.all()])
    old_targets = list(old.targets.prefetch_related("milestones"))
    new_targets = Target.objects.bulk_create([
        Target(plan=plan, order=t.order, code=t.code, wording=_next_year_text(t.wording, shift),
               goal_kind=t.goal_kind, goal_value=t.goal_value, baseline_value=t.baseline_value,
               baseline_note=t.baseline_note, measurement=t.measurement, indicator_code=t.indicator_code,
               activity_kinds=t.activity_kinds, population=t.population, responsible_id=t.responsible_id)
        for t in old_targets])
    TargetMilestone.objects.bulk_create([
        TargetMilestone(target=new, year=m.year, value=m.value)
        for old_t, new in zip(old_targets, new_targets) for m in old_t.milestones.all()])

    def shifted(day):
        if day is None:
            return None
        try:
            return day.replace(year=day.year + shift)
        except ValueError:   # 29 February
            return day.replace(year=day.year + shift, day=28)

    PlanTask.objects.bulk_create([
        PlanTask(plan=plan, order=t.order, organisation_id=t.organisation_id, body_label=t.body_label,
                 title=t.title, description=_next_year_text(t.description, shift), due_on=shifted(t.due_on),
                 recurrence=t.recurrence) for t in old.tasks.all()])
    event_record(type=E.PLAN_COPIED, actor=actor, assignment=assignment, plan=plan, subject=f"plan:{plan.pk}",
                 to_state=plan.status, data={"copied_from": old.pk, "years_ahead": shift})
    return plan


PLAN_FIELDS = ["title", "number", "place", "issued_on", "governing_body", "national_motto", "preamble",
               "parent_citation", "closing", "recipients", "signer_authority", "signer_title", "signer_name"]


@transaction.atomic
def plan_update(*, actor, plan_id, version=None, legal_bases: list[str] | None = None,
                sections: list[dict] | None = None, parent_id=None, **fields) -> WorkPlan:
    """Change a draft's header, legal bases, sections or higher plan.

    Who: a holder of ``workplan.draft`` in the issuing body; only while the plan is a draft.
    Writes: WorkPlan and the parts given, one PreventionEvent(PLAN_EDITED) naming the fields changed.
    Raises: NotFound, PermissionDenied, Conflict (not a draft, stale version), ValidationError.
    """
    access = _plan_lock(actor, plan_id, version)
    assignment = _require(access, C.WORKPLAN_DRAFT)
    plan = access.plan
    _editable(plan)
    errors, changed = {}, []
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        errors.update({name: _("Unknown field.") for name in unknown})
    if "title" in fields and not (fields["title"] or "").strip():
        errors["title"] = _("This field is required.")
    if parent_id not in (None, ""):
        try:
            parent = rules.access_plan_by_id(actor, parent_id).plan
        except NotFound:
            parent = None
            errors["parent_id"] = _("Unknown plan.")
        if parent is not None and parent.pk == plan.pk:
            errors["parent_id"] = _("A plan cannot implement itself.")
        elif parent is not None and plan.parent_id != parent.pk:
            plan.parent = parent
            changed.append("parent")
    if sections is not None:
        for i, s in enumerate(sections):
            if s.get("kind") not in SectionKind.values or not (s.get("heading") or "").strip():
                errors[f"sections[{i}]"] = _("Each section needs a kind and a heading.")
    if errors:
        raise ValidationError(errors)
    for name, value in fields.items():
        value = value.strip() if isinstance(value, str) else value
        if getattr(plan, name) != value:
            setattr(plan, name, value)
            changed.append(name)
    if legal_bases is not None:
        plan.legal_bases.all().delete()
        LegalBasis.objects.bulk_create([LegalBasis(plan=plan, order=i, citation=c.strip())
                                        for i, c in enumerate(legal_bases) if c and c.strip()])
        changed.append("legal_bases")
    if sections is not None:
        plan.sections.all().delete()
        PlanSection.objects.bulk_create([
            PlanSection(plan=plan, order=i, numeral=(s.get("numeral") or "").strip(), kind=s["kind"],
                        heading=s["heading"].strip(), body=s.get("body") or "") for i, s in enumerate(sections)])
        changed.append("sections")
    _bump(plan, *[f for f in changed if f not in ("legal_bases", "sections")])
    event_record(type=E.PLAN_EDITED, actor=actor, assignment=assignment, plan=plan, subject=f"plan:{plan.pk}",
                 data={"fields": changed})
    return plan


def _plan_flow(access, **facts):
    plan = access.plan
    base = {"sections": plan.sections.count(), "targets": plan.targets.count(), "tasks": plan.tasks.count(),
                "actor_submitted": plan.submitted_by_id == access.user.pk, "has_number": bool(plan.number.strip()),
                "open_tasks": plan.tasks.filter(status__in=OPEN_TASK).count()}
    base.update(facts)
    return WorkPlanFlow(plan, caps=access.caps, **base)


def _plan_move(actor, plan_id, name, capability, event_type, *, version=None, reason="", data=None,
               before_save=None, fields=(), facts=None):
    access = _plan_lock(actor, plan_id, version)
    plan = access.plan
    facts = dict(facts or {})
    if facts.pop("number_given", False):
        facts["has_number"] = True
    flow = _plan_flow(access, **facts)
    before = plan.status
    fire(flow, name, actor)
    if before_save:
        before_save(plan)
    _bump(plan, "status", *fields)
    event_record(type=event_type, actor=actor, assignment=access.assignment(capability), plan=plan,
                 subject=f"plan:{plan.pk}", from_state=before, to_state=plan.status, reason=reason, data=data)
    return plan


@transaction.atomic
def plan_submit(*, actor, plan_id, version=None) -> WorkPlan:
    """Send the draft to the head of the body for signature.

    Who: a holder of ``workplan.draft`` in the issuing body.
    Writes: WorkPlan.status, submitted_by; one PreventionEvent(PLAN_SUBMITTED).
    Raises: NotFound, PermissionDenied, Conflict (state, guard: sections, targets, tasks).
    """
    def mark(plan):
        plan.submitted_by = actor
    return _plan_move(actor, plan_id, "submit", C.WORKPLAN_DRAFT, E.PLAN_SUBMITTED, version=version,
                      before_save=mark, fields=("submitted_by",))


@transaction.atomic
def plan_return(*, actor, plan_id, reason: str, version=None) -> WorkPlan:
    """The head sends a submitted plan back to draft, saying why.

    Who: a holder of ``workplan.sign`` in the issuing body.
    Writes: WorkPlan.status; one PreventionEvent(PLAN_RETURNED) with the reason.
    Raises: NotFound, PermissionDenied, Conflict, ValidationError (no reason).
    """
    access = rules.access_plan_by_id(actor, plan_id)
    _require(access, C.WORKPLAN_SIGN)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give a reason.")})
    return _plan_move(actor, plan_id, "return_to_draft", C.WORKPLAN_SIGN, E.PLAN_RETURNED, version=version,
                      reason=reason.strip())


@transaction.atomic
def plan_sign(*, actor, plan_id, version=None) -> WorkPlan:
    """The head of the body signs the submitted plan (not the person who submitted it).

    Who: a holder of ``workplan.sign`` in the issuing body.
    Writes: WorkPlan.status, signed_by, signed_at, the signer's name if blank; one PreventionEvent(PLAN_SIGNED).
    Raises: NotFound, PermissionDenied, Conflict.
    """
    def mark(plan):
        plan.signed_by, plan.signed_at = actor, timezone.now()
        if not plan.signer_name:
            plan.signer_name = actor.get_full_name() or actor.get_username()
    return _plan_move(actor, plan_id, "sign", C.WORKPLAN_SIGN, E.PLAN_SIGNED, version=version, before_save=mark,
                      fields=("signed_by", "signed_at", "signer_name"))


@transaction.atomic
def plan_issue(*, actor, plan_id, number: str = "", issued_on=None, version=None) -> WorkPlan:
    """Issue the signed plan under its number and date; its tasks start running.

    Who: a holder of ``workplan.sign`` in the issuing body.
    Writes: WorkPlan.status, number, issued_on; one PreventionEvent(PLAN_ISSUED).
    Raises: NotFound, PermissionDenied, Conflict (no number).
    """
    number = (number or "").strip()

    def mark(plan):
        plan.number = number or plan.number
        plan.issued_on = issued_on or plan.issued_on or timezone.localdate()
    return _plan_move(actor, plan_id, "issue", C.WORKPLAN_SIGN, E.PLAN_ISSUED, version=version, before_save=mark,
                      fields=("number", "issued_on"), facts={"number_given": bool(number)},
                      data={"number": number})


@transaction.atomic
def plan_amend(*, actor, plan_id, decided_on, reason: str, summary: str, number: str = "",
               version=None) -> Amendment:
    """Record an amendment of an issued plan, with its own number, date, reason and content.

    Who: a holder of ``workplan.sign`` in the issuing body.
    Writes: Amendment, WorkPlan.status (amended); one PreventionEvent(PLAN_AMENDED).
    Raises: NotFound, PermissionDenied, Conflict, ValidationError.
    """
    access = rules.access_plan_by_id(actor, plan_id)
    _require(access, C.WORKPLAN_SIGN)
    errors = {}
    reason = _text(reason, "reason", errors)
    summary = _text(summary, "summary", errors)
    if not decided_on:
        errors["decided_on"] = _("This field is required.")
    if errors:
        raise ValidationError(errors)
    holder = {}

    def mark(plan):
        holder["amendment"] = Amendment.objects.create(plan=plan, number=(number or "").strip(),
                                                       decided_on=decided_on, reason=reason, summary=summary,
                                                       made_by=actor)
    _plan_move(actor, plan_id, "amend", C.WORKPLAN_SIGN, E.PLAN_AMENDED, version=version, reason=reason,
               before_save=mark, data={"number": (number or "").strip(), "summary": summary})
    return holder["amendment"]


@transaction.atomic
def plan_close(*, actor, plan_id, reason: str = "", version=None) -> WorkPlan:
    """Close the plan after its final report; every task must have been reported.

    Who: a holder of ``workplan.sign`` in the issuing body.
    Writes: WorkPlan.status, closed_at; one PreventionEvent(PLAN_CLOSED).
    Raises: NotFound, PermissionDenied, Conflict (open tasks).
    """
    def mark(plan):
        plan.closed_at = timezone.now()
    return _plan_move(actor, plan_id, "close", C.WORKPLAN_SIGN, E.PLAN_CLOSED, version=version,
                      reason=(reason or "").strip(), before_save=mark, fields=("closed_at",))


# ------------------------------------------------------------------ targets

@dataclass
class TargetInput:
    wording: str
    goal_kind: str = GoalKind.SHARE
    goal_value: object = 0
    code: str = ""
    baseline_value: object = None
    baseline_note: str = ""
    measurement: str = Measurement.REPORTED
    indicator_code: str = ""
    activity_kinds: list[str] = field(default_factory=list)
    population: str = PopulationScope.ALL
    responsible_id: int | None = None
    milestones: list[tuple[int, object]] = field(default_factory=list)


def _target_values(data: TargetInput, errors: dict) -> dict:
    values = {"wording": _text(data.wording, "wording", errors), "code": (data.code or "").strip()[:40],
              "baseline_note": (data.baseline_note or "").strip()[:255]}
    if data.goal_kind not in GoalKind.values:
        errors["goal_kind"] = _("Choose a share, a count or zero cases.")
    if data.measurement not in Measurement.values:
        errors["measurement"] = _("Choose how the target is measured.")
    values["goal_kind"], values["measurement"] = data.goal_kind, data.measurement
    goal = Decimal(0) if data.goal_kind == GoalKind.ZERO else _decimal(data.goal_value, "goal_value", errors)
    if data.goal_kind == GoalKind.SHARE and goal is not None and goal > 100:
        errors["goal_value"] = _("A share is at most 100.")
    values["goal_value"] = goal if goal is not None else 0
    values["baseline_value"] = _decimal(data.baseline_value, "baseline_value", errors, required=False)
    if data.measurement == Measurement.INDICATOR and not (data.indicator_code or "").strip():
        errors["indicator_code"] = _("Name the indicator the system computes.")
    values["indicator_code"] = (data.indicator_code or "").strip()
    kinds = [k for k in data.activity_kinds or [] if k]
    if any(k not in ActivityKind.values for k in kinds):
        errors["activity_kinds"] = _("Unknown activity kind.")
    values["activity_kinds"] = kinds
    if data.population not in PopulationScope.values:
        errors["population"] = _("Unknown population.")
    values["population"] = data.population
    values["responsible"] = None
    if data.responsible_id:
        values["responsible"] = Organisation.objects.filter(pk=data.responsible_id, active=True).first()
        if values["responsible"] is None:
            errors["responsible_id"] = _("Unknown organisation.")
    return values


@transaction.atomic
def target_save(*, actor, plan_id, data: TargetInput, target_id=None, version=None) -> Target:
    """Add or change a target of a draft plan (wording, baseline, goal, how it is measured).

    Who: a holder of ``workplan.draft`` in the issuing body; only while the plan is a draft.
    Writes: Target and its milestones, WorkPlan.version; one PreventionEvent(TARGET_SAVED).
    Raises: NotFound (plan or target), PermissionDenied, Conflict, ValidationError.
    """
    access = _plan_lock(actor, plan_id, version)
    assignment = _require(access, C.WORKPLAN_DRAFT)
    plan = access.plan
    target = None
    if target_id not in (None, ""):
        target = plan.targets.filter(pk=target_id).first()
        if target is None:
            raise NotFound
    _editable(plan)
    errors = {}
    values = _target_values(data, errors)
    milestones = []
    for i, (year, value) in enumerate(data.milestones or []):
        number = _decimal(value, f"milestones[{i}]", errors)
        try:
            milestones.append((int(year), number))
        except (TypeError, ValueError):
            errors[f"milestones[{i}]"] = _("Write a year.")
    if errors:
        raise ValidationError(errors)
    before = {}
    if target is None:
        target = Target.objects.create(plan=plan, order=plan.targets.count(), **values)
    else:
        before = {k: str(getattr(target, k)) for k in ("wording", "goal_value", "measurement")}
        for name, value in values.items():
            setattr(target, name, value)
        target.save()
    if data.milestones is not None:
        target.milestones.all().delete()
        TargetMilestone.objects.bulk_create([TargetMilestone(target=target, year=y, value=v) for y, v in milestones])
    _bump(plan)
    event_record(type=E.TARGET_SAVED, actor=actor, assignment=assignment, plan=plan, subject=f"target:{target.pk}",
                 data={"before": before, "wording": target.wording, "goal_value": str(target.goal_value),
                       "measurement": target.measurement})
    return target


@files.discard_on_failure
@transaction.atomic
def target_report(*, actor, target_id, value, period_end, note: str = "", upload=None) -> TargetReport:
    """A value reported by the responsible body for a target measured that way, with evidence.

    Who: a holder of ``workplan.draft`` in the issuing body, or of ``workplan.task_act`` in the
    target's responsible body.
    Writes: TargetReport, a RecordFile through the evidence pipeline (if a file is given, with its
    FileEvent); one PreventionEvent(TARGET_REPORTED).
    Raises: NotFound, PermissionDenied, ValidationError, Conflict (plan not in force).
    """
    target = Target.objects.filter(pk=target_id, plan__in=rules.plan_queryset_for(actor)).first()
    if target is None:
        raise NotFound
    access = rules.access_plan_by_id(actor, target.plan_id, for_update=True)
    assignment = access.assignment(C.WORKPLAN_DRAFT) if C.WORKPLAN_DRAFT in access.caps else next(
        (a for a in rules.holding(actor, C.WORKPLAN_TASK_ACT) if a.organisation_id == target.responsible_id), None)
    if assignment is None:
        raise PermissionDenied(_("You are not allowed to do this."))
    if access.plan.status not in IN_FORCE:
        raise Conflict(_("The plan is not in force."), code="state")
    errors = {}
    number = _decimal(value, "value", errors)
    if not period_end:
        errors["period_end"] = _("This field is required.")
    checked = files.check_upload(upload, allow_csv=True) if upload is not None else None
    if errors:
        raise ValidationError(errors)
    report = TargetReport.objects.create(target=target, organisation=assignment.organisation, reported_by=actor,
                                         period_end=period_end, value=number, note=note or "")
    if checked:
        evidence_records.attach_checked(actor=actor, owner=OwnerKind.TARGET_REPORT, record=report,
                                        assignment=assignment, checked=checked)
    event_record(type=E.TARGET_REPORTED, actor=actor, assignment=assignment, plan=access.plan,
                 subject=f"target:{target.pk}", data={"value": str(number), "period_end": str(period_end)})
    return report


# ------------------------------------------------------------------ plan tasks

@transaction.atomic
def task_assign(*, actor, plan_id, organisation_id, title: str, description: str = "", due_on=None,
                recurrence: str = Recurrence.ONCE, body_label: str = "", version=None) -> PlanTask:
    """Assign a duty of section IV to a body of the plan's area (or a provider above it).

    Who: a holder of ``workplan.draft`` in the issuing body, on a draft or a plan in force.
    Writes: PlanTask (assigned), WorkPlan.version; one PreventionEvent(TASK_ASSIGNED).
    After commit: the task shows in that body's task list.
    Raises: NotFound, PermissionDenied, Conflict, ValidationError.
    """
    access = _plan_lock(actor, plan_id, version)
    assignment = _require(access, C.WORKPLAN_DRAFT)
    plan = access.plan
    if plan.status not in (WorkPlanStatus.DRAFT, *IN_FORCE):
        raise Conflict(_("Tasks are assigned on a draft or on a plan in force."), code="state")
    errors = {}
    title = _text(title, "title", errors, limit=300)
    above = rules.prefixes_of(plan.area.path)
    body = Organisation.objects.filter(Q(area__path__startswith=plan.area.path) | Q(area__path__in=above),
                                       pk=organisation_id or 0, active=True).first() \
        if str(organisation_id or "").isdigit() else None
    if body is None:
        errors["organisation_id"] = _("Choose a body of the plan's area.")
    if recurrence not in Recurrence.values:
        errors["recurrence"] = _("Unknown recurrence.")
    if errors:
        raise ValidationError(errors)
    task = PlanTask.objects.create(plan=plan, order=plan.tasks.count(), organisation=body, title=title,
                                   description=description or "", due_on=due_on or None, recurrence=recurrence,
                                   body_label=(body_label or "").strip()[:200])
    _bump(plan)
    event_record(type=E.TASK_ASSIGNED, actor=actor, assignment=assignment, plan=plan, subject=f"task:{task.pk}",
                 to_state=task.status, data={"organisation": body.pk, "organisation_name": body.name,
                                             "title": title})
    return task


TASK_MOVES = {"start": "start", "complete": "complete", "not_done": "give_up", "reopen": "reopen"}


def _task_load(actor, task_id, *, for_update=False):
    task = PlanTask.objects.filter(pk=task_id if str(task_id).isdigit() else 0,
                                   plan__in=rules.plan_queryset_for(actor)).first()
    if task is None:
        raise NotFound
    access = rules.access_plan_by_id(actor, task.plan_id)
    if for_update:
        task = PlanTask.objects.select_for_update().select_related("organisation").get(pk=task.pk)
    return access, task


@transaction.atomic
def task_move(*, actor, task_id, action: str, reason: str = "", note: str = "", version=None) -> PlanTask:
    """Move a plan task: start, complete, not done (with a reason), or reopen; with a note.

    Who: a member of the task's body holding ``workplan.task_act``, or a drafter of the issuing body.
    Writes: PlanTask.status (+ reason, finished_on), a PlanTaskNote if a note is given; one
    PreventionEvent(TASK_MOVED).
    Raises: NotFound (task unseen), PermissionDenied, Conflict (state, plan not in force, stale),
    ValidationError (unknown action, no reason for "not done").
    """
    access, task = _task_load(actor, task_id, for_update=True)
    caps = rules.task_caps(access, task)
    if C.WORKPLAN_TASK_ACT not in caps:
        raise PermissionDenied(_("You are not allowed to do this."))
    _check_version(task, version)
    if action not in TASK_MOVES:
        raise ValidationError({"action": _("Unknown action.")})
    reason = (reason or "").strip()
    if action == "not_done" and not reason:
        raise ValidationError({"reason": _("Say why the task was not done.")})
    flow = PlanTaskFlow(task, caps=caps, plan_in_force=access.plan.status in IN_FORCE)
    before = task.status
    fire(flow, TASK_MOVES[action], actor)
    task.reason = reason if action == "not_done" else ("" if action == "reopen" else task.reason)
    task.finished_on = timezone.localdate() if task.status in (TaskStatus.DONE, TaskStatus.NOT_DONE) else None
    task.version += 1
    task.save(update_fields=["status", "reason", "finished_on", "version"])
    if (note or "").strip():
        PlanTaskNote.objects.create(task=task, author=actor, text=note.strip())
    event_record(type=E.TASK_MOVED, actor=actor, assignment=rules.task_assignment(access, task), plan=access.plan,
                 subject=f"task:{task.pk}", from_state=before, to_state=task.status, reason=reason,
                 data={"note": (note or "").strip()})
    return task


@transaction.atomic
def task_note_add(*, actor, task_id, text: str) -> PlanTaskNote:
    """A progress note on a plan task.

    Who: as ``task_move``.
    Writes: PlanTaskNote; one PreventionEvent(TASK_NOTED).
    Raises: NotFound, PermissionDenied, ValidationError.
    """
    access, task = _task_load(actor, task_id, for_update=True)
    if C.WORKPLAN_TASK_ACT not in rules.task_caps(access, task):
        raise PermissionDenied(_("You are not allowed to do this."))
    if not (text or "").strip():
        raise ValidationError({"text": _("This field is required.")})
    note = PlanTaskNote.objects.create(task=task, author=actor, text=text.strip())
    event_record(type=E.TASK_NOTED, actor=actor, assignment=rules.task_assignment(access, task), plan=access.plan,
                 subject=f"task:{task.pk}", data={"note": note.text})
    return note


# ------------------------------------------------------------------ activities and evidence

@dataclass
class ActivityInput:
    kind: str
    title: str
    held_on: dt.date | None
    organiser_id: int | None
    place: str = ""
    village_id: int | None = None
    plan_task_id: int | None = None
    counts: dict = field(default_factory=dict)
    parents: int = 0
    staff: int = 0
    cost: object = 0
    note: str = ""


def _attendance(sheet, year, errors) -> tuple[sheets.Attendance | None, files.CheckedFile | None]:
    if sheet is None:
        return None, None
    blob = files.check_upload(sheet, allow_csv=True, field="sheet")
    if blob.content_type not in (files.CSV, files.XLSX):
        raise ValidationError({"sheet": _("An attendance sheet is a CSV or XLSX file.")})
    result, row_errors = sheets.parse_attendance(sheets.read_rows(blob.data, blob.content_type), year=year)
    if row_errors:
        errors["sheet"] = [_("Row %(row)s, %(column)s: %(message)s") % {
            "row": e.row, "column": e.column or "-", "message": e.message} for e in row_errors]
    return result, blob


@files.discard_on_failure
@transaction.atomic
def activity_record(*, actor, data: ActivityInput, sheet=None, evidence=()) -> Activity:
    """Record an activity held (a session, training, home visit, Month of Action event …).

    With an attendance sheet (CSV/XLSX), the children by sex and age band, parents and staff are
    counted from its rows and added to those typed in; a sheet with any bad row is refused whole,
    with every bad row listed, and nothing is written.

    Who: a holder of ``activity.record`` in the organising body, or an area role over its commune.
    Writes: Activity, a RecordFile per file (the sheet included) through the evidence pipeline,
    each with its FileEvent; one PreventionEvent(ACTIVITY_RECORDED).
    Raises: PermissionDenied, ValidationError (fields, sheet rows, file types), NotFound (plan task).
    """
    errors = {}
    organiser = Organisation.objects.filter(pk=data.organiser_id or 0, active=True).select_related("area").first() \
        if str(data.organiser_id or "").isdigit() else None
    assignment = rules.activity_recorder(actor, organiser) if organiser else None
    if assignment is None:
        if not rules.holding(actor, C.ACTIVITY_RECORD):
            raise PermissionDenied(_("You are not allowed to record activities."))
        raise ValidationError({"organiser_id": _("Choose a body you record activities for.")})
    area = organiser.area
    commune = area if area.kind == AreaKind.COMMUNE else (area.parent if area.kind == AreaKind.VILLAGE else None)
    if commune is None:
        raise ValidationError({"organiser_id": _("Activities are recorded by the bodies of a commune.")})
    village = area if area.kind == AreaKind.VILLAGE else None
    if data.village_id:
        village = Area.objects.filter(pk=data.village_id, parent=commune, kind=AreaKind.VILLAGE).first()
        if village is None:
            errors["village_id"] = _("The village must lie in the commune.")
    if data.kind not in ActivityKind.values:
        errors["kind"] = _("Choose the kind of activity.")
    title = _text(data.title, "title", errors, limit=300)
    if not data.held_on:
        errors["held_on"] = _("This field is required.")
    elif data.held_on > timezone.localdate():
        errors["held_on"] = _("The date cannot be in the future.")
    task = None
    if data.plan_task_id:
        task = PlanTask.objects.filter(pk=data.plan_task_id, plan__in=rules.plan_queryset_for(actor),
                                       plan__status__in=IN_FORCE).first()
        if task is None:
            errors["plan_task_id"] = _("Unknown plan task.")
    counts = {}
    for name in COUNT_FIELDS:
        try:
            counts[name] = int((data.counts or {}).get(name) or 0)
            if counts[name] < 0:
                raise ValueError
        except (TypeError, ValueError):
            errors[name] = _("Write a whole number.")
    try:
        parents, staff = int(data.parents or 0), int(data.staff or 0)
        if parents < 0 or staff < 0:
            raise ValueError
    except (TypeError, ValueError):
        errors["parents"] = _("Write a whole number.")
        parents = staff = 0
    cost = _decimal(data.cost, "cost", errors, required=False) or Decimal(0)
    attendance, sheet_blob = _attendance(sheet, (data.held_on or timezone.localdate()).year, errors)
    blobs = [files.check_upload(f, field="evidence") for f in evidence or ()]
    if errors:
        raise ValidationError(errors)
    if attendance is not None:
        for key, n in attendance.counts.items():
            counts[key] += n
        parents += attendance.parents
        staff += attendance.staff
    activity = Activity.objects.create(
        kind=data.kind, title=title, held_on=data.held_on, place=(data.place or "").strip(), commune=commune,
        village=village, organiser=organiser, plan_task=task, parents=parents, staff=staff, cost=cost,
        note=data.note or "", recorded_by=actor, **counts)
    for checked in ([sheet_blob] if sheet_blob else []) + blobs:
        evidence_records.attach_checked(actor=actor, owner=OwnerKind.ACTIVITY, record=activity,
                                        assignment=assignment, checked=checked)
    event_record(type=E.ACTIVITY_RECORDED, actor=actor, assignment=assignment, plan=task.plan if task else None,
                 subject=f"activity:{activity.pk}",
                 data={"kind": activity.kind, "children": activity.children_total, "parents": parents,
                       "staff": staff, "sheet_rows": attendance.rows if attendance else 0,
                       "plan_task": task.pk if task else None})
    return activity


def _activity_for(actor, activity_id):
    activity = Activity.objects.filter(rules.activity_filter(actor), pk=activity_id if str(activity_id).isdigit()
                                       else 0).select_related("commune", "organiser__area").first()
    if activity is None:
        raise NotFound
    return activity


def evidence_add(*, actor, activity_id, upload) -> RecordFile:
    """Attach a photo, attendance sheet or document to an activity (the evidence pipeline).

    Who: as ``activity_record`` for the activity's organiser.
    Writes: see ``evidence.records.record_file_add`` (RecordFile, one FileEvent(ATTACHED)).
    Raises: NotFound, PermissionDenied, ValidationError (type checked on content, size).
    """
    return evidence_records.record_file_add(actor=actor, owner=OwnerKind.ACTIVITY, record_id=activity_id,
                                            upload=upload)


def evidence_open(*, actor, key: str, channel: str = "web") -> tuple[RecordFile, bytes]:
    """Open an activity's or a target value's file, logging who read it.

    Who: the activity's organising body and the commune acting on it; for a reported target
    value, the plan's issuing body (``permissions.evidence.record_reader``).
    Writes: one FileEvent(DOWNLOADED).
    Raises: NotFound (missing or unseen: the same answer), Conflict (bytes altered in storage).
    """
    return evidence_records.record_file_open(actor=actor, key=key, channel=channel)


# ------------------------------------------------------------------ population base

def _commune(commune_id) -> Area | None:
    return Area.objects.filter(pk=commune_id if str(commune_id).isdigit() else 0, kind=AreaKind.COMMUNE).first()


@transaction.atomic
def population_save(*, actor, commune_id, year, counts: dict, households=0, source: str = "") -> PopulationBase:
    """Enter the number of children by sex and age band (and households) of a commune for a year.

    Who: a holder of ``workplan.draft`` in an area role over the commune (the officer).
    Writes: PopulationBase (created or replaced); one PreventionEvent(POPULATION_SAVED).
    Raises: PermissionDenied, ValidationError.
    """
    commune = _commune(commune_id)
    assignment = rules.population_editor(actor, commune) if commune else None
    if assignment is None:
        raise PermissionDenied(_("You do not keep the population base of this commune."))
    errors, values = {}, {}
    for name in COUNT_FIELDS + ["households"]:
        raw = households if name == "households" else (counts or {}).get(name)
        try:
            values[name] = int(raw or 0)
            if values[name] < 0:
                raise ValueError
        except (TypeError, ValueError):
            errors[name] = _("Write a whole number.")
    try:
        year = int(year)
        if not 2000 <= year <= 2100:
            raise ValueError
    except (TypeError, ValueError):
        errors["year"] = _("Write a year.")
    if errors:
        raise ValidationError(errors)
    row, _created = PopulationBase.objects.update_or_create(
        commune=commune, year=year, defaults={**values, "source": (source or "")[:255], "updated_by": actor})
    event_record(type=E.POPULATION_SAVED, actor=actor, assignment=assignment, subject=f"population:{row.pk}",
                 data={"commune": commune.pk, "year": year, **values})
    return row


@transaction.atomic
def population_import(*, actor, upload) -> list[PopulationBase]:
    """Import population rows (commune code, year, children by sex and age band, households) from a
    CSV/XLSX sheet; any bad row refuses the whole sheet, listing every bad row.

    Who: as ``population_save`` for every commune in the sheet.
    Writes: PopulationBase rows; one PreventionEvent(POPULATION_SAVED) for the import.
    Raises: PermissionDenied (no commune of the sheet is yours), ValidationError.
    """
    if not rules.holding(actor, C.WORKPLAN_DRAFT):
        raise PermissionDenied(_("You do not keep a population base."))
    blob = files.check_upload(upload, allow_csv=True)
    if blob.content_type not in (files.CSV, files.XLSX):
        raise ValidationError({"file": _("Import a CSV or XLSX file.")})
    rows, row_errors = sheets.parse_population(sheets.read_rows(blob.data, blob.content_type))
    communes = {a.code: a for a in Area.objects.filter(kind=AreaKind.COMMUNE, valid_to__isnull=True,
                                                       code__in=[r["commune"] for r in rows])}
    messages = [_("Row %(row)s, %(column)s: %(message)s") % {"row": e.row, "column": e.column or "-",
                                                            "message": e.message} for e in row_errors]
    assignment = None
    for r in rows:
        commune = communes.get(r["commune"])
        editor = rules.population_editor(actor, commune) if commune else None
        if editor is None:
            messages.append(_("Row %(row)s, %(column)s: %(message)s") % {
                "row": r["line"], "column": "commune", "message": _("Not a commune whose population you keep.")})
        assignment = assignment or editor
    if messages or not rows:
        raise ValidationError({"file": messages or [_("The sheet has no rows.")]})
    saved = []
    for r in rows:
        values = {k: r.get(k, 0) for k in COUNT_FIELDS + ["households"]}
        row, _created = PopulationBase.objects.update_or_create(
            commune=communes[r["commune"]], year=r["year"],
            defaults={**values, "source": (getattr(upload, "name", "") or "")[:255], "updated_by": actor})
        saved.append(row)
    event_record(type=E.POPULATION_SAVED, actor=actor, assignment=assignment, subject="population:import",
                 data={"rows": len(saved), "communes": sorted({r.commune_id for r in saved})})
    return saved


# ------------------------------------------------------------------ the registry

@dataclass
class RegistryChild:
    full_name: str
    sex: str = Sex.UNKNOWN
    date_of_birth: dt.date | None = None
    estimated_age: int | None = None
    ethnicity: str = ""
    disability: str = ""
    address: str = ""
    school_id: int | None = None
    parents: str = ""
    caregiver: str = ""


@transaction.atomic
def registry_add(*, actor, commune_id, category: str, child: RegistryChild, since=None, village_id=None,
                 groups: list[str] = (), risk_kind: str = "", note: str = "") -> RegistryEntry:
    """Put a child in special circumstances (art. 10 groups) or at risk on the commune's registry.

    Who: a holder of ``registry.edit`` in an area role over the commune (the officer).
    Writes: casework Child (one person across levels), RegistryEntry; one PreventionEvent(REGISTRY_ADDED)
    (no name in it).
    Raises: PermissionDenied, ValidationError.
    """
    commune = _commune(commune_id)
    assignment = rules.registry_editor(actor, commune) if commune else None
    if assignment is None:
        raise PermissionDenied(_("You do not keep the registry of this commune."))
    errors = {}
    name = _text(child.full_name, "child.full_name", errors, limit=200)
    if child.date_of_birth is None and child.estimated_age is None:
        errors["child.date_of_birth"] = _("Give the date of birth or an estimated age.")
    today = timezone.localdate()
    age = child.estimated_age
    if child.date_of_birth:
        dob = child.date_of_birth
        age = today.year - dob.year - ((today.month, today.day) < (dob.month, dob.day))
    if age is not None and (age >= CHILD_AGE_LIMIT or age < 0):
        errors["child.date_of_birth"] = _("A child is a person under 16.")
    if child.sex not in Sex.values:
        errors["child.sex"] = _("Unknown sex.")
    if category not in RegistryCategory.values:
        errors["category"] = _("Choose special circumstances or at risk.")
    village = None
    if village_id:
        village = Area.objects.filter(pk=village_id, parent=commune, kind=AreaKind.VILLAGE).first()
        if village is None:
            errors["village_id"] = _("The village must lie in the commune.")
    codes = [c for c in dict.fromkeys(groups or []) if c]
    terms = list(Term.objects.of(TermKind.SPECIAL_GROUP).filter(code__in=codes))
    if len(terms) != len(codes):
        errors["groups"] = _("Unknown group.")
    if category == RegistryCategory.SPECIAL and not codes:
        errors["groups"] = _("Choose at least one group of art. 10.")
    risk = None
    if risk_kind:
        risk = Term.objects.of(TermKind.RISK_KIND).filter(code=risk_kind).first()
        if risk is None:
            errors["risk_kind"] = _("Unknown kind of risk.")
    if errors:
        raise ValidationError(errors)
    person = Child.objects.create(
        full_name=name, sex=child.sex, date_of_birth=child.date_of_birth, estimated_age=child.estimated_age,
        estimated_age_on=today if child.estimated_age is not None else None, ethnicity=child.ethnicity,
        disability=child.disability, residence_area=commune, address=child.address, school_id=child.school_id,
        parents=child.parents, caregiver=child.caregiver)
    entry = RegistryEntry.objects.create(child=person, commune=commune, village=village, category=category,
                                         risk_kind=risk, since=since or today, note=note or "", recorded_by=actor)
    entry.groups.set(terms)
    event_record(type=E.REGISTRY_ADDED, actor=actor, assignment=assignment, subject=f"entry:{entry.pk}",
                 data={"category": category, "groups": codes, "commune": commune.pk})
    return entry


@transaction.atomic
def support_record(*, actor, entry_id, kind: str, given_on, provider: str, amount=None, note: str = "") -> Support:
    """Record a support the child received (allowance, health insurance, school fees, counselling …).

    Who: a holder of ``registry.edit`` over the entry's commune.
    Writes: Support; one PreventionEvent(SUPPORT_RECORDED).
    Raises: NotFound, PermissionDenied, ValidationError.
    """
    entry = rules.access_entry_by_id(actor, entry_id, for_update=True)
    assignment = rules.registry_editor(actor, entry.commune)
    if assignment is None:
        raise PermissionDenied(_("You are not allowed to do this."))
    errors = {}
    if kind not in SupportKind.values:
        errors["kind"] = _("Choose the kind of support.")
    if not given_on:
        errors["given_on"] = _("This field is required.")
    provider = _text(provider, "provider", errors, limit=200)
    amount = _decimal(amount, "amount", errors, required=False)
    if errors:
        raise ValidationError(errors)
    support = Support.objects.create(entry=entry, kind=kind, given_on=given_on, provider=provider, amount=amount,
                                     note=(note or "")[:255], recorded_by=actor)
    event_record(type=E.SUPPORT_RECORDED, actor=actor, assignment=assignment, subject=f"entry:{entry.pk}",
                 data={"kind": kind, "given_on": str(given_on), "amount": str(amount or "")})
    return support


@transaction.atomic
def watch_open(*, actor, entry_id, concern: str, follow_up_by_id, visit_plan: str = "",
               next_visit_on=None) -> WatchRecord:
    """Open a watch record for a child flagged at the prevention level.

    Who: a holder of ``registry.edit`` over the entry's commune.
    Writes: WatchRecord (open); one PreventionEvent(WATCH_OPENED).
    Raises: NotFound, PermissionDenied, ValidationError.
    """
    entry = rules.access_entry_by_id(actor, entry_id, for_update=True)
    assignment = rules.registry_editor(actor, entry.commune)
    if assignment is None:
        raise PermissionDenied(_("You are not allowed to do this."))
    errors = {}
    concern = _text(concern, "concern", errors)
    body = Organisation.objects.filter(pk=follow_up_by_id if str(follow_up_by_id or "").isdigit() else 0,
                                       area__path__startswith=entry.commune.path, active=True).first()
    if body is None:
        errors["follow_up_by_id"] = _("Choose a body of the commune.")
    if errors:
        raise ValidationError(errors)
    watch = WatchRecord.objects.create(entry=entry, concern=concern, visit_plan=visit_plan or "",
                                       follow_up_by=body, next_visit_on=next_visit_on or None, opened_by=actor)
    event_record(type=E.WATCH_OPENED, actor=actor, assignment=assignment, subject=f"watch:{watch.pk}",
                 to_state=watch.status, data={"entry": entry.pk, "follow_up_by": body.pk})
    return watch


def _watch_lock(actor, watch_id, version):
    watch = WatchRecord.objects.filter(pk=watch_id if str(watch_id).isdigit() else 0,
                                       entry__in=rules.registry_queryset_for(actor)).first()
    if watch is None:
        raise NotFound
    watch = WatchRecord.objects.select_for_update().select_related("entry__commune", "entry__child").get(pk=watch.pk)
    caps, assignment = rules.watch_caps(actor, watch.entry)
    _check_version(watch, version)
    return watch, caps, assignment


@transaction.atomic
def watch_close(*, actor, watch_id, reason: str, version=None) -> WatchRecord:
    """Close a watch record (the concern is resolved), with the reason.

    Who: a holder of ``registry.edit`` over the entry's commune.
    Writes: WatchRecord.status, closed_reason; one PreventionEvent(WATCH_CLOSED).
    Raises: NotFound, PermissionDenied, Conflict, ValidationError.
    """
    watch, caps, assignment = _watch_lock(actor, watch_id, version)
    flow = WatchFlow(watch, caps=caps)
    if not (reason or "").strip():
        if C.REGISTRY_EDIT not in caps:
            raise PermissionDenied(_("You are not allowed to do this."))
        raise ValidationError({"reason": _("Give a reason.")})
    before = watch.status
    fire(flow, "close", actor)
    watch.closed_reason = reason.strip()
    watch.version += 1
    watch.save(update_fields=["status", "closed_reason", "version"])
    event_record(type=E.WATCH_CLOSED, actor=actor, assignment=assignment, subject=f"watch:{watch.pk}",
                 from_state=before, to_state=watch.status, reason=watch.closed_reason)
    return watch


@transaction.atomic
def watch_raise(*, actor, watch_id, reason: str, urgent: bool = False, version=None):
    """Raise a watch record to a case at support level, in one audited step.

    Opens the case through casework's own intake service (``case_open``, form 01) in the watch's
    commune, for the same child, then writes the case's WATCH_RAISED event (its timeline says where
    it came from) and closes the watch as raised.

    Who: a holder of ``watch.raise`` over the entry's commune who may also open cases.
    Writes: everything ``case_open`` writes, CaseEvent(WATCH_RAISED), WatchRecord.status and case;
    one PreventionEvent(WATCH_RAISED).
    After commit: case_open's notification of the commune.
    Raises: NotFound, PermissionDenied, Conflict (already raised or closed), ValidationError.
    """
    from casework.audit import case_event_record
    from casework.models import CaseEventType
    from casework.services.intake import ChildInput, IntakeInput, case_open
    from permissions.access import case_queryset_for
    from workflows.states import Classification

    watch, caps, assignment = _watch_lock(actor, watch_id, version)
    flow = WatchFlow(watch, caps=caps)
    reason = (reason or "").strip()
    if C.WATCH_RAISE in caps and not reason:
        raise ValidationError({"reason": _("Give a reason.")})
    before = watch.status
    fire(flow, "raise_to_case", actor)
    entry, person = watch.entry, watch.entry.child
    special = entry.category == RegistryCategory.SPECIAL
    common = {"channel": "other", "received_at": timezone.now(),
                  "classification": Classification.SPECIAL if special else Classification.AT_RISK,
                  "incident_commune_id": entry.commune_id, "incident_village_id": entry.village_id,
                  "organisation_id": assignment.organisation_id, "environment": "community", "urgent": bool(urgent),
                  "description": watch.concern, "family_situation": watch.visit_plan,
                  "special_groups": list(entry.groups.values_list("code", flat=True)),
                  "risk_kind": entry.risk_kind.code if entry.risk_kind_id else ""}
    if person.cases.filter(pk__in=case_queryset_for(actor).values("pk")).exists():
        # The child already has a case this officer sees: case_open links the same person.
        case = case_open(actor=actor, data=IntakeInput(child_id=person.pk, **common))
    else:
        case = case_open(actor=actor, data=IntakeInput(child=ChildInput(
            full_name=person.full_name, date_of_birth=person.date_of_birth, estimated_age=person.age_on(
                timezone.localdate()) if person.date_of_birth is None else None, sex=person.sex,
            ethnicity=person.ethnicity, disability=person.disability, residence_commune_id=entry.commune_id,
            address=person.address, school_id=person.school_id, parents=person.parents,
            caregiver=person.caregiver), **common))
        if not person.cases.exists():
            # case_open registers the child anew; the registry keeps one person, so its rows move
            # to that record and the unreferenced duplicate goes, in the same transaction.
            RegistryEntry.objects.filter(child=person).update(child=case.child)
            person.delete()
    case_event_record(case=case, type=CaseEventType.WATCH_RAISED, actor=actor, assignment=assignment,
                      from_state="prevention", to_state=case.level, reason=reason,
                      data={"watch": watch.pk, "entry": entry.pk, "concern": watch.concern,
                            "opened_at": watch.opened_at.isoformat()})
    watch.case = case
    watch.version += 1
    watch.save(update_fields=["status", "case", "version"])
    event_record(type=E.WATCH_RAISED, actor=actor, assignment=assignment, subject=f"watch:{watch.pk}",
                 from_state=before, to_state=watch.status, reason=reason, data={"case": case.pk})
    return watch
