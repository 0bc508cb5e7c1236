"""No text the application stores holds a NUL character (U+0000).

PostgreSQL refuses it in text and jsonb ("text fields cannot contain NUL (0x00) bytes"), while
SQLite stores it. The faces already refuse it (Django's forms and DRF's serializers carry a
null-character validator), but services are also called by commands, timers and integrations'
code, and there a reason with a NUL pasted from a damaged document reached PostgreSQL as a
``DataError``: a server error instead of the field's message (found by the property tests,
tests/properties). This guard runs before every save of the project's models and raises the
domain's ``ValidationError`` naming the field, inside the service's transaction, so nothing of
the change is kept and the answer is the usual 400, the same on both databases.

Queryset ``update()`` and bulk writes bypass it; none of them writes what a person typed.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext as _

from .errors import ValidationError

PROJECT_APPS = frozenset({"casework", "workflows", "permissions", "notifications", "integrations", "history",
                          "reports", "prevention", "evidence", "triage"})
_TEXT_FIELDS: dict[type, tuple[tuple[str, str], ...]] = {}


def _text_fields(model) -> tuple[tuple[str, str], ...]:
    fields = _TEXT_FIELDS.get(model)
    if fields is None:
        fields = _TEXT_FIELDS[model] = tuple(
            (f.name, f.attname) for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField))
    return fields


def has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(has_nul(k) or has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(has_nul(v) for v in value)
    return False


def refuse_nul(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    if raw or sender._meta.app_label not in PROJECT_APPS:
        return
    for name, attname in _text_fields(sender):
        if update_fields is not None and name not in update_fields:
            continue
        if has_nul(getattr(instance, attname)):
            raise ValidationError({name: _("The text contains an invisible NUL character, which cannot be saved. "
                                           "Remove it (retype the text) and send it again.")})
