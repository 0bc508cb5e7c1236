"""Every change a person can make on a case page, as data: which form, which service, and when
it is offered.

What is offered follows the case machine (``lifecycle.case_flow``: ``has_perm`` and
``can_proceed``) and the user's capabilities on this case; the services check everything again,
so this only decides what to show. A transition the user may run but whose guard is unmet is
shown disabled, with the guard's own message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from permissions.access import assignments_of
from permissions.roles import Capability as C
from permissions.roles import Scope
from workflows.flows import TaskFlow
from workflows.states import (
    OPEN_CASE_STATUSES,
    EmergencyMeasureStatus,
    IsolationStatus,
    TaskStatus,
    TransferStatus,
)
from workflows.states import (
    CaseStatus as S,
)

from .. import forms as F
from ..services import emergency, lifecycle, plans, tasks, transfers
from ._common import organisations_for_case, other_communes

SAVED = _("Saved.")


@dataclass
class Action:
    key: str
    label: Any
    form: type
    service: Callable
    transition: str | None = None       # a CaseFlow transition
    capability: str | None = None       # for changes that add facts without moving the state
    statuses: tuple = ()
    danger: bool = False
    done: Any = SAVED
    help: Any = ""
    form_kwargs: Callable[[Any], dict] = field(default=lambda case: {})


def _orgs(case):
    return {"organisations": organisations_for_case(case)}


def _communes(case):
    return {"communes": other_communes(case)}


CASE_ACTIONS: list[Action] = [
    Action("verification_start", _("Start verification"), F.ConfirmForm, lifecycle.case_verification_start,
           transition="start_verification", done=_("Verification started."),
           help=_("Check the facts with the commune police (Decree 56 art. 25).")),
    Action("verification_record", _("Record the verification findings"), F.VerificationForm,
           lifecycle.case_verification_record, capability=C.CASE_VERIFY, statuses=(S.VERIFYING,),
           done=_("Verification findings recorded.")),
    Action("initial_assessment_start", _("Start the initial assessment (form 02)"), F.ConfirmForm,
           lifecycle.case_initial_assessment_start, transition="start_initial_assessment",
           done=_("Initial assessment started.")),
    Action("initial_assessment_record", _("Record the initial assessment (form 02)"), F.InitialAssessmentForm,
           lifecycle.initial_assessment_record, capability=C.CASE_ASSESS, statuses=(S.ASSESSING,),
           done=_("Initial assessment recorded.")),
    Action("emergency_declare", _("Declare an emergency"), F.ReasonForm, lifecycle.case_emergency_declare,
           transition="declare_emergency", danger=True, done=_("Emergency declared."),
           help=_("Emergency measures must be taken within 12 hours of receipt (art. 26.3, 31).")),
    Action("emergency_order", _("Order an emergency measure"), F.EmergencyOrderForm,
           emergency.emergency_measure_order, capability=C.EMERGENCY_ORDER, statuses=(S.EMERGENCY,),
           done=_("Emergency measure ordered."), form_kwargs=_orgs),
    Action("isolation_issue", _("Issue a temporary isolation order (form 07)"), F.IsolationIssueForm,
           emergency.isolation_issue, capability=C.ISOLATION_DECIDE, statuses=(S.EMERGENCY,), danger=True,
           done=_("Isolation order issued."),
           help=_("At most 15 days in total unless a competent authority requires more (art. 32).")),
    Action("emergency_end", _("End the emergency phase"), F.OptionalReasonForm, lifecycle.case_emergency_end,
           transition="end_emergency", done=_("Emergency phase ended.")),
    Action("comprehensive_start", _("Start the comprehensive assessment (form 03)"), F.ConfirmForm,
           lifecycle.case_comprehensive_start, transition="start_comprehensive_assessment",
           done=_("Comprehensive assessment started.")),
    Action("comprehensive_record", _("Record the comprehensive assessment (form 03)"),
           F.ComprehensiveAssessmentForm, lifecycle.comprehensive_assessment_record, capability=C.CASE_ASSESS,
           statuses=(S.COMPREHENSIVE,), done=_("Comprehensive assessment recorded.")),
    Action("conference_record", _("Record the case conference minutes"), F.ConferenceForm,
           lifecycle.conference_record, capability=C.CASE_ASSESS,
           statuses=(S.COMPREHENSIVE, S.PLANNING, S.RETURNED), done=_("Conference minutes recorded.")),
    Action("planning_start", _("Start drafting the plan (form 04)"), F.ConfirmForm, plans.case_planning_start,
           transition="start_planning", done=_("Plan drafting started.")),
    Action("plan_submit", _("Submit the plan for approval"), F.ConfirmForm, plans.plan_submit,
           transition="submit_plan", done=_("Plan submitted to the chairperson.")),
    Action("plan_approve", _("Approve the plan (form 05)"), F.PlanDecisionForm, plans.plan_approve,
           transition="approve_plan", done=_("Plan approved; tasks sent to the bodies.")),
    Action("plan_return", _("Return the plan for revision"), F.ReasonForm, plans.plan_return,
           transition="return_plan", done=_("Plan returned to the officer.")),
    Action("plan_revise", _("Propose an adjustment of the plan"), F.ReasonForm, plans.plan_revise,
           transition="revise_plan", done=_("Plan adjustment started.")),
    Action("review_start", _("Start the review (form 06)"), F.ConfirmForm, lifecycle.case_review_start,
           transition="start_review", done=_("Review started.")),
    Action("review_record", _("Record the review (form 06)"), F.ReviewForm, lifecycle.review_record,
           capability=C.CASE_ASSESS, statuses=(S.REVIEWING,), done=_("Review recorded.")),
    Action("case_close", _("End the plan and close the case"), F.ReasonForm, lifecycle.case_close,
           transition="close", done=_("Case closed.")),
    Action("case_new_cycle", _("Start a new plan cycle"), F.ReasonForm, lifecycle.case_new_cycle,
           transition="start_new_cycle", done=_("New plan cycle started.")),
    Action("task_assign", _("Assign a task or information request"), F.TaskAssignForm, tasks.task_assign,
           capability=C.TASK_ASSIGN, statuses=tuple(OPEN_CASE_STATUSES), done=_("Task assigned."),
           form_kwargs=_orgs),
    Action("level_change", _("Change the protection level"), F.LevelForm, lifecycle.case_level_change,
           capability=C.CASE_LEVEL, statuses=tuple(OPEN_CASE_STATUSES), done=_("Protection level changed.")),
    Action("transfer_request", _("Transfer to another commune"), F.TransferRequestForm, transfers.transfer_request,
           capability=C.CASE_TRANSFER, statuses=tuple(OPEN_CASE_STATUSES), done=_("Transfer requested."),
           form_kwargs=_communes),
    Action("not_eligible", _("Close as not eligible"), F.ReasonForm, lifecycle.case_not_eligible,
           transition="mark_not_eligible", danger=True, done=_("Case closed as not eligible.")),
    Action("reopen", _("Reopen the case"), F.ReasonForm, lifecycle.case_reopen, transition="reopen",
           done=_("Case reopened.")),
]

# Actions on one record of the case (a measure, an order, a transfer, a task): shown beside it.
ITEM_ACTIONS: list[Action] = [
    Action("emergency_record", _("Record the outcome"), F.EmergencyRecordForm, emergency.emergency_measure_record,
           done=_("Outcome recorded.")),
    Action("isolation_extend", _("Extend the order"), F.IsolationExtendForm, emergency.isolation_extend,
           done=_("Isolation order extended.")),
    Action("isolation_revoke", _("Revoke the order"), F.IsolationRevokeForm, emergency.isolation_revoke,
           danger=True, done=_("Isolation order revoked.")),
    Action("transfer_decide", _("Decide on the transfer"), F.TransferDecideForm, transfers.transfer_decide,
           done=_("Transfer decided.")),
    Action("transfer_cancel", _("Withdraw the transfer"), F.TransferCancelForm, transfers.transfer_cancel,
           done=_("Transfer withdrawn.")),
    Action("task_move", _("Update the task"), F.TaskMoveForm, tasks.task_move, done=_("Task updated.")),
    Action("task_log", _("Log an action"), F.TaskLogForm, tasks.task_log_add, done=_("Action logged.")),
]

ACTIONS = {a.key: a for a in CASE_ACTIONS + ITEM_ACTIONS}


def unmet_message(bound) -> str:
    """The guard message of a transition that may not proceed now."""
    try:
        transition = bound._descriptor.get_transition(bound._state.get(bound._instance))
        unmet = transition.get_unmet_condition(bound._instance) if transition else None
    except (AttributeError, TypeError):  # pragma: no cover - viewflow internals changed; the service explains
        return ""
    return str(getattr(unmet[1], "message", "") or "") if unmet else ""


@dataclass
class Offer:
    action: Action
    enabled: bool
    reason: str = ""


def offered(access, flow, records: dict) -> list[Offer]:
    """The case-level actions this user may take now (enabled) or could once a guard is met."""
    case = access.case
    offers = []
    for action in CASE_ACTIONS:
        if action.transition:
            bound = getattr(flow, action.transition)
            if not bound.has_perm(access.user):
                continue
            if bound.can_proceed():
                offers.append(Offer(action, True))
            else:
                offers.append(Offer(action, False, unmet_message(bound)))
        elif action.capability in access.caps and case.status in action.statuses:
            if action.key == "isolation_issue" and any(
                    o.status in (IsolationStatus.ISSUED, IsolationStatus.EXTENDED) for o in records["isolation_orders"]):
                continue
            if action.key == "transfer_request" and any(
                    t.status == TransferStatus.REQUESTED for t in records["transfers"]):
                continue
            offers.append(Offer(action, True))
    return offers


# ------------------------------------------------------------------ per-record permissions

def task_moves(access, task) -> list[str]:
    """Task moves this user may make now, e.g. ["accept", "decline"]."""
    if not access.case.is_open:
        return []
    flow = TaskFlow(task, caps=tasks.task_caps(access, task))
    return [name for name in ("accept", "decline", "start", "complete", "fail", "cancel")
            if getattr(flow, name).has_perm(access.user) and getattr(flow, name).can_proceed()]


def task_can_log(access, task) -> bool:
    return (access.case.is_open and C.TASK_ACT in tasks.task_caps(access, task)
            and task.status in (TaskStatus.ACCEPTED, TaskStatus.IN_PROGRESS))


def measure_can_record(access, measure) -> bool:
    if measure.status != EmergencyMeasureStatus.ORDERED or not access.case.is_open:
        return False
    if C.EMERGENCY_RECORD in access.caps:
        a = access.assignment(C.EMERGENCY_RECORD)
        return a.role.scope == Scope.AREA or a.organisation_id == measure.responsible_id
    return False


def order_can_decide(access, order) -> bool:
    return C.ISOLATION_DECIDE in access.caps and order.status in (IsolationStatus.ISSUED, IsolationStatus.EXTENDED)


def transfer_can_cancel(access, transfer) -> bool:
    return (transfer.status == TransferStatus.REQUESTED and C.CASE_TRANSFER in access.caps
            and transfer.from_commune_id == access.case.commune_id)


def transfer_can_decide(access, transfer) -> bool:
    if transfer.status != TransferStatus.REQUESTED:
        return False
    return any(a.role.scope == Scope.AREA and C.CASE_TRANSFER in a.role.capabilities
               and transfer.to_commune.path.startswith(a.area.path) for a in assignments_of(access.user))
