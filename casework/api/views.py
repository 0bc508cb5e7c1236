"""The API's views. Each one parses with a serializer, calls ONE selector or service, renders.

No rule of the case lives here: who may see or do what is ``permissions.access`` and the
services; the state machine is ``workflows.flows``. Errors are mapped in ``errors.py``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q
from django.http import HttpResponse
from django.urls import reverse
from django.template import engines
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularRedocView
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.errors import CaseNotFound, PermissionDenied
from casework.models import Area, AreaKind, Case, CaseDeadline, Organisation, OrganisationKind, Term, TermKind
from casework.models.deadlines import ClockState
from casework import access_log
from casework.selectors import (
    case_clocks_for,
    case_for_user,
    case_list_for_user,
    case_readers,
    case_timeline,
)
from casework.selectors.offers import case_actions_for
from casework.services import emergency, grants, intake, lifecycle, plans, tasks, transfers
from permissions.access import CaseAccess, assignments_of, case_queryset_for
from permissions.roles import Capability
from workflows.states import CaseStatus

from . import inputs
from . import serializers as out
from .errors import ConflictSerializer, ErrorSerializer, ValidationErrorSerializer
from .fields import enum_field, id_field

# ---------------------------------------------------------------- documented errors

E400 = OpenApiResponse(ValidationErrorSerializer, description=_("Invalid input; nothing was written."))
E403 = OpenApiResponse(ErrorSerializer, description=_("You may see the case but not do this."))
E403_OPEN = OpenApiResponse(ErrorSerializer, description=_("You may not open cases."))
E403_READ = OpenApiResponse(ErrorSerializer, description=_("You may see only the status of this case."))
E404 = OpenApiResponse(ErrorSerializer, description=_(
    "The case (or the record in it) does not exist or is out of your reach; the two look the same."))
E409 = OpenApiResponse(ConflictSerializer, description=_(
    "Not possible in the current state, a condition is unmet, or the version sent is stale."))
READ_ERRORS = {403: E403_READ, 404: E404}
WRITE_ERRORS = {400: E400, 403: E403, 404: E404, 409: E409}


def content_access(user, case_id) -> CaseAccess:
    """The case for a read of its content; a status-only viewer knows it exists, so 403, not 404."""
    access = case_for_user(user, case_id)
    if not access.content_visible:
        raise PermissionDenied(_("You may see only the status of this case."))
    return access


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


# ---------------------------------------------------------------- cases: list, open, read


class CaseListQuery(serializers.Serializer):
    status = enum_field(CaseStatus, "CaseStatus", required=False, help_text=_("Only cases in this status."))
    open = serializers.BooleanField(required=False, default=False, help_text=_("1: only open cases."))
    commune = id_field(required=False, help_text=_("Area id of the responsible commune."))
    overdue = serializers.BooleanField(required=False, default=False, help_text=_("1: only cases with a missed clock."))


@extend_schema_view(
    get=extend_schema(
        operation_id="cases_list", tags=["cases"], summary=_("Cases you may see"),
        description=_("Newest first. The child is always masked here (initials, age, sex). A case you may see "
                      "only the status of (the 111 hotline) shows only id, code, status and opened_at."),
        parameters=[CaseListQuery], responses={200: out.CASE_LIST_ENTRY_SCHEMA, 400: E400}),
    post=extend_schema(
        operation_id="cases_open", tags=["cases"], summary=_("Report a case (form 01)"),
        description=inspect.getdoc(intake.case_open), request=inputs.CaseOpenInput,
        responses={201: out.CASE_DETAIL_SCHEMA, 400: E400, 403: E403_OPEN}),
)
class CaseListView(generics.ListAPIView):
    def get_queryset(self):
        query = CaseListQuery(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        q = query.validated_data
        return case_list_for_user(
            self.request.user, status=q.get("status"), open_only=q["open"], commune_id=q.get("commune"),
            overdue=q["overdue"],
        ).prefetch_related(Prefetch(
            "deadlines", to_attr="open_clocks",
            queryset=CaseDeadline.objects.filter(met_at__isnull=True, state__in=[ClockState.RUNNING,
                                                                                  ClockState.BREACHED])
            .order_by("due_at")))

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        # Which rows the user may read beyond the status: one query through the access function.
        content = set(case_queryset_for(request.user).filter(pk__in=[c.pk for c in page])
                      .values_list("pk", flat=True))
        return self.get_paginated_response([
            (out.CaseListItemSerializer if case.pk in content else out.CaseStatusOnlySerializer)(case).data
            for case in page])

    def post(self, request):
        body = inputs.CaseOpenInput(data=request.data)
        body.is_valid(raise_exception=True)
        case = intake.case_open(actor=request.user, **body.service_kwargs())
        return Response(case_after_write(request.user, case), status=status.HTTP_201_CREATED)


class CaseDetailView(APIView):
    @extend_schema(
        operation_id="cases_retrieve", tags=["cases"], summary=_("The case file"),
        description=_("Everything on the case as you may see it, with the actions you may take now. The "
                      "child's identity is shown only to roles allowed to see it, and each such read is "
                      "recorded on the case. A user who may see only the status gets id, code, status and "
                      "opened_at."),
        parameters=[OpenApiParameter("purpose", str, description=_(
            "Why you open the file; recorded with the identity read."))],
        responses={200: out.CASE_DETAIL_SCHEMA, 404: E404})
    def get(self, request, case_id):
        access = case_for_user(request.user, case_id)
        child = None
        if access.content_visible:
            child = access_log.reveal_child(access, channel="api",
                                            purpose=request.query_params.get("purpose", "")[:500])
        return Response(out.render_case(access, child=child, offers=case_actions_for(access), url_for=offer_url))


class CaseActionsView(APIView):
    @extend_schema(operation_id="cases_actions", tags=["case actions"], summary=_("What you may do on the case now"),
                   description=_("The offer model the web page renders: every action you may take on the case or "
                                 "one of its records, enabled or with the reason it is not possible yet, where to "
                                 "send it and the allowed values of its closed lists."),
                   responses={200: out.OfferSerializer(many=True), **READ_ERRORS})
    def get(self, request, case_id):
        access = content_access(request.user, case_id)
        return Response(out.OfferSerializer(case_actions_for(access), many=True,
                                            context={"url_for": offer_url}).data)


class CaseTimelineView(APIView):
    @extend_schema(operation_id="cases_timeline", tags=["cases"], summary=_("The case timeline"),
                   description=_("Every change, oldest first. Reads of the child's identity are listed only "
                                 "for roles that audit the case."),
                   responses={200: out.CaseEventSerializer(many=True), **READ_ERRORS})
    def get(self, request, case_id):
        events = case_timeline(content_access(request.user, case_id))
        return Response(out.CaseEventSerializer(events, many=True).data)


class CaseReadersView(APIView):
    @extend_schema(operation_id="cases_readers", tags=["access"], summary=_("Who has seen this case"),
                   description=_("Every read of the child's identity and every export of the file, newest first: "
                                 "who, in which role, when, through which channel, and why. For the chairperson "
                                 "and supervisors."),
                   responses={200: out.ReaderSerializer(many=True), **READ_ERRORS})
    def get(self, request, case_id):
        access = content_access(request.user, case_id)
        if Capability.CASE_AUDIT not in access.caps:
            raise PermissionDenied(_("Only the chairperson and supervisors see who read the case."))
        return Response(out.ReaderSerializer(case_readers(access), many=True).data)


class CaseClocksView(APIView):
    @extend_schema(operation_id="cases_clocks", tags=["cases"], summary=_("The case's clocks"),
                   description=_("Statutory and plan deadlines, soonest first, with warning and breach."),
                   responses={200: out.ClockSerializer(many=True), **READ_ERRORS})
    def get(self, request, case_id):
        return Response(out.ClockSerializer(case_clocks_for(content_access(request.user, case_id)), many=True).data)


# ---------------------------------------------------------------- reference data, the user, tokens


class AreaQuery(serializers.Serializer):
    kind = enum_field(AreaKind, "AreaKind", required=False)
    parent = id_field(required=False, help_text=_("Only the areas directly under this one."))
    q = serializers.CharField(required=False, help_text=_("Name or code contains."))
    current = serializers.BooleanField(required=False, default=False,
                                       help_text=_("1: only units that exist today (no valid_to)."))


@extend_schema_view(get=extend_schema(operation_id="reference_areas", tags=["reference"],
                                      summary=_("Provinces, communes and villages"), parameters=[AreaQuery],
                                      responses={200: out.AreaSerializer(many=True), 400: E400}))
class AreaListView(generics.ListAPIView):
    serializer_class = out.AreaSerializer

    def get_queryset(self):
        query = AreaQuery(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        q = query.validated_data
        qs = Area.objects.all()
        if q.get("kind"):
            qs = qs.filter(kind=q["kind"])
        if q.get("parent"):
            qs = qs.filter(parent_id=q["parent"])
        if q.get("q"):
            qs = qs.filter(Q(name__icontains=q["q"]) | Q(code__startswith=q["q"]))
        if q["current"]:
            qs = qs.filter(valid_to__isnull=True)
        return qs.order_by("path")


class OrganisationQuery(serializers.Serializer):
    kind = enum_field(OrganisationKind, "OrganisationKind", required=False)
    area = id_field(required=False, help_text=_("Only organisations in this area or below it."))
    q = serializers.CharField(required=False, help_text=_("Name contains."))
    active = serializers.BooleanField(required=False, default=False, help_text=_("1: only active ones."))


@extend_schema_view(get=extend_schema(operation_id="reference_organisations", tags=["reference"],
                                      summary=_("Organisations (bodies that report, act or decide)"),
                                      parameters=[OrganisationQuery],
                                      responses={200: out.OrganisationSerializer(many=True), 400: E400}))
class OrganisationListView(generics.ListAPIView):
    serializer_class = out.OrganisationSerializer

    def get_queryset(self):
        query = OrganisationQuery(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        q = query.validated_data
        qs = Organisation.objects.select_related("area")
        if q.get("kind"):
            qs = qs.filter(kind=q["kind"])
        if q.get("area"):
            area = Area.objects.filter(pk=q["area"]).first()
            qs = qs.filter(area__path__startswith=area.path) if area else qs.none()
        if q.get("q"):
            qs = qs.filter(name__icontains=q["q"])
        if q["active"]:
            qs = qs.filter(active=True)
        return qs.order_by("area__path", "name")


class TermQuery(serializers.Serializer):
    kind = enum_field(TermKind, "TermKind", required=False)


@extend_schema_view(get=extend_schema(operation_id="reference_terms", tags=["reference"],
                                      summary=_("Classification terms (abuse forms, groups, measures …)"),
                                      description=_("Active terms only; the codes are what the writes accept."),
                                      parameters=[TermQuery],
                                      responses={200: out.TermSerializer(many=True), 400: E400}))
class TermListView(generics.ListAPIView):
    serializer_class = out.TermSerializer

    def get_queryset(self):
        query = TermQuery(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        kind = query.validated_data.get("kind")
        qs = Term.objects.of(kind) if kind else Term.objects.filter(active=True)
        return qs.select_related("parent").order_by("kind", "order", "code")


class MeView(APIView):
    @extend_schema(operation_id="me", tags=["auth"], summary=_("Who you are and your roles"),
                   responses={200: out.MeSerializer})
    def get(self, request):
        user = request.user
        return Response(out.MeSerializer({
            "id": user.pk, "username": user.get_username(), "full_name": user.get_full_name(),
            "roles": assignments_of(user),
        }).data)


# ---------------------------------------------------------------- API documentation pages

# The stock ReDoc page loads web fonts from Google: a CDN, and a third party told who reads the
# docs. Same page, system fonts; the script itself comes from the sidecar package (/static/).
REDOC_PAGE = """{% extends "drf_spectacular/redoc.html" %}
{% block head %}<title>{{ title|default:"Redoc" }}</title><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body { margin: 0; padding: 0; }</style>{% endblock head %}"""


class RedocView(SpectacularRedocView):
    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        data = super().get(request, *args, **kwargs).data
        return HttpResponse(engines["django"].from_string(REDOC_PAGE).render(data, request))
