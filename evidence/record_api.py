"""The API of files on records without a case, under /api/evidence/.

``records/{owner}/{id}/files/``: GET lists the files of a prevention activity, a reported target
value or a periodic report (paginated) with ``actions`` from the same offer as the pages; POST
(multipart/form-data) attaches one. ``files/{key}/content/`` hands out the bytes (logged in the
file log); ``files/{key}/withdraw/`` withdraws. Errors use the one error model.
"""

from __future__ import annotations

from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.api.errors import ErrorSerializer, Pagination
from casework.errors import NotFound
from permissions import evidence as rules

from . import records
from .api import E400, E409  # the same refusals as for case files
from .models import OwnerKind
from .selectors import record_file_rows, record_files, record_offers
from .views import file_response

E403 = OpenApiResponse(ErrorSerializer, description=_("You may see the record but not do this."))
E404 = OpenApiResponse(ErrorSerializer, description=_(
    "The record (or the file) does not exist or is out of your reach; the two look the same."))
OWNER = OpenApiParameter("owner", str, OpenApiParameter.PATH, enum=OwnerKind.values,
                         description=_("What the files are attached to."))


class RecordFileOfferSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField(source="spec.label")
    enabled = serializers.BooleanField()
    reason = serializers.CharField()


class RecordFileSerializer(serializers.Serializer):
    key = serializers.CharField(source="file.key", help_text=_("Random; the only handle of the file."))
    owner = serializers.CharField(source="file.owner")
    record_id = serializers.IntegerField(source="file.owner_id")
    name = serializers.CharField(source="file.original_name")
    description = serializers.CharField(source="file.description")
    content_type = serializers.CharField(source="file.content_type")
    size = serializers.IntegerField(source="file.size")
    sha256 = serializers.CharField(source="file.sha256")
    metadata_stripped = serializers.BooleanField(source="file.metadata_stripped")
    uploaded_at = serializers.DateTimeField(source="file.uploaded_at")
    withdrawn_at = serializers.DateTimeField(source="file.withdrawn_at", allow_null=True)
    downloadable = serializers.BooleanField()
    may_withdraw = serializers.SerializerMethodField()

    def get_may_withdraw(self, row) -> bool:
        return row.withdraw is not None


class RecordFileUploadSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True)
    description = serializers.CharField(required=False, allow_blank=True, max_length=255)


def _access(request, owner, record_id):
    if owner not in OwnerKind.values:
        raise NotFound
    return records.record_access(request.user, owner, record_id)


class RecordFileListView(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(operation_id="record_files_list", tags=["evidence"], parameters=[OWNER],
                   summary=_("The files of an activity, a reported target value or a report"),
                   responses={200: inline_serializer("RecordFilePage", {
                       "count": serializers.IntegerField(), "next": serializers.CharField(allow_null=True),
                       "previous": serializers.CharField(allow_null=True),
                       "results": RecordFileSerializer(many=True),
                       "actions": RecordFileOfferSerializer(many=True)}), 404: E404})
    def get(self, request, owner, record_id):
        access = _access(request, owner, record_id)
        offers = record_offers(request.user, access)
        if not rules.record_files_open(access.reader, offers):
            raise NotFound
        paginator = Pagination()
        page = paginator.paginate_queryset(record_files(access), request, view=self)
        rows = record_file_rows(request.user, access, page)
        response = paginator.get_paginated_response(RecordFileSerializer(rows, many=True).data)
        response.data["actions"] = RecordFileOfferSerializer(offers, many=True).data
        return response

    @extend_schema(operation_id="record_files_attach", tags=["evidence"], parameters=[OWNER],
                   summary=_("Attach a file to an activity or a report"),
                   description=_("PDF, JPEG, PNG, DOCX or XLSX, checked on the content; at most 10 MB. "
                                 "Image metadata (GPS) is removed; the SHA-256 goes to the file log."),
                   request={"multipart/form-data": RecordFileUploadSerializer},
                   responses={201: RecordFileSerializer, 400: E400, 403: E403, 404: E404})
    def post(self, request, owner, record_id):
        access = _access(request, owner, record_id)   # before the body is parsed
        body = RecordFileUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        file = records.record_file_add(actor=request.user, owner=owner, record_id=access.record.pk,
                                       upload=body.validated_data["file"],
                                       description=body.validated_data.get("description", ""))
        rows = record_file_rows(request.user, access, [file])
        return Response(RecordFileSerializer(rows[0]).data, status=201)


class RecordFileContentView(APIView):
    @extend_schema(operation_id="record_files_content", tags=["evidence"], summary=_("Download a file (logged)"),
                   responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, 404: E404, 409: E409})
    def get(self, request, key):
        file, data = records.record_file_open(actor=request.user, key=key, channel="api")
        return file_response(file, data)


class RecordFileWithdrawView(APIView):
    parser_classes = [JSONParser, FormParser]

    @extend_schema(operation_id="record_files_withdraw", tags=["evidence"], summary=_("Withdraw a file"),
                   request=inline_serializer("RecordFileWithdrawBody", {"reason": serializers.CharField()}),
                   responses={200: RecordFileSerializer, 400: E400, 403: E403, 404: E404})
    def post(self, request, key):
        file = records.record_file_withdraw(actor=request.user, key=key, reason=str(request.data.get("reason", "")))
        access = records.record_access(request.user, file.owner, file.owner_id)
        rows = record_file_rows(request.user, access, [file])
        return Response(RecordFileSerializer(rows[0]).data)


urlpatterns = [
    path("records/<slug:owner>/<int:record_id>/files/", RecordFileListView.as_view(), name="record-files-list"),
    path("files/<str:key>/content/", RecordFileContentView.as_view(), name="record-files-content"),
    path("files/<str:key>/withdraw/", RecordFileWithdrawView.as_view(), name="record-files-withdraw"),
]
