"""Decree 56/2017 art. 27.1 and 28.2.a: the comprehensive assessment, the conference and the plan
come only after the initial assessment (form 02) — at every protection level, and lowering the
level opens no way around it (issue 8, item 1)."""

import pytest

from casework.errors import Conflict
from casework.services import lifecycle, plans
from tests.casework import scenario


@pytest.mark.parametrize("classification", ["at_risk", "special"])
def test_support_level_case_cannot_go_from_verification_to_form_03(world, open_case, classification):
    case = open_case(classification=classification, abuse_forms=[], perpetrators=[])
    scenario.verify(world, case)
    with pytest.raises(Conflict):
        lifecycle.case_comprehensive_start(actor=world.users["officer_a"], case_id=case.pk)
    case.refresh_from_db()
    assert case.status == "verifying"


def test_lowering_the_level_opens_no_way_around_form_02(world, open_case):
    officer = world.users["officer_a"]
    case = open_case()
    scenario.verify(world, case)
    lifecycle.case_level_change(actor=officer, case_id=case.pk, level="support", reason="Risk lower than reported.")
    with pytest.raises(Conflict):
        lifecycle.case_comprehensive_start(actor=officer, case_id=case.pk)
    lifecycle.case_initial_assessment_start(actor=officer, case_id=case.pk)
    with pytest.raises(Conflict) as refused:
        lifecycle.case_comprehensive_start(actor=officer, case_id=case.pk)
    assert "form 02" in str(refused.value.message)


def test_the_file_of_art_28_2_a_holds_form_02_after_an_emergency_too(world, open_case):
    officer, chair, police = world.users["officer_a"], world.users["chair_a"], world.users["police_a"]
    case = open_case(urgent=True)
    lifecycle.case_emergency_declare(actor=officer, case_id=case.pk, reason="Threatened tonight.")
    from casework.services import emergency
    measure = emergency.emergency_measure_order(actor=chair, case_id=case.pk, kind="stop_act",
                                                organisation_id=world.orgs["a.police"].pk)
    emergency.emergency_measure_record(actor=police, case_id=case.pk, measure_id=measure.pk, outcome="taken")
    with pytest.raises(Conflict) as refused:
        lifecycle.case_emergency_end(actor=officer, case_id=case.pk)
    assert "form 02" in str(refused.value.message)
    # Art. 31.3.b: the officer keeps assessing during the emergency and records form 02 there.
    lifecycle.initial_assessment_record(actor=officer, case_id=case.pk, risk_level="high", findings="Serious.",
                                        emergency_needed=True)
    lifecycle.case_emergency_end(actor=officer, case_id=case.pk)
    scenario.assess_comprehensive(world, case)
    plans.case_planning_start(actor=officer, case_id=case.pk)
    scenario.draft_plan(world, case)
    assert plans.plan_submit(actor=officer, case_id=case.pk).status == "submitted"
