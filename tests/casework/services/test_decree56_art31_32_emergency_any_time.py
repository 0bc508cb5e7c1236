"""Decree 56/2017 art. 26.3, 31, 32 (32.1 in particular): the emergency branch opens from any open
state when the child's safety is newly threatened, and an urgent report's 12-hour clock is met
by a recorded decision or recorded as missed — never quietly dropped (issue 8, item 3)."""

import datetime as dt

import pytest
from django.utils import timezone

from casework.models import CaseEvent
from casework.models import CaseEventType as E
from casework.services import emergency, lifecycle, plans
from casework.services.deadlines import deadlines_sweep
from tests.casework import scenario


def clock(case, subject=""):
    return case.deadlines.get(kind="emergency_measures", subject=subject)


def test_art_32_1_abuser_returns_during_implementation(world, open_case):
    officer, chair, police = world.users["officer_a"], world.users["chair_a"], world.users["police_a"]
    case = open_case()
    scenario.to_submitted_plan(world, case)
    plans.plan_approve(actor=chair, case_id=case.pk, decision_no="05")
    informed = timezone.now() - dt.timedelta(minutes=2)
    lifecycle.case_emergency_declare(actor=officer, case_id=case.pk, informed_at=informed,
                                     reason="The father came back and threatened the child.")
    case.refresh_from_db()
    assert case.status == "emergency"
    new = clock(case, "emergency-1")
    assert new.starts_at == informed and new.due_at == informed + dt.timedelta(hours=12)
    assert new.state == "running"
    measure = emergency.emergency_measure_order(actor=chair, case_id=case.pk, kind="stop_act",
                                                organisation_id=world.orgs["a.police"].pk)
    emergency.emergency_measure_record(actor=police, case_id=case.pk, measure_id=measure.pk, outcome="taken")
    assert clock(case, "emergency-1").state == "met"
    # The approved plan stays in force while the emergency is handled; the case goes back through
    # the comprehensive assessment to an adjusted plan.
    lifecycle.case_emergency_end(actor=officer, case_id=case.pk)
    case.refresh_from_db()
    assert case.status == "comprehensive" and case.plans.get().status == "approved"


@pytest.mark.parametrize("step", ["planning", "awaiting_approval", "reviewing"])
def test_the_branch_opens_from_later_steps(world, open_case, step):
    officer = world.users["officer_a"]
    case = open_case()
    if step == "planning":
        scenario.verify(world, case)
        scenario.assess_initial(world, case)
        lifecycle.case_comprehensive_start(actor=officer, case_id=case.pk)
        scenario.assess_comprehensive(world, case)
        plans.case_planning_start(actor=officer, case_id=case.pk)
    elif step == "awaiting_approval":
        scenario.to_submitted_plan(world, case)
    else:
        scenario.to_submitted_plan(world, case)
        plans.plan_approve(actor=world.users["chair_a"], case_id=case.pk, decision_no="05")
        scenario.implement(world, case)
        lifecycle.case_review_start(actor=officer, case_id=case.pk)
    lifecycle.case_emergency_declare(actor=officer, case_id=case.pk, reason="Parents refuse the plan.")
    case.refresh_from_db()
    assert case.status == "emergency"
    if step == "awaiting_approval":
        # The plan the chairperson had not decided yet was drafted for another situation.
        assert case.plans.get().status == "returned"


def test_urgent_report_clock_keeps_running_when_verification_starts(world, open_case):
    case = open_case(urgent=True, received_at=timezone.now() - dt.timedelta(hours=2))
    scenario.verify(world, case)
    assert clock(case).state == "running"


def test_urgent_report_clock_is_recorded_as_missed(world, open_case):
    case = open_case(urgent=True, received_at=timezone.now() - dt.timedelta(hours=11, minutes=59))
    scenario.verify(world, case)  # before the art. 31.2 limit runs out, verification starts
    later = timezone.now() + dt.timedelta(hours=1)
    assert deadlines_sweep(now=later) == 1
    breach = CaseEvent.objects.get(case=case, type=E.DEADLINE_BREACHED)
    assert breach.data["clock"] == "emergency_measures"


def test_urgent_report_clock_met_by_a_recorded_decision_that_no_emergency_applies(world, open_case):
    """Form 02 exists "để có cơ sở áp dụng hoặc không áp dụng các biện pháp can thiệp khẩn cấp"
    (art. 26.2): finding that none applies is the recorded decision."""
    case = open_case(urgent=True, received_at=timezone.now() - dt.timedelta(hours=3))
    scenario.verify(world, case)
    scenario.assess_initial(world, case, emergency=False)
    assert clock(case).state == "met"


def test_urgent_report_closed_as_not_eligible_in_time_is_a_decision_too(world, open_case):
    case = open_case(urgent=True, received_at=timezone.now() - dt.timedelta(hours=1))
    scenario.verify(world, case)
    lifecycle.case_not_eligible(actor=world.users["officer_a"], case_id=case.pk, reason="False report.")
    assert clock(case).state == "met"
