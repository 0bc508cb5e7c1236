"""How the web face carries out each action of the offer model: the form a person fills in and
the one service it calls.

*Whether* an action is offered, to whom and why not, is ``casework.selectors.offers`` (which
reads ``workflows.flows`` and ``permissions.rules``); the services check everything again. This
table only knows forms. ``tests/casework/test_offers.py`` fails when an offered action has no
entry here or in the API.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from triage import labels as TL
from triage.forms import ReportAttachForm
from triage.services import report_attach

from .. import forms as F
from ..selectors.offers import SPECS, TASK_MOVES, Offer, action_choices
from ..services import emergency, grants, lifecycle, plans, tasks, transfers

SAVED = _("Saved.")


@dataclass(frozen=True)
class WebAction:
    form: type
    service: Callable[..., Any]
    done: Any = SAVED
    # Keyword arguments fixed by the action (the task move, the transfer decision).
    fixed: dict = field(default_factory=dict)
    # The hidden field naming the record the action acts on.
    record_field: str = ""
    # Shown as a link to a page of its own rather than a form on the case page.
    page: str = ""


W = WebAction
WEB_ACTIONS: dict[str, WebAction] = {
    "verification_start": W(F.ConfirmForm, lifecycle.case_verification_start, _("Verification started.")),
    "verification_record": W(F.VerificationForm, lifecycle.case_verification_record,
                             _("Verification findings recorded.")),
    "initial_assessment_start": W(F.ConfirmForm, lifecycle.case_initial_assessment_start,
                                  _("Initial assessment started.")),
    "initial_assessment_record": W(F.InitialAssessmentForm, lifecycle.initial_assessment_record,
                                   _("Initial assessment recorded.")),
    "emergency_declare": W(F.ReasonForm, lifecycle.case_emergency_declare, _("Emergency declared.")),
    "emergency_order": W(F.EmergencyOrderForm, emergency.emergency_measure_order, _("Emergency measure ordered.")),
    "isolation_issue": W(F.IsolationIssueForm, emergency.isolation_issue, _("Isolation order issued.")),
    "emergency_end": W(F.OptionalReasonForm, lifecycle.case_emergency_end, _("Emergency phase ended.")),
    "comprehensive_start": W(F.ConfirmForm, lifecycle.case_comprehensive_start,
                             _("Comprehensive assessment started.")),
    "comprehensive_record": W(F.ComprehensiveAssessmentForm, lifecycle.comprehensive_assessment_record,
                              _("Comprehensive assessment recorded.")),
    "conference_record": W(F.ConferenceForm, lifecycle.conference_record, _("Conference minutes recorded.")),
    "planning_start": W(F.ConfirmForm, plans.case_planning_start, _("Plan drafting started.")),
    # Form 04 has a page of its own (measures per body); it posts to plans.plan_draft_save.
    "plan_draft": W(F.PlanForm, plans.plan_draft_save, _("Draft plan saved."), page="web:plan_edit"),
    "plan_submit": W(F.ConfirmForm, plans.plan_submit, _("Plan submitted to the chairperson.")),
    "plan_approve": W(F.PlanDecisionForm, plans.plan_approve, _("Plan approved; tasks sent to the bodies.")),
    "plan_return": W(F.ReasonForm, plans.plan_return, _("Plan returned to the officer.")),
    "plan_revise": W(F.ReasonForm, plans.plan_revise, _("Plan adjustment started.")),
    "review_start": W(F.ConfirmForm, lifecycle.case_review_start, _("Review started.")),
    "review_record": W(F.ReviewForm, lifecycle.review_record, _("Review recorded.")),
    "case_close": W(F.CloseForm, lifecycle.case_close, _("Case closed.")),
    "case_new_cycle": W(F.ReasonForm, lifecycle.case_new_cycle, _("New plan cycle started.")),
    "task_assign": W(F.TaskAssignForm, tasks.task_assign, _("Task assigned.")),
    "level_change": W(F.LevelForm, lifecycle.case_level_change, _("Protection level changed.")),
    "report_attach": W(ReportAttachForm, report_attach, TL.ATTACH_DONE),
    "transfer_request": W(F.TransferRequestForm, transfers.transfer_request, _("Transfer requested.")),
    "not_eligible": W(F.ReasonForm, lifecycle.case_not_eligible, _("Case closed as not eligible.")),
    "reopen": W(F.ReopenForm, lifecycle.case_reopen, _("Case reopened.")),
    "grant_give": W(F.GrantForm, grants.grant_give, _("The case is shared.")),
    "break_glass": W(F.BreakGlassForm, grants.identity_break_glass,
                     _("The child's identity is open to you for one hour.")),
    # On one record of the case.
    "emergency_record": W(F.EmergencyRecordForm, emergency.emergency_measure_record, _("Outcome recorded."),
                          record_field="measure_id"),
    "isolation_extend": W(F.IsolationExtendForm, emergency.isolation_extend, _("Isolation order extended."),
                          record_field="order_id"),
    "isolation_revoke": W(F.IsolationRevokeForm, emergency.isolation_revoke, _("Isolation order revoked."),
                          record_field="order_id"),
    "transfer_accept": W(F.TransferAcceptForm, transfers.transfer_decide, _("Transfer accepted."),
                         fixed={"accept": True}, record_field="transfer_id"),
    "transfer_decline": W(F.TransferDeclineForm, transfers.transfer_decide, _("Transfer declined."),
                          fixed={"accept": False}, record_field="transfer_id"),
    "transfer_cancel": W(F.TransferCancelForm, transfers.transfer_cancel, _("Transfer withdrawn."),
                         record_field="transfer_id"),
    **{f"task_{move}": W(F.TaskReasonForm if move in ("decline", "fail", "cancel") else F.TaskMoveForm,
                         tasks.task_move, _("Task updated."), fixed={"action": move}, record_field="task_id")
       for move in TASK_MOVES},
    "task_log": W(F.TaskLogForm, tasks.task_log_add, _("Action logged."), record_field="task_id"),
}


def form_kwargs(key: str, case, offer: Offer | None = None) -> dict:
    """What the action's form needs besides its data: the choice lists, from the offer when the
    page has it, else from the rules that bound them (a POST rebuilds the form to validate it)."""
    choices = offer.choices if offer is not None else action_choices(SPECS[key], case)
    return {name: values for name, values in choices.items()}


def form_for(offer: Offer, case, *, bound=None):
    """The form of an offer on a page: the bound one after a failed submit, else a fresh one."""
    action = WEB_ACTIONS[offer.key]
    initial: dict[str, Any] = {"version": case.version}
    if action.record_field:
        initial[action.record_field] = offer.record_id
    if offer.key == "emergency_record":
        initial["outcome"] = "taken"
    form = bound or action.form(initial=initial, **form_kwargs(offer.key, case, offer))
    # Several forms share one page: give each its own element ids (labels must point at one field).
    form.auto_id = "id_" + bound_key(offer.key, offer.record_id) + "_%s"
    return form


def bound_key(key: str, record_id) -> str:
    return f"{key}-{record_id}" if record_id is not None else key


def record_id_posted(key: str, data) -> int | None:
    field_name = WEB_ACTIONS[key].record_field
    if not field_name:
        return None
    try:
        return int(data.get(field_name, ""))
    except (TypeError, ValueError):
        return None


__all__ = ["WEB_ACTIONS", "WebAction", "bound_key", "form_for", "form_kwargs", "record_id_posted"]
