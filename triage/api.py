"""/api/triage/: the commune's queue of new reports. The triage actions themselves are the case
actions of the offer model (``/api/cases/{id}/actions/`` lists them with their URLs)."""

from __future__ import annotations

import inspect

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.api.errors import ConflictSerializer, ErrorSerializer, ValidationErrorSerializer
from casework.api.fields import enum_field
from casework.api.serializers.refs import MaskedChildSerializer
from casework.errors import NotFound, PermissionDenied
from casework.models import Channel, Sex
from permissions.triage import may_see_queue
from workflows.states import Classification

from .duplicates import identifier_of, person_of, reveal_suggestions, suggestions_for, visible_children
from .matching import Match
from .models import ChildMerge
from .selectors import queue_row, triage_queue_for
from .services import child_merge, child_merge_undo


class TriageClockSerializer(serializers.Serializer):
    due_at = serializers.DateTimeField(help_text=_("Received at + 12 hours (Decree 56 art. 26.3, 31)."))
    remaining_minutes = serializers.IntegerField()
    overdue_minutes = serializers.IntegerField()
    red = serializers.BooleanField()
    amber = serializers.BooleanField()


class TriageCommuneSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class TriageReportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    received_at = serializers.DateTimeField()
    channel = enum_field(Channel, "Channel")
    classification = enum_field(Classification, "Classification")
    urgent = serializers.BooleanField()
    transfer_pending = serializers.BooleanField()
    commune = TriageCommuneSerializer()
    reporting_organisation = serializers.CharField(source="reporter.name")
    child = MaskedChildSerializer()
    clock = TriageClockSerializer(allow_null=True, help_text=_("Only for urgent reports."))


class TriageQueueView(generics.ListAPIView):
    serializer_class = TriageReportSerializer

    @extend_schema(operation_id="triage_queue", tags=["triage"], summary=_("The triage queue"),
                   description=_("Received reports of the communes you triage, urgent first, then the oldest. "
                                 "Act on one through its case actions (accept = start-verification, attach, "
                                 "transfer, not-eligible)."),
                   responses={200: TriageReportSerializer(many=True), 403: ErrorSerializer})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if not may_see_queue(self.request.user):
            raise PermissionDenied(_("You do not triage reports."))
        return triage_queue_for(self.request.user)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        now = timezone.now()
        return self.get_paginated_response(TriageReportSerializer([queue_row(c, now) for c in page], many=True).data)


# ---------------------------------------------------------------- duplicate children


class DuplicateReasonSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    weight = serializers.FloatField()


class DuplicateSuggestionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()
    date_of_birth = serializers.DateField(allow_null=True)
    age = serializers.IntegerField(allow_null=True)
    sex = enum_field(Sex, "Sex")
    score = serializers.FloatField()
    reasons = DuplicateReasonSerializer(many=True)


class ChildMergeInput(serializers.Serializer):
    kept_id = serializers.IntegerField(min_value=1)
    merged_id = serializers.IntegerField(min_value=1)
    reason = serializers.CharField()


class ChildMergeUndoInput(serializers.Serializer):
    reason = serializers.CharField()


class ChildMergeResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kept_id = serializers.IntegerField()
    merged_id = serializers.IntegerField()
    moved_cases = serializers.ListField(child=serializers.IntegerField())
    moved_entries = serializers.ListField(child=serializers.IntegerField())
    merged_at = serializers.DateTimeField()
    undone_at = serializers.DateTimeField(allow_null=True)


E404 = OpenApiResponse(ErrorSerializer, description=_("No such child among those you may identify."))


class ChildDuplicatesView(APIView):
    @extend_schema(operation_id="triage_child_duplicates", tags=["triage"],
                   summary=_("Possible duplicates of a child"),
                   description=_("Children you may identify who may be the same child, best first, with the reasons. "
                                 "Each one returned is recorded as a read of the child's identity."),
                   responses={200: DuplicateSuggestionSerializer(many=True), 404: E404})
    def get(self, request, child_id):
        child = visible_children(request.user).filter(pk=child_id).first()
        if child is None or not reveal_suggestions(request.user, [Match(1.0, [], person_of(child))],
                                                   channel="api_duplicates"):
            raise NotFound
        matches = suggestions_for(request.user, person_of(child, identifier_of(child)), exclude=[child.pk])
        shown = reveal_suggestions(request.user, matches, channel="api_duplicates")
        return Response(DuplicateSuggestionSerializer(shown, many=True).data)


class ChildMergeView(APIView):
    @extend_schema(operation_id="triage_child_merge", tags=["triage"], summary=_("Merge two records of one child"),
                   description=inspect.getdoc(child_merge), request=ChildMergeInput,
                   responses={201: ChildMergeResultSerializer, 400: ValidationErrorSerializer, 403: ErrorSerializer,
                              404: E404, 409: ConflictSerializer})
    def post(self, request):
        body = ChildMergeInput(data=request.data)
        body.is_valid(raise_exception=True)
        merge = child_merge(actor=request.user, **body.validated_data)
        return Response(ChildMergeResultSerializer(merge).data, status=status.HTTP_201_CREATED)


class ChildMergeUndoView(APIView):
    @extend_schema(operation_id="triage_child_merge_undo", tags=["triage"], summary=_("Undo a merge"),
                   description=inspect.getdoc(child_merge_undo), request=ChildMergeUndoInput,
                   responses={200: ChildMergeResultSerializer, 400: ValidationErrorSerializer, 403: ErrorSerializer,
                              404: E404, 409: ConflictSerializer})
    def post(self, request, merge_id):
        merge = ChildMerge.objects.filter(pk=merge_id).first()
        # An unseen merge is a missing one, whatever the body.
        if merge is None or not visible_children(request.user).filter(pk=merge.kept_id).exists():
            raise NotFound
        body = ChildMergeUndoInput(data=request.data)
        body.is_valid(raise_exception=True)
        return Response(ChildMergeResultSerializer(child_merge_undo(actor=request.user, merge_id=merge.pk,
                                                                    **body.validated_data)).data)
