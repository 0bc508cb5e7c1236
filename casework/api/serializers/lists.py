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




# ---------------------------------------------------------------- the list page, without field binding

_DATETIME = serializers.DateTimeField()


def _instant(value):
    return _DATETIME.to_representation(value) if value is not None else None


def _clock_entry(c: dict) -> dict:
    return {"kind": str(c["kind"]), "label": str(c["label"]), "subject": str(c["subject"]),
            "starts_at": _instant(c["starts_at"]), "due_at": _instant(c["due_at"]), "warn_at": _instant(c["warn_at"]),
            "met_at": _instant(c["met_at"]), "state": c["state"], "warning": bool(c["warning"]),
            "breached_by_minutes": int(c["breached_by_minutes"]), "remaining_minutes": int(c["remaining_minutes"])}


def case_list_entries(cases, content_ids) -> list[dict]:
    """The page of ``GET /api/cases/``: for each case, what ``CaseListItemSerializer`` gives (a
    case in ``content_ids``) or ``CaseStatusOnlySerializer`` (any other), built directly.

    Issue 14: DRF walked ~20 fields per row (``to_representation`` per field, the child and clock
    sub-serializers), several times the cost of the row's query. The serializers stay the
    schema (``CASE_LIST_ENTRY_SCHEMA``); a test holds this function to their output, key by key.
    """
    statuses = {value: str(label) for value, label in CaseStatus.choices}
    out = []
    for case in cases:
        if case.pk not in content_ids:
            out.append({"id": case.pk, "code": case.code, "status": case.status, "opened_at": _instant(case.opened_at)})
            continue
        clocks = [clock_view(row) for row in getattr(case, "open_clocks", [])]
        child = selectors_masked_child(case.child)
        commune = case.commune
        out.append({
            "id": case.pk, "code": case.code, "status": case.status,
            "status_label": statuses.get(case.status, case.status), "level": case.level,
            "risk_level": case.risk_level or None, "emergency": bool(case.emergency),
            "commune": {"id": commune.pk, "code": commune.code, "name": commune.name},
            "opened_at": _instant(case.opened_at), "version": case.version,
            "child": {"masked": bool(child["masked"]), "initials": str(child["initials"]),
                      "age_band": child["age_band"], "sex": child["sex"]},
            "next_clock": _clock_entry(clocks[0]) if clocks else None,
            "overdue": any(c["state"] == ClockState.BREACHED for c in clocks),
        })
    return out
