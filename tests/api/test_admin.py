"""The admin holds reference data, roles and who holds them; never case data."""

import pytest
from django.contrib import admin
from django_otp.plugins.otp_totp.models import TOTPDevice

from casework.models import Case, CaseEvent, Child, Intake
from notifications.models import Notification
from permissions.models import Role, RoleAssignment
from permissions.roles import Capability, RoleCode


@pytest.fixture
def staff(client, world):
    """The administrator, signed in with the second factor the admin requires."""
    user = world.users["admin"]
    client.force_login(user)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


def test_case_data_is_not_in_the_admin():
    for model in (Case, Child, Intake, CaseEvent):
        assert not admin.site.is_registered(model), model


@pytest.mark.parametrize("path", [
    "/admin/casework/area/", "/admin/casework/area/?q=26734", "/admin/casework/organisation/",
    "/admin/casework/term/?kind__exact=measure", "/admin/permissions/role/", "/admin/permissions/roleassignment/",
    "/admin/notifications/notification/", "/admin/casework/area/add/", "/admin/permissions/role/add/",
])
def test_reference_pages_load(staff, path):
    assert staff.get(path).status_code == 200


def test_case_pages_do_not_exist(staff):
    assert staff.get("/admin/casework/case/").status_code == 404
    assert staff.get("/admin/casework/child/").status_code == 404


def test_role_capabilities_are_ticked_from_the_known_list(staff):
    role = Role.objects.get(code=RoleCode.JUSTICE)
    page = staff.get(f"/admin/permissions/role/{role.pk}/change/")
    assert page.status_code == 200
    assert b'type="checkbox" name="capabilities" value="identity.view"' in page.content
    response = staff.post(f"/admin/permissions/role/{role.pk}/change/", {
        "code": role.code, "scope": role.scope,
        "capabilities": [Capability.TASK_ACT, Capability.CASE_VIEW],
    })
    assert response.status_code == 302, response.content
    role.refresh_from_db()
    # Stored in the order of the list, whatever the order of the ticks.
    assert role.capabilities == [Capability.CASE_VIEW, Capability.TASK_ACT]
    refused = staff.post(f"/admin/permissions/role/{role.pk}/change/", {
        "code": role.code, "scope": role.scope, "capabilities": ["case.delete_everything"]})
    assert refused.status_code == 200  # the form comes back with an error
    role.refresh_from_db()
    assert "case.delete_everything" not in role.capabilities


def test_user_page_edits_role_assignments_inline(staff, world):
    user = world.users["officer_a"]
    page = staff.get(f"/admin/auth/user/{user.pk}/change/")
    assert page.status_code == 200
    assert b"role_assignments-TOTAL_FORMS" in page.content
    assert RoleAssignment.objects.filter(user=user).count() == 1


def test_area_code_and_place_are_fixed_once_created(staff, world):
    area = world.areas["a"]
    page = staff.get(f"/admin/casework/area/{area.pk}/change/")
    assert b'name="code"' not in page.content and b'name="parent"' not in page.content
    assert b'name="valid_to"' in page.content


def test_notifications_are_read_only(staff, world, open_case):
    case = open_case()
    Notification.objects.create(recipient=world.users["officer_a"], event=case.events.first())
    assert staff.get("/admin/notifications/notification/").status_code == 200
    assert staff.get("/admin/notifications/notification/add/").status_code == 403
