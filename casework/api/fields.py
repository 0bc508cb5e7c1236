"""Serializer fields shared by the request and response serializers."""

from __future__ import annotations

from django.db import models
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


class EnumField(serializers.ChoiceField):
    """A ChoiceField that can read a blank column as null (``blank_as_null``), e.g. a risk level
    not assessed yet: null is something the enum schema can describe, "" is not."""

    def __init__(self, *, blank_as_null: bool = False, **kwargs):
        self.blank_as_null = blank_as_null
        if blank_as_null:
            kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        if self.blank_as_null and value in ("", None):
            return None
        return super().to_representation(value)


_ENUM_FIELDS: dict[str, type[EnumField]] = {}


def enum_field(choices: type[models.Choices], component: str, **kwargs) -> EnumField:
    """A choice field over ``choices`` that appears in the OpenAPI document as one named enum.

    Several unrelated fields share a name ("status" of a case, a plan, a task) and one choice set
    appears under several names (risk_level, harm_still_serious …). drf-spectacular would guess
    an enum name per field name and warn on every such collision; naming the component here makes
    each choice set one schema component (CaseStatus, RiskLevel …) without touching the settings.
    """
    cls = _ENUM_FIELDS.get(component)
    if cls is None:
        schema = serializers.ChoiceField(choices=choices.choices)
        cls = extend_schema_field(schema, component_name=component)(
            type(f"{component}Field", (EnumField,), {"__doc__": choices.__doc__}))
        _ENUM_FIELDS[component] = cls
    return cls(choices=choices.choices, **kwargs)


def optional_enum_field(choices: type[models.Choices], component: str, **kwargs) -> EnumField:
    """An ``enum_field`` over a column that may be blank, read as null."""
    return enum_field(choices, component, blank_as_null=True, **kwargs)


# Row ids are 64-bit; a larger number must be a 400, not an OverflowError from the database driver.
MAX_ID = 2**63 - 1


def id_field(**kwargs) -> serializers.IntegerField:
    """A row id in a body or query string."""
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


@extend_schema_field(OpenApiTypes.STR)
class PersonField(serializers.Field):
    """A user as the timeline shows them: the full name, or the username when there is none."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, user):
        return user.get_full_name() or user.get_username()
