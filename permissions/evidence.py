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


# ------------------------------------------------------------------ files outside any case
#
# Files on a prevention activity, a reported target value or a periodic report go through the
# same pipeline; who sees them follows the record's own rules (``permissions.prevention``,
# ``permissions.reports``), and whoever does not see the record gets NotFound, like a missing one.
#
# - an **activity**: attached by whoever records activities for its organiser; downloaded by the
#   organising body and the commune that acts on it (photos of children, attendance sheets);
#   others who see the activity see only how many files it has;
# - a **reported target value**: downloaded by the plan's issuing body (attached with the value,
#   by ``prevention.services.target_report``);
# - a **periodic report**: attached by a drafter of the reporting body while the report is a
#   draft or returned for a supplement (after that the file is part of what was sent); downloaded
#   by whoever reads the report;
# - a withdrawn file is read by nobody through the pages (the bytes stay for audit); withdrawn by
#   its uploader while they may still attach.

REPORT_EDITABLE = ("draft", "returned")


def record_reader(user, owner: str, record, plan_access=None) -> RoleAssignment | None:
    """Through which assignment ``user`` opens the files of a record they see (None: may not)."""
    from . import prevention as prevention_rules
    from . import reports as report_rules

    if owner == "activity":
        return prevention_rules.evidence_reader(user, record)
    if owner == "target_report":
        return prevention_rules.target_report_reader(plan_access) if plan_access is not None else None
    if owner == "report":
        if not report_rules.can_view_report(user, record):
            return None
        return next((a for a in assignments_of(user) if C.REPORT_VIEW in a.role.capabilities), None)
    return None


def record_attacher(user, owner: str, record) -> RoleAssignment | None:
    """Through which assignment ``user`` attaches a file to a record they see (None: may not)."""
    from . import prevention as prevention_rules

    if owner == "activity":
        return prevention_rules.activity_recorder(user, record.organiser)
    if owner == "report":
        if record.status not in REPORT_EDITABLE:
            return None
        return next((a for a in assignments_of(user) if a.organisation_id == record.body_id
                     and C.REPORT_DRAFT in a.role.capabilities), None)
    return None   # target values carry their file from the moment they are reported


def record_attach_refusal(user, owner: str, record) -> str:
    """Why a drafter of the report cannot attach now ("" when that is not the reason)."""
    if owner == "report" and record.status not in REPORT_EDITABLE and any(
            a.organisation_id == record.body_id and C.REPORT_DRAFT in a.role.capabilities
            for a in assignments_of(user)):
        return _("The report has been submitted: files are attached while it is a draft or returned.")
    return ""


def record_files_open(reader: RoleAssignment | None, offers) -> bool:
    """Whether a user who sees the record may see its list of files at all.

    ``reader`` is the assignment through which they read its files (None: they do not), ``offers``
    the record-level offers built for them. A supervisor who sees a report's figures but neither
    reads nor attaches its files is refused the list like a missing one: the files are minutes
    and photos that name children, not figures."""
    return reader is not None or any(o.enabled for o in offers)


def record_may_download(reader: RoleAssignment | None, file) -> bool:
    return reader is not None and file.withdrawn_at is None


def record_may_withdraw(user, owner: str, record, file) -> bool:
    if file.withdrawn_at is not None or file.uploaded_by_id != user.pk:
        return False
    return record_attacher(user, owner, record) is not None
