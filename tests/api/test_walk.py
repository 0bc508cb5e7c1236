"""A case from a counsellor's report to closure, through the API alone, with every other persona
refused at every step: 404 when they cannot see the case, 403 when they see it but may not act."""

import datetime as dt

from django.utils import timezone

from casework.models import Case, CaseEvent, CaseEventType

from .helpers import COMPREHENSIVE, plan_payload

# Nobody here can see a case that school A reported in commune A.
OUTSIDERS = ["officer_b", "chair_b", "police_b", "counsellor_b", "hotline"]
MISSING_CASE = 999_999


class Walk:
    def __init__(self, api, case_id):
        self.api = api
        self.case_id = case_id
        self.bodies = {}  # every response body each persona got, for the masking test

    def url(self, path, case_id=None):
        return f"/api/cases/{case_id or self.case_id}/{path}"

    def version(self):
        return Case.objects.get(pk=self.case_id).version

    def post(self, who, path, body=None, case_id=None):
        response = self.api(who).post(self.url(path, case_id), body or {}, format="json")
        self.bodies.setdefault(who, []).append(response.content.decode())
        return response

    def get(self, who, path=""):
        response = self.api(who).get(self.url(path))
        self.bodies.setdefault(who, []).append(response.content.decode())
        return response

    def refused(self, path, body=None, *, forbidden=(), not_found=()):
        """Everyone listed is refused, precisely, and nothing changes."""
        before = self.version()
        events = CaseEvent.objects.filter(case_id=self.case_id).count()
        missing = self.api("officer_a").post(self.url(path, MISSING_CASE), body or {}, format="json")
        assert missing.status_code == 404
        for who in [*OUTSIDERS, *not_found]:
            response = self.post(who, path, body)
            assert response.status_code == 404, (who, path, response.content)
            # The same answer as for a case that does not exist: a 404 leaks nothing.
            assert response.json() == missing.json(), (who, path)
            assert self.get(who).status_code == 404, who
        for who in ["supervisor_p1", *forbidden]:
            response = self.post(who, path, body)
            assert response.status_code == 403, (who, path, response.content)
            assert set(response.json()) == {"detail", "code", "errors"}
        assert self.version() == before
        assert CaseEvent.objects.filter(case_id=self.case_id).count() == events

    def do(self, who, path, body=None, expected=200):
        version = self.version()
        response = self.post(who, path, {**(body or {}), "version": version})
        assert response.status_code == expected, (who, path, response.content)
        assert self.version() == version + 1
        return response.json()


def test_case_walks_from_report_to_closure_through_the_api(world, api, report):
    created = api("counsellor_a").post("/api/cases/", report(), format="json")
    assert created.status_code == 201, created.content
    case = created.json()
    assert case["status"] == "received" and case["level"] == "intervention" and case["version"] == 1
    walk = Walk(api, case["id"])

    # The supervisor reads (masked); outsiders and a body with no task yet do not see it.
    assert walk.get("supervisor_p1").status_code == 200
    assert walk.get("police_a").status_code == 404

    # Verification and the initial assessment: the officer's.
    officer_only = {"forbidden": ["counsellor_a", "chair_a"], "not_found": ["police_a"]}
    walk.refused("actions/start-verification/", **officer_only)
    assert walk.do("officer_a", "actions/start-verification/")["status"] == "verifying"
    findings = {"findings": "Bruises confirmed by the school nurse; father admits hitting."}
    walk.refused("actions/record-verification/", findings, **officer_only)
    walk.do("officer_a", "actions/record-verification/", findings)
    walk.refused("actions/start-initial-assessment/", **officer_only)
    assert walk.do("officer_a", "actions/start-initial-assessment/")["status"] == "assessing"
    form02 = {"risk_level": "medium", "findings": "No immediate danger; mother protective."}
    walk.refused("initial-assessments/", form02, **officer_only)
    record = walk.do("officer_a", "initial-assessments/", form02, expected=201)
    assert record["risk_level"] == "medium" and record["case"]["version"] == walk.version()

    # Comprehensive assessment, conference, plan.
    walk.refused("actions/start-comprehensive-assessment/", **officer_only)
    assert walk.do("officer_a", "actions/start-comprehensive-assessment/")["status"] == "comprehensive"
    walk.refused("comprehensive-assessments/", COMPREHENSIVE, **officer_only)
    walk.do("officer_a", "comprehensive-assessments/", COMPREHENSIVE, expected=201)
    # Not before the report was received (issue 8, item 10): the report came in minutes ago.
    offers = walk.get("officer_a", "actions/").json()
    choices = next(a for a in offers if a["action"] == "conference_record")["choices"]
    assert [c["label"] for c in choices["chairs"]] == ["Lê Thị Hồng"]  # commune A's chairperson only
    minutes = {"held_at": timezone.now().isoformat(), "chair_id": int(choices["chairs"][0]["id"]),
               "bodies_present_ids": [int(o["id"]) for o in choices["organisations"][:2]],
               "community_representative": "Village head", "caregiver_absence": "caused_harm",
               "decisions": "Weekly police visits."}
    walk.refused("conferences/", minutes, **officer_only)
    walk.do("officer_a", "conferences/", minutes, expected=201)
    walk.refused("actions/start-planning/", **officer_only)
    assert walk.do("officer_a", "actions/start-planning/")["status"] == "planning"
    plan = plan_payload(world)
    walk.refused("plans/", plan, **officer_only)
    saved = walk.do("officer_a", "plans/", plan, expected=201)
    assert saved["status"] == "draft" and len(saved["measures"]) == 1
    assert saved["measures"][0]["responsible"]["id"] == world.orgs["a.police"].pk
    walk.refused("actions/submit-plan/", **officer_only)
    assert walk.do("officer_a", "actions/submit-plan/")["status"] == "awaiting_approval"

    # Approval: the chairperson's alone.
    decision = {"decision_no": "15/QĐ-UBND"}
    walk.refused("actions/approve-plan/", decision, forbidden=["counsellor_a", "officer_a"], not_found=["police_a"])
    approved = walk.do("chair_a", "actions/approve-plan/", decision)
    assert approved["status"] == "implementing"
    [task] = approved["tasks"]
    assert task["organisation"]["id"] == world.orgs["a.police"].pk and task["status"] == "assigned"

    # Police A now holds a task: it sees the case and carries the task out; nobody else may.
    tasks = f"tasks/{task['id']}/"
    body_only = {"forbidden": ["counsellor_a", "officer_a", "chair_a"]}
    walk.refused(tasks + "accept/", **body_only)
    assert walk.do("police_a", tasks + "accept/")["status"] == "accepted"
    log = {"acted_on": timezone.localdate().isoformat(), "action": "Home visit; warned the father.",
           "outcome": "Father signed a commitment."}
    walk.refused(tasks + "logs/", log, **body_only)
    logged = walk.do("police_a", tasks + "logs/", log, expected=201)
    assert logged["action"] == log["action"] and logged["author"] == "Phạm Quốc Bảo"
    walk.refused(tasks + "complete/", **body_only)
    assert walk.do("police_a", tasks + "complete/")["status"] == "done"

    # Review by the officer, closure by the chairperson.
    officer_now = {"forbidden": ["counsellor_a", "chair_a", "police_a"]}
    walk.refused("actions/start-review/", **officer_now)
    assert walk.do("officer_a", "actions/start-review/")["status"] == "reviewing"
    form06 = {"harm_still_serious": "low", "abuser_can_reach_child": "low", "obstacles_at_home": "low",
              "child_capacity": "high", "findings": "Safe at home for two months.", "recommendation": "end"}
    walk.refused("reviews/", form06, **officer_now)
    walk.do("officer_a", "reviews/", form06, expected=201)
    closing = {"reason": "Plan achieved; the child is safe."}
    walk.refused("actions/close/", closing, forbidden=["counsellor_a", "officer_a", "police_a"])
    closed = walk.do("chair_a", "actions/close/", closing)
    assert closed["status"] == "closed" and closed["closure_reason"] == closing["reason"]

    final = walk.get("officer_a").json()
    assert final["status"] == "closed"
    assert [p["status"] for p in final["plans"]] == ["ended"]
    assert final["tasks"][0]["status"] == "done" and len(final["tasks"][0]["logs"]) == 1
    assert {a["action"] for a in final["allowed_actions"]} == {"reopen"}
    timeline = walk.get("chair_a", "timeline/").json()
    # The chairperson audits the case: the officer's read of the identity just now is listed.
    assert timeline[-1]["type"] == CaseEventType.IDENTITY_VIEWED and timeline[-1]["actor_name"] == "Trần Văn Minh"
    changes = [e for e in timeline if e["type"] != CaseEventType.IDENTITY_VIEWED]
    assert changes[0]["type"] == CaseEventType.CASE_OPENED and changes[-1]["type"] == CaseEventType.CASE_CLOSED
    # One event per write of the walk, no more (refused attempts wrote nothing).
    assert len(changes) == walk.version()
    closing_event = changes[-1]
    assert closing_event["actor_name"] == "Lê Thị Hồng" and closing_event["actor_role"] == "chairperson"
    assert closing_event["from_state"] == "reviewing" and closing_event["to_state"] == "closed"
    assert closing_event["reason"] == closing["reason"]

    # Nobody outside commune A ever saw anything of the case.
    for who in OUTSIDERS:
        assert all("Nguyễn" not in body and "Bruises" not in body for body in walk.bodies[who]), who


def test_allowed_actions_follow_role_and_state(world, api, reported_case):
    case_id = reported_case()
    officer = api("officer_a").get(f"/api/cases/{case_id}/").json()
    assert {a["action"] for a in officer["allowed_actions"]} == {
        "verification_start", "report_attach", "emergency_declare", "not_eligible", "task_assign", "level_change",
        "transfer_request", "grant_give"}
    assert all(a["enabled"] for a in officer["allowed_actions"])
    start = next(a for a in officer["allowed_actions"] if a["action"] == "verification_start")
    assert start["url"] == f"/api/cases/{case_id}/actions/start-verification/" and start["method"] == "POST"
    assignable = next(a for a in officer["allowed_actions"] if a["action"] == "task_assign")["choices"]
    offered_bodies = {int(c["id"]) for c in assignable["organisations"]}
    assert world.orgs["a.police"].pk in offered_bodies and world.orgs["b.police"].pk not in offered_bodies
    chair = api("chair_a").get(f"/api/cases/{case_id}/").json()
    assert {a["action"] for a in chair["allowed_actions"]} == {"emergency_declare", "level_change", "grant_give"}
    assert {a["action"] for a in api("supervisor_p1").get(f"/api/cases/{case_id}/").json()["allowed_actions"]} \
        == {"break_glass"}
    # The same list at its own address.
    assert api("officer_a").get(f"/api/cases/{case_id}/actions/").json() == \
        api("officer_a").get(f"/api/cases/{case_id}/").json()["allowed_actions"]

    api("officer_a").post(f"/api/cases/{case_id}/actions/start-verification/", {}, format="json")
    actions = {a["action"]: a for a in api("officer_a").get(f"/api/cases/{case_id}/").json()["allowed_actions"]}
    # Allowed by role and state, but its guard is unmet: listed, not enabled, with the reason.
    assert actions["initial_assessment_start"]["enabled"] is False
    assert actions["initial_assessment_start"]["reason"] == "Record the verification findings first."


def test_emergency_path_through_the_api(world, api, reported_case):
    """Emergency declaration, a measure by the police, isolation order extend/revoke, end of emergency."""
    case_id = reported_case(urgent=True, caregiver_is_abuser=True)
    url = f"/api/cases/{case_id}/"
    post = lambda who, path, body=None: api(who).post(url + path, body or {}, format="json")

    assert post("officer_a", "actions/declare-emergency/", {"reason": "Father threatens the child."}).status_code == 200
    # The police cannot see the case until a measure is theirs.
    assert post("police_a", "emergency-measures/1/outcome/", {"outcome": "taken"}).status_code == 404
    ordered = post("chair_a", "emergency-measures/", {"kind": "stop_act", "organisation_id": world.orgs["a.police"].pk})
    assert ordered.status_code == 201, ordered.content
    measure = ordered.json()
    assert measure["status"] == "ordered" and measure["kind"]["code"] == "stop_act"
    # Ending needs a measure carried out: the guard's message comes back as a 409.
    blocked = post("officer_a", "actions/end-emergency/")
    assert blocked.status_code == 409 and blocked.json()["code"] == "guard"
    taken = post("police_a", f"emergency-measures/{measure['id']}/outcome/", {"outcome": "taken", "note": "Done."})
    assert taken.status_code == 200, taken.content
    assert taken.json()["status"] == "taken"

    order = post("chair_a", "isolation-orders/", {"decision_no": "7/QĐ", "days": 10, "placement": "Grandmother"})
    assert order.status_code == 201, order.content
    order_id = order.json()["id"]
    too_long = post("chair_a", f"isolation-orders/{order_id}/extend/", {"days": 10, "reason": "Still unsafe."})
    assert too_long.status_code == 409 and too_long.json()["code"] == "guard"
    extended = post("chair_a", f"isolation-orders/{order_id}/extend/", {"days": 5, "reason": "Still unsafe."})
    assert extended.status_code == 200 and extended.json()["total_days"] == 15
    assert post("officer_a", f"isolation-orders/{order_id}/revoke/", {"reason": "x"}).status_code == 403
    revoked = post("chair_a", f"isolation-orders/{order_id}/revoke/", {"reason": "Father moved out."})
    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"

    # Art. 27.1 (issue 8): form 02 before form 03, recorded during the emergency (art. 31.3.b).
    blocked = post("officer_a", "actions/end-emergency/")
    assert blocked.status_code == 409 and "form 02" in blocked.json()["detail"]
    form02 = post("officer_a", "initial-assessments/", {"risk_level": "high", "findings": "Father violent.",
                                                        "emergency_needed": True})
    assert form02.status_code == 201, form02.content
    ended = post("officer_a", "actions/end-emergency/")
    assert ended.status_code == 200 and ended.json()["status"] == "comprehensive"


def test_ad_hoc_task_and_transfer_through_the_api(world, api, reported_case):
    case_id = reported_case()
    url = f"/api/cases/{case_id}/"
    post = lambda who, path, body=None: api(who).post(url + path, body or {}, format="json")

    task = post("officer_a", "tasks/", {"organisation_id": world.orgs["a.health"].pk, "title": "Medical check",
                                       "due_on": (timezone.localdate() + dt.timedelta(days=3)).isoformat()})
    assert task.status_code == 201, task.content
    task_id = task.json()["id"]
    assert post("health_a", f"tasks/{task_id}/decline/", {}).status_code == 400  # a reason is required
    declined = post("health_a", f"tasks/{task_id}/decline/", {"reason": "No doctor this week."})
    assert declined.status_code == 200 and declined.json()["status"] == "declined"

    # Commune B is asked to take over; its officer sees the case while the transfer is pending.
    assert api("officer_b").get(url).status_code == 404
    requested = post("officer_a", "transfers/", {"to_commune_id": world.areas["b"].pk, "reason": "Family moved."})
    assert requested.status_code == 201, requested.content
    transfer_id = requested.json()["id"]
    assert api("officer_b").get(url).status_code == 200
    assert post("officer_a", f"transfers/{transfer_id}/accept/").status_code == 403
    accepted = post("officer_b", f"transfers/{transfer_id}/accept/")
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == "accepted"
    assert api("officer_b").get(url).json()["commune"]["id"] == world.areas["b"].pk
    # Commune A keeps reading (incident commune) but no longer acts.
    assert post("officer_a", "actions/start-verification/").status_code == 403
    assert post("officer_b", "actions/start-verification/").status_code == 200
