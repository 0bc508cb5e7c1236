"""The path of DOMAIN.md §3, from a school counsellor's report to closure."""

import datetime as dt

import pytest
from django.utils import timezone

from casework.errors import Conflict
from casework.models import Case, CaseEvent
from casework.models import CaseEventType as E
from casework.services import emergency, lifecycle, plans, transfers
from tests.casework import scenario


def events(case):
    return list(CaseEvent.objects.filter(case=case).exclude(type=E.IDENTITY_VIEWED)
                .order_by("at", "pk").values_list("type", flat=True))


def test_school_report_to_closure(world, open_case):
    case = open_case("counsellor_a")
    plan = scenario.to_submitted_plan(world, case)
    plans.plan_approve(actor=world.users["chair_a"], case_id=case.pk, decision_no="05/QĐ-UBND")
    case.refresh_from_db()
    assert case.status == "implementing"
    assert case.tasks.count() == 2
    scenario.implement(world, case)
    scenario.review(world, case)
    lifecycle.case_close(actor=world.users["chair_a"], case_id=case.pk, reason="Child safe and stable.")
    case.refresh_from_db()
    plan.refresh_from_db()
    assert case.status == "closed" and case.closed_at is not None
    assert plan.status == "ended"
    assert events(case) == [
        E.CASE_OPENED, E.VERIFICATION_STARTED, E.VERIFICATION_RECORDED, E.INITIAL_ASSESSMENT_STARTED,
        E.INITIAL_ASSESSMENT_RECORDED, E.COMPREHENSIVE_STARTED, E.COMPREHENSIVE_ASSESSMENT_RECORDED,
        E.CONFERENCE_RECORDED, E.PLANNING_STARTED, E.PLAN_DRAFTED, E.PLAN_SUBMITTED, E.PLAN_APPROVED,
        E.TASK_ACCEPTED, E.TASK_LOGGED, E.TASK_DONE, E.TASK_ACCEPTED, E.TASK_LOGGED, E.TASK_DONE,
        E.REVIEW_STARTED, E.REVIEW_RECORDED, E.CASE_CLOSED,
    ]
    # Every clock of a closed case is settled: met, or no longer applicable.
    assert set(case.deadlines.values_list("state", flat=True)) <= {"met", "cancelled"}
    assert case.version == len(events(case))


def test_emergency_path_within_twelve_hours(world, open_case):
    case = open_case("police_a", urgent=True, caregiver_is_abuser=True,
                     received_at=timezone.now() - dt.timedelta(hours=2))
    chair, officer, police = world.users["chair_a"], world.users["officer_a"], world.users["police_a"]
    lifecycle.case_emergency_declare(actor=officer, case_id=case.pk, reason="Father beat the child tonight.")
    measure = emergency.emergency_measure_order(actor=chair, case_id=case.pk, kind="stop_act",
                                                organisation_id=world.orgs["a.police"].pk)
    shelter = emergency.emergency_measure_order(actor=chair, case_id=case.pk, kind="safe_shelter",
                                                organisation_id=world.orgs["a.committee"].pk)
    emergency.emergency_measure_record(actor=police, case_id=case.pk, measure_id=measure.pk, outcome="taken")
    order = emergency.isolation_issue(actor=chair, case_id=case.pk, decision_no="07/QĐ", days=7,
                                      placement="Grandmother's house, village 2")
    emergency.emergency_measure_record(actor=officer, case_id=case.pk, measure_id=shelter.pk, outcome="taken")
    clocks = {d.kind: d for d in Case.objects.get(pk=case.pk).deadlines.all()}
    assert clocks["emergency_measures"].state == "met"
    assert clocks["emergency_measures"].due_at == case.intake.received_at + dt.timedelta(hours=12)
    assert clocks["isolation_order"].state == "met"
    assert clocks["isolation_duration"].state == "running"
    # Art. 27.1, 31.3.b: the initial assessment (form 02) is still recorded before form 03 (issue 8:
    # the emergency branch used to skip it).
    lifecycle.initial_assessment_record(actor=officer, case_id=case.pk, risk_level="high", findings="Father violent.",
                                        caregiver_is_abuser=True, emergency_needed=True)
    lifecycle.case_emergency_end(actor=officer, case_id=case.pk)
    case.refresh_from_db()
    assert case.status == "comprehensive"
    # The plan clock counts from receipt by default (art. 28.1 is silent on emergencies; issue 8
    # made it the setting EMERGENCY_PLAN_CLOCK_START, strict reading first).
    assert case.deadlines.get(kind="plan_draft").starts_at == case.intake.received_at
    emergency.isolation_revoke(actor=chair, case_id=case.pk, order_id=order.pk, reason="Father moved out.")
    order.refresh_from_db()
    assert order.status == "revoked"


def test_emergency_clock_breached_when_nothing_done_in_twelve_hours(world, open_case):
    case = open_case("police_a", urgent=True, received_at=timezone.now() - dt.timedelta(hours=13))
    clock = case.deadlines.get(kind="emergency_measures")
    assert clock.state == "breached"
    from casework.services.deadlines import deadlines_sweep
    assert deadlines_sweep() == 1
    assert deadlines_sweep() == 0  # recorded once
    breach = CaseEvent.objects.get(case=case, type=E.DEADLINE_BREACHED)
    assert breach.data["clock"] == "emergency_measures" and breach.actor is None


def test_plan_returned_then_second_version_approved(world, open_case):
    case = open_case()
    first = scenario.to_submitted_plan(world, case)
    plans.plan_return(actor=world.users["chair_a"], case_id=case.pk, reason="Add a health check.")
    first.refresh_from_db()
    assert first.status == "returned" and first.return_reason == "Add a health check."
    second = scenario.draft_plan(world, case)
    assert second.version == 2 and second.pk != first.pk
    plans.plan_submit(actor=world.users["officer_a"], case_id=case.pk)
    plans.plan_approve(actor=world.users["chair_a"], case_id=case.pk, decision_no="05b")
    second.refresh_from_db()
    assert second.status == "approved"
    assert {d.subject: d.state for d in case.deadlines.filter(kind="plan_approval")} == {
        "plan-v1": "met", "plan-v2": "met"}


def test_new_plan_cycle_after_review(world, open_case):
    case = open_case()
    scenario.to_submitted_plan(world, case)
    plans.plan_approve(actor=world.users["chair_a"], case_id=case.pk, decision_no="05")
    scenario.implement(world, case)
    scenario.review(world, case, recommendation="new_cycle")
    lifecycle.case_new_cycle(actor=world.users["chair_a"], case_id=case.pk, reason="Risk remains medium.")
    case.refresh_from_db()
    assert case.status == "planning" and case.plan_cycle == 2
    assert case.deadlines.filter(kind="plan_draft", subject="cycle-2", state="running").exists()
    # The first cycle's tasks are still on file; a new plan (v2, cycle 2) goes through approval again.
    v2 = scenario.draft_plan(world, case)
    assert (v2.version, v2.cycle) == (2, 2)


def test_transfer_to_the_commune_where_the_child_lives(world, open_case):
    case = open_case()
    transfer = transfers.transfer_request(actor=world.users["officer_a"], case_id=case.pk,
                                          to_commune_id=world.areas["b"].pk, reason="Family moved to commune B.")
    transfers.transfer_decide(actor=world.users["officer_b"], case_id=case.pk, transfer_id=transfer.pk, accept=True)
    case.refresh_from_db()
    assert case.commune == world.areas["b"]
    # B's officer now acts; A's officer still sees the case (incident commune) but cannot act.
    lifecycle.case_verification_start(actor=world.users["officer_b"], case_id=case.pk)
    with pytest.raises(Exception) as refused:
        lifecycle.case_verification_record(actor=world.users["officer_a"], case_id=case.pk, findings="x")
    assert refused.type.__name__ == "PermissionDenied"


def test_declined_transfer_keeps_case_and_hides_it_again(world, open_case):
    from casework.errors import CaseNotFound
    from permissions.access import access_case_by_id, forget_assignments

    case = open_case()
    transfer = transfers.transfer_request(actor=world.users["officer_a"], case_id=case.pk,
                                          to_commune_id=world.areas["b"].pk, reason="Family moved?")
    transfers.transfer_decide(actor=world.users["officer_b"], case_id=case.pk, transfer_id=transfer.pk,
                              accept=False, reason="The family does not live here.")
    case.refresh_from_db()
    assert case.commune == world.areas["a"]
    forget_assignments(world.users["officer_b"])
    with pytest.raises(CaseNotFound):
        access_case_by_id(world.users["officer_b"], case.pk)


def test_reopen_closed_case(world, open_case):
    case = open_case()
    scenario.verify(world, case)
    lifecycle.case_not_eligible(actor=world.users["officer_a"], case_id=case.pk, reason="Accidental injury.")
    lifecycle.case_reopen(actor=world.users["chair_a"], case_id=case.pk, reason="New bruises reported.")
    case.refresh_from_db()
    assert case.status == "verifying" and case.closed_at is None
    assert events(case)[-2:] == [E.CASE_NOT_ELIGIBLE, E.CASE_REOPENED]


def test_cannot_close_without_review(world, open_case):
    case = open_case()
    scenario.to_submitted_plan(world, case)
    plans.plan_approve(actor=world.users["chair_a"], case_id=case.pk, decision_no="05")
    scenario.implement(world, case)
    lifecycle.case_review_start(actor=world.users["officer_a"], case_id=case.pk)
    with pytest.raises(Conflict) as refused:
        lifecycle.case_close(actor=world.users["chair_a"], case_id=case.pk, reason="Done")
    assert "form 06" in str(refused.value.message)
    assert Case.objects.get(pk=case.pk).status == "reviewing"
