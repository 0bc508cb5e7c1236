"""Reads of the notifications app; never writes."""

from __future__ import annotations

from django.db.models import QuerySet

from casework.models import CaseEvent
from casework.models import CaseEventType as T
from permissions.inbox import notices_for
from permissions.models import RoleAssignment

from .dispatch import recipients_for
from .models import EmailChoice, Preference

# The inbox's filters: a name → the event types it shows.
FILTERS = {
    "deadlines": [T.DEADLINE_WARNING, T.DEADLINE_BREACHED, T.DEADLINE_ESCALATED],
    "emergencies": [T.EMERGENCY_DECLARED, T.EMERGENCY_MEASURE_ORDERED, T.EMERGENCY_MEASURE_NOT_POSSIBLE,
                    T.ISOLATION_EXPIRED],
}


def notice_list_for_user(user, *, unread: bool = False, kind: str = "") -> QuerySet:
    """The user's notices, newest first, with the case number and event in the same query."""
    qs = notices_for(user).select_related("event__case").order_by("-created_at", "-pk")
    if unread:
        qs = qs.filter(read_at__isnull=True)
    if kind in FILTERS:
        qs = qs.filter(event__type__in=FILTERS[kind])
    return qs


def unread_count_for_user(user) -> int:
    return notices_for(user).filter(read_at__isnull=True).count()


def email_choice_for_user(user) -> str:
    return (Preference.objects.filter(user_id=user.pk).values_list("email", flat=True).first()
            or EmailChoice.IMMEDIATE)


def told_for_event(event: CaseEvent) -> list[str]:
    """Who hears of an event, as "name (role)", for a page to say after the change.

    Computed from the notification table (``dispatch.AUDIENCE``), the same rule the background
    delivery applies, so the page can say it before the delivery has run. Two queries.
    """
    users = recipients_for(event)
    rows = (RoleAssignment.objects.active().filter(user_id__in=users).select_related("user", "role")
            .order_by("user__first_name", "user__username"))
    seen: dict[int, str] = {}
    for a in rows:
        if a.user_id not in seen:
            seen[a.user_id] = f"{a.user.get_full_name() or a.user.username} ({a.role.get_code_display()})"
    return list(seen.values())
