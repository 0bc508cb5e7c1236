"""The API of evidence files, under /api/cases/{id}/attachments/.

GET lists the case's files (paginated) with ``actions``: what the user may do, from the same
offer as the pages. POST (multipart/form-data) attaches one. ``{key}/content/`` hands out the
bytes (logged on the timeline); ``{key}/withdraw/`` withdraws. Errors use the one error model.
"""

from __future__ import annotations

from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.api.errors import ErrorSerializer, Pagination, ValidationErrorSerializer

from . import services
from .models import TargetKind
from .selectors import attachment_offers, attachments_for_case
from .views import file_response

E400 = OpenApiResponse(ValidationErrorSerializer, description=_("Not accepted (type, size, damaged image); "
                                                                 "nothing was written."))
E403 = OpenApiResponse(ErrorSerializer, description=_("You may see the case but not do this."))
E404 = OpenApiResponse(ErrorSerializer, description=_(
    "The case (or the file in it) does not exist or is out of your reach; the two look the same."))
E409 = OpenApiResponse(ErrorSerializer, description=_("The stored file no longer matches its recorded hash."))
E413 = OpenApiResponse(ErrorSerializer, description=_("The request body is too large."))


class EvidenceOfferSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField(source="spec.label")
    enabled = serializers.BooleanField()
    reason = serializers.CharField()
    targets = serializers.SerializerMethodField()

    def get_targets(self, offer) -> list[dict]:
        return [{"value": v, "label": str(label)} for v, label in offer.choices.get("targets", [])]


class EvidenceAttachmentSerializer(serializers.Serializer):
    key = serializers.CharField(source="attachment.key", help_text=_("Random; the only handle of the file."))
    target = serializers.CharField(source="attachment.target")
    record_id = serializers.SerializerMethodField()
    name = serializers.CharField(source="attachment.original_name")
    description = serializers.CharField(source="attachment.description")
    content_type = serializers.CharField(source="attachment.content_type")
    size = serializers.IntegerField(source="attachment.size")
    sha256 = serializers.CharField(source="attachment.sha256")
    metadata_stripped = serializers.BooleanField(source="attachment.metadata_stripped")
    uploaded_at = serializers.DateTimeField(source="attachment.uploaded_at")
    withdrawn_at = serializers.DateTimeField(source="attachment.withdrawn_at", allow_null=True)
    downloadable = serializers.BooleanField()
    may_withdraw = serializers.SerializerMethodField()

    def get_record_id(self, row) -> int | None:
        return row.attachment.measure_id or row.attachment.task_id

    def get_may_withdraw(self, row) -> bool:
        return row.withdraw is not None


class EvidenceUploadSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True)
    target = serializers.ChoiceField(choices=TargetKind.choices, default=TargetKind.CASE)
    record_id = serializers.IntegerField(required=False, allow_null=True,
                                         help_text=_("The measure's or task's id when target is measure or task."))
    description = serializers.CharField(required=False, allow_blank=True, max_length=255)


class EvidenceListView(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(operation_id="evidence_list", tags=["evidence"], summary=_("The case's evidence files"),
                   responses={200: inline_serializer("EvidencePage", {
                       "count": serializers.IntegerField(), "next": serializers.CharField(allow_null=True),
                       "previous": serializers.CharField(allow_null=True),
                       "results": EvidenceAttachmentSerializer(many=True),
                       "actions": EvidenceOfferSerializer(many=True)}), 404: E404})
    def get(self, request, case_id):
        access = services.evidence_access(request.user, case_id)
        paginator = Pagination()
        page = paginator.paginate_queryset(attachments_for_case(access), request, view=self)
        offers, rows = attachment_offers(access, page)
        response = paginator.get_paginated_response(EvidenceAttachmentSerializer(rows, many=True).data)
        response.data["actions"] = EvidenceOfferSerializer(offers, many=True).data
        return response

    @extend_schema(operation_id="evidence_attach", tags=["evidence"], summary=_("Attach a file"),
                   description=_("PDF, JPEG, PNG, DOCX or XLSX, checked on the content; at most 10 MB. "
                                 "Image metadata (GPS) is removed; the SHA-256 goes on the timeline."),
                   request={"multipart/form-data": EvidenceUploadSerializer},
                   responses={201: EvidenceAttachmentSerializer, 400: E400, 403: E403, 404: E404, 413: E413})
    def post(self, request, case_id):
        access = services.evidence_access(request.user, case_id)   # before the body is parsed
        body = EvidenceUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        attachment = services.attachment_add(
            actor=request.user, case_id=access.case.pk, upload=data["file"], target=data["target"],
            record_id=data.get("record_id"), description=data.get("description", ""))
        _offers, rows = attachment_offers(access, [attachment])
        return Response(EvidenceAttachmentSerializer(rows[0]).data, status=201)


class EvidenceContentView(APIView):
    @extend_schema(operation_id="evidence_content", tags=["evidence"], summary=_("Download a file (logged)"),
                   responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, 403: E403, 404: E404,
                              409: E409})
    def get(self, request, case_id, key):
        attachment, data = services.attachment_open(actor=request.user, case_id=case_id, key=key)
        return file_response(attachment, data)


class EvidenceWithdrawView(APIView):
    parser_classes = [JSONParser, FormParser]

    @extend_schema(operation_id="evidence_withdraw", tags=["evidence"], summary=_("Withdraw a file"),
                   request=inline_serializer("EvidenceWithdrawBody", {"reason": serializers.CharField()}),
                   responses={200: EvidenceAttachmentSerializer, 400: E400, 403: E403, 404: E404})
    def post(self, request, case_id, key):
        access = services.evidence_access(request.user, case_id)
        attachment = services.attachment_withdraw(actor=request.user, case_id=access.case.pk, key=key,
                                                  reason=str(request.data.get("reason", "")))
        _offers, rows = attachment_offers(access, [attachment])
        return Response(EvidenceAttachmentSerializer(rows[0]).data)


urlpatterns = [
    path("", EvidenceListView.as_view(), name="evidence-list"),
    path("<str:key>/content/", EvidenceContentView.as_view(), name="evidence-content"),
    path("<str:key>/withdraw/", EvidenceWithdrawView.as_view(), name="evidence-withdraw"),
]
