"""Sign-in: strong passwords, lockout, second factor for deciding roles, idle expiry, records."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from permissions.models import AuthEvent

PASSWORD = "Strong-pass-2026!"


@pytest.fixture
def people(world):
    for who in ("officer_a", "chair_a", "supervisor_p1"):
        world.users[who].set_password(PASSWORD)
        world.users[who].save()
    return world


def current_code(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_weak_passwords_are_refused():
    for weak in ("12345678901", "password123", "short1!"):
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("Mưa-rơi-trên-mái-2026")


def test_login_logout_and_failure_are_recorded(client, people):
    assert not client.login(username="officer_a", password="wrong")
    assert client.login(username="officer_a", password=PASSWORD)
    client.logout()
    kinds = list(AuthEvent.objects.order_by("pk").values_list("kind", "username"))
    assert kinds == [("login_failed", "officer_a"), ("login", "officer_a"), ("logout", "officer_a")]
    # The wrong password itself is never stored anywhere in the record.
    assert "wrong" not in str(list(AuthEvent.objects.values()))


def test_five_failures_lock_the_account(client, people):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/admin/login/", {"username": "officer_a", "password": "nope"})
    # Even the right password is refused now, on every path that carries a request.
    response = client.post("/admin/login/", {"username": "officer_a", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert AuthEvent.objects.filter(kind="locked_out", username="officer_a").exists()


def test_chairperson_must_pass_the_second_factor(client, people):
    assert client.login(username="chair_a", password=PASSWORD)
    response = client.get("/api/cases/")
    assert response.status_code == 403 and response.json()["code"] == "second_factor_required"
    page = client.get("/admin/")
    assert page.status_code == 302 and page["Location"].startswith("/account/two-factor/")
    setup = client.get("/account/two-factor/")
    assert setup.status_code == 200 and b"<svg" in setup.content   # QR code to register the app
    device = TOTPDevice.objects.get(user=people.users["chair_a"])
    wrong = client.post("/account/two-factor/", {"code": "000000" if current_code(device) != "000000" else "111111"})
    assert wrong.status_code == 200 and not TOTPDevice.objects.get(pk=device.pk).confirmed
    # django-otp throttles after a wrong code (1 s, then doubling): the user tries again later.
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=5)):
        device.refresh_from_db()
        ok = client.post("/account/two-factor/", {"code": current_code(device), "next": "/api/cases/"})
        assert ok.status_code == 302 and ok["Location"] == "/api/cases/"
        assert client.get("/api/cases/").status_code == 200
    assert set(AuthEvent.objects.values_list("kind", flat=True)) >= {"otp_failed", "otp_device_added", "otp_verified"}


def test_officer_needs_no_second_factor(client, people):
    assert client.login(username="officer_a", password=PASSWORD)
    assert client.get("/api/cases/").status_code == 200


def test_open_redirect_is_refused_after_second_factor(client, people):
    client.login(username="supervisor_p1", password=PASSWORD)
    client.get("/account/two-factor/")
    device = TOTPDevice.objects.get(user=people.users["supervisor_p1"])
    response = client.post("/account/two-factor/", {"code": current_code(device), "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_sessions_expire_after_inactivity():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    # The expiry slides without a write per request (config.middleware.IdleSessionMiddleware).
    assert not settings.SESSION_SAVE_EVERY_REQUEST and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert "config.middleware.IdleSessionMiddleware" in settings.MIDDLEWARE


def test_demo_second_factor_code_lets_the_chair_in(client, world):
    from io import StringIO

    from django.core.management import call_command

    from casework.management.commands.load_demo import Command as LoadDemo

    LoadDemo().demo_second_factors(world)
    out = StringIO()
    call_command("demo_code", "chair_a", stdout=out)
    world.users["chair_a"].set_password(PASSWORD)
    world.users["chair_a"].save()
    client.login(username="chair_a", password=PASSWORD)
    response = client.post("/account/two-factor/", {"code": out.getvalue().strip()})
    assert response.status_code == 302
    assert client.get("/api/me/").status_code == 200
