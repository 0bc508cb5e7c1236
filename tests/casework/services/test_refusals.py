"""At every step of the path, everyone but the right people is refused, and nothing is written.

Out of reach → CaseNotFound (404, same as missing); in reach but not their role → PermissionDenied.
"""



from django.utils import timezone

from casework.errors import CaseNotFound, Conflict, PermissionDenied
from casework.models import CaseEvent
from casework.services import lifecycle, plans, tasks
from tests.casework import scenario

EVERYONE = ["counsellor_a", "officer_a", "chair_a", "police_a", "health_a", "justice_a", "village_a",
            "counsellor_b", "officer_b", "chair_b", "police_b", "officer_c", "chair_c", "provider_p1",
            "supervisor_p1", "supervisor_p2", "hotline", "admin"]
# Who can see a case that counsellor_a reported in commune A, before any task is referred.
SEES = {"counsellor_a", "officer_a", "chair_a", "supervisor_p1"}


def refused_for_all_but(world, case, allowed: set[str], call, sees=SEES):
    for who in EVERYONE:
        if who in allowed:
            continue
        before = (CaseEvent.objects.count(), type(case).objects.get(pk=case.pk).version)
        try:
            call(world.users[who])
        except CaseNotFound:
            assert who not in sees, f"{who} should see the case and get a 403"
        except PermissionDenied:
            assert who in sees, f"{who} must not learn the case exists"
        except Conflict:
            raise AssertionError(f"{who} reached the state check: permission must come first")
        else:
            raise AssertionError(f"{who} was allowed")
        assert (CaseEvent.objects.count(), type(case).objects.get(pk=case.pk).version) == before


def test_each_step_only_for_its_actor(world, open_case):
    case = open_case("counsellor_a")
    today = timezone.localdate()
    officer, chair = {"officer_a"}, {"chair_a"}
    steps = [
        (officer, lambda u: lifecycle.case_verification_start(actor=u, case_id=case.pk)),
        (officer, lambda u: lifecycle.case_verification_record(actor=u, case_id=case.pk, findings="Facts checked.")),
        (officer, lambda u: lifecycle.case_initial_assessment_start(actor=u, case_id=case.pk)),
        (officer, lambda u: lifecycle.initial_assessment_record(actor=u, case_id=case.pk, risk_level="medium",
                                                                findings="Medium risk.")),
        (officer, lambda u: lifecycle.case_comprehensive_start(actor=u, case_id=case.pk)),
        (officer, lambda u: lifecycle.comprehensive_assessment_record(actor=u, case_id=case.pk, risk_level="medium",
                                                                      **scenario.COMPREHENSIVE)),
        (officer, lambda u: lifecycle.conference_record(actor=u, case_id=case.pk,
                                                        **scenario.conference_minutes(world, case))),
        (officer, lambda u: plans.case_planning_start(actor=u, case_id=case.pk)),
        (officer, lambda u: scenario.draft_plan(world, case, who=u.username)),
        (officer, lambda u: plans.plan_submit(actor=u, case_id=case.pk)),
        (chair, lambda u: plans.plan_approve(actor=u, case_id=case.pk, decision_no="05")),
    ]
    for allowed, call in steps:
        refused_for_all_but(world, case, allowed, call)
        call(world.users[sorted(allowed)[0]])

    # Tasks now refer the case to the police and the school: they see it, only they act on their task.
    police_task = case.tasks.get(organisation=world.orgs["a.police"])
    sees = SEES | {"police_a"}
    refused_for_all_but(world, case, {"police_a"}, lambda u: tasks.task_move(
        actor=u, case_id=case.pk, task_id=police_task.pk, action="accept"), sees=sees)
    tasks.task_move(actor=world.users["police_a"], case_id=case.pk, task_id=police_task.pk, action="accept")
    refused_for_all_but(world, case, {"police_a"}, lambda u: tasks.task_log_add(
        actor=u, case_id=case.pk, task_id=police_task.pk, acted_on=today, action="Warned the father."), sees=sees)
    # Art. 30 (issue 8): the review weighs finished work, so every task is settled first.
    tasks.task_move(actor=world.users["police_a"], case_id=case.pk, task_id=police_task.pk, action="complete")
    school_task = case.tasks.get(organisation=world.orgs["a.school"])
    for move in ("accept", "complete"):
        tasks.task_move(actor=world.users["counsellor_a"], case_id=case.pk, task_id=school_task.pk, action=move)

    for allowed, call in [
        (officer, lambda u: lifecycle.case_review_start(actor=u, case_id=case.pk)),
        (officer, lambda u: lifecycle.review_record(
            actor=u, case_id=case.pk, harm_still_serious="low", abuser_can_reach_child="low",
            obstacles_at_home="low", child_capacity="high", findings="Safe.", recommendation="end")),
        (chair, lambda u: lifecycle.case_close(actor=u, case_id=case.pk, reason="Safe and stable.")),
        (officer | chair, lambda u: lifecycle.case_reopen(actor=u, case_id=case.pk, reason="New report.")),
    ]:
        refused_for_all_but(world, case, allowed, call, sees=sees)
        call(world.users[sorted(allowed)[-1]])
    case.refresh_from_db()
    assert case.status == "verifying"


def test_out_of_area_officer_gets_not_found_even_for_a_valid_transition(world, open_case):
    case = open_case()
    for who in ("officer_b", "officer_c", "chair_b"):
        try:
            lifecycle.case_verification_start(actor=world.users[who], case_id=case.pk)
        except CaseNotFound:
            pass
        else:
            raise AssertionError(who)
    try:
        lifecycle.case_verification_start(actor=world.users["officer_a"], case_id=999999)
    except CaseNotFound:
        pass

