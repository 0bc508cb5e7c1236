"""Decree 56/2017 art. 27.2: the commune chairperson chairs the meeting "with the bodies
responsible for protecting children, a representative of the residential area where the child
lives or the incident happened, and the parents or caregiver". The minutes record each of them,
and only people the law names can be recorded in their place."""

import datetime as dt

import pytest
from django.utils import timezone

from casework.errors import ValidationError
from casework.models import CaseConference, CaseEvent
from casework.models import CaseEventType as E
from casework.services import lifecycle
from permissions import rules
from permissions.models import Delegation
from tests.casework import scenario


@pytest.fixture
def comprehensive(world, open_case):
    case = open_case()
    scenario.verify(world, case)
    scenario.assess_initial(world, case)
    lifecycle.case_comprehensive_start(actor=world.users["officer_a"], case_id=case.pk)
    lifecycle.comprehensive_assessment_record(actor=world.users["officer_a"], case_id=case.pk, risk_level="medium",
                                              **scenario.COMPREHENSIVE)
    return case


def record(world, case, **overrides):
    return lifecycle.conference_record(actor=world.users["officer_a"], case_id=case.pk,
                                       **scenario.conference_minutes(world, case, **overrides))


def test_the_minutes_name_the_chair_the_bodies_the_area_s_representative_and_the_parents(world, comprehensive):
    minutes = record(world, comprehensive)
    assert minutes.chair == world.users["chair_a"] and minutes.chaired_by == "Lê Thị Hồng"
    assert set(minutes.bodies_present.all()) == {world.orgs["a.police"], world.orgs["a.school"]}
    event = CaseEvent.objects.get(case=comprehensive, type=E.CONFERENCE_RECORDED)
    # The timeline alone tells a supervisor who was there.
    assert event.data["chaired_by"] == "Lê Thị Hồng"
    assert event.data["bodies_present"] == sorted([world.orgs["a.police"].name, world.orgs["a.school"].name])
    assert event.data["community_representative"] == "Trần Văn Tư, village head"
    assert event.data["caregiver_present"] == "Mother"


@pytest.mark.parametrize("chair", ["chair_b", "officer_a", "deputy_a"])
def test_only_the_case_commune_s_chairperson_or_a_delegated_deputy_chairs(world, comprehensive, chair):
    with pytest.raises(ValidationError) as refused:
        record(world, comprehensive, chair_id=world.users[chair].pk)
    assert set(refused.value.message_dict) == {"chair_id"}
    assert not CaseConference.objects.filter(case=comprehensive).exists()


def test_a_deputy_chairs_under_a_live_delegation(world, comprehensive):
    deputy = world.users["deputy_a"]
    assert deputy not in rules.conference_chairs(comprehensive)
    now = timezone.now()
    Delegation.objects.create(delegate=deputy, commune=world.areas["a"], starts_at=now - dt.timedelta(hours=1),
                              ends_at=now + dt.timedelta(days=1), reference="Quyết định số 12/QĐ-UBND",
                              recorded_by=world.users["admin"])
    assert set(rules.conference_chairs(comprehensive)) == {world.users["chair_a"], deputy}
    assert record(world, comprehensive, chair_id=deputy.pk).chair == deputy


def test_a_body_of_another_commune_was_not_at_this_child_s_conference(world, comprehensive):
    with pytest.raises(ValidationError) as refused:
        record(world, comprehensive, bodies_present_ids=[world.orgs["a.police"].pk, world.orgs["b.police"].pk])
    assert set(refused.value.message_dict) == {"bodies_present_ids"}
    with pytest.raises(ValidationError) as refused:
        record(world, comprehensive, bodies_present_ids=[])
    assert set(refused.value.message_dict) == {"bodies_present_ids"}
    assert not CaseConference.objects.filter(case=comprehensive).exists()


def test_the_parents_attended_or_the_minutes_say_why_not(world, comprehensive):
    with pytest.raises(ValidationError) as refused:
        record(world, comprehensive, caregiver_present="", caregiver_absence="")
    assert set(refused.value.message_dict) == {"caregiver_present"}
    with pytest.raises(ValidationError) as refused:
        record(world, comprehensive, caregiver_present="Mother", caregiver_absence="declined")
    assert set(refused.value.message_dict) == {"caregiver_absence"}
    with pytest.raises(ValidationError):
        record(world, comprehensive, caregiver_present="", caregiver_absence="asleep")
    with pytest.raises(ValidationError) as refused:
        record(world, comprehensive, community_representative="  ")
    assert set(refused.value.message_dict) == {"community_representative"}
    minutes = record(world, comprehensive, caregiver_present="", caregiver_absence="caused_harm")
    assert minutes.get_caregiver_absence_display().startswith("Not invited")
