"""The only writer of ``CaseEvent`` rows."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from .models import Case, CaseEvent, CaseEventType


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if hasattr(value, "pk"):
        return value.pk
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def case_event_record(
    *,
    case: Case,
    type: CaseEventType,
    actor=None,
    assignment=None,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    changes: dict | None = None,
    data: dict | None = None,
    at=None,
) -> CaseEvent:
    """Append one event to the case's timeline.

    ``assignment`` is the role assignment through which the actor acted; its role and
    organisation are copied into the row so the timeline stays true after people move on.
    ``actor=None`` means the system (a timer).
    """
    if actor is None:
        actor_name = "system"
    else:
        actor_name = actor.get_full_name() or actor.get_username()
    return CaseEvent.objects.create(
        case=case,
        type=type,
        at=at or timezone.now(),
        actor=actor,
        actor_name=actor_name,
        actor_role=assignment.role.code if assignment else "",
        actor_organisation=assignment.organisation.name if assignment else "",
        from_state=str(from_state or ""),
        to_state=str(to_state or ""),
        reason=reason or "",
        changes=_jsonable(changes or {}),
        data=_jsonable(data or {}),
    )
