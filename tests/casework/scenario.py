"""Steps of the statutory path, as the people of DOMAIN.md §3 take them (shared by tests)."""

import datetime as dt

from django.utils import timezone

from casework.services import lifecycle, plans, tasks


def verify(world, case, who="officer_a"):
    actor = world.users[who]
    lifecycle.case_verification_start(actor=actor, case_id=case.pk)
    lifecycle.case_verification_record(actor=actor, case_id=case.pk,
                                       findings="Visited with commune police; bruises confirmed.")


def assess_initial(world, case, emergency=False, who="officer_a"):
    actor = world.users[who]
    lifecycle.case_initial_assessment_start(actor=actor, case_id=case.pk)
    lifecycle.initial_assessment_record(actor=actor, case_id=case.pk, risk_level="high" if emergency else "medium",
                                        findings="Father drinks; mother protective.", emergency_needed=emergency,
                                        caregiver_is_abuser=emergency)


COMPREHENSIVE = dict(
    physical_psychological_state="Bruises healing; anxious at night.",
    family_circumstances="Mother protective; father in treatment.",
    risk_factors="Father's drinking.",
    schooling_self_protection="Attends school; knows whom to call.",
    community_safety="Neighbours supportive; village head informed.",
    needs="Counselling, medical follow-up.",
    child_views="Wants to stay with mother and go to school.",
)


def assess_comprehensive(world, case, who="officer_a"):
    actor = world.users[who]
    lifecycle.comprehensive_assessment_record(actor=actor, case_id=case.pk, risk_level="medium",
                                              caregiver_views="Mother agrees with support.", **COMPREHENSIVE)
    lifecycle.conference_record(actor=actor, case_id=case.pk, **conference_minutes(world, case))


def conference_minutes(world, case, **overrides) -> dict:
    """Art. 27.2 minutes: the commune's chairperson chairs; its police and school attend."""
    commune = "b" if case.commune_id == world.areas["b"].pk else "a"
    minutes = dict(held_at=timezone.now(), chair_id=world.users[f"chair_{commune}"].pk,
                   bodies_present_ids=[world.orgs[f"{commune}.police"].pk, world.orgs[f"{commune}.school"].pk],
                   community_representative="Trần Văn Tư, village head", caregiver_present="Mother",
                   participants="Officer", decisions="Counselling at school; police warning to father.")
    minutes.update(overrides)
    return minutes


def draft_plan(world, case, who="officer_a", body="a.police"):
    today = timezone.localdate()
    return plans.plan_draft_save(
        actor=world.users[who], case_id=case.pk, goals="Child safe at home and at school.",
        starts_on=today, ends_on=today + dt.timedelta(days=60), review_on=today + dt.timedelta(days=55),
        measures=[
            plans.MeasureInput(kind="intervention_follow_up", responsible_id=world.orgs[body].pk,
                               starts_on=today, ends_on=today + dt.timedelta(days=30), cost=0),
            plans.MeasureInput(kind="support_counselling", responsible_id=world.orgs["a.school"].pk,
                               starts_on=today, ends_on=today + dt.timedelta(days=45), cost="500000"),
        ])


def to_submitted_plan(world, case):
    verify(world, case)
    assess_initial(world, case)
    lifecycle.case_comprehensive_start(actor=world.users["officer_a"], case_id=case.pk)
    assess_comprehensive(world, case)
    plans.case_planning_start(actor=world.users["officer_a"], case_id=case.pk)
    draft_plan(world, case)
    return plans.plan_submit(actor=world.users["officer_a"], case_id=case.pk)


def implement(world, case):
    for task in case.tasks.all():
        member = {"a.police": "police_a", "a.school": "counsellor_a", "a.health": "health_a"}[
            task.organisation and [k for k, v in world.orgs.items() if v.pk == task.organisation_id][0]]
        actor = world.users[member]
        tasks.task_move(actor=actor, case_id=case.pk, task_id=task.pk, action="accept")
        tasks.task_log_add(actor=actor, case_id=case.pk, task_id=task.pk, acted_on=timezone.localdate(),
                           action="Home visit", outcome="Child safe")
        tasks.task_move(actor=actor, case_id=case.pk, task_id=task.pk, action="complete")


def review(world, case, recommendation="end"):
    actor = world.users["officer_a"]
    lifecycle.case_review_start(actor=actor, case_id=case.pk)
    lifecycle.review_record(actor=actor, case_id=case.pk, harm_still_serious="low", abuser_can_reach_child="low",
                            obstacles_at_home="low", child_capacity="high", findings="Safe and stable.",
                            recommendation=recommendation)
