"""The whole case file with its offers, the timeline."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers

from casework.models import (
    Case,
    CaseEvent,
    Channel,
    Environment,
    Sex,
)
from casework.selectors import case_clocks_for
from permissions.access import CaseAccess
from workflows.states import (
    CaseStatus,
    Classification,
    ProtectionLevel,
    RiskLevel,
)

from ..fields import PersonField, enum_field, optional_enum_field
from .lists import CaseStatusOnlySerializer
from .records import (
    ComprehensiveAssessmentSerializer,
    ConferenceSerializer,
    EmergencyMeasureSerializer,
    InitialAssessmentSerializer,
    IsolationOrderSerializer,
    PlanSerializer,
    ReviewSerializer,
    TaskSerializer,
    TransferSerializer,
)
from .refs import (
    CHILD_SCHEMA,
    AreaRefSerializer,
    ClockSerializer,
    OrganisationRefSerializer,
    TermRefSerializer,
    masked_child,
)

# ---------------------------------------------------------------- the case file


class ReporterSerializer(serializers.Serializer):
    name = serializers.CharField(source="reporter_name")
    phone = serializers.CharField(source="reporter_phone")
    address = serializers.CharField(source="reporter_address")
    relation = serializers.CharField(source="reporter_relation")


class IntakeSerializer(serializers.Serializer):
    """Form 01 as received."""

    channel = enum_field(Channel, "Channel")
    received_at = serializers.DateTimeField()
    received_by = PersonField()
    receiving_organisation = OrganisationRefSerializer()
    classification = enum_field(Classification, "Classification")
    urgent = serializers.BooleanField()
    caregiver_is_abuser = serializers.BooleanField()
    child_condition = serializers.CharField()
    likely_consequence = serializers.CharField()
    family_situation = serializers.CharField()
    help_given = serializers.CharField()
    reporter_consent = serializers.BooleanField()
    reporter = serializers.SerializerMethodField(help_text=_(
        "The reporter's identity; null unless the reporter consented to being recorded (form 01, part A.3)."))

    @extend_schema_field(ReporterSerializer(allow_null=True))
    def get_reporter(self, intake):
        return ReporterSerializer(intake).data if intake.reporter_consent else None


class PerpetratorSerializer(serializers.Serializer):
    relation = TermRefSerializer(allow_null=True)
    is_child = serializers.BooleanField()
    sex = enum_field(Sex, "Sex")
    note = serializers.CharField()


class IncidentSerializer(serializers.Serializer):
    occurred_at = serializers.DateTimeField(allow_null=True)
    commune = AreaRefSerializer()
    village = AreaRefSerializer(allow_null=True)
    place = serializers.CharField()
    environment = enum_field(Environment, "Environment")
    description = serializers.CharField()
    perpetrators = PerpetratorSerializer(many=True, source="perpetrators.all")


class AbuseFormSerializer(serializers.Serializer):
    code = serializers.CharField(source="term.code")
    label = serializers.CharField(source="term.label")
    primary = serializers.BooleanField()


class CaseClassificationSerializer(serializers.Serializer):
    classification = enum_field(Classification, "Classification", source="intake.classification")
    level = enum_field(ProtectionLevel, "ProtectionLevel")
    risk_kind = TermRefSerializer(allow_null=True)
    environment = optional_enum_field(Environment, "Environment")
    perpetrator_relation = TermRefSerializer(allow_null=True)


class ChoiceSerializer(serializers.Serializer):
    id = serializers.CharField(help_text=_("The value to send."))
    label = serializers.CharField()


class OfferRecordSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["task", "measure", "order", "transfer"])
    id = serializers.IntegerField()


class OfferSerializer(serializers.Serializer):
    """One action of the offer model (``casework.selectors.offers``), as the web page shows it."""

    action = serializers.CharField(source="key", help_text=_("The action's name; the same on the web pages."))
    label = serializers.CharField(source="spec.label")
    enabled = serializers.BooleanField(help_text=_("Every condition is met: the action can be taken now."))
    reason = serializers.CharField(help_text=_("Why not, when the action is not possible yet."))
    transition = serializers.CharField(source="spec.transition",
                                       help_text=_("The case machine's transition it runs, if any."))
    danger = serializers.BooleanField(source="spec.danger")
    record = serializers.SerializerMethodField(help_text=_("The record it acts on; null for the case itself."))
    method = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField(help_text=_("Where to send it."))
    choices = serializers.SerializerMethodField(help_text=_(
        "Allowed values of the fields with a closed list: organisations (organisation_id, responsible_id, "
        "bodies_present_ids), chairs (chair_id), communes (to_commune_id), outcomes (outcome)."))

    @extend_schema_field(OfferRecordSerializer(allow_null=True))
    def get_record(self, offer):
        return {"kind": offer.spec.record, "id": offer.record_id} if offer.spec.record else None

    def get_method(self, offer) -> str:
        return "POST"

    def get_url(self, offer) -> str:
        return self.context["url_for"](offer)

    @extend_schema_field(serializers.DictField(child=ChoiceSerializer(many=True)))
    def get_choices(self, offer):
        return {name: [{"id": str(value), "label": str(label)} for value, label in values]
                for name, values in offer.choices.items()}


class CaseDetailSerializer(serializers.ModelSerializer):
    """The whole case file, as this user may see it.

    Context: ``access`` (the CaseAccess), ``child`` (what ``access_log.reveal_child`` returned, or
    the masked form), ``offers`` (the offer model's list) and ``url_for`` (offer → its API URL).
    """

    status = enum_field(CaseStatus, "CaseStatus")
    status_label = serializers.CharField(source="get_status_display")
    level = enum_field(ProtectionLevel, "ProtectionLevel")
    level_label = serializers.CharField(source="get_level_display")
    risk_level = optional_enum_field(RiskLevel, "RiskLevel", help_text=_("null until assessed."))
    commune = AreaRefSerializer(help_text=_("The commune responsible for the case now."))
    incident_commune = AreaRefSerializer()
    residence_commune = AreaRefSerializer(allow_null=True)
    reporting_organisation = OrganisationRefSerializer()
    child = serializers.SerializerMethodField()
    intake = IntakeSerializer()
    incident = IncidentSerializer()
    classification = serializers.SerializerMethodField()
    abuse_forms = AbuseFormSerializer(many=True, source="abuse_form_links.all")
    special_groups = TermRefSerializer(many=True, source="special_groups.all")
    initial_assessments = InitialAssessmentSerializer(many=True, source="initialassessments.all")
    comprehensive_assessments = ComprehensiveAssessmentSerializer(many=True, source="comprehensiveassessments.all")
    conferences = ConferenceSerializer(many=True, source="caseconferences.all")
    reviews = ReviewSerializer(many=True, source="reviews.all")
    plans = PlanSerializer(many=True, source="plans.all")
    emergency_measures = EmergencyMeasureSerializer(many=True, source="emergencymeasures.all")
    isolation_orders = IsolationOrderSerializer(many=True, source="isolationorders.all")
    tasks = TaskSerializer(many=True, source="tasks.all")
    transfers = TransferSerializer(many=True, source="transfers.all")
    clocks = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField(help_text=_(
        "What you may do on the case now (the same list as /api/cases/{id}/actions/)."))

    class Meta:
        model = Case
        fields = (
            "id", "code", "status", "status_label", "level", "level_label", "risk_level", "emergency", "version",
            "plan_cycle", "commune", "incident_commune", "residence_commune", "reporting_organisation",
            "opened_at", "closed_at", "closure_reason", "verification_notes", "criminal_track", "child", "intake",
            "incident", "classification", "abuse_forms", "special_groups", "initial_assessments",
            "comprehensive_assessments", "conferences", "reviews", "plans", "emergency_measures",
            "isolation_orders", "tasks", "transfers", "clocks", "allowed_actions",
        )

    @extend_schema_field(CHILD_SCHEMA)
    def get_child(self, case):
        return self.context["child"]

    @extend_schema_field(CaseClassificationSerializer)
    def get_classification(self, case):
        return CaseClassificationSerializer(case).data

    @extend_schema_field(ClockSerializer(many=True))
    def get_clocks(self, case):
        return ClockSerializer(case_clocks_for(self.context["access"]), many=True).data

    @extend_schema_field(OfferSerializer(many=True))
    def get_allowed_actions(self, case):
        return OfferSerializer(self.context["offers"], many=True, context=self.context).data


CASE_DETAIL_SCHEMA = PolymorphicProxySerializer(
    component_name="CaseView",
    serializers=[CaseDetailSerializer, CaseStatusOnlySerializer],
    resource_type_field_name=None,
)


def render_case(access: CaseAccess, *, offers: list, url_for, child: dict | None = None) -> dict:
    """The case as ``access.user`` may see it, with the offers the view computed; ``child``
    defaults to the masked form (no read logged)."""
    if not access.content_visible:
        return CaseStatusOnlySerializer(access.case).data
    return CaseDetailSerializer(access.case, context={
        "access": access, "child": child if child is not None else masked_child(access),
        "offers": offers, "url_for": url_for}).data


# ---------------------------------------------------------------- timeline


class CaseEventSerializer(serializers.ModelSerializer):
    type = serializers.IntegerField(help_text=_("Event code (casework.models.CaseEventType)."))
    type_label = serializers.CharField(source="get_type_display")

    class Meta:
        model = CaseEvent
        fields = ("at", "type", "type_label", "actor_name", "actor_role", "actor_organisation", "from_state",
                  "to_state", "reason", "changes", "data")


