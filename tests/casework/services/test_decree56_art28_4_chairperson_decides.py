"""Decree 56/2017 art. 27.2, 28.4, 30.1.b–c, 31, 32: the chairperson of the People's Committee of
the commune responsible for the case decides — emergency measures, the isolation order (form 07),
plan approval (form 05), ending or renewing the plan — or a deputy under a recorded delegation
(issue 8, item 2)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone

from casework.errors import PermissionDenied
from casework.models import CaseEvent
from casework.models import CaseEventType as E
from casework.services import plans
from permissions.access import forget_assignments
from permissions.admin import RoleForm
from permissions.models import Delegation, Role, RoleAssignment
from permissions.roles import Capability as C
from permissions.roles import RoleCode
from tests.casework import scenario


def delegate(world, *, starts=-1, ends=24, revoked=False):
    now = timezone.now()
    return Delegation.objects.create(
        delegate=world.users["deputy_a"], commune=world.areas["a"], starts_at=now + dt.timedelta(hours=starts),
        ends_at=now + dt.timedelta(hours=ends), reference="Quyết định số 12/QĐ-UBND", recorded_by=world.users["admin"],
        revoked_at=now if revoked else None)


def test_the_officer_is_told_who_decides(world, open_case):
    case = open_case()
    scenario.to_submitted_plan(world, case)
    with pytest.raises(PermissionDenied) as refused:
        plans.plan_approve(actor=world.users["officer_a"], case_id=case.pk, decision_no="05")
    assert "chairperson of the People's Committee of the commune responsible" in str(refused.value)


def test_a_deputy_without_a_live_delegation_does_not_decide(world, open_case):
    case = open_case()
    scenario.to_submitted_plan(world, case)
    for kwargs in (None, dict(starts=-48, ends=-24), dict(starts=2, ends=24), dict(revoked=True)):
        if kwargs is not None:
            Delegation.objects.all().delete()
            delegate(world, **kwargs)
        forget_assignments(world.users["deputy_a"])
        with pytest.raises(PermissionDenied):
            plans.plan_approve(actor=world.users["deputy_a"], case_id=case.pk, decision_no="05")


def test_a_deputy_under_a_recorded_delegation_decides_and_the_timeline_names_it(world, open_case):
    case = open_case()
    scenario.to_submitted_plan(world, case)
    delegation = delegate(world)
    plans.plan_approve(actor=world.users["deputy_a"], case_id=case.pk, decision_no="05/QĐ-UBND")
    event = CaseEvent.objects.get(case=case, type=E.PLAN_APPROVED)
    assert event.data["delegation"] == delegation.pk
    assert event.data["delegation_ref"] == "Quyết định số 12/QĐ-UBND"
    assert event.actor == world.users["deputy_a"]


def test_a_delegation_for_another_commune_gives_nothing(world, open_case):
    case = open_case()
    scenario.to_submitted_plan(world, case)
    Delegation.objects.create(delegate=world.users["deputy_a"], commune=world.areas["b"],
                              starts_at=timezone.now() - dt.timedelta(hours=1),
                              ends_at=timezone.now() + dt.timedelta(hours=1), reference="x",
                              recorded_by=world.users["admin"])
    with pytest.raises(PermissionDenied):
        plans.plan_approve(actor=world.users["deputy_a"], case_id=case.pk, decision_no="05")


def test_capabilities_ticked_on_another_role_decide_nothing(world, open_case):
    """Even written straight into the table, past the admin form."""
    officer_role = Role.objects.get(code=RoleCode.OFFICER)
    officer_role.capabilities = [*officer_role.capabilities, C.PLAN_DECIDE]
    officer_role.save()
    forget_assignments(world.users["officer_a"])
    case = open_case()
    scenario.to_submitted_plan(world, case)
    with pytest.raises(PermissionDenied):
        plans.plan_approve(actor=world.users["officer_a"], case_id=case.pk, decision_no="05")


def test_the_admin_cannot_give_the_decisions_to_another_role(world):
    officer_role = Role.objects.get(code=RoleCode.OFFICER)
    form = RoleForm(instance=officer_role, data={"code": officer_role.code, "scope": officer_role.scope,
                                                 "capabilities": [*officer_role.capabilities, C.ISOLATION_DECIDE]})
    assert not form.is_valid()
    assert "Only the commune chairperson decides this" in str(form.errors["capabilities"])
    chair_role = Role.objects.get(code=RoleCode.CHAIR)
    assert RoleForm(instance=chair_role, data={"code": chair_role.code, "scope": chair_role.scope,
                                               "capabilities": chair_role.capabilities}).is_valid()


def test_a_chairperson_assignment_sits_on_a_commune_only(world):
    chair_role = Role.objects.get(code=RoleCode.CHAIR)
    for key in ("p1", "a_v1"):
        assignment = RoleAssignment(user=world.users["chair_a"], role=chair_role, organisation=world.orgs["a.committee"],
                                    area=world.areas[key])
        with pytest.raises(DjangoValidationError):
            assignment.clean()


def test_a_chairperson_assigned_above_the_commune_decides_nothing(world, open_case):
    """Assigned on the province node (past ``clean``): the art. 28.4 chairperson is the commune's."""
    case = open_case()
    scenario.to_submitted_plan(world, case)
    RoleAssignment.objects.filter(user=world.users["chair_a"]).update(area=world.areas["p1"])
    forget_assignments(world.users["chair_a"])
    with pytest.raises(PermissionDenied):
        plans.plan_approve(actor=world.users["chair_a"], case_id=case.pk, decision_no="05")


def test_the_chairperson_of_the_residence_commune_does_not_decide(world, open_case):
    """The child lives in B, the report was made in A: A's chairperson decides until a transfer."""
    case = open_case(child=scenario_child(world, residence="b"))
    scenario.to_submitted_plan(world, case)
    with pytest.raises(PermissionDenied):
        plans.plan_approve(actor=world.users["chair_b"], case_id=case.pk, decision_no="05")
    plans.plan_approve(actor=world.users["chair_a"], case_id=case.pk, decision_no="05")


def scenario_child(world, residence):
    from casework.services.intake import ChildInput

    return ChildInput(full_name="Lê Văn Bình", date_of_birth=dt.date(2015, 1, 2), sex="male",
                      residence_commune_id=world.areas[residence].pk)


def test_delegation_rules(world):
    now = timezone.now()
    bad = Delegation(delegate=world.users["officer_a"], commune=world.areas["p1"], starts_at=now, ends_at=now,
                     reference="x", recorded_by=world.users["admin"])
    with pytest.raises(DjangoValidationError) as refused:
        bad.clean()
    assert set(refused.value.message_dict) == {"ends_at", "commune", "delegate"}
    Delegation(delegate=world.users["deputy_a"], commune=world.areas["a"], starts_at=now,
               ends_at=now + dt.timedelta(days=1), reference="x", recorded_by=world.users["admin"]).clean()
