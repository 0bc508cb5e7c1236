"""Response bodies. They only render what the selectors and services hand them.

Who sees what is decided upstream (``permissions.access``, ``casework.selectors``); the one rule
applied here is the shape: a user with ``case.view_status`` only (the 111 hotline) gets
``CaseStatusOnlySerializer``, and the child is always the dict ``access_log.reveal_child`` returned —
lists never call it and always show the masked form.
"""

from __future__ import annotations


from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers

from casework.models import (
    Area,
    AreaKind,
    Case,
    CaseConference,
    CaseEvent,
    Channel,
    ComprehensiveAssessment,
    EmergencyMeasure,
    Environment,
    InitialAssessment,
    IsolationOrder,
    Measure,
    Organisation,
    OrganisationKind,
    Plan,
    Review,
    Sex,
    Task,
    TaskLog,
    Term,
    TermKind,
    Transfer,
)
from casework.models.deadlines import ClockState
from casework.selectors import case_clocks_for, clock_view
from casework.selectors import masked_child as selectors_masked_child
from permissions.access import CaseAccess
from permissions.roles import Capability, RoleCode, Scope
from workflows.states import (
    CaseStatus,
    Classification,
    EmergencyMeasureStatus,
    IsolationStatus,
    PlanStatus,
    ProtectionLevel,
    RiskLevel,
    TaskStatus,
    TransferStatus,
)

from .fields import PersonField, enum_field, optional_enum_field

# ---------------------------------------------------------------- small references


class AreaRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Area
        fields = ("id", "code", "name")


class OrganisationRefSerializer(serializers.ModelSerializer):
    kind = enum_field(OrganisationKind, "OrganisationKind")

    class Meta:
        model = Organisation
        fields = ("id", "name", "kind")


class TermRefSerializer(serializers.ModelSerializer):
    label = serializers.CharField(help_text=_("In the request's language (Vietnamese or English)."))

    class Meta:
        model = Term
        fields = ("code", "label")


class CaseRefSerializer(serializers.ModelSerializer):
    """The case a write changed: its new version is what the next write sends back as ``version``."""

    status = enum_field(CaseStatus, "CaseStatus")

    class Meta:
        model = Case
        fields = ("id", "code", "status", "version")


# ---------------------------------------------------------------- the child


class MaskedChildSerializer(serializers.Serializer):
    masked = serializers.BooleanField(help_text=_("Always true: the name and address are withheld."))
    initials = serializers.CharField()
    age = serializers.IntegerField(allow_null=True)
    sex = enum_field(Sex, "Sex")


class ChildIdentitySerializer(serializers.Serializer):
    masked = serializers.BooleanField(help_text=_("Always false: every such read is logged on the case."))
    id = serializers.IntegerField()
    full_name = serializers.CharField()
    date_of_birth = serializers.DateField(allow_null=True)
    estimated_age = serializers.IntegerField(allow_null=True)
    age = serializers.IntegerField(allow_null=True)
    sex = enum_field(Sex, "Sex")
    ethnicity = serializers.CharField()
    disability = serializers.CharField()
    address = serializers.CharField()
    residence_commune = serializers.IntegerField(allow_null=True, help_text=_("Area id."))
    school = serializers.IntegerField(allow_null=True, help_text=_("Organisation id."))
    class_name = serializers.CharField()
    parents = serializers.CharField()
    caregiver = serializers.CharField()


CHILD_SCHEMA = PolymorphicProxySerializer(
    component_name="Child",
    serializers=[ChildIdentitySerializer, MaskedChildSerializer],
    resource_type_field_name=None,
)


def masked_child(access: CaseAccess) -> dict:
    """The child as a user without ``identity.view`` sees it, without recording a read: write
    responses use this, the explicit GET of the case file is the read that is recorded."""
    return selectors_masked_child(access.case.child)


# ---------------------------------------------------------------- clocks


class ClockSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    subject = serializers.CharField()
    starts_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField()
    warn_at = serializers.DateTimeField()
    met_at = serializers.DateTimeField(allow_null=True)
    state = enum_field(ClockState, "ClockState")
    warning = serializers.BooleanField(help_text=_("Running and past its warning time."))
    breached_by_minutes = serializers.IntegerField()
    remaining_minutes = serializers.IntegerField()


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
    child = serializers.SerializerMethodField(help_text=_("Always masked in lists: initials, age and sex."))
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
    class Meta:
        model = CaseConference
        fields = AuthoredSerializer.Meta.fields + ("held_at", "chaired_by", "participants", "decisions")


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
        "The reporter's identity; null unless the reporter consented to being recorded (art. 24.2)."))

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
        "Allowed values of the fields with a closed list: organisations (organisation_id, responsible_id), "
        "communes (to_commune_id), outcomes (outcome)."))

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


# ---------------------------------------------------------------- reference data and the user


class AreaSerializer(serializers.ModelSerializer):
    kind = enum_field(AreaKind, "AreaKind")
    kind_label = serializers.CharField(source="get_kind_display")

    class Meta:
        model = Area
        fields = ("id", "code", "name", "kind", "kind_label", "parent", "path", "valid_from", "valid_to")


class OrganisationSerializer(serializers.ModelSerializer):
    kind = enum_field(OrganisationKind, "OrganisationKind")
    kind_label = serializers.CharField(source="get_kind_display")
    area = AreaRefSerializer()

    class Meta:
        model = Organisation
        fields = ("id", "name", "kind", "kind_label", "area", "active")


class TermSerializer(serializers.ModelSerializer):
    kind = enum_field(TermKind, "TermKind")
    label = serializers.CharField(help_text=_("In the request's language (Vietnamese or English)."))
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True)
    protection_level = optional_enum_field(ProtectionLevel, "ProtectionLevel")

    class Meta:
        model = Term
        fields = ("id", "kind", "code", "label", "label_vi", "label_en", "parent", "legal_article",
                  "protection_level", "order")


class RoleAssignmentSerializer(serializers.Serializer):
    role = enum_field(RoleCode, "RoleCode", source="role.code")
    role_label = serializers.CharField(source="role.get_code_display")
    scope = enum_field(Scope, "RoleScope", source="role.scope")
    capabilities = serializers.ListField(child=enum_field(Capability, "Capability"), source="role.capabilities")
    organisation = OrganisationRefSerializer()
    area = AreaRefSerializer()


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    full_name = serializers.CharField()
    roles = RoleAssignmentSerializer(many=True)


class GrantSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    permission = serializers.CharField(source="permission.codename")
    purpose = serializers.CharField()
    expires_at = serializers.DateTimeField()


class GrantListSerializer(serializers.ListSerializer):
    child = GrantSerializer()


class ReaderSerializer(serializers.ModelSerializer):
    """One read of the child's identity or one export of the file: who saw the case, when, why."""

    type_label = serializers.CharField(source="get_type_display")
    channel = serializers.SerializerMethodField()

    class Meta:
        model = CaseEvent
        fields = ("at", "type", "type_label", "actor_name", "actor_role", "actor_organisation", "channel", "reason")

    def get_channel(self, event) -> str:
        return str(event.data.get("channel", ""))
