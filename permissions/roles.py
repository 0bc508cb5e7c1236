"""Roles of DOMAIN.md §1 and what each may do.

The defaults below seed the ``Role`` table (migration 0002); administrators may change a role's
capabilities in the admin. Code never asks "is this user an officer?" — it asks "may this user
do X on this case?" (``permissions.access.can``), so a role's powers live only here and in the
table.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RoleCode(models.TextChoices):
    SCHOOL = "school_staff", _("School counsellor / principal")
    OFFICER = "commune_officer", _("Commune child-protection officer")
    CHAIR = "chairperson", _("Commune chairperson")
    POLICE = "commune_police", _("Commune police")
    HEALTH = "health_station", _("Commune health station")
    JUSTICE = "justice_officer", _("Justice officer")
    VILLAGE = "village_collaborator", _("Village collaborator")
    PROVIDER = "service_provider", _("Service provider")
    HOTLINE = "hotline", _("111 hotline")
    SUPERVISOR = "supervisor", _("Supervisor")
    ADMIN = "administrator", _("Administrator")
    # issue 8: a Phó Chủ tịch decides only under a recorded delegation (permissions.rules).
    DEPUTY_CHAIR = "deputy_chairperson", _("Commune deputy chairperson")


class Scope(models.TextChoices):
    # Cases whose commune lies under the assignment's area node.
    AREA = "area", _("Every case in the area")
    # Cases the organisation reported, or in which it holds a task.
    ORGANISATION = "organisation", _("Cases the organisation reported or holds a task in")
    # Only the status of cases the organisation reported, never their content.
    REPORTED_STATUS = "reported_status", _("Status of cases the organisation reported")
    NONE = "none", _("No cases")


class Capability(models.TextChoices):
    CASE_OPEN = "case.open", _("Open a case (form 01)")
    CASE_VIEW = "case.view", _("See the case file")
    CASE_VIEW_STATUS = "case.view_status", _("See the case's status only")
    CASE_VERIFY = "case.verify", _("Verify a report")
    CASE_ASSESS = "case.assess", _("Record assessments, conference minutes and reviews")
    CASE_DECLARE_EMERGENCY = "case.declare_emergency", _("Declare an emergency")
    EMERGENCY_ORDER = "emergency.order", _("Order emergency measures")
    EMERGENCY_RECORD = "emergency.record", _("Record an emergency measure carried out")
    ISOLATION_DECIDE = "isolation.decide", _("Issue, extend or revoke a temporary isolation order")
    CASE_LEVEL = "case.level", _("Change the protection level")
    PLAN_DRAFT = "plan.draft", _("Draft and submit the plan")
    PLAN_DECIDE = "plan.decide", _("Approve or return the plan; end or renew it")
    TASK_ASSIGN = "task.assign", _("Assign tasks and referrals")
    TASK_ACT = "task.act", _("Accept, carry out and report on the organisation's tasks")
    CASE_NOT_ELIGIBLE = "case.not_eligible", _("Close a case as not eligible")
    CASE_REOPEN = "case.reopen", _("Reopen a case")
    CASE_TRANSFER = "case.transfer", _("Transfer a case to another commune")
    CASE_AUDIT = "case.audit", _("Read the full timeline and who saw the case")
    CASE_SHARE = "case.share", _("Share the case with a person or group, for a purpose and a time")
    BREAK_GLASS = "identity.break_glass", _("See a child's identity for an audit, stating why")
    IDENTITY_VIEW = "identity.view", _("See the child's identity")
    # reports app (issue 10): periodic reports and the figures behind them.
    REPORT_VIEW = "report.view", _("See reports and aggregated figures of the area or body")
    REPORT_DRAFT = "report.draft", _("Draft, submit and send the body's periodic reports")
    REPORT_SIGN = "report.sign", _("Sign the body's periodic reports as its head")
    REPORT_RECEIVE = "report.receive", _("Receive or return reports from the bodies below")
    # prevention (annual child-work plans, activities, the prevention-level registry)
    PREVENTION_VIEW = "prevention.view", _("See child-work plans, their tasks, targets and activities")
    WORKPLAN_DRAFT = "workplan.draft", _("Draft a child-work plan of one's body, assign its tasks, submit it")
    WORKPLAN_SIGN = "workplan.sign", _("Sign, issue, amend and close a child-work plan as head of the body")
    WORKPLAN_TASK_ACT = "workplan.task_act", _("Carry out and report on one's body's plan tasks")
    ACTIVITY_RECORD = "activity.record", _("Record prevention activities and their evidence")
    REGISTRY_VIEW = "registry.view", _("See the prevention-level children registry")
    REGISTRY_EDIT = "registry.edit", _("Keep the registry, support records and watch records")
    WATCH_RAISE = "watch.raise", _("Raise a watch record to a case at support level")


C = Capability
# What each role may do at the prevention level (permissions/prevention.py scopes it).
PREVENTION_DEFAULTS: dict[str, list[str]] = {
    RoleCode.SCHOOL: [C.PREVENTION_VIEW, C.WORKPLAN_DRAFT, C.WORKPLAN_SIGN, C.WORKPLAN_TASK_ACT, C.ACTIVITY_RECORD],
    RoleCode.OFFICER: [C.PREVENTION_VIEW, C.WORKPLAN_DRAFT, C.WORKPLAN_TASK_ACT, C.ACTIVITY_RECORD, C.REGISTRY_VIEW,
                       C.REGISTRY_EDIT, C.WATCH_RAISE],
    RoleCode.CHAIR: [C.PREVENTION_VIEW, C.WORKPLAN_SIGN, C.REGISTRY_VIEW],
    RoleCode.POLICE: [C.PREVENTION_VIEW, C.WORKPLAN_TASK_ACT, C.ACTIVITY_RECORD],
    RoleCode.HEALTH: [C.PREVENTION_VIEW, C.WORKPLAN_TASK_ACT, C.ACTIVITY_RECORD],
    RoleCode.JUSTICE: [C.PREVENTION_VIEW, C.WORKPLAN_TASK_ACT, C.ACTIVITY_RECORD],
    RoleCode.VILLAGE: [C.PREVENTION_VIEW, C.WORKPLAN_TASK_ACT, C.ACTIVITY_RECORD, C.REGISTRY_VIEW],
    RoleCode.SUPERVISOR: [C.PREVENTION_VIEW, C.REGISTRY_VIEW],
}
DEFAULT_ROLES: dict[str, dict] = {
    RoleCode.SCHOOL: {"scope": Scope.ORGANISATION, "capabilities": [
        C.CASE_OPEN, C.CASE_VIEW, C.TASK_ACT, C.IDENTITY_VIEW,
        C.REPORT_VIEW, C.REPORT_DRAFT, C.REPORT_SIGN]},
    RoleCode.OFFICER: {"scope": Scope.AREA, "capabilities": [
        C.CASE_OPEN, C.CASE_VIEW, C.CASE_VERIFY, C.CASE_ASSESS, C.CASE_DECLARE_EMERGENCY, C.EMERGENCY_RECORD,
        C.CASE_LEVEL, C.PLAN_DRAFT, C.TASK_ASSIGN, C.CASE_NOT_ELIGIBLE, C.CASE_REOPEN, C.CASE_TRANSFER,
        C.CASE_SHARE, C.IDENTITY_VIEW,
        C.REPORT_VIEW, C.REPORT_DRAFT, C.REPORT_RECEIVE]},
    RoleCode.CHAIR: {"scope": Scope.AREA, "capabilities": [
        C.CASE_OPEN, C.CASE_VIEW, C.CASE_DECLARE_EMERGENCY, C.EMERGENCY_ORDER, C.ISOLATION_DECIDE, C.CASE_LEVEL,
        C.PLAN_DECIDE, C.CASE_REOPEN, C.CASE_AUDIT, C.CASE_SHARE, C.IDENTITY_VIEW,
        C.REPORT_VIEW, C.REPORT_SIGN, C.REPORT_RECEIVE]},
    RoleCode.POLICE: {"scope": Scope.ORGANISATION, "capabilities": [
        C.CASE_OPEN, C.CASE_VIEW, C.EMERGENCY_RECORD, C.TASK_ACT, C.IDENTITY_VIEW]},
    RoleCode.HEALTH: {"scope": Scope.ORGANISATION, "capabilities": [
        C.CASE_OPEN, C.CASE_VIEW, C.EMERGENCY_RECORD, C.TASK_ACT, C.IDENTITY_VIEW]},
    RoleCode.JUSTICE: {"scope": Scope.ORGANISATION, "capabilities": [C.CASE_VIEW, C.TASK_ACT]},
    RoleCode.VILLAGE: {"scope": Scope.ORGANISATION, "capabilities": [
        C.CASE_OPEN, C.CASE_VIEW, C.TASK_ACT, C.REPORT_VIEW, C.REPORT_DRAFT, C.REPORT_SIGN]},
    RoleCode.PROVIDER: {"scope": Scope.ORGANISATION, "capabilities": [C.CASE_VIEW, C.TASK_ACT]},
    RoleCode.HOTLINE: {"scope": Scope.REPORTED_STATUS, "capabilities": [C.CASE_OPEN, C.CASE_VIEW_STATUS]},
    RoleCode.SUPERVISOR: {"scope": Scope.AREA, "capabilities": [
        C.CASE_VIEW, C.CASE_AUDIT, C.BREAK_GLASS, C.REPORT_VIEW, C.REPORT_DRAFT, C.REPORT_SIGN, C.REPORT_RECEIVE]},
    RoleCode.ADMIN: {"scope": Scope.NONE, "capabilities": []},
    # The decisions come from a delegation, never from the role (permissions.rules.decider).
    RoleCode.DEPUTY_CHAIR: {"scope": Scope.AREA, "capabilities": [
        C.CASE_OPEN, C.CASE_VIEW, C.CASE_DECLARE_EMERGENCY, C.CASE_LEVEL, C.CASE_REOPEN, C.IDENTITY_VIEW,
        C.REPORT_VIEW]},
}
# Decree 56/2017 art. 27.2, 28.4, 30.1.b–c, 31, 32: the commune chairperson's decisions. Only the
# chairperson role may carry them; a deputy holds them through a delegation.
DECISION_CAPABILITIES = frozenset({C.PLAN_DECIDE, C.ISOLATION_DECIDE, C.EMERGENCY_ORDER})
DECIDING_ROLE = RoleCode.CHAIR
# Roles that belong to one commune's People's Committee: assigned on a commune node only.
COMMUNE_ONLY_ROLES = frozenset({RoleCode.CHAIR, RoleCode.DEPUTY_CHAIR})


def decision_caps_refused(code: str, capabilities) -> list[str]:
    """The decision capabilities a role other than the chairperson's would carry (refused)."""
    if code == DECIDING_ROLE:
        return []
    return [c for c in Capability.values if c in set(capabilities or ()) and c in DECISION_CAPABILITIES]
# Not about cases: a case's capabilities (permissions.access.case_access) may carry them along
# from the role, but no case service reads them.
PREVENTION_CAPABILITIES = frozenset({
    C.PREVENTION_VIEW, C.WORKPLAN_DRAFT, C.WORKPLAN_SIGN, C.WORKPLAN_TASK_ACT, C.ACTIVITY_RECORD, C.REGISTRY_VIEW,
    C.REGISTRY_EDIT, C.WATCH_RAISE})
for _code, _caps in PREVENTION_DEFAULTS.items():
    DEFAULT_ROLES[_code]["capabilities"] = [*DEFAULT_ROLES[_code]["capabilities"], *_caps]
