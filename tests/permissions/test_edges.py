"""The corners of permissions/: anonymous users, odd ids, administrators, role data checks."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from casework.errors import CaseNotFound
from permissions.access import access_case_by_id, case_access, case_queryset_for
from permissions.auth import needs_second_factor
from permissions.models import Role, RoleAssignment


def test_anonymous_sees_nothing(world, open_case):
    case = open_case()
    assert not case_queryset_for(AnonymousUser()).exists()
    assert case_access(AnonymousUser(), case).caps == frozenset()
    assert not needs_second_factor(AnonymousUser())


@pytest.mark.parametrize("bad_id", ["abc", None, "1; DROP TABLE", 10**12])
def test_odd_ids_are_just_not_found(world, bad_id):
    with pytest.raises(CaseNotFound):
        access_case_by_id(world.users["officer_a"], bad_id)


def test_administrator_role_reaches_no_case(world, open_case):
    case = open_case()
    admin_role = Role.objects.get(code="administrator")
    user = world.users["officer_c"]
    RoleAssignment.objects.create(user=user, role=admin_role, organisation=world.orgs["a.committee"],
                                  area=world.areas["a"])
    user.__dict__.pop("_casework_assignments", None)
    assert case_access(user, case).caps == frozenset()
    assert needs_second_factor(user)
    assert needs_second_factor(world.users["admin"])      # staff


def test_role_refuses_unknown_capabilities(db):
    role = Role(code="chairperson", scope="area", capabilities=["plan.decide", "launch.missiles"])
    with pytest.raises(ValidationError) as refused:
        role.clean()
    assert "launch.missiles" in str(refused.value)
    assert str(Role.objects.get(code="chairperson"))


def test_assignment_area_must_fit_the_organisation(world):
    role = Role.objects.get(code="commune_officer")
    wrong = RoleAssignment(user=world.users["officer_a"], role=role, organisation=world.orgs["a.committee"],
                           area=world.areas["c"])
    with pytest.raises(ValidationError):
        wrong.clean()
    right = RoleAssignment.objects.get(user=world.users["officer_a"])
    right.clean()
    assert "officer_a" in str(right)


def test_second_login_verifies_an_existing_device(client, world):
    user = world.users["chair_a"]
    user.set_password("Strong-pass-2026!")
    user.save()
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client.login(username="chair_a", password="Strong-pass-2026!")
    page = client.get("/account/two-factor/")
    assert page.status_code == 200 and b"<svg" not in page.content   # no QR once registered
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    assert client.post("/account/two-factor/", {"code": code}).status_code == 302
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_a_role_without_scope_sees_nothing_even_with_view(world, open_case):
    case = open_case()
    odd = Role.objects.get(code="administrator")
    odd.capabilities = ["case.view"]
    odd.save()
    user = world.users["officer_c"]
    RoleAssignment.objects.create(user=user, role=odd, organisation=world.orgs["a.committee"], area=world.areas["a"])
    user.__dict__.pop("_casework_assignments", None)
    assert not case_queryset_for(user).filter(pk=case.pk).exists()
    Role(code="supervisor", scope="area", capabilities=["case.view"]).clean()  # known capabilities pass


def test_grant_to_someone_who_already_sees_adds_nothing(world, open_case):
    from casework.services import grants

    case = open_case()
    grants.grant_give(actor=world.users["chair_a"], case_id=case.pk, user_id=world.users["officer_a"].pk, days=1,
                      purpose="redundant", identity=True)
    access = access_case_by_id(world.users["officer_a"], case.pk)
    assert access.granted == {}


def test_anonymous_logout_and_sign_in_records_are_append_only(client, db):
    from django.contrib.auth import logout
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import RequestFactory

    from permissions.models import AuthEvent

    request = RequestFactory().post("/logout/")
    request.user, request.session = AnonymousUser(), SessionStore()
    logout(request)   # Django signals a logout with no user: nothing to record
    assert not AuthEvent.objects.exists()
    event = AuthEvent.objects.create(kind="login", username="x")
    with pytest.raises(RuntimeError):
        event.save()


def test_an_expired_token_is_replaced_when_asked_again(world):
    import datetime as dt

    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from permissions.tokens import token_for

    old = token_for(world.users["officer_a"])
    Token.objects.filter(pk=old.pk).update(created=timezone.now() - dt.timedelta(days=2))
    new = token_for(world.users["officer_a"])
    assert new.key != old.key and Token.objects.filter(user=world.users["officer_a"]).count() == 1
    assert token_for(world.users["officer_a"]).key == new.key
