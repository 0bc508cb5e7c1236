"""A case's clocks as people read them: what, due when, warning, met or missed and by how much.

Pure formatting of ``CaseDeadline`` rows (written by ``services.deadlines``); pages, the API and
exports share it.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflows.calendar import end_of_day
from workflows.policy import DeadlineKind

from ..models import CaseDeadline, ClockState
from ..models.deadlines import REVIEW_CLOCK, TASK_CLOCK

CLOCK_LABELS = {
    **{k.value: k.label for k in DeadlineKind},
    TASK_CLOCK: _("Task due"),
    REVIEW_CLOCK: _("Plan review due"),
}


# Issue 8, item 12: a clock is amber when it runs out within 12 hours, or within one working day
# (by the end of the next working day), or once its own warning time has come; red once missed.
AMBER_WITHIN = dt.timedelta(hours=12)


def _next_working_day_end(now: dt.datetime) -> dt.datetime:
    """The end of the next working day after today, counting Monday to Friday.

    Pages list many cases at once, so this reads no holiday table: around a holiday a clock
    turns amber a day early rather than late.
    """
    day = timezone.localtime(now).date() + dt.timedelta(days=1)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return end_of_day(day)


def due_today_end(now: dt.datetime) -> dt.datetime:
    return end_of_day(timezone.localtime(now).date())


def clock_view(row: CaseDeadline, now: dt.datetime | None = None) -> dict:
    now = now or timezone.now()
    reference = row.met_at or now
    delta = (reference - row.due_at).total_seconds()
    state = row.state
    if state == ClockState.RUNNING and now > row.due_at:
        state = ClockState.BREACHED
    running = state == ClockState.RUNNING
    amber = running and (now >= row.warn_at or row.due_at - now <= AMBER_WITHIN
                         or row.due_at <= _next_working_day_end(now))
    return {
        "kind": row.kind,
        "label": str(CLOCK_LABELS.get(row.kind, row.kind)),
        "subject": row.subject,
        "starts_at": row.starts_at,
        "due_at": row.due_at,
        "warn_at": row.warn_at,
        "met_at": row.met_at,
        "state": state,
        "warning": amber,
        "amber": amber,
        "red": state == ClockState.BREACHED,
        "due_today": running and row.due_at <= due_today_end(now),
        "breached_by_minutes": int(delta // 60) if state == ClockState.BREACHED else 0,
        "remaining_minutes": int(-delta // 60) if state == ClockState.RUNNING else 0,
    }


__all__ = ["AMBER_WITHIN", "CLOCK_LABELS", "clock_view", "due_today_end"]
