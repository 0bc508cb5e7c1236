"""/api/integrations/: what another system (the 111 hotline) may do — report, and follow the
status of what it reported. Authenticated by API key only (integrations.auth)."""

from __future__ import annotations

import inspect

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.api.errors import ConflictSerializer, ErrorSerializer, ValidationErrorSerializer
from casework.api.inputs import CaseOpenInput
from casework.api.throttling import ClientRateThrottle
from casework.errors import CaseNotFound, ValidationError
from casework.models import Channel
from permissions.access import case_queryset_for

from . import services
from .auth import ApiKeyAuthentication
from .models import IntegrationClient

IDEMPOTENCY_HEADER = "Idempotency-Key"


class HotlineReportInput(CaseOpenInput):
    """Form 01 as another system sends it: the incident's place by its statistical code."""

    incident_commune_id = None
    organisation_id = None
    client_token = None
    child_id = None  # a system cannot pick from a registry it cannot see
    channel = serializers.ChoiceField(choices=Channel.choices, required=False, default=Channel.HOTLINE_111)
    incident_area_code = serializers.CharField(
        max_length=16, help_text=_("Statistical code of the commune or ward where it happened. A code retired by "
                                   "the July 2025 reorganisation is accepted when one commune succeeded it."))

    def service_kwargs(self) -> dict:
        body = dict(self.validated_data)
        body.pop("incident_area_code")
        # The commune is resolved from the code by the service (integrations.services).
        body["incident_commune_id"] = 0
        self._validated_data = body
        return super().service_kwargs()


class IntegrationReportStatusSerializer(serializers.Serializer):
    class CommuneSerializer(serializers.Serializer):
        code = serializers.CharField()
        name = serializers.CharField()

    id = serializers.IntegerField()
    code = serializers.CharField(help_text=_("The case number at the commune."))
    status = serializers.CharField(help_text=_("The case's status code (received, verifying, … closed)."))
    opened_at = serializers.DateTimeField()
    commune = CommuneSerializer(help_text=_("The commune responsible now."))


EXAMPLE_REPORT = {
    "received_at": "2026-03-02T08:15:00+07:00", "classification": "abused", "incident_area_code": "26734",
    "child": {"full_name": "Lý Thị Bé", "estimated_age": 9, "sex": "female"},
    "environment": "family", "description": "Hàng xóm nghe tiếng trẻ khóc và bị đánh nhiều lần.",
    "abuse_forms": ["violence_physical"], "perpetrators": [{"relation_code": "father"}],
}
EXAMPLE_STATUS = {"id": 42, "code": "26734-2026-000042", "status": "received",
                  "opened_at": "2026-03-02T08:16:03+07:00", "commune": {"code": "26734", "name": "Phường Bến Thành"}}
IDEMPOTENCY_PARAM = OpenApiParameter(
    IDEMPOTENCY_HEADER, str, OpenApiParameter.HEADER, required=True,
    description=_("A unique string per report (e.g. the hotline's call id), at most 128 characters. The same key "
                  "with the same body returns the first answer; with a different body, 409."))
E401 = OpenApiResponse(ErrorSerializer, description=_("No API key, or a wrong, rotated or revoked one."))
E403 = OpenApiResponse(ErrorSerializer, description=_("The client's account may not report."))


class IsIntegrationClient(BasePermission):
    """Only a request signed with an API key: a person's session or token never reaches here."""

    def has_permission(self, request, view) -> bool:
        return isinstance(request.auth, IntegrationClient)


class IntegrationRateThrottle(ClientRateThrottle):
    """One bucket per client credential (``API_RATE_LIMITS["integration"]``): a hotline retrying in
    a loop is slowed down without touching the officers' own limits."""

    def scope_for(self, request) -> str:
        return "integration"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": getattr(request.auth, "pk", self.get_ident(request))}


class _IntegrationView(APIView):
    authentication_classes = [ApiKeyAuthentication]
    permission_classes = [IsIntegrationClient]
    throttle_classes = [IntegrationRateThrottle]


class ReportCreateView(_IntegrationView):
    @extend_schema(
        operation_id="integrations_report_create", tags=["integrations"],
        summary=_("Push a report (form 01) from another system"),
        description=inspect.getdoc(services.report_receive), request=HotlineReportInput,
        parameters=[IDEMPOTENCY_PARAM],
        examples=[OpenApiExample("111 call", value=EXAMPLE_REPORT, request_only=True),
                  OpenApiExample("report opened", value=EXAMPLE_STATUS, response_only=True, status_codes=["201"])],
        responses={
            201: OpenApiResponse(IntegrationReportStatusSerializer, description=_(
                "The report was recorded (or, for a repeated key and body, had been). The header "
                "Idempotent-Replayed: true marks a repeated answer.")),
            400: OpenApiResponse(ValidationErrorSerializer, description=_(
                "Invalid input, a missing Idempotency-Key, or an unknown or retired area code "
                "(errors.incident_area_code); nothing was written.")),
            401: E401, 403: E403,
            409: OpenApiResponse(ConflictSerializer, description=_(
                "code idempotency_key_reused: the key was used before for a different body.")),
        })
    def post(self, request):
        key = (request.headers.get(IDEMPOTENCY_HEADER) or "").strip()
        if not key or len(key) > 128:
            raise ValidationError({IDEMPOTENCY_HEADER: _("Send a unique Idempotency-Key header (1–128 characters).")})
        body = HotlineReportInput(data=request.data)
        body.is_valid(raise_exception=True)
        area_code = body.validated_data["incident_area_code"]
        data = body.service_kwargs()["data"]
        answer, replayed = services.report_receive(
            client=request.auth, idempotency_key=key, fingerprint=services.body_fingerprint(request.data),
            area_code=area_code, data=data)
        response = Response(answer, status=status.HTTP_201_CREATED)
        if replayed:
            response["Idempotent-Replayed"] = "true"
        return response


class ReportStatusView(_IntegrationView):
    @extend_schema(
        operation_id="integrations_report_status", tags=["integrations"],
        summary=_("Where a report you sent stands"),
        description=_("Only reports your organisation sent; never the child's identity."),
        examples=[OpenApiExample("in verification", value={**EXAMPLE_STATUS, "status": "verifying"})],
        responses={200: IntegrationReportStatusSerializer, 401: E401,
                   404: OpenApiResponse(ErrorSerializer, description=_("No such report among yours."))})
    def get(self, request, report_id: int):
        case = (case_queryset_for(request.user, content=False).select_related("commune")
                .filter(pk=report_id).first())
        if case is None:
            raise CaseNotFound()
        return Response(services.status_view(case))
