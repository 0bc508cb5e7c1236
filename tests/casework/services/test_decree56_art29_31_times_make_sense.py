"""Decree 56/2017 art. 27.2, 29, 31: an outcome, a log entry or a meeting is dated after what it
follows (the order, the referral, the report) and never in the future (issue 8, item 10)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import override

from casework.services import emergency, lifecycle, plans, tasks
from tests.casework import scenario


def in_emergency(world, open_case):
    case = open_case(urgent=True)
    lifecycle.case_emergency_declare(actor=world.users["officer_a"], case_id=case.pk, reason="Threat.")
    measure = emergency.emergency_measure_order(actor=world.users["chair_a"], case_id=case.pk, kind="stop_act",
                                                organisation_id=world.orgs["a.police"].pk)
    return case, measure


def test_an_outcome_is_not_dated_before_the_order(world, open_case):
    case, measure = in_emergency(world, open_case)
    with pytest.raises(ValidationError) as refused:
        emergency.emergency_measure_record(actor=world.users["police_a"], case_id=case.pk, measure_id=measure.pk,
                                           outcome="taken", done_at=measure.ordered_at - dt.timedelta(minutes=10))
    assert "done_at" in refused.value.message_dict


def test_an_outcome_is_not_dated_in_the_future(world, open_case):
    case, measure = in_emergency(world, open_case)
    with pytest.raises(ValidationError):
        emergency.emergency_measure_record(actor=world.users["police_a"], case_id=case.pk, measure_id=measure.pk,
                                           outcome="taken", done_at=timezone.now() + dt.timedelta(hours=2))


def test_a_log_entry_is_dated_between_the_referral_and_today(world, open_case):
    case = open_case()
    scenario.to_submitted_plan(world, case)
    plans.plan_approve(actor=world.users["chair_a"], case_id=case.pk, decision_no="05")
    task = case.tasks.get(organisation=world.orgs["a.police"])
    police = world.users["police_a"]
    tasks.task_move(actor=police, case_id=case.pk, task_id=task.pk, action="accept")
    for day in (timezone.localdate() - dt.timedelta(days=3), timezone.localdate() + dt.timedelta(days=1)):
        with pytest.raises(ValidationError):
            tasks.task_log_add(actor=police, case_id=case.pk, task_id=task.pk, acted_on=day, action="Visit")
    tasks.task_log_add(actor=police, case_id=case.pk, task_id=task.pk, acted_on=timezone.localdate(), action="Visit")


def test_the_conference_is_not_before_the_report(world, open_case):
    case = open_case()
    scenario.verify(world, case)
    scenario.assess_initial(world, case)
    lifecycle.case_comprehensive_start(actor=world.users["officer_a"], case_id=case.pk)
    with pytest.raises(ValidationError) as refused:
        lifecycle.conference_record(actor=world.users["officer_a"], case_id=case.pk, **scenario.conference_minutes(
            world, case, held_at=case.intake.received_at - dt.timedelta(days=1)))
    with override("vi"):
        message = str(ValidationError(refused.value.message_dict["held_at"]).messages[0])
    assert message  # the reason exists in the request's language (catalog test checks Vietnamese)


def test_the_reason_is_shown_in_vietnamese(world, open_case):
    case, measure = in_emergency(world, open_case)
    with override("vi"), pytest.raises(ValidationError) as refused:
        emergency.emergency_measure_record(actor=world.users["police_a"], case_id=case.pk, measure_id=measure.pk,
                                           outcome="taken", done_at=measure.ordered_at - dt.timedelta(hours=1))
    assert "không được trước" in refused.value.message_dict["done_at"][0]
