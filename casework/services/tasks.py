"""Tasks and referrals to bodies during implementation (art. 28.5, 29)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from permissions import rules
from permissions.roles import Capability
from workflows.flows import TaskFlow
from workflows.states import OPEN_CASE_STATUSES, TaskStatus

from ..errors import Conflict, NotFound, PermissionDenied, ValidationError
from ..models import CaseEventType as E
from ..models import Organisation, Task, TaskLog
from ._core import (
    Actor,
    check_not_before,
    check_not_future,
    commit_change,
    fire,
    lock_case,
    require,
    require_reason,
)


def _load(access, task_id) -> Task:
    task = access.case.tasks.filter(pk=task_id).select_related("organisation").first()
    if task is None:
        raise NotFound
    return task


@transaction.atomic
def task_assign(*, actor: Actor, case_id, organisation_id: int, title: str, details: str = "", due_on=None,
                expected_version=None) -> Task:
    """Refer a piece of work to a body outside the plan's measures, e.g. an information request
    to a school or a verification visit by the commune police (art. 25, 29).

    Who: the officer of the responsible commune, on an open case.
    Writes: Task (assigned), one CaseEvent(TASK_ASSIGNED); a task clock if due_on is given.
    After commit: notifies the members of that body.
    Raises: CaseNotFound, PermissionDenied, ValidationError, Conflict.
    """
    # The case first: whoever may not see it learns nothing from the body they sent.
    access = lock_case(actor, case_id, expected_version=expected_version)
    case = access.case
    assignment = require(access, Capability.TASK_ASSIGN)
    errors: dict[str, Any] = {}
    body = Organisation.objects.filter(pk=organisation_id, active=True).first() \
        if rules.may_address(case, organisation_id) else None
    if body is None:
        errors["organisation_id"] = rules.NOT_ADDRESSABLE
    if not (title or "").strip():
        errors["title"] = _("This field is required.")
    if due_on is not None and due_on < timezone.localdate():
        errors["due_on"] = _("The due date cannot be before today.")
    if errors or body is None:
        raise ValidationError(errors)
    if case.status not in OPEN_CASE_STATUSES:
        raise Conflict(_("The case is closed."), code="closed")
    task = Task.objects.create(case=case, organisation=body, title=title.strip(), details=details, due_on=due_on,
                               assigned_by=actor, assigned_at=timezone.now())
    commit_change(access, case, type=E.TASK_ASSIGNED, assignment=assignment, to_state=task.status,
                  data={"task": task.pk, "organisation": body.pk, "organisation_name": body.name,
                        "title": task.title, "details": details, "due_on": due_on})
    return task


TASK_MOVES = {
    "accept": (E.TASK_ACCEPTED, False),
    "decline": (E.TASK_DECLINED, True),
    "start": (E.TASK_STARTED, False),
    "complete": (E.TASK_DONE, False),
    "fail": (E.TASK_FAILED, True),
    "cancel": (E.TASK_CANCELLED, True),
}


@transaction.atomic
def task_move(*, actor: Actor, case_id, task_id, action: str, reason: str = "", expected_version=None) -> Task:
    """Move a task: accept, decline (reason), start, complete, fail (reason) or cancel (reason).

    Who: members of the body the task is referred to; cancel — the officer.
    Writes: Task.status (closed_at, outcome_reason when it ends), one CaseEvent(TASK_*).
    After commit: a decline or failure notifies the officer.
    Raises: CaseNotFound, NotFound (task), PermissionDenied, ValidationError (reason missing),
    Conflict (not possible in the task's state).
    """
    if action not in TASK_MOVES:
        raise ValidationError({"action": _("Unknown action.")})
    event, needs_reason = TASK_MOVES[action]
    if needs_reason:
        reason = require_reason(reason)
    access = lock_case(actor, case_id, expected_version=expected_version)
    task = _load(access, task_id)
    caps = rules.task_caps(access, task)
    before = task.status
    assignment = fire(access, getattr(TaskFlow(task, caps=caps), action))
    if action != "cancel":
        assignment = rules.task_membership(actor, task) or assignment
    if task.status in (TaskStatus.DONE, TaskStatus.FAILED, TaskStatus.DECLINED, TaskStatus.CANCELLED):
        task.closed_at = timezone.now()
    task.outcome_reason = reason or task.outcome_reason
    task.save(update_fields=["status", "closed_at", "outcome_reason"])
    commit_change(access, access.case, type=event, assignment=assignment, from_state=before, to_state=task.status,
                  reason=reason, data={"task": task.pk, "organisation": task.organisation_id})
    return task


@transaction.atomic
def task_log_add(*, actor: Actor, case_id, task_id, acted_on, action: str, outcome: str = "",
                 expected_version=None) -> TaskLog:
    """Log what the body did on a task — e.g. a police intervention: date, action, outcome.

    Who: members of the body the task is referred to, while the task is accepted or in progress.
    Writes: TaskLog, one CaseEvent(TASK_LOGGED).
    Raises: CaseNotFound, NotFound, PermissionDenied, ValidationError, Conflict.
    """
    errors = {}
    if not (action or "").strip():
        errors["action"] = _("Describe what was done.")
    if acted_on is None:
        errors["acted_on"] = _("This field is required.")
    if errors:
        raise ValidationError(errors)
    access = lock_case(actor, case_id, expected_version=expected_version)
    task = _load(access, task_id)
    # A log entry is dated between the referral (and so the report) and today.
    check_not_future(acted_on, "acted_on")
    check_not_before(acted_on, task.assigned_at, "acted_on", _("the task was assigned"))
    assignment = rules.task_membership(actor, task)
    if assignment is None:
        raise PermissionDenied(_("Only the body the task is referred to logs its actions."))
    if task.status not in (TaskStatus.ACCEPTED, TaskStatus.IN_PROGRESS):
        raise Conflict(_("Actions are logged on an accepted task."), code="state")
    log = TaskLog.objects.create(task=task, author=actor, acted_on=acted_on, action=action.strip(), outcome=outcome)
    commit_change(access, access.case, type=E.TASK_LOGGED, assignment=assignment, from_state=task.status,
                  to_state=task.status, data={"task": task.pk, "log": log.pk, "acted_on": acted_on,
                                              "action": log.action, "outcome": log.outcome})
    return log

