"""Decree 56/2017 art. 26.3, 28.1, 31.2, 32.3 and local practice (DOMAIN.md §3 Deadlines): every
limit is data with its legal ceiling, per province and per commune, and each one works — the
isolation maximum, local step budgets in working hours, the start of the plan clock in an
emergency. Missing a local budget is recorded like missing a statutory one (issue 8, item 4)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from casework.models import CaseEvent
from casework.models import CaseEventType as E
from casework.services import emergency, lifecycle
from casework.services.deadlines import deadlines_sweep
from tests.casework import scenario
from workflows.calendar import VN_TZ, WorkingCalendar
from workflows.models import DeadlinePolicy
from workflows.policy import DeadlineKind


def emergency_case(world, open_case):
    case = open_case(urgent=True, caregiver_is_abuser=True)
    lifecycle.case_emergency_declare(actor=world.users["officer_a"], case_id=case.pk, reason="Father violent.")
    return case


def test_art_32_3_a_commune_may_shorten_the_isolation_maximum(world, open_case):
    DeadlinePolicy.objects.create(kind=DeadlineKind.ISOLATION_DURATION, area=world.areas["a"], value=10)
    case = emergency_case(world, open_case)
    chair = world.users["chair_a"]
    with pytest.raises(ValidationError) as refused:
        emergency.isolation_issue(actor=chair, case_id=case.pk, decision_no="07", days=12, placement="Bà ngoại")
    assert "10" in refused.value.message_dict["days"][0]
    order = emergency.isolation_issue(actor=chair, case_id=case.pk, decision_no="07", days=8, placement="Bà ngoại")
    from casework.errors import Conflict
    with pytest.raises(Conflict):
        emergency.isolation_extend(actor=chair, case_id=case.pk, order_id=order.pk, days=3, reason="Still unsafe.")
    emergency.isolation_extend(actor=chair, case_id=case.pk, order_id=order.pk, days=3, reason="Court asked.",
                               authority_request="Tòa án nhân dân khu vực 1, văn bản số 3")


def test_the_ceiling_is_the_law(world):
    with pytest.raises(ValidationError):
        DeadlinePolicy(kind=DeadlineKind.ISOLATION_DURATION, area=world.areas["p1"], value=20).full_clean()
    with pytest.raises(ValidationError):
        DeadlinePolicy(kind=DeadlineKind.EMERGENCY_MEASURES, area=world.areas["a"], value=13).full_clean()


def test_a_ward_cuts_twelve_hours_to_eight(world, open_case):
    DeadlinePolicy.objects.create(kind=DeadlineKind.EMERGENCY_MEASURES, area=world.areas["a"], value=8)
    case = open_case(urgent=True)
    clock = case.deadlines.get(kind="emergency_measures")
    assert clock.due_at == case.intake.received_at + dt.timedelta(hours=8)


def test_a_local_verification_budget_in_working_hours_is_recorded_when_missed(world, open_case):
    DeadlinePolicy.objects.create(kind=DeadlineKind.VERIFICATION, area=world.areas["p1"], value=2)
    # Monday 9 March 2026, 16:00 in Vietnam: two office hours run out on Tuesday at 08:30.
    received = dt.datetime(2026, 3, 9, 16, 0, tzinfo=VN_TZ)
    case = open_case(received_at=received)
    clock = case.deadlines.get(kind="verification")
    assert clock.due_at == dt.datetime(2026, 3, 10, 8, 30, tzinfo=VN_TZ)
    assert deadlines_sweep(now=dt.datetime(2026, 3, 10, 9, 0, tzinfo=VN_TZ)) >= 1
    breach = CaseEvent.objects.filter(case=case, type=E.DEADLINE_BREACHED, data__clock="verification")
    assert breach.count() == 1


def test_no_local_budget_no_local_clock(world, open_case):
    case = open_case()
    assert not case.deadlines.filter(kind__in=["verification", "initial_assessment"]).exists()


def test_a_local_initial_assessment_budget_is_met_by_form_02(world, open_case):
    DeadlinePolicy.objects.create(kind=DeadlineKind.INITIAL_ASSESSMENT, area=world.areas["a"], value=16)
    case = open_case()
    scenario.verify(world, case)
    assert case.deadlines.get(kind="initial_assessment").state == "running"
    scenario.assess_initial(world, case)
    assert case.deadlines.get(kind="initial_assessment").state == "met"


def test_working_hours_skip_the_night_the_weekend_and_the_lunch_break():
    cal = WorkingCalendar.from_dates()
    friday = dt.datetime(2026, 3, 13, 16, 0, tzinfo=VN_TZ)
    assert cal.add_working_hours(friday, 8) == dt.datetime(2026, 3, 16, 16, 0, tzinfo=VN_TZ)
    sunday = dt.datetime(2026, 3, 15, 10, 0, tzinfo=VN_TZ)
    assert cal.add_working_hours(sunday, 1) == dt.datetime(2026, 3, 16, 8, 30, tzinfo=VN_TZ)
    morning = dt.datetime(2026, 3, 16, 11, 0, tzinfo=VN_TZ)
    assert cal.add_working_hours(morning, 1) == dt.datetime(2026, 3, 16, 13, 30, tzinfo=VN_TZ)
    with pytest.raises(ValueError):
        cal.add_working_hours(morning, -1)


@pytest.mark.parametrize("setting, starts_at_receipt", [("receipt", True), ("emergency_end", False)])
def test_art_28_1_plan_clock_start_in_an_emergency_is_a_setting(world, open_case, settings, setting,
                                                                starts_at_receipt):
    settings.EMERGENCY_PLAN_CLOCK_START = setting
    officer = world.users["officer_a"]
    case = open_case(urgent=True, received_at=timezone.now() - dt.timedelta(hours=3))
    lifecycle.case_emergency_declare(actor=officer, case_id=case.pk, reason="Threat.")
    measure = emergency.emergency_measure_order(actor=world.users["chair_a"], case_id=case.pk, kind="stop_act",
                                                organisation_id=world.orgs["a.police"].pk)
    emergency.emergency_measure_record(actor=world.users["police_a"], case_id=case.pk, measure_id=measure.pk,
                                       outcome="taken")
    lifecycle.initial_assessment_record(actor=officer, case_id=case.pk, risk_level="high", findings="x",
                                        emergency_needed=True)
    lifecycle.case_emergency_end(actor=officer, case_id=case.pk)
    clock = case.deadlines.get(kind="plan_draft")
    assert (clock.starts_at == case.intake.received_at) is starts_at_receipt


def test_an_unknown_plan_clock_setting_fails_loudly(settings):
    from workflows.policy import emergency_plan_clock_start

    settings.EMERGENCY_PLAN_CLOCK_START = "whenever"
    with pytest.raises(ValueError):
        emergency_plan_clock_start()
