"""List entries and the status-only view of a case."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers

from casework.models import (
    Case,
)
from casework.models.deadlines import ClockState
from casework.selectors import clock_view
from casework.selectors import masked_child as selectors_masked_child
from workflows.states import (
    CaseStatus,
    ProtectionLevel,
    RiskLevel,
)

from ..fields import enum_field, optional_enum_field
from .refs import AreaRefSerializer, ClockSerializer, MaskedChildSerializer

# ---------------------------------------------------------------- list and status-only views


class CaseStatusOnlySerializer(serializers.ModelSerializer):
    """What a user who may see only the status (the 111 hotline) gets of a case it reported."""

    status = enum_field(CaseStatus, "CaseStatus")

    class Meta:
        model = Case
        fields = ("id", "code", "status", "opened_at")


class CaseListItemSerializer(serializers.ModelSerializer):
    status = enum_field(CaseStatus, "CaseStatus")
    status_label = serializers.CharField(source="get_status_display")
    level = enum_field(ProtectionLevel, "ProtectionLevel")
    risk_level = optional_enum_field(RiskLevel, "RiskLevel", help_text=_("null until assessed."))
    commune = AreaRefSerializer(help_text=_("The commune responsible for the case now."))
    child = serializers.SerializerMethodField(help_text=_("Always masked in lists: initials, an age band and sex."))
    next_clock = serializers.SerializerMethodField(help_text=_("The open clock due first, if any."))
    overdue = serializers.SerializerMethodField(help_text=_("An open clock is past due."))

    class Meta:
        model = Case
        fields = ("id", "code", "status", "status_label", "level", "risk_level", "emergency", "commune", "opened_at",
                  "version", "child", "next_clock", "overdue")

    @extend_schema_field(MaskedChildSerializer)
    def get_child(self, case):
        # No access object in a list: an empty one asks the selector for the masked form.
        return selectors_masked_child(case.child)

    def _open_clocks(self, case) -> list[dict]:
        # ``open_clocks`` is prefetched by the list view: running or breached, not yet met.
        return [clock_view(row) for row in getattr(case, "open_clocks", [])]

    @extend_schema_field(ClockSerializer(allow_null=True))
    def get_next_clock(self, case):
        clocks = self._open_clocks(case)
        return ClockSerializer(clocks[0]).data if clocks else None

    def get_overdue(self, case) -> bool:
        return any(c["state"] == ClockState.BREACHED for c in self._open_clocks(case))


CASE_LIST_ENTRY_SCHEMA = PolymorphicProxySerializer(
    component_name="CaseListEntry",
    serializers=[CaseListItemSerializer, CaseStatusOnlySerializer],
    resource_type_field_name=None,
    many=True,
)


