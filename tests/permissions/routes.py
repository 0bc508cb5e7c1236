"""Every route of the project, declared with what it needs. The matrix tests read this table;
a route missing from it fails ``test_every_route_is_declared``.

kind:
- "anon": reachable signed out (login, language, schema, docs);
- "user": any signed-in user, no case involved (lists are scoped by the access function);
- "open": needs ``case.open`` somewhere (opening a case);
- "read": reads one case's content (404 if unseen, 403 for status-only);
- "status": reads one case, status-only viewers included;
- "write": changes one case; needs the capability named (404 if unseen, 403 if lacking it);
- "admin": Django admin (staff only);
- "own": a record of another app (a periodic report) with its own matrix in that app's tests
  (tests/reports/test_matrix.py, tests/prevention/test_matrix.py); here it is only declared.
- "integration": API-key clients only (integrations/): refused to every person, signed in or not.
"""

from dataclasses import dataclass, field

from django.utils import timezone

from permissions.roles import Capability as C


@dataclass(frozen=True)
class Route:
    kind: str
    capability: str = ""
    method: str = "get"
    body: dict = field(default_factory=dict)
    # Who holds the capability *on this route's record* when that is narrower than the role
    # (a task: only its body; receiving a transfer: the receiving commune).
    only: frozenset = frozenset()


def routes_of(entry) -> list[Route]:
    return entry if isinstance(entry, list) else [entry]


# Roles that open cases (DEFAULT_ROLES): schools, officers, chairpersons, police, health, villages, 111.
OPENERS = {"counsellor_a", "counsellor_b", "officer_a", "officer_b", "officer_c", "chair_a", "chair_b", "chair_c",
           "police_a", "police_b", "health_a", "village_a", "hotline"}


def today(days=0):
    return (timezone.localdate() + timezone.timedelta(days=days)).isoformat()


REASON = {"reason": "Matrix check"}
API = {
    "schema": Route("anon"), "swagger-ui": Route("anon"), "redoc": Route("anon"),
    "token": Route("anon", method="post", body={"username": "nobody", "password": "x"}),
    "me": Route("user"), "areas": Route("user"), "organisations": Route("user"), "terms": Route("user"),
    "cases": [Route("user"), Route("open", method="post", body={"__intake__": True})],
    "case": Route("status"),
    "integrations-report-create": Route("integration", method="post", body={"incident_area_code": "26734"}),
    "integrations-report-status": Route("integration"),
    "case-timeline": Route("read"),
    "case-clocks": Route("read"),
    "case-actions": Route("read"),
    "case-readers": Route("write", C.CASE_AUDIT),  # a read, but only for auditors
    "case-start-verification": Route("write", C.CASE_VERIFY, "post"),
    "case-record-verification": Route("write", C.CASE_VERIFY, "post", {"findings": "Checked."}),
    "case-start-initial-assessment": Route("write", C.CASE_VERIFY, "post"),
    "case-declare-emergency": Route("write", C.CASE_DECLARE_EMERGENCY, "post", REASON),
    "case-end-emergency": Route("write", C.CASE_ASSESS, "post"),
    "case-start-comprehensive-assessment": Route("write", C.CASE_ASSESS, "post"),
    "case-start-planning": Route("write", C.PLAN_DRAFT, "post"),
    "case-submit-plan": Route("write", C.PLAN_DRAFT, "post"),
    "case-return-plan": Route("write", C.PLAN_DECIDE, "post", REASON),
    "case-approve-plan": Route("write", C.PLAN_DECIDE, "post", {"decision_no": "05/QĐ"}),
    "case-revise-plan": Route("write", C.PLAN_DRAFT, "post", REASON),
    "case-start-review": Route("write", C.CASE_ASSESS, "post"),
    "case-close": Route("write", C.PLAN_DECIDE, "post", REASON),
    "case-new-cycle": Route("write", C.PLAN_DECIDE, "post", REASON),
    "case-not-eligible": Route("write", C.CASE_NOT_ELIGIBLE, "post", REASON),
    "case-reopen": Route("write", C.CASE_REOPEN, "post", REASON),
    "case-attach": Route("write", C.CASE_VERIFY, "post", {"target_code": "no-such-case", **REASON}),
    # triage (issue 12): the queue opens for triage officers only, checked in tests/triage.
    "triage-queue": Route("own"), "triage-child-duplicates": Route("own"),
    "triage-child-merge": Route("own", method="post"), "triage-child-merge-undo": Route("own", method="post"),
    "case-change-level": Route("write", C.CASE_LEVEL, "post", {"level": "support", **REASON}),
    "case-initial-assessment-record": Route("write", C.CASE_ASSESS, "post", {
        "risk_level": "high", "findings": "x"}),
    "case-comprehensive-assessment-record": Route("write", C.CASE_ASSESS, "post", {
        "risk_level": "medium", "physical_psychological_state": "x", "family_circumstances": "x",
        "risk_factors": "x", "schooling_self_protection": "x", "community_safety": "x", "needs": "x",
        "child_views": "x"}),
    "case-conference-record": Route("write", C.CASE_ASSESS, "post", {
        "held_at": "2026-01-05T09:00:00+07:00", "chair_id": "{user:chair_a}", "bodies_present_ids": ["{org:a.police}"],
        "community_representative": "x", "caregiver_present": "x", "decisions": "x"}),
    "case-review-record": Route("write", C.CASE_ASSESS, "post", {
        "harm_still_serious": "low", "abuser_can_reach_child": "low", "obstacles_at_home": "low",
        "child_capacity": "high", "findings": "x", "recommendation": "end"}),
    "case-plan-draft-save": Route("write", C.PLAN_DRAFT, "post", {
        "goals": "x", "starts_on": today(), "ends_on": today(30), "review_on": today(25), "measures": []}),
    "case-emergency-measure-order": Route("write", C.EMERGENCY_ORDER, "post", {
        "kind": "first_aid", "organisation_id": "{org:a.health}"}),
    "case-emergency-measure-outcome": Route("write", C.EMERGENCY_RECORD, "post", {"outcome": "taken"},
                                            only=frozenset({"officer_a", "police_a"})),
    "case-isolation-order-issue": Route("write", C.ISOLATION_DECIDE, "post", {
        "decision_no": "07", "days": 5, "placement": "Grandmother"}),
    "case-isolation-order-extend": Route("write", C.ISOLATION_DECIDE, "post", {"days": 2, **REASON}),
    "case-isolation-order-revoke": Route("write", C.ISOLATION_DECIDE, "post", REASON),
    "case-task-assign": Route("write", C.TASK_ASSIGN, "post", {"organisation_id": "{org:a.health}", "title": "x"}),
    **{f"case-task-{move}": Route("write", C.TASK_ACT, "post", REASON, only=frozenset({"police_a"}))
       for move in ("accept", "decline", "start", "complete", "fail")},
    "case-task-cancel": Route("write", C.TASK_ASSIGN, "post", REASON),
    "case-task-log-add": Route("write", C.TASK_ACT, "post", {"acted_on": today(), "action": "x"},
                               only=frozenset({"police_a"})),
    "case-transfer-request": Route("write", C.CASE_TRANSFER, "post", {"to_commune_id": "{area:b}", **REASON}),
    "case-transfer-accept": Route("write", C.CASE_TRANSFER, "post", only=frozenset({"officer_c"})),
    "case-transfer-decline": Route("write", C.CASE_TRANSFER, "post", REASON, only=frozenset({"officer_c"})),
    "case-transfer-cancel": Route("write", C.CASE_TRANSFER, "post", REASON, only=frozenset({"officer_a"})),
    "case-grant-give": Route("write", C.CASE_SHARE, "post", {
        "user_id": "{user:justice_a}", "purpose": "x", "days": 1}),
    "case-grant-revoke": Route("write", C.CASE_SHARE, "post", REASON),
    "case-break-glass": Route("write", C.BREAK_GLASS, "post", REASON),
    # reports app (issue 10): report records are checked in tests/reports/test_matrix.py.
    "reports": [Route("user"), Route("own", method="post")],
    "report-indicators": Route("user"), "report-figures": Route("user"),
    "report": Route("own"), "report-export": Route("own"), "report-exports": Route("own", method="post"),
    **{f"report-{a}": Route("own", method="post")
       for a in ("refresh", "narrative", "submit", "send-back", "sign", "send", "receive", "return")},
    # prevention (issue 9): checked in tests/prevention/test_matrix.py
    **{name: Route("own", method=method) for name, method in [
        ("prevention-plans", "get"), ("prevention-plan", "get"), ("prevention-plan-act", "post"),
        ("prevention-tasks", "get"), ("prevention-task-move", "post"), ("prevention-activities", "get"),
        ("prevention-registry", "get"), ("prevention-watch-raise", "post")]},
    # evidence files: checked in tests/evidence/test_matrix.py
    "evidence-list": [Route("own"), Route("own", method="post")], "evidence-content": Route("own"),
    "evidence-withdraw": Route("own", method="post"),
    # files of activities and reports: checked in tests/evidence/test_record_matrix.py
    "record-files-list": [Route("own"), Route("own", method="post")], "record-files-content": Route("own"),
    "record-files-withdraw": Route("own", method="post"),
    # notifications: each user's own notices and choices.
    "notifications": Route("user"), "notifications-unread-count": Route("user"),
    "notifications-read": Route("user", method="post", body={"all": True}),
    "notifications-preferences": [Route("user"), Route("user", method="post", body={"email": "urgent"})],
}
# The activities route also records one (POST).
API["prevention-activities"] = [Route("own"), Route("own", method="post")]


# The web pages (issue 4). Case pages take the matrix case; "act" posts every action key.
WEB = {
    "home": "user", "login": "anon", "logout": "user", "set_language": "anon", "worklist": "user",
    "cases": "user", "cases_export": "user", "my_reports": "user", "tasks": "user", "approvals": "user", "area": "user",
    "intake_start": "user", "intake_step": "user",
    "case": "case", "case_act": "act", "plan_edit": "case", "approval": "case", "timeline": "case",
    "timeline_pdf": "case", "print_form": "case", "print_form_pdf": "case",
    # reports app (issue 10), checked in tests/reports/test_matrix.py.
    "dashboard": "user", "report_list": "user", "report_new": "own", "report_detail": "own", "report_act": "own",
    "report_export": "own", "export": "own", "national_export": "own",
    # prevention (issue 9): checked in tests/prevention/test_matrix.py
    **{name: "own" for name in (
        "plans", "plan_start", "plan", "plan_change", "plan_act", "target_new", "target_edit", "target_report",
        "task_assign", "plan_print", "plan_print_pdf", "plan_tasks", "task_act", "activities", "activity_new",
        "activity", "evidence", "population", "registry", "registry_new", "entry", "watch_act")},
    "inbox": "user", "inbox_read": "user", "inbox_preferences": "user",
    # evidence files: checked in tests/evidence/test_matrix.py
    **{name: "own" for name in ("evidence_files", "evidence_attach", "evidence_download", "evidence_withdraw")},
    # files of activities and reports: checked in tests/evidence/test_record_matrix.py
    **{name: "own" for name in ("record_files", "record_attach", "record_download", "record_withdraw")},
    # triage (issue 12): checked in tests/triage/test_queue.py
    "queue": "own", "child_duplicates": "own", "merge_undo": "own", "registry_import": "own",
}
