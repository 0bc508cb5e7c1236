"""The records of a case: assessments, conferences, plans, measures, tasks, transfers."""

from __future__ import annotations

from rest_framework import serializers

from casework.models import (
    CaseConference,
    ComprehensiveAssessment,
    EmergencyMeasure,
    InitialAssessment,
    IsolationOrder,
    Measure,
    Plan,
    Review,
    Task,
    TaskLog,
    Transfer,
)
from workflows.states import (
    EmergencyMeasureStatus,
    IsolationStatus,
    PlanStatus,
    ProtectionLevel,
    RiskLevel,
    TaskStatus,
    TransferStatus,
)

from ..fields import PersonField, enum_field, optional_enum_field
from .refs import AreaRefSerializer, CaseRefSerializer, OrganisationRefSerializer, TermRefSerializer

# ---------------------------------------------------------------- the records of a case


class AuthoredSerializer(serializers.ModelSerializer):
    author = PersonField()

    class Meta:
        fields = ("id", "created_at", "author")


class InitialAssessmentSerializer(AuthoredSerializer):
    risk_level = enum_field(RiskLevel, "RiskLevel")

    class Meta:
        model = InitialAssessment
        fields = AuthoredSerializer.Meta.fields + ("risk_level", "life_threatened", "caregiver_is_abuser",
                                                   "emergency_needed", "findings")


class ComprehensiveAssessmentSerializer(AuthoredSerializer):
    risk_level = enum_field(RiskLevel, "RiskLevel")

    class Meta:
        model = ComprehensiveAssessment
        fields = AuthoredSerializer.Meta.fields + (
            "risk_level", "physical_psychological_state", "family_circumstances", "risk_factors",
            "schooling_self_protection", "community_safety", "needs", "child_views", "caregiver_views")


class ConferenceSerializer(AuthoredSerializer):
    caregiver_absence = optional_enum_field(CaseConference.CaregiverAbsence, "CaregiverAbsence")

    class Meta:
        model = CaseConference
        fields = AuthoredSerializer.Meta.fields + ("held_at", "chair", "chaired_by", "bodies_present",
                                                   "community_representative", "caregiver_present",
                                                   "caregiver_absence", "participants", "decisions")


class ReviewSerializer(AuthoredSerializer):
    harm_still_serious = enum_field(RiskLevel, "RiskLevel")
    abuser_can_reach_child = enum_field(RiskLevel, "RiskLevel")
    obstacles_at_home = enum_field(RiskLevel, "RiskLevel")
    child_capacity = enum_field(RiskLevel, "RiskLevel")
    recommendation = enum_field(Review.Recommendation, "ReviewRecommendation")

    class Meta:
        model = Review
        fields = AuthoredSerializer.Meta.fields + (
            "harm_still_serious", "abuser_can_reach_child", "obstacles_at_home", "child_capacity", "findings",
            "recommendation", "plan_cycle")


class MeasureSerializer(serializers.ModelSerializer):
    kind = TermRefSerializer()
    level = enum_field(ProtectionLevel, "ProtectionLevel")
    responsible = OrganisationRefSerializer()
    coordinating = OrganisationRefSerializer(allow_null=True)

    class Meta:
        model = Measure
        fields = ("id", "kind", "level", "legal_article", "description", "responsible", "coordinating",
                  "starts_on", "ends_on", "resources", "cost")


class PlanSerializer(AuthoredSerializer):
    status = enum_field(PlanStatus, "PlanStatus")
    status_label = serializers.CharField(source="get_status_display")
    decided_by = PersonField(allow_null=True)
    cost_total = serializers.DecimalField(max_digits=16, decimal_places=0)
    measures = MeasureSerializer(many=True)

    class Meta:
        model = Plan
        fields = AuthoredSerializer.Meta.fields + (
            "version", "cycle", "status", "status_label", "goals", "starts_on", "ends_on", "review_on",
            "submitted_at", "decided_at", "decided_by", "decision_no", "return_reason", "cost_total", "measures")


class EmergencyMeasureSerializer(AuthoredSerializer):
    kind = TermRefSerializer()
    responsible = OrganisationRefSerializer()
    status = enum_field(EmergencyMeasureStatus, "EmergencyMeasureStatus")

    class Meta:
        model = EmergencyMeasure
        fields = AuthoredSerializer.Meta.fields + ("kind", "responsible", "status", "ordered_at", "done_at", "note")


class IsolationOrderSerializer(AuthoredSerializer):
    status = enum_field(IsolationStatus, "IsolationStatus")

    class Meta:
        model = IsolationOrder
        fields = AuthoredSerializer.Meta.fields + (
            "decision_no", "issued_at", "ends_at", "total_days", "placement", "status", "authority_request",
            "ended_at", "end_reason")


class TaskLogSerializer(serializers.ModelSerializer):
    author = PersonField()

    class Meta:
        model = TaskLog
        fields = ("id", "acted_on", "action", "outcome", "author", "created_at")


class TaskSerializer(serializers.ModelSerializer):
    organisation = OrganisationRefSerializer()
    status = enum_field(TaskStatus, "TaskStatus")
    status_label = serializers.CharField(source="get_status_display")
    assigned_by = PersonField()
    logs = TaskLogSerializer(many=True)

    class Meta:
        model = Task
        fields = ("id", "measure", "organisation", "title", "details", "status", "status_label", "due_on",
                  "assigned_by", "assigned_at", "closed_at", "outcome_reason", "logs")


class TransferSerializer(serializers.ModelSerializer):
    from_commune = AreaRefSerializer()
    to_commune = AreaRefSerializer()
    status = enum_field(TransferStatus, "TransferStatus")
    requested_by = PersonField()
    decided_by = PersonField(allow_null=True)

    class Meta:
        model = Transfer
        fields = ("id", "from_commune", "to_commune", "reason", "status", "requested_by", "requested_at",
                  "decided_by", "decided_at", "decision_reason")


# Write responses: the record created or changed, and the case as it is now (its new version).


def _with_case(serializer: type[serializers.ModelSerializer], name: str, case_source: str = "case"):
    meta = type("Meta", (serializer.Meta,), {"fields": [*serializer.Meta.fields, "case"]})
    case = CaseRefSerializer(source=case_source) if case_source != "case" else CaseRefSerializer()
    return type(name, (serializer,), {"case": case, "Meta": meta,
                                      "__doc__": serializer.__doc__})


InitialAssessmentResultSerializer = _with_case(InitialAssessmentSerializer, "InitialAssessmentResultSerializer")
ComprehensiveAssessmentResultSerializer = _with_case(ComprehensiveAssessmentSerializer,
                                                     "ComprehensiveAssessmentResultSerializer")
ConferenceResultSerializer = _with_case(ConferenceSerializer, "ConferenceResultSerializer")
ReviewResultSerializer = _with_case(ReviewSerializer, "ReviewResultSerializer")
PlanResultSerializer = _with_case(PlanSerializer, "PlanResultSerializer")
EmergencyMeasureResultSerializer = _with_case(EmergencyMeasureSerializer, "EmergencyMeasureResultSerializer")
IsolationOrderResultSerializer = _with_case(IsolationOrderSerializer, "IsolationOrderResultSerializer")
TaskResultSerializer = _with_case(TaskSerializer, "TaskResultSerializer")
TaskLogResultSerializer = _with_case(TaskLogSerializer, "TaskLogResultSerializer", "task.case")
TransferResultSerializer = _with_case(TransferSerializer, "TransferResultSerializer")


