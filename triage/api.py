"""/api/triage/: the commune's queue of new reports. The triage actions themselves are the case
actions of the offer model (``/api/cases/{id}/actions/`` lists them with their URLs)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers

from casework.api.errors import ErrorSerializer
from casework.api.fields import enum_field
from casework.api.serializers.refs import MaskedChildSerializer
from casework.errors import PermissionDenied
from casework.models import Channel
from permissions.triage import may_see_queue
from workflows.states import Classification

from .selectors import queue_row, triage_queue_for


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
