"""On-commit dispatch: the service's transaction commits first, then a background task (taking
only an id) decides who hears about the event. A rolled-back change notifies nobody.

Every change reaches this module the same way — ``casework.services._core.commit_change`` calls
``notify_on_commit`` — whether a person made it or a timer (a missed clock, an expired order, an
expired grant). Who hears of what is the table ``AUDIENCE``, one row per event type.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django_tasks import task

from casework.models import CaseEvent, Intake
from casework.models import CaseEventType as T
from permissions.models import RoleAssignment
from permissions.roles import RoleCode

from .models import Notification


@dataclass(frozen=True)
class Audience:
    """Who is told of one kind of event.

    ``roles``: holders of these area roles over the responsible commune (at it or above it);
    ``bodies``: members of the organisations named in the event's data under this key (an id or
    a list of ids); ``officers_of``: the officers of the commune named under this key (the
    commune asked to take a case, the commune that asked);
    ``users``: the user named under this key (a grant's grantee);
    ``reporter``: the person who recorded the report (form 01), so the sender learns what became
    of it (integrations answer their systems by signed callback, integrations/webhooks.py).
    """

    roles: frozenset[str] = frozenset()
    bodies: str = ""
    officers_of: str = ""
    users: str = ""
    reporter: bool = False


R = RoleCode
AUDIENCE: dict[int, Audience] = {
    T.CASE_OPENED: Audience(roles=frozenset({R.OFFICER, R.CHAIR})),
    T.EMERGENCY_DECLARED: Audience(roles=frozenset({R.OFFICER, R.CHAIR})),
    # The body that must act now (art. 31), and the officer who follows it.
    T.EMERGENCY_MEASURE_ORDERED: Audience(roles=frozenset({R.OFFICER}), bodies="organisation"),
    T.EMERGENCY_MEASURE_NOT_POSSIBLE: Audience(roles=frozenset({R.OFFICER, R.CHAIR})),
    T.ISOLATION_EXPIRED: Audience(roles=frozenset({R.OFFICER, R.CHAIR})),
    T.PLAN_SUBMITTED: Audience(roles=frozenset({R.CHAIR})),
    # Art. 28.5: the decision and plan go to every body that must act.
    T.PLAN_APPROVED: Audience(roles=frozenset({R.OFFICER}), bodies="organisations"),
    T.PLAN_RETURNED: Audience(roles=frozenset({R.OFFICER})),
    T.REVIEW_RECORDED: Audience(roles=frozenset({R.CHAIR})),
    T.TASK_ASSIGNED: Audience(bodies="organisation"),
    T.TASK_DECLINED: Audience(roles=frozenset({R.OFFICER})),
    T.TASK_FAILED: Audience(roles=frozenset({R.OFFICER})),
    # A clock about to run out: who must act (the officer, the chairperson who decides, the body
    # of a task clock). Missed: the officer and the chairperson (the first step up); still
    # missed later: the supervisors of the area (notifications.timers).
    T.DEADLINE_WARNING: Audience(roles=frozenset({R.OFFICER, R.CHAIR}), bodies="organisation"),
    T.DEADLINE_BREACHED: Audience(roles=frozenset({R.OFFICER, R.CHAIR})),
    T.DEADLINE_ESCALATED: Audience(roles=frozenset({R.SUPERVISOR})),
    T.TRANSFER_REQUESTED: Audience(officers_of="to_commune"),
    # The commune that asked hears the answer (after an acceptance it no longer owns the case).
    T.TRANSFER_ACCEPTED: Audience(officers_of="from_commune", reporter=True),
    T.TRANSFER_DECLINED: Audience(officers_of="from_commune"),
    T.GRANT_GIVEN: Audience(users="user"),
    # Triage of a new report answers the sender: taken up (verification starts) or rejected.
    T.VERIFICATION_STARTED: Audience(reporter=True),
    T.CASE_NOT_ELIGIBLE: Audience(reporter=True),
    # triage (issue 12): the sender learns the report joined another; that case's officers see it.
    T.REPORT_ATTACHED: Audience(reporter=True),
    T.REPORT_ATTACHED_HERE: Audience(roles=frozenset({R.OFFICER})),
}


def notify_on_commit(event_id: int) -> None:
    """Queue the delivery of an event so that it happens exactly when the change commits.

    With the database queue (the default backend) the task row is written in the change's own
    transaction: it commits with the event or not at all, so a process killed right after the
    commit loses nothing (an ``on_commit`` hook would die with it). Other backends (the
    in-process one of the tests) run after the commit.
    """
    if _queue_is_transactional():
        deliver_event.enqueue(event_id)
    else:
        transaction.on_commit(lambda: deliver_event.enqueue(event_id))


def _queue_is_transactional() -> bool:
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(deliver_event.get_backend(), DatabaseBackend)


def _ids(value) -> list[int]:
    if value is None or value == "":
        return []
    values = value if isinstance(value, (list, tuple)) else [value]
    return [int(v) for v in values if v is not None]


def recipients_for(event: CaseEvent) -> set[int]:
    audience = AUDIENCE.get(event.type)
    if audience is None:
        return set()
    case = event.case
    data = event.data or {}
    users: set[int] = set()
    active = RoleAssignment.objects.active()
    if audience.roles:
        users |= set(active.filter(role__code__in=audience.roles,
                                   area__path__in=[a.path for a in case.commune.ancestors()])
                     .values_list("user_id", flat=True))
    if audience.bodies:
        users |= set(active.filter(organisation_id__in=_ids(data.get(audience.bodies)))
                     .values_list("user_id", flat=True))
    if audience.officers_of:
        users |= set(active.filter(role__code=R.OFFICER, area_id__in=_ids(data.get(audience.officers_of)))
                     .values_list("user_id", flat=True))
    if audience.users:
        users |= set(_ids(data.get(audience.users)))
    if audience.reporter:
        users |= set(Intake.objects.filter(case__pk=case.pk).values_list("received_by_id", flat=True))
    # Nobody is told of what they did themselves.
    if event.actor_id:
        users.discard(event.actor_id)
    return users


@task()
def deliver_event(event_id: int) -> int:
    event = CaseEvent.objects.select_related("case__commune").filter(pk=event_id).first()
    if event is None:
        return 0
    # Idempotent: a task run again (a reaped worker's) finds the notices and deliveries made.
    created = 0
    for user_id in sorted(recipients_for(event)):
        _, made = Notification.objects.get_or_create(recipient_id=user_id, event=event)
        created += made
    from .channels import deliveries_plan

    for delivery_id in deliveries_plan(event):
        send_delivery.enqueue(delivery_id)
    return created


@task()
def send_delivery(delivery_id: int) -> str:
    """Send one notice on its outbound channel (notifications.channels)."""
    from .channels import delivery_send

    return delivery_send(delivery_id)


__all__ = ["AUDIENCE", "Audience", "deliver_event", "notify_on_commit", "recipients_for", "send_delivery"]
