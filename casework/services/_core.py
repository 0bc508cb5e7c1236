"""What every case-changing service does, written once.

Each service runs inside ``transaction.atomic`` and:
1. ``lock_case``: loads the case through the access function with a row lock (404 if unseen);
2. ``require`` / ``fire``: checks the actor's capability (deny by default) and applies the
   transition, whose guards viewflow re-checks against the locked row;
3. ``commit_change``: bumps the version, saves, writes exactly one audit event and recomputes the
   case's deadlines; follow-up work is queued on commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _
from viewflow.fsm import TransitionNotAllowed
from viewflow.fsm.base import NoTransition, TransitionConditionsUnmet

from permissions.access import CaseAccess, access_case_by_id

from ..audit import case_event_record
from ..errors import Conflict, PermissionDenied, ValidationError
from ..models import Case, CaseEvent, CaseEventType

# The person acting through a service: signed in on a page, through an API token, or named by a
# command. Timers act as the system and pass no actor (``access=None`` in ``commit_change``).
Actor = User


def lock_case(actor: Actor, case_id, *, expected_version: int | None = None) -> CaseAccess:
    # Status-only viewers (the 111 hotline) can see that the case exists, so they are refused
    # with 403 by the capability check, not told "not found".
    access = access_case_by_id(actor, case_id, for_update=True, content=False)
    if expected_version is not None and int(expected_version) != access.case.version:
        raise Conflict(_("Someone else changed this case after you opened it. Reload it and try again."),
                       code="stale_version")
    return access


def _denied(capability: str | None) -> PermissionDenied:
    from permissions import rules

    # The chairperson's decisions say who decides, so an officer or a deputy without a
    # delegation knows whom to ask (art. 27.2, 28.4, 30.1, 31, 32).
    if capability in rules.DECISION_CAPABILITIES:
        return PermissionDenied(str(rules.DECIDER_ONLY))
    return PermissionDenied(_("You are not allowed to do this on this case."))


def require(access: CaseAccess, capability: str):
    """The assignment through which the actor holds ``capability`` on this case, or 403."""
    if capability not in access.caps:
        raise _denied(capability)
    return access.assignment(capability)


def fire(access: CaseAccess | None, transition, *args: Any, **kwargs: Any):
    """Check the actor's permission on a bound viewflow transition, then run it.

    Returns the assignment that carried the permission (None for system transitions).
    """
    user = access.user if access else None
    # Permission first, whatever the state: someone without the right learns nothing about
    # where the case stands.
    if not any(t.has_perm(transition._instance, user) for t in transition.get_transitions()):
        raise _denied(next((getattr(t.permission, "capability", None) for t in transition.get_transitions()), None))
    if not transition.can_proceed(check_conditions=False):
        raise _not_now(transition)
    try:
        transition(*args, **kwargs)
    except TransitionConditionsUnmet as exc:
        raise Conflict(exc.unmet_message or str(exc), code="guard") from None
    except NoTransition:
        raise _not_now(transition) from None
    except TransitionNotAllowed:  # pragma: no cover - other viewflow refusals (their text is English)
        raise _not_now(transition) from None
    if access is None:
        return None
    capability = next((getattr(t.permission, "capability", None) for t in transition.get_transitions()), None)
    return access.assignment(capability)


def _not_now(transition) -> Conflict:
    return Conflict(_("This action is not possible in the case's current state."), code="state")


def commit_change(
    access: CaseAccess | None,
    case: Case,
    *,
    type: CaseEventType,
    assignment=None,
    actor=None,
    fields: Iterable[str] = (),
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    changes: dict | None = None,
    data: dict | None = None,
    at=None,
) -> CaseEvent:
    """The one commit path of every change to a case, people's and timers' alike.

    Bumps the version, saves, writes exactly one timeline event, recomputes the clocks and
    queues the notifications of ``notifications.dispatch.AUDIENCE`` for after the commit.
    ``access=None`` is the system (a timer); ``at`` is the timer's "now", so a sweep run for a
    given instant records and recomputes at that instant.
    """
    from notifications.dispatch import notify_on_commit
    from permissions.rules import DECISION_EVENTS

    from .deadlines import deadlines_replace

    delegation = getattr(access, "delegation", None) if access is not None else None
    if delegation is not None and type in DECISION_EVENTS:
        # A deputy decided under a delegation: the timeline names it (art. 28.4 "KT. CHỦ TỊCH").
        data = {**(data or {}), "delegation": delegation.pk, "delegation_ref": delegation.reference}
    case.version += 1
    case.save(update_fields=sorted({"version", "updated_at", *fields}))
    event = case_event_record(
        case=case, type=type, actor=actor if actor is not None else (access.user if access else None),
        assignment=assignment, from_state=from_state, to_state=to_state, reason=reason, changes=changes, data=data,
        at=at, locked=True,
    )
    if type not in CLOCK_NEUTRAL:
        deadlines_replace(case, now=at)
    # The delivery task row is written in this transaction (database queue): one commit.
    notify_on_commit(event.pk)
    return event


# Changes that move no clock: none of what ``deadlines.case_clocks`` reads (the case's state,
# dates, records and clock-starting events) changes, so recomputing would only reread seven
# tables to write the same rows (issue 14). A clock that ran out meanwhile is recorded by the
# sweep either way.
CLOCK_NEUTRAL = frozenset({
    CaseEventType.LEVEL_CHANGED, CaseEventType.TASK_LOGGED, CaseEventType.GRANT_GIVEN,
    CaseEventType.GRANT_REVOKED, CaseEventType.GRANT_EXPIRED, CaseEventType.IDENTITY_BREAK_GLASS,
})


def check_not_future(moment, field: str, *, now=None, slack_minutes: int = 1) -> None:
    """Refuse a time after now (a minute of slack for the clocks of phones and servers)."""
    import datetime as dt

    from django.utils import timezone

    now = now or timezone.now()
    if isinstance(moment, dt.datetime):
        late = moment > now + dt.timedelta(minutes=slack_minutes)
    else:
        late = moment > timezone.localdate(now)
    if late:
        raise ValidationError({field: _("The time cannot be later than now.")})


def check_not_before(moment, earliest, field: str, what) -> None:
    """Refuse a time (or a date) before ``earliest``; ``what`` names it ("the report was received")."""
    import datetime as dt

    from django.utils import timezone

    if moment is None or earliest is None:
        return
    if isinstance(moment, dt.datetime):
        early = moment < earliest
    else:
        early = moment < (timezone.localtime(earliest).date() if isinstance(earliest, dt.datetime) else earliest)
    if early:
        raise ValidationError({field: _("The time cannot be earlier than when %(what)s.") % {"what": what}})


def cancel_leftovers(case: Case, reason: str, now) -> dict:
    """What is still open when a case ends is cancelled with the closure's reason: unresolved
    tasks, emergency measures still ordered, a pending transfer (the child's residence goes back
    to what it was). The one closure event lists them; returns its data plus the case ``fields``
    changed. The closure's authority is the actor's; the record machines run with it."""
    from permissions.roles import Capability as C
    from workflows.flows import EmergencyMeasureFlow, TaskFlow, TransferFlow
    from workflows.states import UNRESOLVED_TASK_STATUSES, EmergencyMeasureStatus, TransferStatus

    out: dict = {"fields": []}
    tasks = []
    for task in case.tasks.filter(status__in=UNRESOLVED_TASK_STATUSES):
        TaskFlow(task, caps={C.TASK_ASSIGN}).cancel()
        task.closed_at, task.outcome_reason = now, reason
        task.save(update_fields=["status", "closed_at", "outcome_reason"])
        tasks.append(task.pk)
    measures = []
    for measure in case.emergencymeasures.filter(status=EmergencyMeasureStatus.ORDERED):
        EmergencyMeasureFlow(measure, caps={C.EMERGENCY_ORDER}).cancel()
        measure.note = reason
        measure.save(update_fields=["status", "note"])
        measures.append(measure.pk)
    for transfer in case.transfers.filter(status=TransferStatus.REQUESTED):
        TransferFlow(transfer, caps={C.CASE_TRANSFER}).cancel()
        transfer.decided_at, transfer.decision_reason = now, reason
        transfer.save(update_fields=["status", "decided_at", "decision_reason"])
        case.residence_commune_id = transfer.residence_before_id
        out["cancelled_transfer"] = transfer.pk
        out["fields"].append("residence_commune")
    if tasks:
        out["cancelled_tasks"] = tasks
    if measures:
        out["cancelled_measures"] = measures
    return out


def require_reason(reason: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({field: _("Give a reason.")})
    return reason


atomic = transaction.atomic
