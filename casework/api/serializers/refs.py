"""Small references (areas, bodies, people), the child as shown, clocks."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import PolymorphicProxySerializer
from rest_framework import serializers

from casework.models import (
    Area,
    Case,
    Organisation,
    OrganisationKind,
    Sex,
    Term,
)
from casework.models.deadlines import ClockState
from casework.selectors import masked_child as selectors_masked_child
from permissions.access import CaseAccess
from workflows.states import (
    CaseStatus,
)

from ..fields import enum_field

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
    age_band = serializers.ChoiceField(
        choices=["0-5", "6-10", "11-15", "16+"], allow_null=True,
        help_text=_("An age band, never the exact age (issue 8: the age is part of the identity)."))
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


