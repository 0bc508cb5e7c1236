"""The OpenAPI document and its readers, and token authentication."""

import datetime as dt
import re

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

from casework.api.views import WRITES
from permissions.models import AuthEvent

PASSWORD = "Strong-pass-2026!"


def test_schema_is_valid_openapi_3_with_every_route(api):
    response = api("officer_a").get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)  # raises on an invalid document
    operations = {op["operationId"]: (path, op) for path, item in schema["paths"].items() for op in item.values()}
    for write in WRITES:
        path, op = operations["cases_" + write.name.replace("-", "_")]
        assert path.startswith("/api/cases/{case_id}/")
        # Each write shows its own request body and the documented errors.
        assert op["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        assert {"400", "403", "404", "409"} <= set(op["responses"])
    for name in ["cases_list", "cases_open", "cases_retrieve", "cases_timeline", "cases_clocks", "me",
                 "reference_areas", "reference_organisations", "reference_terms", "auth_token"]:
        assert name in operations
    assert set(schema["components"]["securitySchemes"]) == {"cookieAuth", "tokenAuth", "integrationApiKey"}


def test_schema_is_served_to_anonymous_clients_too():
    assert APIClient().get("/api/schema/").status_code == 200


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_docs_pages_load_nothing_from_outside(api, path):
    response = api("officer_a").get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert "http://" not in html and "https://" not in html and "//cdn" not in html
    # Static assets, or the page's own start-up script (Swagger's split view: no inline script).
    assets = [url for url in re.findall(r'(?:src|href)="([^"]+)"', html) if url not in (f"{path}?script", f"{path}?script=")]
    assert assets and all(url.startswith(settings.STATIC_URL if settings.STATIC_URL.startswith("/")
                                         else "/" + settings.STATIC_URL) for url in assets)
    assert "<script>" not in html   # nothing inline: the Content-Security-Policy forbids it


@pytest.fixture
def with_passwords(world):
    for who in ("officer_a", "chair_a"):
        world.users[who].set_password(PASSWORD)
        world.users[who].save()
    return world


def test_token_from_username_and_password(with_passwords):
    client = APIClient()
    response = client.post("/api/auth/token/", {"username": "officer_a", "password": PASSWORD})
    assert response.status_code == 200
    token = response.json()["token"]
    assert AuthEvent.objects.filter(kind=AuthEvent.Kind.TOKEN_ISSUED, username="officer_a").exists()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/me/").json()["username"] == "officer_a"
    # JSON works as well as a form, and gives the same token.
    again = APIClient().post("/api/auth/token/", {"username": "officer_a", "password": PASSWORD}, format="json")
    assert again.json()["token"] == token


def test_wrong_password_is_a_400_and_five_lock_the_account(with_passwords):
    client = APIClient()
    wrong = client.post("/api/auth/token/", {"username": "officer_a", "password": "nope"})
    assert wrong.status_code == 400 and "non_field_errors" in wrong.json()["errors"]
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post("/api/auth/token/", {"username": "officer_a", "password": "nope"})
    locked = client.post("/api/auth/token/", {"username": "officer_a", "password": PASSWORD})
    assert locked.status_code == 429 and locked.json()["code"] == "locked_out"
    assert not AuthEvent.objects.filter(kind=AuthEvent.Kind.TOKEN_ISSUED).exists()


def test_a_token_needs_the_second_factor_where_the_pages_do(with_passwords):
    client = APIClient()
    chair = with_passwords.users["chair_a"]
    no_app = client.post("/api/auth/token/", {"username": "chair_a", "password": PASSWORD})
    assert no_app.status_code == 400 and "otp_code" in no_app.json()["errors"]
    device = TOTPDevice.objects.create(user=chair, name="phone", confirmed=True)
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    no_code = client.post("/api/auth/token/", {"username": "chair_a", "password": PASSWORD})
    assert no_code.status_code == 400 and "otp_code" in no_code.json()["errors"]
    wrong = client.post("/api/auth/token/", {"username": "chair_a", "password": PASSWORD,
                                             "otp_code": "000000" if code != "000000" else "111111"})
    assert wrong.status_code == 400
    assert not AuthEvent.objects.filter(kind=AuthEvent.Kind.TOKEN_ISSUED).exists()
    # django-otp slows down guessing after a wrong code; the right one works a moment later.
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=5)):
        device.refresh_from_db()
        code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
        ok = client.post("/api/auth/token/", {"username": "chair_a", "password": PASSWORD, "otp_code": code})
    assert ok.status_code == 200, ok.content
    assert set(AuthEvent.objects.filter(user=chair).values_list("kind", flat=True)) >= {
        AuthEvent.Kind.OTP_FAILED, AuthEvent.Kind.OTP_VERIFIED, AuthEvent.Kind.TOKEN_ISSUED}


def test_session_clients_need_csrf_on_writes(world, with_passwords):
    client = APIClient(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    assert client.login(username="officer_a", password=PASSWORD)
    assert client.get("/api/cases/").status_code == 200
    refused = client.post("/api/cases/", {}, format="json")
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
