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
from workflows.policy import (
    PLAN_CLOCK_FROM_EMERGENCY_END,
    DeadlineKind,
    applies_in,
    emergency_plan_clock_start,
)
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


# A declaration made while the report is still being checked answers the report itself: its 12
# hours run from receipt (art. 26.3, 31.2). A later one (art. 32.1) answers new information.
EARLY_STATES = frozenset({CaseStatus.RECEIVED, CaseStatus.VERIFYING, CaseStatus.ASSESSING})


def _dropped(is_open: bool, closed_at, due_at) -> bool:
    """A clock no longer applies only when the case was closed (with its reason on the timeline)
    before the clock ran out; one that ran out first stays missed."""
    return not is_open and closed_at is not None and closed_at <= due_at


def _parse(value):
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def _emergency_episodes(case: Case, intake) -> list[tuple[str, dt.datetime, dt.datetime | None]]:
    """(subject, start, next episode's start) of every 12-hour emergency clock of the case.

    The first clock ("") answers the report: an urgent report, or an emergency declared while the
    report was being checked, counts from receipt. Each later declaration (art. 32.1: the abuser
    returns, the plan is not carried out) starts its own clock from when the news came in.
    """
    declared = list(case.events.filter(type=CaseEventType.EMERGENCY_DECLARED).order_by("at", "pk")
                    .values_list("at", "from_state", "data"))
    starts: list[tuple[str, dt.datetime]] = []
    if intake.urgent or (declared and declared[0][1] in EARLY_STATES):
        starts.append(("", intake.received_at))
    for i, (at, _from_state, data) in enumerate(declared, start=1):
        if i == 1 and starts:
            continue  # the report's own clock
        starts.append((f"emergency-{i}", _parse((data or {}).get("informed_at")) or at))
    return [(subject, start, starts[i + 1][1] if i + 1 < len(starts) else None)
            for i, (subject, start) in enumerate(starts)]


def _local_step(kind, start, met_at, case, area, calendar, *, cancelled=False) -> Clock | None:
    """A local step budget (verification, initial assessment) where a province or commune set one."""
    if start is None:
        return None
    d = deadline_for(kind, start, area, calendar)
    if not applies_in(d.limit):
        return None
    return Clock(kind, "", start, d.due_at, d.warn_at, met_at=met_at,
                 cancelled=(met_at is None and cancelled) or _dropped(case.is_open, case.closed_at, d.due_at))


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

    # Art. 26.3, 31.2: emergency measures within 12 clock hours of receipt of the information.
    # An urgent report's clock is never dropped quietly: it is met by a measure carried out, or
    # by a recorded decision that none applies (form 02 finding no emergency, or the report
    # closed as not eligible) — else it is missed and the sweep records it.
    for subject, start, until in _emergency_episodes(case, intake):
        d = deadline_for(DeadlineKind.EMERGENCY_MEASURES, start, area, calendar)
        taken = [m.done_at for m in measures if m.status == EmergencyMeasureStatus.TAKEN and m.done_at
                 and (subject == "" or m.ordered_at >= start) and (until is None or m.ordered_at < until)]
        decided = []
        if subject == "" and not case.emergency:
            decided = [a.created_at for a in initial if not a.emergency_needed]
            if case.status == CaseStatus.NOT_ELIGIBLE and case.closed_at:
                decided.append(case.closed_at)
        met = [*taken, *decided]
        clocks.append(Clock(DeadlineKind.EMERGENCY_MEASURES, subject, start, d.due_at, d.warn_at,
                            met_at=min(met) if met else None,
                            cancelled=_dropped(is_open, case.closed_at, d.due_at)))

    # Art. 32.2: when the caregiver is the abuser, isolation is decided within 12 hours of receipt.
    if case.emergency and (intake.caregiver_is_abuser or any(a.caregiver_is_abuser for a in initial)):
        d = deadline_for(DeadlineKind.ISOLATION_ORDER, received, area, calendar)
        issued = [o.issued_at for o in orders]
        left_emergency = case.status != CaseStatus.EMERGENCY
        clocks.append(Clock(DeadlineKind.ISOLATION_ORDER, "", received, d.due_at, d.warn_at,
                            met_at=min(issued) if issued else None, cancelled=left_emergency or not is_open))

    # Local step budgets (DOMAIN.md §3 [local]): verification from receipt, the initial assessment
    # from the verification findings. An emergency declared first takes over the step.
    verified = _event_time(case, CaseEventType.VERIFICATION_RECORDED)
    assessed = min((a.created_at for a in initial), default=None)
    for clock in (
        _local_step(DeadlineKind.VERIFICATION, received, verified, case, area, calendar, cancelled=case.emergency),
        _local_step(DeadlineKind.INITIAL_ASSESSMENT, verified, assessed, case, area, calendar,
                    cancelled=case.emergency),
    ):
        if clock is not None:
            clocks.append(clock)

    # Art. 32.3: an order's end; it must be revoked or expire by then.
    for order in orders:
        clocks.append(Clock(DeadlineKind.ISOLATION_DURATION, f"order-{order.pk}", order.issued_at, order.ends_at,
                            order.ends_at - dt.timedelta(days=1),
                            met_at=order.ended_at if order.status in (IsolationStatus.REVOKED, IsolationStatus.EXPIRED)
                            else None, cancelled=not is_open))

    # Art. 28.1: the plan within 5 working days. "Except emergencies" does not say from when the
    # clock then runs (DOMAIN.md [open]): a setting, from receipt by default (workflows.policy).
    from_emergency_end = emergency_plan_clock_start() == PLAN_CLOCK_FROM_EMERGENCY_END
    for cycle in range(1, case.plan_cycle + 1):
        if cycle == 1:
            start = _event_time(case, CaseEventType.EMERGENCY_ENDED) if case.emergency and from_emergency_end \
                else received
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


def next_due(rows) -> dt.datetime | None:
    """The earliest due time among live clocks (running or missed, not met): Case.next_due_at."""
    return min((r.due_at for r in rows if r.state in (ClockState.RUNNING, ClockState.BREACHED) and r.met_at is None),
               default=None)


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
        row = existing.get((kind, subject))
        values = (clock.starts_at, clock.due_at, clock.warn_at, clock.met_at, clock.state(now))
        if row is not None and (row.starts_at, row.due_at, row.warn_at, row.met_at, row.state) == values:
            rows.append(row)  # unchanged: no write
            continue
        row = row or CaseDeadline(case=case, kind=kind, subject=subject)
        row.starts_at, row.due_at, row.warn_at, row.met_at, row.state = values
        row.save()
        rows.append(row)
    due = next_due(rows)
    if due != case.next_due_at:
        # Written only when it moves; a queryset update, so the case's version and updated_at
        # stay those of the change (and the row history takes no snapshot of a derived value).
        Case.objects.filter(pk=case.pk).update(next_due_at=due)
        case.next_due_at = due
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


__all__ = ["case_clocks", "deadline_breaches_record", "deadlines_replace", "deadlines_sweep", "next_due"]
