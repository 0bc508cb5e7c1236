"""Request bodies: one small serializer per write, so the OpenAPI document shows each body.

They check types only — dates, numbers, known choices, required fields — so bad input is a 400
and never reaches a service as the wrong type. Every rule of the case itself (consent for the
reporter's identity, codes in the classification tables, the 15-day isolation limit …) stays in
the service, which answers with the same 400 shape.

``service_kwargs()`` is what the view passes to the service, beside ``actor`` and ``case_id``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from casework.models import (
    CaseConference,
    Channel,
    Child,
    Environment,
    Incident,
    Intake,
    IsolationOrder,
    Measure,
    Perpetrator,
    Plan,
    Review,
    Sex,
    Task,
)
from casework.services.intake import ChildInput, IntakeInput, PerpetratorInput
from casework.services.plans import MeasureInput
from workflows.states import Classification, EmergencyMeasureStatus, ProtectionLevel, RiskLevel

from .fields import enum_field, id_field


def _text(label=None, **kwargs) -> serializers.CharField:
    """Optional free text: may be omitted or empty."""
    kwargs.setdefault("required", False)
    kwargs.setdefault("allow_blank", True)
    if "default" not in kwargs and not kwargs["required"]:
        kwargs["default"] = ""
    return serializers.CharField(help_text=label, **kwargs)


def _limit(model, name: str) -> int | None:
    """The column's length: a longer value must be a 400 here, not a database error (PostgreSQL)."""
    return model._meta.get_field(name).max_length


def _reason(required: bool = True) -> serializers.CharField:
    if required:
        return serializers.CharField(help_text=_("Why: recorded on the case timeline."))
    return serializers.CharField(required=False, allow_blank=True, help_text=_("Why (optional)."))


class WriteInput(serializers.Serializer):
    version = serializers.IntegerField(
        required=False, allow_null=True,
        help_text=_("The case version the change is based on. If the case changed since, the answer is "
                    "409 with code stale_version and nothing is written."))

    def service_kwargs(self) -> dict:
        data = dict(self.validated_data)
        data["expected_version"] = data.pop("version", None)
        return data


class NoBodyInput(WriteInput):
    """No fields besides the optional version."""


class ReasonInput(WriteInput):
    reason = _reason()


class OptionalReasonInput(WriteInput):
    reason = _reason(required=False)


# ---------------------------------------------------------------- intake (form 01)


class ChildInputSerializer(serializers.Serializer):
    full_name = serializers.CharField(max_length=_limit(Child, "full_name"),
                                      help_text=_("The child's name, or a name the child is known by."))
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    estimated_age = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=150,
                                             help_text=_("When the date of birth is not known."))
    sex = enum_field(Sex, "Sex", required=False)
    ethnicity = _text(max_length=_limit(Child, "ethnicity"))
    disability = _text(max_length=_limit(Child, "disability"))
    residence_commune_id = id_field(required=False, allow_null=True)
    address = _text(max_length=_limit(Child, "address"))
    school_id = id_field(required=False, allow_null=True)
    class_name = _text(max_length=_limit(Child, "class_name"))
    parents = _text()
    caregiver = _text(max_length=_limit(Child, "caregiver"))


class PerpetratorInputSerializer(serializers.Serializer):
    relation_code = _text(_("A term of kind 'relation' (GET /api/reference/terms/?kind=relation)."))
    is_child = serializers.BooleanField(required=False, default=False)
    sex = enum_field(Sex, "Sex", required=False)
    note = _text(max_length=_limit(Perpetrator, "note"))


class CaseOpenInput(serializers.Serializer):
    """Form 01: the report as received. The case opens in the commune where it happened."""

    channel = enum_field(Channel, "Channel")
    received_at = serializers.DateTimeField()
    classification = enum_field(Classification, "Classification")
    incident_commune_id = id_field(help_text=_("Area id of the commune where it happened."))
    child = ChildInputSerializer(required=False, allow_null=True,
                                 help_text=_("A new child; or give child_id to pick one from the registry."))
    child_id = id_field(required=False, allow_null=True)
    organisation_id = id_field(
        required=False, allow_null=True,
        help_text=_("The organisation you report for, when you belong to several."))
    incident_village_id = id_field(required=False, allow_null=True)
    occurred_at = serializers.DateTimeField(required=False, allow_null=True)
    place = _text(max_length=_limit(Incident, "place"))
    environment = enum_field(Environment, "Environment", required=False)
    description = _text()
    child_condition = _text()
    likely_consequence = _text()
    family_situation = _text()
    help_given = _text()
    urgent = serializers.BooleanField(required=False, default=False,
                                      help_text=_("Life, health or dignity seriously threatened."))
    caregiver_is_abuser = serializers.BooleanField(required=False, default=False)
    reporter_consent = serializers.BooleanField(
        required=False, default=False,
        help_text=_("The reporter agrees to being recorded. Without it, reporter_name, reporter_phone and "
                    "reporter_address must be empty (form 01, part A.3)."))
    reporter_name = _text(max_length=_limit(Intake, "reporter_name"))
    reporter_phone = _text(max_length=_limit(Intake, "reporter_phone"))
    reporter_address = _text(max_length=_limit(Intake, "reporter_address"))
    reporter_relation = _text(max_length=_limit(Intake, "reporter_relation"))
    abuse_forms = serializers.ListField(child=serializers.CharField(), required=False, default=list,
                                        help_text=_("Term codes of kind 'abuse_form'; required when abused."))
    primary_abuse_form = _text()
    risk_kind = _text(_("A term code of kind 'risk_kind'."))
    special_groups = serializers.ListField(child=serializers.CharField(), required=False, default=list,
                                           help_text=_("Term codes of kind 'special_group'."))
    perpetrators = PerpetratorInputSerializer(many=True, required=False, default=list)
    client_token = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=64,
        help_text=_("Any unique string. Sending the same token again returns the case the first request "
                    "opened instead of opening a second one (safe retries)."))

    def service_kwargs(self) -> dict:
        data = dict(self.validated_data)
        child = data.pop("child", None)
        perpetrators = data.pop("perpetrators", [])
        return {"data": IntakeInput(
            **data,
            child=ChildInput(**child) if child else None,
            perpetrators=[PerpetratorInput(**p) for p in perpetrators],
        )}


# ---------------------------------------------------------------- the statutory path


class VerificationRecordInput(WriteInput):
    findings = serializers.CharField(help_text=_("The facts, how unsafe the child is, the risk (art. 25)."))


class DeclareEmergencyInput(WriteInput):
    reason = _reason()


class ApprovePlanInput(WriteInput):
    decision_no = serializers.CharField(max_length=_limit(Plan, "decision_no"),
                                        help_text=_("Number of the approval decision (form 05)."))


class ChangeLevelInput(WriteInput):
    level = enum_field(ProtectionLevel, "ProtectionLevel")
    reason = _reason()


class InitialAssessmentInput(WriteInput):
    """Form 02."""

    risk_level = enum_field(RiskLevel, "RiskLevel")
    findings = serializers.CharField()
    life_threatened = serializers.BooleanField(required=False, default=False)
    caregiver_is_abuser = serializers.BooleanField(required=False, default=False)
    emergency_needed = serializers.BooleanField(required=False, default=False)


class ComprehensiveAssessmentInput(WriteInput):
    """Form 03: every item of art. 27.1 a–h."""

    risk_level = enum_field(RiskLevel, "RiskLevel")
    physical_psychological_state = serializers.CharField()
    family_circumstances = serializers.CharField()
    risk_factors = serializers.CharField()
    schooling_self_protection = serializers.CharField()
    community_safety = serializers.CharField()
    needs = serializers.CharField()
    child_views = serializers.CharField()
    caregiver_views = _text(_("Not asked when they caused the harm."))


class ConferenceInput(WriteInput):
    """Minutes of the case conference (art. 27.2): the chair, the bodies present, the residential
    area's representative, and the parent or caregiver present or why none was. The chairs and
    bodies offered are in the action's choices (``/api/cases/{id}/actions/``)."""

    held_at = serializers.DateTimeField()
    chair_id = serializers.IntegerField(help_text=_("A user offered in the action's \"chairs\" choices."))
    bodies_present_ids = serializers.ListField(child=serializers.IntegerField(), allow_empty=False,
                                               help_text=_("Bodies offered in the action's \"organisations\" choices."))
    community_representative = serializers.CharField(max_length=_limit(CaseConference, "community_representative"))
    caregiver_present = serializers.CharField(max_length=_limit(CaseConference, "caregiver_present"),
                                              required=False, allow_blank=True, default="")
    caregiver_absence = enum_field(CaseConference.CaregiverAbsence, "CaregiverAbsence", required=False,
                                   allow_blank=True, default="")
    participants = serializers.CharField(required=False, allow_blank=True, default="")
    decisions = serializers.CharField()


class ReviewInput(WriteInput):
    """Form 06: each item high, medium or low, and the proposal to the chairperson."""

    harm_still_serious = enum_field(RiskLevel, "RiskLevel")
    abuser_can_reach_child = enum_field(RiskLevel, "RiskLevel")
    obstacles_at_home = enum_field(RiskLevel, "RiskLevel")
    child_capacity = enum_field(RiskLevel, "RiskLevel")
    findings = serializers.CharField()
    recommendation = enum_field(Review.Recommendation, "ReviewRecommendation")


# ---------------------------------------------------------------- plans (form 04)


class MeasureInputSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text=_("A term code of kind 'measure'."))
    responsible_id = id_field(help_text=_("Organisation id of the body that carries it out."))
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    level = enum_field(ProtectionLevel, "ProtectionLevel", required=False, allow_blank=True,
                       help_text=_("Defaults to the measure's level."))
    legal_article = _text(_("Defaults to the measure's article."), max_length=_limit(Measure, "legal_article"))
    description = _text()
    coordinating_id = id_field(required=False, allow_null=True)
    resources = _text(max_length=_limit(Measure, "resources"))
    cost = serializers.DecimalField(max_digits=14, decimal_places=0, min_value=0, required=False, allow_null=True,
                                    help_text=_("Estimate in đồng; required for each measure (art. 28.3.d), 0 if none."))
    provider_ids = serializers.ListField(child=serializers.IntegerField(), required=False, default=list,
                                         help_text=_("Organisation ids of the service providers mobilised "
                                                     "(art. 28.3.c)."))


class PlanDraftInput(WriteInput):
    """Form 04. Saving replaces the current draft; after a return it starts a new version."""

    goals = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    review_on = serializers.DateField()
    measures = MeasureInputSerializer(many=True, required=False, default=list)

    def service_kwargs(self) -> dict:
        data = super().service_kwargs()
        data["measures"] = [MeasureInput(**m) for m in data.get("measures", [])]
        return data


# ---------------------------------------------------------------- emergency (art. 31–32)


class EmergencyMeasureOrderInput(WriteInput):
    kind = serializers.CharField(help_text=_("A term code of kind 'emergency_measure'."))
    organisation_id = id_field(help_text=_("The body that must act."))
    note = _text()


class MeasureOutcome(models.TextChoices):
    """What can be reported on an ordered emergency measure (its status after the report)."""

    TAKEN = EmergencyMeasureStatus.TAKEN.value, EmergencyMeasureStatus.TAKEN.label
    NOT_POSSIBLE = EmergencyMeasureStatus.NOT_POSSIBLE.value, EmergencyMeasureStatus.NOT_POSSIBLE.label
    CANCELLED = EmergencyMeasureStatus.CANCELLED.value, EmergencyMeasureStatus.CANCELLED.label


class EmergencyMeasureOutcomeInput(WriteInput):
    outcome = enum_field(MeasureOutcome, "EmergencyMeasureOutcome",
                         help_text=_("cancelled is the chairperson's; the others the officer's or the body's."))
    note = _text(_("Required unless taken."))
    done_at = serializers.DateTimeField(required=False, allow_null=True, help_text=_("Defaults to now."))


# Keeps the date arithmetic of an order in range; the legal limit (15 days without an authority's
# request) is the service's rule, not this one.
MAX_DAYS = 3650


class IsolationIssueInput(WriteInput):
    """Form 07."""

    decision_no = serializers.CharField(max_length=_limit(IsolationOrder, "decision_no"))
    days = serializers.IntegerField(min_value=1, max_value=MAX_DAYS)
    placement = serializers.CharField(max_length=_limit(IsolationOrder, "placement"),
                                      help_text=_("Safe place or alternative care."))
    authority_request = _text(_("A competent authority's request; needed beyond 15 days in total."),
                              max_length=_limit(IsolationOrder, "authority_request"))


class IsolationExtendInput(WriteInput):
    days = serializers.IntegerField(min_value=1, max_value=MAX_DAYS, help_text=_("Days added."))
    authority_request = _text(max_length=_limit(IsolationOrder, "authority_request"))
    reason = _reason()


# ---------------------------------------------------------------- tasks


class TaskAssignInput(WriteInput):
    organisation_id = id_field()
    title = serializers.CharField(max_length=_limit(Task, "title"))
    details = _text()
    due_on = serializers.DateField(required=False, allow_null=True)


class TaskLogInput(WriteInput):
    acted_on = serializers.DateField()
    action = serializers.CharField(help_text=_("What was done."))
    outcome = _text()


# ---------------------------------------------------------------- transfers


class TransferRequestInput(WriteInput):
    to_commune_id = id_field()
    reason = _reason()


class GrantInput(WriteInput):
    user_id = id_field(required=False, allow_null=True, help_text=_("The user to share with (or group_id)."))
    group_id = id_field(required=False, allow_null=True, help_text=_("The group to share with (or user_id)."))
    purpose = serializers.CharField(max_length=255, help_text=_("Why the case is shared: recorded on the timeline."))
    days = serializers.IntegerField(min_value=1, max_value=90, help_text=_("How long the grant lasts."))
    identity = serializers.BooleanField(default=False, help_text=_("Also show the child's identity."))


class GrantRevokeInput(WriteInput):
    kind = serializers.ChoiceField(choices=[("user", _("user")), ("group", _("group"))], default="user")
    reason = _reason()


class BreakGlassInput(serializers.Serializer):
    reason = serializers.CharField(help_text=_("Why you must see the child's identity: shown on the timeline."))

    def service_kwargs(self) -> dict:
        return dict(self.validated_data)
