"""A case's clocks as people read them: what, due when, warning, met or missed and by how much.

Pure formatting of ``CaseDeadline`` rows (written by ``services.deadlines``); pages, the API and
exports share it.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflows.policy import DeadlineKind

from ..models import CaseDeadline, ClockState
from ..models.deadlines import REVIEW_CLOCK, TASK_CLOCK

CLOCK_LABELS = {
    **{k.value: k.label for k in DeadlineKind},
    TASK_CLOCK: _("Task due"),
    REVIEW_CLOCK: _("Plan review due"),
}


def clock_view(row: CaseDeadline, now: dt.datetime | None = None) -> dict:
    now = now or timezone.now()
    reference = row.met_at or now
    delta = (reference - row.due_at).total_seconds()
    state = row.state
    if state == ClockState.RUNNING and now > row.due_at:
        state = ClockState.BREACHED
    return {
        "kind": row.kind,
        "label": str(CLOCK_LABELS.get(row.kind, row.kind)),
        "subject": row.subject,
        "starts_at": row.starts_at,
        "due_at": row.due_at,
        "warn_at": row.warn_at,
        "met_at": row.met_at,
        "state": state,
        "warning": state == ClockState.RUNNING and now >= row.warn_at,
        "breached_by_minutes": int(delta // 60) if state == ClockState.BREACHED else 0,
        "remaining_minutes": int(-delta // 60) if state == ClockState.RUNNING else 0,
    }


__all__ = ["CLOCK_LABELS", "clock_view"]
