"""Who may attach, download and withdraw evidence files (evidence app).

Everything starts from the case's access (``permissions.access.case_access``): a user who does
not see the case's content never reaches these rules — the case is a 404 for them, like a
missing one. Within the case:

- attach to **the case file**: whoever acts on the case for its responsible commune (verifies,
  assesses, drafts or decides the plan, assigns tasks);
- attach to **a plan measure**: the plan's drafter or decider, or a member of the measure's
  responsible body;
- attach to **a task**: the officer who assigns tasks, or a member of the task's body;
- nothing is attached to a closed case (the file of a closed case is what was decided on);
- **download**: whoever may see the child's identity on this case (documents name the child);
  a body without that sight (justice, provider) reads only the files of its own tasks; a
  withdrawn file only an auditor of the case reads;
- **withdraw**: its uploader, while they may still attach to the same record. The bytes stay.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from .access import CaseAccess, assignments_of
from .models import RoleAssignment
from .roles import Capability as C
from .rules import task_membership

# Acting on the case itself, for its responsible commune (access.caps holds these only there).
CASE_ATTACH_CAPS = (C.CASE_ASSESS, C.CASE_VERIFY, C.PLAN_DRAFT, C.PLAN_DECIDE, C.TASK_ASSIGN)
MEASURE_ATTACH_CAPS = (C.PLAN_DRAFT, C.PLAN_DECIDE)


def _first(access: CaseAccess, caps) -> RoleAssignment | None:
    for cap in caps:
        if cap in access.caps:
            return access.assignment(cap)
    return None


def _body_member(user, organisation_id) -> RoleAssignment | None:
    for a in assignments_of(user):
        if a.organisation_id == organisation_id and C.TASK_ACT in a.role.capabilities:
            return a
    return None


def attach_assignment(access: CaseAccess, target: str, record=None) -> RoleAssignment | None:
    """Through which role assignment ``access.user`` attaches a file to ``record`` (None: may not).

    ``target`` is "case", "measure" (``record`` a plan Measure of this case) or "task"."""
    if not access.content_visible or not access.case.is_open:
        return None
    if target == "case":
        return _first(access, CASE_ATTACH_CAPS)
    if target == "measure":
        return _first(access, MEASURE_ATTACH_CAPS) or _body_member(access.user, record.responsible_id)
    if target == "task":
        return _first(access, (C.TASK_ASSIGN,)) or task_membership(access.user, record)
    return None


def attach_refusal(access: CaseAccess) -> str:
    """Why nothing can be attached, for a user who would attach to an open case ("" if not that)."""
    if access.content_visible and not access.case.is_open and _first(access, CASE_ATTACH_CAPS):
        return _("The case is closed: no file can be attached to it any more.")
    return ""


def may_download(access: CaseAccess, attachment) -> bool:
    if not access.content_visible:
        return False
    if attachment.withdrawn_at is not None:
        return C.CASE_AUDIT in access.caps
    if C.IDENTITY_VIEW in access.caps:
        return True
    return attachment.task_id is not None and task_membership(access.user, attachment.task) is not None


def may_withdraw(access: CaseAccess, attachment) -> bool:
    if attachment.withdrawn_at is not None or attachment.uploaded_by_id != access.user.pk:
        return False
    record = {"measure": attachment.measure, "task": attachment.task}.get(attachment.target)
    return attach_assignment(access, attachment.target, record) is not None
