"""The chairperson's decisions (issue 8, item 2), rule by rule: only the chairperson role of the
case's commune, or a deputy under a live delegation; never an organisation role, whatever its
row says; the admin records who delegated and never deletes a delegation."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.utils import timezone

from permissions.access import body_access, forget_assignments
from permissions.models import Delegation, Role
from permissions.roles import DECISION_CAPABILITIES, RoleCode
from permissions.roles import Capability as C


def test_an_organisation_role_never_carries_a_decision(world, open_case):
    police = Role.objects.get(code=RoleCode.POLICE)
    police.capabilities = [*police.capabilities, C.EMERGENCY_ORDER]
    police.save()
    forget_assignments(world.users["police_a"])
    case = open_case("police_a")
    assert not body_access(world.users["police_a"], case).caps & DECISION_CAPABILITIES


def test_the_migration_takes_decisions_off_other_roles(db):
    migration = importlib.import_module("permissions.migrations.0008_deputy_chair_delegation")
    officer = Role.objects.get(code=RoleCode.OFFICER)
    officer.capabilities = [*officer.capabilities, C.PLAN_DECIDE, C.ISOLATION_DECIDE]
    officer.save()
    migration.forward(apps, None)
    officer.refresh_from_db()
    assert not set(officer.capabilities) & DECISION_CAPABILITIES
    assert C.PLAN_DECIDE in Role.objects.get(code=RoleCode.CHAIR).capabilities
    assert Role.objects.filter(code=RoleCode.DEPUTY_CHAIR).exists()


def test_the_admin_records_who_delegated_and_keeps_every_delegation(world):
    admin = site._registry[Delegation]
    request = RequestFactory().post("/admin/")
    request.user = world.users["admin"]
    now = timezone.now()
    delegation = Delegation(delegate=world.users["deputy_a"], commune=world.areas["a"], starts_at=now,
                            ends_at=now + dt.timedelta(days=7), reference="Quyết định số 9/QĐ-UBND")
    admin.save_model(request, delegation, form=None, change=False)
    assert delegation.recorded_by == world.users["admin"]
    other = world.users["chair_a"]
    request.user = other
    admin.save_model(request, delegation, form=None, change=True)
    delegation.refresh_from_db()
    assert delegation.recorded_by == world.users["admin"]
    assert not admin.has_delete_permission(request, delegation)
    assert str(delegation).startswith(f"{world.users['deputy_a']} · {world.areas['a']} · ")


@pytest.mark.parametrize("who", ["officer_a", "chair_b", "deputy_a"])
def test_only_the_commune_chairperson_holds_the_decisions_without_a_delegation(world, open_case, who):
    from permissions.access import case_access

    case = open_case()
    chair = case_access(world.users["chair_a"], case)
    assert DECISION_CAPABILITIES <= chair.caps and chair.delegation is None
    if who == "chair_b":
        return  # does not even see the case
    assert not case_access(world.users[who], case).caps & DECISION_CAPABILITIES
