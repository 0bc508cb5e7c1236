"""Journey B: the case page with every action the user may take now, the action endpoint, and
plan drafting (form 04); the chairperson's one-screen approval with the full file."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from permissions.roles import Capability
from workflows.flows import CaseFacts, CaseFlow
from workflows.states import CaseStatus, EmergencyMeasureStatus, PlanStatus

from .. import forms as F
from ..errors import Conflict, NotFound, ValidationError
from ..models import ClockState, Measure, Organisation, Term, TermKind
from ..selectors import case_clocks_for, child_identity, identity_visible
from ..services import plans
from ._common import (
    access_or_404,
    content_or_404,
    login_required,
    masked_child,
    organisations_for_case,
    safe_next,
)
from .actions import (
    ACTIONS,
    measure_can_record,
    offered,
    order_can_decide,
    task_can_log,
    task_moves,
    transfer_can_cancel,
    transfer_can_decide,
)
from .printing import available_forms

REASON_MOVES = {"decline", "fail", "cancel"}
MOVE_LABELS = {
    "accept": gettext_lazy("Accept"), "decline": gettext_lazy("Decline"), "start": gettext_lazy("Start"),
    "complete": gettext_lazy("Mark done"), "fail": gettext_lazy("Could not be done"),
    "cancel": gettext_lazy("Cancel the task"),
}


def case_records(case):
    """Everything on file for a case, each list loaded in one query."""
    # Emergency measures and isolation orders exist only once an emergency was declared, which
    # sets Case.emergency for good: no query for the others.
    emergency = case.emergency
    orgs = Organisation.objects.in_bulk({case.reporting_organisation_id, case.intake.receiving_organisation_id})
    case.reporting_organisation = orgs[case.reporting_organisation_id]
    case.intake.receiving_organisation = orgs[case.intake.receiving_organisation_id]
    return {
        "intake": case.intake,
        "incident": case.incident,
        "perpetrators": list(case.incident.perpetrators.select_related("relation")),
        "abuse_forms": list(case.abuse_form_links.select_related("term").order_by("-primary", "term__order")),
        "special_groups": list(case.special_groups.all()),
        "initial_assessments": list(case.initialassessments.select_related("author")),
        "emergency_measures": list(case.emergencymeasures.select_related("kind", "responsible", "author"))
        if emergency else [],
        "isolation_orders": list(case.isolationorders.select_related("author")) if emergency else [],
        "comprehensive_assessments": list(case.comprehensiveassessments.select_related("author")),
        "conferences": list(case.caseconferences.select_related("author")),
        "plans": list(case.plans.select_related("author", "decided_by").prefetch_related(
            Prefetch("measures", queryset=Measure.objects.select_related("kind", "responsible", "coordinating")))
            .order_by("-version")),
        "tasks": list(case.tasks.select_related("organisation", "measure").prefetch_related("logs")),
        "reviews": list(case.reviews.select_related("author")),
        "transfers": list(case.transfers.select_related("from_commune", "to_commune", "requested_by")
                          .order_by("-requested_at")),
    }


def facts_from_records(case, records) -> CaseFacts:
    """The case machine's facts (``lifecycle.case_facts``) read from the records already loaded.

    Saves the page six queries; ``tests/web/test_actions.py`` checks it agrees with
    ``case_facts`` on every case of the test data.
    """
    measures = [m.status for m in records["emergency_measures"]]
    initial = max(records["initial_assessments"], key=lambda a: a.created_at, default=None)
    draft = max((p for p in records["plans"] if p.status == PlanStatus.DRAFT), key=lambda p: p.version,
                default=None)
    return CaseFacts(
        level=case.level,
        emergency=case.emergency,
        verification_recorded=bool(case.verification_notes.strip()),
        initial_assessment=initial is not None,
        emergency_needed=bool(initial and initial.emergency_needed),
        emergency_measures_taken=measures.count(EmergencyMeasureStatus.TAKEN),
        emergency_measures_pending=measures.count(EmergencyMeasureStatus.ORDERED),
        comprehensive_assessment=bool(records["comprehensive_assessments"]),
        conference_minutes=bool(records["conferences"]),
        draft_plan_measures=len(draft.measures.all()) if draft else 0,
        review_this_cycle=any(r.plan_cycle == case.plan_cycle for r in records["reviews"]),
    )


def flow_for(access, records) -> CaseFlow:
    return CaseFlow(access.case, caps=access.caps, facts=facts_from_records(access.case, records))


def unique_ids(form, key: str):
    """Several forms share one page: give each its own element ids (labels must point at one field)."""
    form.auto_id = "id_" + key.replace(":", "_") + "_%s"
    return form


def _item_form(bound, key, form_class, initial):
    return unique_ids(bound.get(key) or form_class(initial=initial), key)


def case_context(request, access, *, bound=None, reveal=False) -> dict:
    case = access.case
    bound = bound or {}
    version = case.version
    records = case_records(case) if access.content_visible else {}
    flow = flow_for(access, records) if access.content_visible else None
    offers = offered(access, flow, records) if flow else []
    for offer in offers:
        key = offer.action.key
        offer.form = unique_ids(bound.get(key) or offer.action.form(initial={"version": version},
                                                                    **offer.action.form_kwargs(case)), key)
        offer.open = key in bound
    for m in records.get("emergency_measures", []):
        m.can_record = measure_can_record(access, m)
        if m.can_record:
            m.form = _item_form(bound, f"emergency_record:{m.pk}", F.EmergencyRecordForm,
                                {"version": version, "measure_id": m.pk, "outcome": "taken"})
    for o in records.get("isolation_orders", []):
        o.can_decide = order_can_decide(access, o)
        if o.can_decide:
            o.extend_form = _item_form(bound, f"isolation_extend:{o.pk}", F.IsolationExtendForm,
                                       {"version": version, "order_id": o.pk})
            o.revoke_form = _item_form(bound, f"isolation_revoke:{o.pk}", F.IsolationRevokeForm,
                                       {"version": version, "order_id": o.pk})
    for t in records.get("transfers", []):
        if transfer_can_decide(access, t):
            t.decide_form = _item_form(bound, f"transfer_decide:{t.pk}", F.TransferDecideForm,
                                       {"version": version, "transfer_id": t.pk})
        if transfer_can_cancel(access, t):
            t.cancel_form = _item_form(bound, f"transfer_cancel:{t.pk}", F.TransferCancelForm,
                                       {"version": version, "transfer_id": t.pk})
    for t in records.get("tasks", []):
        attach_task_forms(access, t, bound)

    identity = None
    if identity_visible(access) and reveal:
        identity = child_identity(access, channel="page", purpose=_("case page"))
    elif not identity_visible(access):
        identity = child_identity(access, channel="page")  # masked; nothing is logged
    plan_list = records.get("plans", [])
    return {
        "access": access, "case": case, "version": version, "records": records, "offers": offers,
        "clocks": case_clocks_for(access) if access.content_visible else [],
        "identity": identity, "masked": masked_child(case), "can_reveal": identity_visible(access) and not reveal,
        "current_plan": plan_list[0] if plan_list else None,
        "can_draft": Capability.PLAN_DRAFT in access.caps and case.status in (CaseStatus.PLANNING,
                                                                             CaseStatus.RETURNED),
        "can_audit": Capability.CASE_AUDIT in access.caps,
        "any_bound": bool(bound),
        "clock_states": dict(ClockState.choices),
        "forms": available_forms(case, records) if access.content_visible else [],
    }


def attach_task_forms(access, task, bound):
    version = access.case.version
    task.moves = []
    for move in task_moves(access, task):
        form = _item_form(bound, f"task_move:{task.pk}:{move}", F.TaskMoveForm,
                          {"version": version, "task_id": task.pk, "action": move})
        task.moves.append({"name": move, "label": MOVE_LABELS[move], "needs_reason": move in REASON_MOVES,
                           "form": form, "open": f"task_move:{task.pk}:{move}" in bound})
    task.log_form = None
    if task_can_log(access, task):
        task.log_form = _item_form(bound, f"task_log:{task.pk}", F.TaskLogForm,
                                   {"version": version, "task_id": task.pk})
        task.log_open = f"task_log:{task.pk}" in bound


@login_required
def case_detail(request, case_id):
    access = access_or_404(request.user, case_id)
    if not access.content_visible:
        return render(request, "casework/case_status.html", {"case": access.case, "masked": masked_child(access.case)})
    reveal = request.GET.get("identity") == "1"
    return render(request, "casework/case_detail.html", case_context(request, access, reveal=reveal))


# ------------------------------------------------------------------ the action endpoint

ITEM_FIELDS = {"emergency_record": "measure_id", "isolation_extend": "order_id", "isolation_revoke": "order_id",
               "transfer_decide": "transfer_id", "transfer_cancel": "transfer_id", "task_move": "task_id",
               "task_log": "task_id"}


def bound_key(action_key: str, data) -> str:
    field = ITEM_FIELDS.get(action_key)
    if not field:
        return action_key
    key = f"{action_key}:{data.get(field, '')}"
    if action_key == "task_move":
        key += f":{data.get('action', '')}"
    return key


def run_action(request, access, action, form) -> tuple[bool, int]:
    """Validate, call the service, map its errors onto the form. Returns (done, status)."""
    if not form.is_valid():
        return False, 200
    try:
        action.service(actor=request.user, case_id=access.case.pk,
                       expected_version=form.cleaned_data["version"], **form.service_kwargs())
    except ValidationError as exc:
        F.apply_service_errors(form, exc)
        return False, 200
    except Conflict as exc:
        # Shown at the top of the page (the action may no longer be offered there); the form
        # stays open with the input.
        form.conflict = exc.code
        if exc.code == "stale_version":
            form.page_error = _("Someone else changed this case after you opened it. Your input is kept "
                                "below: check the case as it is now, then submit again.")
        else:
            form.page_error = exc.message
        return False, 409
    except NotFound:
        raise Http404 from None
    return True, 302


def refreshed(form, version: int):
    """The same input, re-bound with the case's current version so a second submit can go through."""
    data = form.data.copy() if isinstance(form.data, QueryDict) else QueryDict(mutable=True)
    data["version"] = str(version)
    new = type(form)(data, **getattr(form, "_init_kwargs", {}))
    new.is_valid()
    new._errors = form._errors
    new.conflict = getattr(form, "conflict", "")
    new.page_error = getattr(form, "page_error", "")
    return new


@login_required
@require_POST
def case_act(request, case_id, key):
    action = ACTIONS.get(key)
    if action is None:
        raise Http404
    access = content_or_404(request.user, case_id)
    kwargs = action.form_kwargs(access.case)
    form = action.form(request.POST, **kwargs)
    form._init_kwargs = kwargs
    done, status = run_action(request, access, action, form)
    if done:
        messages.success(request, action.done)
        return redirect(safe_next(request, reverse("web:case", args=[access.case.pk])))
    # Render the page the form came from again, with the input and the errors; a fresh read of
    # the case, so what is shown (and the version the form now carries) is what is on file.
    access = access_or_404(request.user, case_id)
    if getattr(form, "conflict", "") == "stale_version":
        form = refreshed(form, access.case.version)
    bound = {bound_key(key, request.POST): form}
    page_error = getattr(form, "page_error", "")
    origin = request.POST.get("origin", "case")
    if origin == "tasks":
        from .lists import tasks_context
        ctx = tasks_context(request, bound=bound)
        template = "casework/tasks.html"
    elif origin == "approval" and Capability.PLAN_DECIDE in access.caps:
        ctx = approval_context(request, access, bound=bound)
        template = "casework/approval.html"
    else:
        ctx = case_context(request, access, bound=bound)
        template = "casework/case_detail.html"
    ctx["page_error"] = page_error
    return render(request, template, ctx, status=status)


# ------------------------------------------------------------------ plan drafting (form 04)

def measure_choices():
    return [(t.code, f"{t.label} ({t.legal_article})" if t.legal_article else t.label)
            for t in Term.objects.of(TermKind.MEASURE).order_by("order", "code")]


@login_required
def plan_edit(request, case_id):
    access = content_or_404(request.user, case_id)
    case = access.case
    if Capability.PLAN_DRAFT not in access.caps:
        raise PermissionDenied
    if case.status not in (CaseStatus.PLANNING, CaseStatus.RETURNED):
        messages.error(request, _("The plan is drafted during plan drafting."))
        return redirect("web:case", case.pk)
    orgs = organisations_for_case(case)
    kinds = measure_choices()
    draft = case.plans.filter(status=PlanStatus.DRAFT).order_by("-version").first()
    source = draft or case.plans.order_by("-version").first()
    fk = {"organisations": orgs, "measure_choices": kinds}
    conflict = False
    status = 200
    if request.method == "POST":
        form = F.PlanForm(request.POST)
        formset = F.MeasureFormSet(request.POST, form_kwargs=fk, prefix="m")
        if form.is_valid() and formset.is_valid():
            measures = [plans.MeasureInput(
                kind=f.cleaned_data["kind"], responsible_id=f.cleaned_data["responsible_id"],
                coordinating_id=f.cleaned_data.get("coordinating_id"), starts_on=f.cleaned_data["starts_on"],
                ends_on=f.cleaned_data["ends_on"], description=f.cleaned_data.get("description", ""),
                resources=f.cleaned_data.get("resources", ""), cost=f.cleaned_data.get("cost"))
                for f in formset.forms if f.has_changed() and not formset._should_delete_form(f)]
            try:
                plans.plan_draft_save(actor=request.user, case_id=case.pk,
                                      expected_version=form.cleaned_data["version"], measures=measures,
                                      **form.service_kwargs())
            except ValidationError as exc:
                for key, errs in exc.message_dict.items():
                    if key.startswith("measures["):
                        index, _dot, name = key[len("measures["):].partition("].")
                        target = formset.forms[[i for i, f in enumerate(formset.forms) if f.has_changed()
                                                and not formset._should_delete_form(f)][int(index)]]
                        for e in errs:
                            target.add_error(name if name in target.fields else None, e)
                    else:
                        for e in errs:
                            form.add_error(key if key in form.fields else None, e)
            except Conflict as exc:
                status = 409
                if exc.code == "stale_version":
                    conflict = True
                    fresh = access_or_404(request.user, case_id).case
                    data = request.POST.copy()
                    data["version"] = str(fresh.version)
                    errors = form._errors
                    form = F.PlanForm(data)
                    form.is_valid()
                    form._errors = errors
                    form.add_error(None, _("Someone else changed this case after you opened it. Your input is "
                                           "kept below: check the case as it is now, then save again."))
                else:
                    form.add_error(None, exc.message)
            else:
                messages.success(request, _("Draft plan saved."))
                return redirect("web:case", case.pk)
    else:
        initial = {"version": case.version}
        rows = []
        if source is not None:
            initial.update(goals=source.goals, starts_on=source.starts_on, ends_on=source.ends_on,
                           review_on=source.review_on)
            rows = [{"kind": m.kind.code, "responsible_id": m.responsible_id, "coordinating_id": m.coordinating_id,
                     "starts_on": m.starts_on, "ends_on": m.ends_on, "description": m.description,
                     "resources": m.resources, "cost": m.cost} for m in source.measures.select_related("kind")]
        form = F.PlanForm(initial=initial)
        formset = F.MeasureFormSet(initial=rows, form_kwargs=fk, prefix="m")
    return render(request, "casework/plan_edit.html", {
        "case": case, "form": form, "formset": formset, "draft": draft, "source": source, "conflict": conflict,
        "returned": source if source is not None and source.status == PlanStatus.RETURNED else None,
    }, status=status)


# ------------------------------------------------------------------ chairperson: one-screen approval

def approval_context(request, access, *, bound=None) -> dict:
    case = access.case
    bound = bound or {}
    records = case_records(case)
    submitted = next((p for p in records["plans"] if p.status == PlanStatus.SUBMITTED), None)
    flow = flow_for(access, records)
    can_decide = flow.approve_plan.has_perm(request.user) and flow.approve_plan.can_proceed()
    version = case.version
    return {
        "access": access, "case": case, "records": records, "plan": submitted, "can_decide": can_decide,
        "identity": child_identity(access, channel="page", purpose=_("plan approval")),
        "approve_form": unique_ids(bound.get("plan_approve") or F.PlanDecisionForm(initial={"version": version}),
                                   "plan_approve"),
        "return_form": unique_ids(bound.get("plan_return") or F.ReasonForm(initial={"version": version}),
                                  "plan_return"),
        "clocks": case_clocks_for(access),
    }


@login_required
def case_approval(request, case_id):
    access = content_or_404(request.user, case_id)
    if Capability.PLAN_DECIDE not in access.caps:
        raise PermissionDenied
    return render(request, "casework/approval.html", approval_context(request, access))


