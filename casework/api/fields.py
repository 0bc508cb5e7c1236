"""Serializer fields shared by the request and response serializers."""

from __future__ import annotations

from django.db import models
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

_ENUM_FIELDS: dict[str, type[serializers.ChoiceField]] = {}


def enum_field(choices: type[models.Choices], component: str, **kwargs) -> serializers.ChoiceField:
    """A ChoiceField over ``choices`` that appears in the OpenAPI document as one named enum.

    Several unrelated fields share a name ("status" of a case, a plan, a task) and one choice set
    appears under several names (risk_level, harm_still_serious …). drf-spectacular would guess
    an enum name per field name and warn on every such collision; naming the component here makes
    each choice set one schema component (CaseStatus, RiskLevel …) without touching the settings.
    """
    cls = _ENUM_FIELDS.get(component)
    if cls is None:
        schema = serializers.ChoiceField(choices=choices.choices)
        cls = extend_schema_field(schema, component_name=component)(
            type(f"{component}Field", (serializers.ChoiceField,), {"__doc__": choices.__doc__}))
        _ENUM_FIELDS[component] = cls
    return cls(choices=choices.choices, **kwargs)


@extend_schema_field(OpenApiTypes.STR)
class PersonField(serializers.Field):
    """A user as the timeline shows them: the full name, or the username when there is none."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, user):
        return user.get_full_name() or user.get_username()


class BlankAsNullMixin:
    """Optional choice columns are stored as ""; the API says null, which the enum schema can describe."""

    def to_representation(self, value):
        return None if value in ("", None) else super().to_representation(value)


_OPTIONAL_ENUM_FIELDS: dict[str, type[serializers.ChoiceField]] = {}


def optional_enum_field(choices: type[models.Choices], component: str, **kwargs) -> serializers.ChoiceField:
    """An ``enum_field`` for a column that may be blank: read as null (e.g. the risk level before assessment)."""
    cls = _OPTIONAL_ENUM_FIELDS.get(component)
    if cls is None:
        base = type(enum_field(choices, component))
        # A subclass inherits the schema override, so it stays the same named enum component.
        cls = _OPTIONAL_ENUM_FIELDS[component] = type(f"Optional{base.__name__}", (BlankAsNullMixin, base), {})
    return cls(choices=choices.choices, allow_null=True, **kwargs)
