"""The clocks of a case (DOMAIN.md §3 "Deadlines"), recomputed after every change.

Which clocks run is derived from the case's records, so recomputing is idempotent and a clock
can never drift from the facts. Limits come from ``workflows.policy`` (per province/commune,
statutory value as default and ceiling) and working days from ``workflows.calendar``.
Breaches become timeline events in ``deadlines_sweep`` (a timer), not here: a service writes
exactly one event per change.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from workflows.calendar import WorkingCalendar, deadline_for, end_of_day
from workflows.policy import DeadlineKind
from workflows.states import CaseStatus, EmergencyMeasureStatus, IsolationStatus, PlanStatus, TaskStatus

from ..models import Case, CaseDeadline, CaseEventType, ClockState
from ..models.deadlines import REVIEW_CLOCK, TASK_CLOCK
from ._core import commit_change

TASK, REVIEW = TASK_CLOCK, REVIEW_CLOCK


@dataclass
class Clock:
    kind: str
    subject: str
    starts_at: dt.datetime
    due_at: dt.datetime
    warn_at: dt.datetime
    met_at: dt.datetime | None = None
    cancelled: bool = False

    def state(self, now: dt.datetime) -> str:
        if self.met_at is not None:
            return ClockState.MET if self.met_at <= self.due_at else ClockState.BREACHED
        if self.cancelled:
            return ClockState.CANCELLED
        return ClockState.BREACHED if now > self.due_at else ClockState.RUNNING


def _event_time(case: Case, type: CaseEventType, after=None):
    qs = case.events.filter(type=type)
    if after is not None:
        qs = qs.filter(at__gte=after)
    return qs.order_by("at").values_list("at", flat=True).first()


def case_clocks(case: Case) -> list[Clock]:
    """Every clock that applies to the case now, with its facts."""
    intake = case.intake
    area = case.commune
    calendar = WorkingCalendar(area)
    received = intake.received_at
    clocks: list[Clock] = []
    is_open = case.is_open

    measures = list(case.emergencymeasures.all())
    orders = list(case.isolationorders.all())
    plans = list(case.plans.all())
    reviews = list(case.reviews.all())
    initial = list(case.initialassessments.all())

    # Art. 26.3, 31.2: emergency measures within 12 clock hours of receipt.
    if case.emergency or intake.urgent:
        d = deadline_for(DeadlineKind.EMERGENCY_MEASURES, received, area, calendar)
        taken = [m.done_at for m in measures if m.status == EmergencyMeasureStatus.TAKEN and m.done_at]
        clocks.append(Clock(DeadlineKind.EMERGENCY_MEASURES, "", received, d.due_at, d.warn_at,
                            met_at=min(taken) if taken else None,
                            cancelled=not is_open or (not case.emergency and case.status != CaseStatus.RECEIVED)))

    # Art. 32.2: when the caregiver is the abuser, isolation is decided within 12 hours of receipt.
    if case.emergency and (intake.caregiver_is_abuser or any(a.caregiver_is_abuser for a in initial)):
        d = deadline_for(DeadlineKind.ISOLATION_ORDER, received, area, calendar)
        issued = [o.issued_at for o in orders]
        left_emergency = case.status != CaseStatus.EMERGENCY
        clocks.append(Clock(DeadlineKind.ISOLATION_ORDER, "", received, d.due_at, d.warn_at,
                            met_at=min(issued) if issued else None, cancelled=left_emergency or not is_open))

    # Art. 32.3: an order's end; it must be revoked or expire by then.
    for order in orders:
        clocks.append(Clock(DeadlineKind.ISOLATION_DURATION, f"order-{order.pk}", order.issued_at, order.ends_at,
                            order.ends_at - dt.timedelta(days=1),
                            met_at=order.ended_at if order.status in (IsolationStatus.REVOKED, IsolationStatus.EXPIRED)
                            else None, cancelled=not is_open))

    # Art. 28.1: the plan within 5 working days (except emergencies: then from the end of the
    # emergency phase — the law is silent on the start; DOMAIN.md marks it [open]).
    for cycle in range(1, case.plan_cycle + 1):
        if cycle == 1:
            start = _event_time(case, CaseEventType.EMERGENCY_ENDED) if case.emergency else received
        else:
            starts = list(case.events.filter(type=CaseEventType.NEW_CYCLE_STARTED).order_by("at")
                          .values_list("at", flat=True))
            start = starts[cycle - 2] if len(starts) >= cycle - 1 else None
        if start is None:
            continue
        submitted = [p.submitted_at for p in plans if p.cycle == cycle and p.submitted_at]
        d = deadline_for(DeadlineKind.PLAN_DRAFT, start, area, calendar)
        clocks.append(Clock(DeadlineKind.PLAN_DRAFT, f"cycle-{cycle}", start, d.due_at, d.warn_at,
                            met_at=min(submitted) if submitted else None,
                            cancelled=not is_open))

    # Art. 28.4: the chairperson decides within 2 working days of each submission.
    for plan in plans:
        if plan.submitted_at is None:
            continue
        d = deadline_for(DeadlineKind.PLAN_APPROVAL, plan.submitted_at, area, calendar)
        clocks.append(Clock(DeadlineKind.PLAN_APPROVAL, f"plan-v{plan.version}", plan.submitted_at, d.due_at,
                            d.warn_at, met_at=plan.decided_at, cancelled=not is_open))

    # Dates set in the plan: each task, and the review of the approved plan.
    for task in case.tasks.all():
        if task.due_on is None:
            continue
        due = end_of_day(task.due_on)
        finished = task.status in (TaskStatus.DONE, TaskStatus.FAILED, TaskStatus.DECLINED)
        clocks.append(Clock(TASK, f"task-{task.pk}", task.assigned_at, due, due - dt.timedelta(days=1),
                            met_at=task.closed_at if finished else None,
                            cancelled=task.status == TaskStatus.CANCELLED or not is_open))
    for plan in plans:
        if plan.status not in (PlanStatus.APPROVED, PlanStatus.ENDED) or plan.decided_at is None:
            continue
        due = end_of_day(plan.review_on)
        done = [r.created_at for r in reviews if r.plan_cycle == plan.cycle and r.created_at >= plan.decided_at]
        clocks.append(Clock(REVIEW, f"plan-v{plan.version}", plan.decided_at, due, due - dt.timedelta(days=3),
                            met_at=min(done) if done else None,
                            cancelled=(plan.status == PlanStatus.ENDED and not done) or not is_open))
    return clocks


def deadlines_replace(case: Case, *, now: dt.datetime | None = None) -> list[CaseDeadline]:
    """Recompute and store the case's clocks. Runs inside the caller's transaction."""
    now = now or timezone.now()
    wanted = {(str(c.kind), c.subject): c for c in case_clocks(case)}
    existing = {(d.kind, d.subject): d for d in case.deadlines.all()}
    stale = [d.pk for key, d in existing.items() if key not in wanted]
    if stale:
        CaseDeadline.objects.filter(pk__in=stale).delete()
    rows = []
    for (kind, subject), clock in wanted.items():
        row = existing.get((kind, subject)) or CaseDeadline(case=case, kind=kind, subject=subject)
        row.starts_at, row.due_at, row.warn_at = clock.starts_at, clock.due_at, clock.warn_at
        row.met_at, row.state = clock.met_at, clock.state(now)
        row.save()
        rows.append(row)
    # The timers that make these clocks act (warnings, breach, escalation), in this transaction.
    from notifications.timers import timers_replace

    timers_replace(case, rows)
    return rows


def deadlines_sweep(*, now: dt.datetime | None = None) -> int:
    """Timer: refresh clocks that ran out and record each breach once on the case timeline.

    Who: the system (``manage.py run_timers``, every minute).
    Writes: CaseDeadline.state, one CaseEvent(DEADLINE_BREACHED) per newly breached clock, through
    ``commit_change`` (version bumped, clocks recomputed).
    After commit: the officer and the chairperson of the responsible commune are notified.
    Raises: nothing; each case is handled in its own transaction.
    """
    now = now or timezone.now()
    due_case_ids = set(CaseDeadline.objects.filter(state=ClockState.RUNNING, due_at__lt=now)
                       .values_list("case_id", flat=True))
    due_case_ids |= set(CaseDeadline.objects.filter(state=ClockState.BREACHED, breach_recorded=False)
                        .values_list("case_id", flat=True))
    recorded = 0
    for case_id in sorted(due_case_ids):
        with transaction.atomic():
            case = Case.objects.select_for_update(of=("self",)).select_related("intake", "commune").get(pk=case_id)
            recorded += len(deadline_breaches_record(case, now=now))
    return recorded


def deadline_breaches_record(case: Case, *, now: dt.datetime) -> list:
    """Record each newly missed clock of one locked case once (the body of ``deadlines_sweep``,
    also run by the case's breach timer, notifications.timers). Returns the events written."""
    events = []
    for row in deadlines_replace(case, now=now):
        if row.state == ClockState.BREACHED and not row.breach_recorded:
            # Marked first: the commit path recomputes the clocks from the table.
            CaseDeadline.objects.filter(pk=row.pk).update(breach_recorded=True)
            # Through the one commit path, so the missed clock reaches the people of
            # notifications.dispatch.AUDIENCE (the officer and the chairperson).
            events.append(commit_change(
                None, case, type=CaseEventType.DEADLINE_BREACHED, at=now,
                data={"clock": row.kind, "subject": row.subject, "due_at": row.due_at.isoformat(),
                      "late_by_minutes": int(((row.met_at or now) - row.due_at).total_seconds() // 60)},
            ))
    return events


__all__ = ["case_clocks", "deadline_breaches_record", "deadlines_replace", "deadlines_sweep"]
