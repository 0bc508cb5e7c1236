"""permissions.rules, rule by rule: who acts on a record, where work may go, which desks open."""

import pytest

from casework.services import emergency, lifecycle
from permissions import rules
from permissions.access import access_case_by_id, body_access, forget_assignments
from permissions.models import Role, RoleAssignment


@pytest.fixture
def measure_case(world, open_case):
    case = open_case(urgent=True)
    lifecycle.case_emergency_declare(actor=world.users["officer_a"], case_id=case.pk, reason="Nguy hiểm")
    measure = emergency.emergency_measure_order(actor=world.users["chair_a"], case_id=case.pk, kind="stop_act",
                                                organisation_id=world.orgs["a.police"].pk)
    return case, measure


def test_work_goes_only_to_the_commune_s_bodies_and_the_levels_above(world, open_case):
    case = open_case()
    assert rules.may_address(case, world.orgs["a.police"].pk)
    assert rules.may_address(case, world.orgs["p1.social_work"].pk)       # the province's centre
    assert not rules.may_address(case, world.orgs["b.police"].pk)         # another commune
    assert not rules.may_address(case, world.orgs["p1.supervisory"].pk)   # audits, does not act
    assert not rules.may_address(case, "abc") and not rules.may_address(case, None)


def test_a_case_moves_to_any_current_commune_but_its_own(world, open_case):
    case = open_case()
    assert rules.may_transfer_to(case, world.areas["c"].pk)
    assert not rules.may_transfer_to(case, world.areas["a"].pk)
    assert not rules.may_transfer_to(case, "x")
    assert world.areas["c"] not in rules.transfer_destinations(case, same_province=True) or \
        rules.province_path(world.areas["c"]) == rules.province_path(world.areas["a"])


def test_only_the_ordered_body_or_the_commune_reports_a_measure(world, measure_case):
    case, measure = measure_case
    police = access_case_by_id(world.users["police_a"], case.pk)
    assert rules.measure_recorder(police, measure).organisation_id == world.orgs["a.police"].pk
    officer = access_case_by_id(world.users["officer_a"], case.pk)
    assert rules.measure_recorder(officer, measure).role.code == "commune_officer"
    # A body that was not ordered to act (the health station, on its desk) does not report it.
    health = body_access(world.users["health_a"], case)
    assert rules.measure_recorder(health, measure) is None
    assert "emergency.record" not in rules.measure_caps(health, measure)
    # A chairperson holds no EMERGENCY_RECORD at all.
    chair = access_case_by_id(world.users["chair_a"], case.pk)
    assert rules.measure_recorder(chair, measure) is None


def test_an_assignment_without_the_capability_is_passed_over(world, measure_case):
    """A police officer who also holds a role without emergency.record reports through the right one."""
    from django.contrib.auth.models import User

    case, measure = measure_case
    user = User.objects.create(username="two_hats")
    # The role without the capability first, so the rule must pass over it.
    RoleAssignment.objects.create(user=user, role=Role.objects.get(code="justice_officer"),
                                  organisation=world.orgs["a.justice"], area=world.areas["a"])
    RoleAssignment.objects.create(user=user, role=Role.objects.get(code="commune_police"),
                                  organisation=world.orgs["a.police"], area=world.areas["a"])
    access = access_case_by_id(user, case.pk)
    assert rules.measure_recorder(access, measure).organisation_id == world.orgs["a.police"].pk


def test_desk_access_counts_only_organisation_roles(world, measure_case):
    case, _measure = measure_case
    user = world.users["police_a"]
    RoleAssignment.objects.create(user=user, role=Role.objects.get(code="commune_officer"),
                                  organisation=world.orgs["c.committee"], area=world.areas["c"])
    forget_assignments(user)
    access = body_access(user, case)
    assert "task.act" in access.caps and "plan.draft" not in access.caps


def test_desks_open_for_the_roles_they_serve(world):
    u = world.users
    assert rules.may_use_page(u["officer_a"], "worklist") and not rules.may_use_page(u["police_a"], "worklist")
    assert rules.may_use_page(u["police_a"], "tasks") and not rules.may_use_page(u["supervisor_p1"], "tasks")
    assert rules.may_use_page(u["hotline"], "cases") and rules.may_use_page(u["hotline"], "intake")
    with pytest.raises(KeyError):
        rules.may_use_page(u["officer_a"], "nowhere")
