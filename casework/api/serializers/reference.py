"""Reference data, the signed-in user, grants and readers."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from casework.models import (
    Area,
    AreaKind,
    CaseEvent,
    Organisation,
    OrganisationKind,
    Term,
    TermKind,
)
from permissions.roles import Capability, RoleCode, Scope
from workflows.states import (
    ProtectionLevel,
)

from ..fields import enum_field, optional_enum_field
from .refs import AreaRefSerializer, OrganisationRefSerializer

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
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
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
