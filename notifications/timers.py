"""Durable timers: the moments at which a case's clocks act (DOMAIN.md §3 "Deadlines").

Built FROM the ``CaseDeadline`` rows that ``casework.services.deadlines.deadlines_replace`` writes
(kind, subject, starts_at, due_at, warn_at), in the same transaction: a change that moves a clock
moves its timers, and a rolled-back change moves nothing. For each clock:

* warnings while it runs — at ``warn_at`` (the policy's ``warn_before``: 2 h before a 12-hour
  emergency clock, the last working day of the plan), and for clocks of a day or less also at
  half time (+6 h of 12). Told: the officer and the chairperson, and the body of a task clock;
* the breach at ``due_at``: one DEADLINE_BREACHED through ``deadline_breaches_record`` (officer and
  chairperson: the first step up from the officer);
* the escalation, if the clock is still unmet ``due_at − warn_at`` after the deadline (the warning's
  lead time mirrored past it, +14 h for the emergency clock): DEADLINE_ESCALATED to the supervisors
  of the area.

Firing is exactly once. A scheduler claims due timers in a short transaction (row locks with
SKIP LOCKED on PostgreSQL, so several schedulers on several machines share them), then fires each in
its own transaction that locks the case, then the timer, re-checks that the claim is still its own,
records the event through ``commit_change`` and marks the timer fired — all or nothing. A claim
carries a lease: when a scheduler dies after claiming, the lease runs out and another takes the
timer. Its key is unique, so recomputing the clocks never recreates a timer that fired.
SQLite has no row locks: there every transaction takes the database's write lock (BEGIN
IMMEDIATE), so claims are still exclusive, but run one scheduler only (writers queue on one lock).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from casework.models import Case, CaseDeadline, CaseEventType, ClockState

from .models import Timer, TimerState, TimerWhat

log = logging.getLogger(__name__)

# Clocks of a day or less also warn at half time (the 12-hour emergency clock at +6 h).
HALF_TIME_WARNING_UP_TO = dt.timedelta(hours=24)
DEFAULT_LEASE = dt.timedelta(seconds=60)
# A timer that failed this often (an exception each time) is left for an administrator: the
# admin lists it as claimed with an expired lease.
MAX_ATTEMPTS = 10


@dataclass(frozen=True)
class Planned:
    what: str
    step: int
    fire_at: dt.datetime


def _stamp(moment: dt.datetime) -> str:
    return str(int(moment.timestamp()))


def timer_key(deadline: CaseDeadline, what: str, step: int) -> str:
    # The due moment is part of the key: a clock whose deadline moves is a new deadline and
    # warns again; the same deadline recomputed is the same timer.
    return f"{deadline.case_id}:{deadline.kind}:{deadline.subject}:{_stamp(deadline.due_at)}:{what}:{step}"


def planned_for(deadline: CaseDeadline) -> list[Planned]:
    """The timers one clock needs now (pure: no database)."""
    if deadline.state == ClockState.RUNNING:
        moments = sorted({deadline.warn_at}
                         | ({deadline.starts_at + (deadline.due_at - deadline.starts_at) / 2}
                            if deadline.due_at - deadline.starts_at <= HALF_TIME_WARNING_UP_TO else set()))
        plan = [Planned(TimerWhat.WARNING, i, at)
                for i, at in enumerate((m for m in moments if deadline.starts_at < m < deadline.due_at), start=1)]
        return [*plan, Planned(TimerWhat.BREACH, 1, deadline.due_at)]
    if deadline.state == ClockState.BREACHED:
        # Met late is missed too: the breach is recorded; only a clock still unmet escalates.
        plan = [] if deadline.breach_recorded else [Planned(TimerWhat.BREACH, 1, deadline.due_at)]
        if deadline.met_at is None:
            lead = max(deadline.due_at - deadline.warn_at, dt.timedelta(hours=1))
            plan.append(Planned(TimerWhat.ESCALATION, 1, deadline.due_at + lead))
        return plan
    return []


def timers_replace(case: Case, deadlines: list[CaseDeadline]) -> None:
    """Make the case's waiting timers match its clocks. Runs inside the caller's transaction,
    under the case's row lock (every caller is ``deadlines_replace``).

    Writes: Timer rows — new ones created, waiting ones no clock needs any more deleted; fired
    ones are kept as the record of what was said. Three queries at most.
    """
    wanted: dict[str, tuple[CaseDeadline, Planned]] = {}
    for deadline in deadlines:
        for plan in planned_for(deadline):
            wanted[timer_key(deadline, plan.what, plan.step)] = (deadline, plan)
    existing = {key: (pk, state) for pk, key, state in
                Timer.objects.filter(case_id=case.pk).values_list("pk", "key", "state")}
    stale = [pk for key, (pk, state) in existing.items()
             if key not in wanted and state in (TimerState.PENDING, TimerState.CLAIMED)]
    if stale:
        Timer.objects.filter(pk__in=stale).delete()
    new = [Timer(key=key, what=plan.what, step=plan.step, case_id=case.pk, kind=deadline.kind,
                 subject=deadline.subject, due_at=deadline.due_at, fire_at=plan.fire_at)
           for key, (deadline, plan) in wanted.items() if key not in existing]
    if new:
        Timer.objects.bulk_create(new)


# ------------------------------------------------------------------------------ firing

def timers_claim(*, worker_id: str, now: dt.datetime | None = None, lease: dt.timedelta = DEFAULT_LEASE,
                 limit: int = 20) -> list[int]:
    """Claim up to ``limit`` due timers (and timers whose claim ran out) for ``worker_id``.

    Who: a scheduler process. Writes: Timer.state/claimed_by/lease_until/attempts.
    """
    now = now or timezone.now()
    with transaction.atomic():
        due = (Timer.objects.filter(Q(state=TimerState.PENDING, fire_at__lte=now)
                                    | Q(state=TimerState.CLAIMED, lease_until__lt=now))
               .filter(attempts__lt=MAX_ATTEMPTS).order_by("fire_at", "pk"))
        if connection.features.has_select_for_update_skip_locked:
            # Another scheduler's claim in flight is skipped, not waited for.
            due = due.select_for_update(skip_locked=True)
        ids = list(due.values_list("pk", flat=True)[:limit])
        if ids:
            Timer.objects.filter(pk__in=ids).update(state=TimerState.CLAIMED, claimed_by=worker_id,
                                                    lease_until=now + lease, attempts=F("attempts") + 1)
    return ids


FIRED, SKIPPED, LOST = "fired", "skipped", "lost"


def timer_fire(*, timer_id: int, worker_id: str, now: dt.datetime | None = None, _pause=None) -> str:
    """Fire one claimed timer: at most one timeline event, and only if the claim is still ours.

    Who: the system (a scheduler). Writes: through ``commit_change`` one CaseEvent
    (DEADLINE_WARNING, DEADLINE_BREACHED or DEADLINE_ESCALATED) with the clocks recomputed; the
    Timer's state and event. After commit: the event's audience is told (``dispatch.AUDIENCE``).
    Returns "fired", "skipped" (the clock no longer needs it) or "lost" (another scheduler took
    the timer over after our lease ran out, or the clock moved and the timer was dropped).
    ``_pause`` is called inside the transaction, before it commits (the kill tests use it).
    """
    from casework.services._core import commit_change
    from casework.services.deadlines import deadline_breaches_record

    now = now or timezone.now()
    case_id = Timer.objects.filter(pk=timer_id).values_list("case_id", flat=True).first()
    if case_id is None:
        return LOST
    with transaction.atomic():
        # The case first, as every service does: a service holding the case lock may be
        # replacing this very timer.
        case = (Case.objects.select_for_update(of=("self",)).select_related("intake", "commune")
                .get(pk=case_id))
        timer = (Timer.objects.select_for_update()
                 .filter(pk=timer_id, state=TimerState.CLAIMED, claimed_by=worker_id).first())
        if timer is None:
            return LOST
        deadline = case.deadlines.filter(kind=timer.kind, subject=timer.subject, due_at=timer.due_at).first()
        # Marked before the change: the commit path recomputes the timers and must find this one
        # spent, not waiting.
        Timer.objects.filter(pk=timer.pk).update(state=TimerState.SKIPPED, fired_at=now, lease_until=None)
        event = None
        if timer.what == TimerWhat.BREACH and deadline is not None:
            events = deadline_breaches_record(case, now=now)
            event = next((e for e in events if e.data.get("clock") == deadline.kind
                          and e.data.get("subject") == deadline.subject), None)
        elif deadline is not None and deadline.met_at is None and deadline.state != ClockState.CANCELLED:
            data = {"clock": deadline.kind, "subject": deadline.subject, "due_at": deadline.due_at.isoformat(),
                    "timer": timer.key}
            organisation = _task_body(case, deadline)
            if organisation:
                data["organisation"] = organisation
            if timer.what == TimerWhat.WARNING and now < deadline.due_at:
                event = commit_change(None, case, type=CaseEventType.DEADLINE_WARNING, at=now,
                                      data={**data, "step": timer.step,
                                            "minutes_left": int((deadline.due_at - now).total_seconds() // 60)})
            elif timer.what == TimerWhat.ESCALATION and now >= deadline.due_at:
                event = commit_change(None, case, type=CaseEventType.DEADLINE_ESCALATED, at=now,
                                      data={**data, "level": "supervisor",
                                            "late_by_minutes": int((now - deadline.due_at).total_seconds() // 60)})
        if event is not None:
            Timer.objects.filter(pk=timer.pk).update(state=TimerState.FIRED, event=event)
        if _pause is not None:
            _pause(timer)
    return FIRED if event is not None else SKIPPED


def _task_body(case: Case, deadline: CaseDeadline) -> int | None:
    from casework.models.deadlines import TASK_CLOCK

    if deadline.kind != TASK_CLOCK or not deadline.subject.startswith("task-"):
        return None
    return case.tasks.filter(pk=deadline.subject.removeprefix("task-")).values_list(
        "organisation_id", flat=True).first()


def timers_run_due(*, worker_id: str, now: dt.datetime | None = None, lease: dt.timedelta = DEFAULT_LEASE,
                   limit: int = 20, after_claim=None, in_fire=None, max_rounds: int = 50) -> dict[str, int]:
    """Claim what is due and fire each, until nothing due is left (a breach makes its escalation
    due at once when the scheduler was down). Each timer in its own transaction, so one bad case
    never blocks the others. ``after_claim`` / ``in_fire`` are fault-injection hooks for tests."""
    counts = {FIRED: 0, SKIPPED: 0, LOST: 0}
    for _round in range(max_rounds):
        ids = timers_claim(worker_id=worker_id, now=now, lease=lease, limit=limit)
        if not ids:
            break
        if after_claim is not None:
            after_claim(ids)
        for timer_id in ids:
            try:
                counts[timer_fire(timer_id=timer_id, worker_id=worker_id, now=now, _pause=in_fire)] += 1
            except Exception:
                log.exception("timer %s failed; it will be retried after its lease", timer_id)
    return counts


__all__ = ["planned_for", "timer_fire", "timer_key", "timers_claim", "timers_replace", "timers_run_due"]
