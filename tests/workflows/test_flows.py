"""The machines of workflows/flows.py: whole graphs, guards and who may fire what."""

from types import SimpleNamespace

import pytest
from viewflow.fsm.base import TransitionConditionsUnmet

from casework.management.commands.flow_diagrams import render_markdown
from permissions.roles import DEFAULT_ROLES, RoleCode
from permissions.roles import Capability as C
from workflows.flows import (
    MACHINES,
    CaseFacts,
    CaseFlow,
    EmergencyMeasureFlow,
    IsolationOrderFlow,
    LevelFlow,
    PlanFlow,
    TaskFlow,
    TransferFlow,
)


def test_case_graph():
    assert CaseFlow.graph() == {
        ("start_verification", "received", "verifying"),
        ("start_initial_assessment", "verifying", "assessing"),
        # Art. 31–32, 32.1: from every open state but itself (issue 8; was: before form 03 only).
        *{("declare_emergency", s, "emergency") for s in (
            "received", "verifying", "assessing", "comprehensive", "planning", "awaiting_approval", "returned",
            "implementing", "reviewing")},
        ("end_emergency", "emergency", "comprehensive"),
        # Art. 27.1: only after form 02 (issue 8; the support-level shortcut from verification is gone).
        ("start_comprehensive_assessment", "assessing", "comprehensive"),
        ("start_planning", "comprehensive", "planning"),
        ("submit_plan", "planning", "awaiting_approval"),
        ("submit_plan", "returned", "awaiting_approval"),
        ("return_plan", "awaiting_approval", "returned"),
        ("approve_plan", "awaiting_approval", "implementing"),
        ("revise_plan", "implementing", "planning"),
        ("start_review", "implementing", "reviewing"),
        ("close", "reviewing", "closed"),
        ("start_new_cycle", "reviewing", "planning"),
        ("mark_not_eligible", "received", "not_eligible"),
        ("mark_not_eligible", "verifying", "not_eligible"),
        ("mark_not_eligible", "assessing", "not_eligible"),
        ("mark_not_eligible", "comprehensive", "not_eligible"),
        ("reopen", "closed", "verifying"),
        ("reopen", "not_eligible", "verifying"),
    }


def test_level_graph():
    assert LevelFlow.graph() == {
        ("raise_to_support", "prevention", "support"),
        ("raise_to_intervention", "prevention", "intervention"),
        ("raise_to_intervention", "support", "intervention"),
        ("lower_to_support", "intervention", "support"),
        ("lower_to_prevention", "support", "prevention"),
    }


def test_small_machine_graphs():
    assert EmergencyMeasureFlow.graph() == {
        ("record_taken", "ordered", "taken"), ("record_not_possible", "ordered", "not_possible"),
        ("cancel", "ordered", "cancelled")}
    assert IsolationOrderFlow.graph() == {
        ("extend", "issued", "extended"), ("extend", "extended", "extended"),
        ("revoke", "issued", "revoked"), ("revoke", "extended", "revoked"),
        ("expire", "issued", "expired"), ("expire", "extended", "expired")}
    assert PlanFlow.graph() == {
        ("submit", "draft", "submitted"), ("approve", "submitted", "approved"),
        ("return_for_revision", "submitted", "returned"), ("supersede", "approved", "superseded"),
        ("end", "approved", "ended")}
    assert TaskFlow.graph() == {
        ("accept", "assigned", "accepted"), ("decline", "assigned", "declined"),
        ("start", "accepted", "in_progress"), ("complete", "accepted", "done"), ("complete", "in_progress", "done"),
        ("fail", "accepted", "failed"), ("fail", "in_progress", "failed"),
        ("cancel", "assigned", "cancelled"), ("cancel", "accepted", "cancelled"),
        ("cancel", "in_progress", "cancelled"), ("cancel", "declined", "cancelled")}
    assert TransferFlow.graph() == {
        ("accept", "requested", "accepted"), ("decline", "requested", "declined"),
        ("cancel", "requested", "cancelled")}


def test_generated_diagrams_are_current():
    with open("docs/state-machines.md", encoding="utf-8") as committed:
        assert committed.read() == render_markdown(), "run: python manage.py flow_diagrams"


def case(status="received", **kw):
    return SimpleNamespace(status=status, emergency=False, plan_cycle=1, **kw)


ALL = frozenset(C.values)


def fire(flow, name):
    getattr(flow, name)()
    return flow.obj.status


@pytest.mark.parametrize("facts, message", [
    (CaseFacts(draft_plan_measures=0, comprehensive_assessment=True, conference_minutes=True),
     "at least one measure"),
    (CaseFacts(draft_plan_measures=1, comprehensive_assessment=False, conference_minutes=True), "form 03"),
    (CaseFacts(draft_plan_measures=1, comprehensive_assessment=True, conference_minutes=False), "minutes"),
    (CaseFacts(level="intervention", draft_plan_measures=1, comprehensive_assessment=True, conference_minutes=True,
               initial_assessment=False), "form 02"),
    # Art. 28.2.a: the file holds form 02 at the support level too (issue 8).
    (CaseFacts(level="support", draft_plan_measures=1, comprehensive_assessment=True, conference_minutes=True,
               initial_assessment=False), "form 02"),
])
def test_plan_cannot_be_submitted_without_its_file(facts, message):
    flow = CaseFlow(case("planning"), caps=ALL, facts=facts)
    with pytest.raises(TransitionConditionsUnmet) as refused:
        flow.submit_plan()
    assert message in refused.value.unmet_message
    assert flow.obj.status == "planning"


def test_plan_with_its_whole_file_may_be_submitted():
    facts = CaseFacts(level="support", draft_plan_measures=1, comprehensive_assessment=True, conference_minutes=True,
                      initial_assessment=True)
    assert fire(CaseFlow(case("planning"), caps=ALL, facts=facts), "submit_plan") == "awaiting_approval"


@pytest.mark.parametrize("level", ["prevention", "support", "intervention"])
def test_no_level_goes_from_verification_to_comprehensive(level):
    """Art. 27.1: "after the initial assessment" — whatever the level, even a lowered one."""
    flow = CaseFlow(case("verifying"), caps=ALL, facts=CaseFacts(level=level, verification_recorded=True))
    assert not flow.start_comprehensive_assessment.can_proceed()
    flow = CaseFlow(case("assessing"), caps=ALL, facts=CaseFacts(level=level, initial_assessment=False))
    with pytest.raises(TransitionConditionsUnmet):
        flow.start_comprehensive_assessment()


def test_emergency_finding_blocks_the_ordinary_path():
    flow = CaseFlow(case("assessing"), caps=ALL, facts=CaseFacts(initial_assessment=True, emergency_needed=True))
    with pytest.raises(TransitionConditionsUnmet):
        flow.start_comprehensive_assessment()
    assert fire(flow, "declare_emergency") == "emergency" and flow.obj.emergency


def test_emergency_ends_only_when_measures_are_settled():
    for facts in (CaseFacts(initial_assessment=True),
                  CaseFacts(emergency_measures_taken=1, emergency_measures_pending=1, initial_assessment=True),
                  # Art. 27.1: form 02 before form 03, after an emergency too (issue 8).
                  CaseFacts(emergency_measures_taken=1)):
        with pytest.raises(TransitionConditionsUnmet):
            CaseFlow(case("emergency"), caps=ALL, facts=facts).end_emergency()
    flow = CaseFlow(case("emergency"), caps=ALL, facts=CaseFacts(emergency_measures_taken=1, initial_assessment=True))
    assert fire(flow, "end_emergency") == "comprehensive"


def test_closing_needs_the_review_and_new_cycle_counts():
    with pytest.raises(TransitionConditionsUnmet):
        CaseFlow(case("reviewing"), caps=ALL, facts=CaseFacts()).close()
    # Art. 30: every task done, not possible or cancelled first (issue 8).
    with pytest.raises(TransitionConditionsUnmet):
        CaseFlow(case("reviewing"), caps=ALL, facts=CaseFacts(review_this_cycle=True, unresolved_tasks=1)).close()
    with pytest.raises(TransitionConditionsUnmet):
        CaseFlow(case("implementing"), caps=ALL, facts=CaseFacts(unresolved_tasks=2)).start_review()
    flow = CaseFlow(case("reviewing"), caps=ALL, facts=CaseFacts(review_this_cycle=True))
    fire(flow, "start_new_cycle")
    assert flow.obj.plan_cycle == 2


def test_isolation_limited_to_fifteen_days_without_authority_request():
    order = SimpleNamespace(status="issued")
    with pytest.raises(TransitionConditionsUnmet):
        IsolationOrderFlow(order, caps=ALL, new_total_days=16, authority_request="").extend()
    assert fire(IsolationOrderFlow(order, caps=ALL, new_total_days=15, authority_request=""), "extend") == "extended"
    assert fire(IsolationOrderFlow(order, caps=ALL, new_total_days=30, authority_request="Court 12/QĐ"),
                "extend") == "extended"


def test_isolation_expires_only_after_its_end():
    order = SimpleNamespace(status="issued")
    with pytest.raises(TransitionConditionsUnmet):
        IsolationOrderFlow(order, end_has_passed=False).expire()
    assert fire(IsolationOrderFlow(order, end_has_passed=True), "expire") == "expired"


def role_caps(role):
    return frozenset(DEFAULT_ROLES[role]["capabilities"])


# Who may fire which transition of the case path, by default role capabilities (DOMAIN.md §1).
CASE_PERMISSIONS = {
    "start_verification": {RoleCode.OFFICER},
    "start_initial_assessment": {RoleCode.OFFICER},
    "declare_emergency": {RoleCode.OFFICER, RoleCode.CHAIR, RoleCode.DEPUTY_CHAIR},
    "end_emergency": {RoleCode.OFFICER},
    "start_comprehensive_assessment": {RoleCode.OFFICER},
    "start_planning": {RoleCode.OFFICER},
    "submit_plan": {RoleCode.OFFICER},
    "return_plan": {RoleCode.CHAIR},
    "approve_plan": {RoleCode.CHAIR},
    "revise_plan": {RoleCode.OFFICER},
    "start_review": {RoleCode.OFFICER},
    "close": {RoleCode.CHAIR},
    "start_new_cycle": {RoleCode.CHAIR},
    "mark_not_eligible": {RoleCode.OFFICER},
    "reopen": {RoleCode.OFFICER, RoleCode.CHAIR, RoleCode.DEPUTY_CHAIR},
}


def test_every_role_allowed_and_refused_on_every_case_transition():
    assert set(CASE_PERMISSIONS) == {name for name, _, _ in CaseFlow.graph()}
    for name, source, _target in sorted(CaseFlow.graph()):
        for role in RoleCode:
            with_caps = CaseFlow(case(source), caps=role_caps(role))
            allowed = getattr(with_caps, name).has_perm(object())
            assert allowed == (role in CASE_PERMISSIONS[name]), (name, source, role)


def test_only_the_chairperson_decides_isolation_and_plans():
    deciders = {role for role in RoleCode if C.ISOLATION_DECIDE in role_caps(role)}
    assert deciders == {RoleCode.CHAIR}
    # The deputy decides only under a delegation (permissions.rules.decider), never by role.
    assert not set(role_caps(RoleCode.DEPUTY_CHAIR)) & {C.ISOLATION_DECIDE, C.PLAN_DECIDE, C.EMERGENCY_ORDER}
    assert {role for role in RoleCode if C.PLAN_DECIDE in role_caps(role)} == {RoleCode.CHAIR}
    assert {role for role in RoleCode if C.EMERGENCY_ORDER in role_caps(role)} == {RoleCode.CHAIR}


def test_supervisor_and_hotline_never_change_anything():
    for role in (RoleCode.SUPERVISOR, RoleCode.HOTLINE):
        for machine in MACHINES:
            for name, source, _ in machine.graph():
                obj = SimpleNamespace(status=source, level=source, emergency=False, plan_cycle=1)
                flow = machine(obj, caps=role_caps(role)) if machine is not CaseFlow else CaseFlow(
                    obj, caps=role_caps(role))
                t = machine.transition_named(name, source)
                if t.permission is None:  # system-only transitions (expiry) have no human actor
                    continue
                assert not getattr(flow, name).has_perm(object()), (role, machine.__name__, name)
