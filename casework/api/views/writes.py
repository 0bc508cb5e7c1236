"""Writes: one table (WRITES), one route, one view class and one service each."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.errors import CaseNotFound
from casework.models import Case
from casework.selectors import (
    case_for_user,
)
from casework.selectors.offers import case_actions_for
from casework.services import emergency, grants, lifecycle, plans, tasks, transfers
from triage import labels as TL
from triage.inputs import ReportAttachInput
from triage.services import report_attach

from .. import inputs
from .. import serializers as out
from ._common import WRITE_ERRORS

# ---------------------------------------------------------------- writes: one table, one view class each


@dataclass(frozen=True)
class Write:
    """One POST endpoint under /api/cases/{case_id}/ and the one service it calls."""

    path: str
    name: str
    service: Callable[..., Any]
    body: type[serializers.Serializer]
    summary: str
    tag: str
    # None: answer with the updated case file; else the serializer of the record the service returns.
    result: type[serializers.Serializer] | None = None
    created: bool = False
    # Keyword arguments fixed by the route (task_move's action, transfer_decide's accept).
    fixed: dict = field(default_factory=dict)
    # The offer model's action it carries out (``selectors.offers.SPECS``); "" for a write that is
    # not a case action (withdrawing a grant is done from the grant list).
    key: str = ""


def _case_of(result, case_id) -> Case:
    if isinstance(result, Case):
        return result
    return getattr(result, "case", None) or Case.objects.get(pk=case_id)


class CaseWriteView(APIView):
    write: Write

    def post(self, request, case_id, **record_ids):
        w = self.write
        # The case first: a caller who may not see it gets 404 whatever body they sent.
        case_for_user(request.user, case_id)
        body = w.body(data=request.data)
        body.is_valid(raise_exception=True)
        result = w.service(actor=request.user, case_id=case_id, **record_ids, **w.fixed, **body.service_kwargs())
        code = status.HTTP_201_CREATED if w.created else status.HTTP_200_OK
        if w.result is not None:
            return Response(w.result(result).data, status=code)
        return Response(case_after_write(request.user, _case_of(result, case_id)), status=code)


def case_after_write(user, case: Case) -> dict:
    """The case file after a write, read again through the access function (caps may have moved).

    The child comes masked: the writer did not ask to read the identity, and a full identity in
    every write response would fill the timeline with reads nobody made.
    """
    try:
        access = case_for_user(user, case.pk)
    except CaseNotFound:
        # The write succeeded but took the case out of the actor's reach: say what changed, no more.
        return out.CaseRefSerializer(case).data
    return out.render_case(access, offers=case_actions_for(access), url_for=offer_url)


RECORD_KWARG = {"measure": "measure_id", "order": "order_id", "transfer": "transfer_id", "task": "task_id"}


def offer_url(offer) -> str:
    """The API route that carries out an offered action."""
    w = WRITE_FOR[offer.key]
    kwargs = {"case_id": offer.case_id}
    if offer.spec.record:
        kwargs[RECORD_KWARG[offer.spec.record]] = offer.record_id
    return reverse(f"api:case-{w.name}", kwargs=kwargs)


def _action(slug, service, body, summary, *, key: str) -> Write:
    return Write(f"actions/{slug}/", slug, service, body, summary, "case actions", key=key)


L, P, EM, T, X, G = lifecycle, plans, emergency, tasks, transfers, grants
In = inputs
WRITES: list[Write] = [
    # The case's own path; each answers with the updated case file.
    _action("start-verification", L.case_verification_start, In.NoBodyInput, _("Start verification (art. 25)"), key="verification_start"),
    _action("record-verification", L.case_verification_record, In.VerificationRecordInput,
            _("Record the verification findings"), key="verification_record"),
    _action("start-initial-assessment", L.case_initial_assessment_start, In.NoBodyInput,
            _("Start the initial assessment (art. 26)"), key="initial_assessment_start"),
    _action("declare-emergency", L.case_emergency_declare, In.DeclareEmergencyInput, _("Declare an emergency"), key="emergency_declare"),
    _action("end-emergency", L.case_emergency_end, In.OptionalReasonInput, _("End the emergency phase"), key="emergency_end"),
    _action("start-comprehensive-assessment", L.case_comprehensive_start, In.NoBodyInput,
            _("Start the comprehensive assessment (art. 27)"), key="comprehensive_start"),
    _action("start-planning", P.case_planning_start, In.NoBodyInput, _("Start drafting the plan"), key="planning_start"),
    _action("submit-plan", P.plan_submit, In.NoBodyInput, _("Submit the draft plan for approval"), key="plan_submit"),
    _action("return-plan", P.plan_return, In.ReasonInput, _("Return the plan for revision"), key="plan_return"),
    _action("approve-plan", P.plan_approve, In.ApprovePlanInput, _("Approve the plan (form 05)"), key="plan_approve"),
    _action("revise-plan", P.plan_revise, In.ReasonInput, _("Start adjusting the approved plan"), key="plan_revise"),
    _action("start-review", L.case_review_start, In.NoBodyInput, _("Start the review (art. 30)"), key="review_start"),
    _action("close", L.case_close, In.ReasonInput, _("Close the case after its review"), key="case_close"),
    _action("new-cycle", L.case_new_cycle, In.ReasonInput, _("Start a new plan cycle after the review"), key="case_new_cycle"),
    _action("not-eligible", L.case_not_eligible, In.ReasonInput, _("Close the case as not eligible"), key="not_eligible"),
    _action("reopen", L.case_reopen, In.ReasonInput, _("Reopen a closed case"), key="reopen"),
    _action("attach", report_attach, ReportAttachInput,
            TL.ATTACH_SUMMARY, key="report_attach"),
    _action("change-level", L.case_level_change, In.ChangeLevelInput, _("Change the protection level"), key="level_change"),
    # Records added to the case; each answers with the record and the case's new version.
    Write("initial-assessments/", "initial-assessment-record", L.initial_assessment_record, In.InitialAssessmentInput,
          _("Record the initial assessment (form 02)"), "assessments", out.InitialAssessmentResultSerializer,
          created=True, key="initial_assessment_record"),
    Write("comprehensive-assessments/", "comprehensive-assessment-record", L.comprehensive_assessment_record,
          In.ComprehensiveAssessmentInput, _("Record the comprehensive assessment (form 03)"), "assessments",
          out.ComprehensiveAssessmentResultSerializer, created=True, key="comprehensive_record"),
    Write("conferences/", "conference-record", L.conference_record, In.ConferenceInput,
          _("Record the case conference minutes"), "assessments", out.ConferenceResultSerializer, created=True, key="conference_record"),
    Write("reviews/", "review-record", L.review_record, In.ReviewInput, _("Record the review (form 06)"),
          "assessments", out.ReviewResultSerializer, created=True, key="review_record"),
    Write("plans/", "plan-draft-save", P.plan_draft_save, In.PlanDraftInput, _("Save the draft plan (form 04)"),
          "plans", out.PlanResultSerializer, created=True, key="plan_draft"),
    Write("emergency-measures/", "emergency-measure-order", EM.emergency_measure_order,
          In.EmergencyMeasureOrderInput, _("Order an emergency measure (art. 31)"), "emergency",
          out.EmergencyMeasureResultSerializer, created=True, key="emergency_order"),
    Write("emergency-measures/<int:measure_id>/outcome/", "emergency-measure-outcome", EM.emergency_measure_record,
          In.EmergencyMeasureOutcomeInput, _("Report the outcome of an emergency measure"), "emergency",
          out.EmergencyMeasureResultSerializer, key="emergency_record"),
    Write("isolation-orders/", "isolation-order-issue", EM.isolation_issue, In.IsolationIssueInput,
          _("Issue a temporary isolation order (form 07)"), "emergency", out.IsolationOrderResultSerializer,
          created=True, key="isolation_issue"),
    Write("isolation-orders/<int:order_id>/extend/", "isolation-order-extend", EM.isolation_extend,
          In.IsolationExtendInput, _("Extend an isolation order"), "emergency", out.IsolationOrderResultSerializer, key="isolation_extend"),
    Write("isolation-orders/<int:order_id>/revoke/", "isolation-order-revoke", EM.isolation_revoke, In.ReasonInput,
          _("Revoke an isolation order"), "emergency", out.IsolationOrderResultSerializer, key="isolation_revoke"),
    Write("tasks/", "task-assign", T.task_assign, In.TaskAssignInput, _("Refer a task to a body"), "tasks",
          out.TaskResultSerializer, created=True, key="task_assign"),
    *[Write(f"tasks/<int:task_id>/{move}/", f"task-{move}", T.task_move,
            In.ReasonInput if needs_reason else In.OptionalReasonInput, summary, "tasks", out.TaskResultSerializer,
            fixed={"action": move}, key=f"task_{move}")
      for move, needs_reason, summary in [
          ("accept", False, _("Accept a task (its body)")),
          ("decline", True, _("Decline a task (its body)")),
          ("start", False, _("Start work on a task (its body)")),
          ("complete", False, _("Complete a task (its body)")),
          ("fail", True, _("Report that a task could not be done (its body)")),
          ("cancel", True, _("Cancel a task (the officer)")),
      ]],
    Write("tasks/<int:task_id>/logs/", "task-log-add", T.task_log_add, In.TaskLogInput,
          _("Log an action taken on a task"), "tasks", out.TaskLogResultSerializer, created=True, key="task_log"),
    Write("transfers/", "transfer-request", X.transfer_request, In.TransferRequestInput,
          _("Ask another commune to take over the case"), "transfers", out.TransferResultSerializer, created=True, key="transfer_request"),
    Write("transfers/<int:transfer_id>/accept/", "transfer-accept", X.transfer_decide, In.OptionalReasonInput,
          _("Accept a transfer (the receiving commune)"), "transfers", out.TransferResultSerializer,
          fixed={"accept": True}, key="transfer_accept"),
    Write("transfers/<int:transfer_id>/decline/", "transfer-decline", X.transfer_decide, In.ReasonInput,
          _("Decline a transfer (the receiving commune)"), "transfers", out.TransferResultSerializer,
          fixed={"accept": False}, key="transfer_decline"),
    Write("transfers/<int:transfer_id>/cancel/", "transfer-cancel", X.transfer_cancel, In.ReasonInput,
          _("Withdraw a transfer (the sending commune)"), "transfers", out.TransferResultSerializer, key="transfer_cancel"),
    # Sharing beyond a role's reach, and the supervisor's audited look at an identity.
    Write("grants/", "grant-give", G.grant_give, In.GrantInput,
          _("Share the case with a user or group, for a purpose, until an expiry"), "access",
          out.GrantListSerializer, created=True, key="grant_give"),
    Write("grants/<int:grant_id>/revoke/", "grant-revoke", G.grant_revoke, In.GrantRevokeInput,
          _("Withdraw a grant"), "access"),
    Write("break-glass/", "break-glass", G.identity_break_glass, In.BreakGlassInput,
          _("See the child's identity for an audit, stating why (one hour)"), "access", out.GrantSerializer,
          created=True, key="break_glass"),
]
WRITE_FOR = {w.key: w for w in WRITES if w.key}


def write_view(w: Write) -> type[CaseWriteView]:
    """A view class per write, so each has its own operation, request body and responses in the schema."""
    result = w.result or out.CASE_DETAIL_SCHEMA
    schema = extend_schema(
        operation_id="cases_" + w.name.replace("-", "_"),
        summary=w.summary,
        description=inspect.getdoc(w.service),
        tags=[w.tag],
        request=w.body,
        responses={(201 if w.created else 200): result, **WRITE_ERRORS},
    )
    name = "".join(part.title() for part in w.name.split("-")) + "View"
    return extend_schema_view(post=schema)(type(name, (CaseWriteView,), {"write": w, "__doc__": w.summary}))


