"""On-commit dispatch: the service's transaction commits first, then a background task (taking
only an id) decides who hears about the event. A rolled-back change notifies nobody."""

from __future__ import annotations

from django.db import transaction
from django_tasks import task

from casework.models import CaseEvent, CaseEventType as T
from permissions.models import RoleAssignment
from permissions.roles import RoleCode

from .models import Notification

# Who hears of what: area roles of the owning commune, or the members of the body concerned.
AUDIENCE: dict[int, set[str]] = {
    T.CASE_OPENED: {RoleCode.OFFICER, RoleCode.CHAIR},
    T.EMERGENCY_DECLARED: {RoleCode.OFFICER, RoleCode.CHAIR},
    T.PLAN_SUBMITTED: {RoleCode.CHAIR},
    T.PLAN_APPROVED: {RoleCode.OFFICER},
    T.PLAN_RETURNED: {RoleCode.OFFICER},
    T.REVIEW_RECORDED: {RoleCode.CHAIR},
    T.TASK_DECLINED: {RoleCode.OFFICER},
    T.TASK_FAILED: {RoleCode.OFFICER},
    T.DEADLINE_BREACHED: {RoleCode.OFFICER, RoleCode.CHAIR},
    T.TRANSFER_ACCEPTED: {RoleCode.OFFICER},
    T.TRANSFER_DECLINED: {RoleCode.OFFICER},
}
TO_BODY = {T.TASK_ASSIGNED, T.EMERGENCY_MEASURE_ORDERED}


def notify_on_commit(event_id: int) -> None:
    transaction.on_commit(lambda: deliver_event.enqueue(event_id))


def recipients_for(event: CaseEvent) -> set[int]:
    case = event.case
    users: set[int] = set()
    roles = AUDIENCE.get(event.type)
    if roles:
        users |= set(RoleAssignment.objects.active().filter(
            role__code__in=roles, area__path__in=[a.path for a in case.commune.ancestors()],
        ).values_list("user_id", flat=True))
    if event.type == T.TRANSFER_REQUESTED:
        to_commune = event.data.get("to_commune")
        users |= set(RoleAssignment.objects.active().filter(
            role__code=RoleCode.OFFICER, area_id=to_commune).values_list("user_id", flat=True))
    if event.type in TO_BODY and event.data.get("organisation"):
        users |= set(RoleAssignment.objects.active().filter(
            organisation_id=event.data["organisation"]).values_list("user_id", flat=True))
    if event.actor_id:
        users.discard(event.actor_id)
    return users


@task()
def deliver_event(event_id: int) -> int:
    event = CaseEvent.objects.select_related("case__commune").filter(pk=event_id).first()
    if event is None:
        return 0
    created = 0
    for user_id in recipients_for(event):
        _, made = Notification.objects.get_or_create(recipient_id=user_id, event=event)
        created += made
    return created


__all__ = ["notify_on_commit", "deliver_event"]
