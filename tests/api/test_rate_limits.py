"""Per-client rate limits (issue 12, item 5; docs/api.md "Limits"): past its rate a client gets
429 in the error model with Retry-After, in Vietnamese by default; other clients are not slowed
down; integrations have a bucket per credential."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def low_limits(settings):
    settings.API_RATE_LIMITS = {"user": "3/min", "anon": "2/min", "integration": "2/min"}


def test_a_user_past_the_rate_gets_429_in_the_error_model_and_others_are_not_slowed(api, low_limits):
    officer = api("officer_a")
    assert [officer.get("/api/cases/").status_code for _ in range(3)] == [200, 200, 200]
    refused = officer.get("/api/cases/")
    assert refused.status_code == 429
    assert refused.json() == {"detail": refused.json()["detail"], "code": "throttled", "errors": {}}
    assert "Retry-After" in refused.json()["detail"]
    assert 1 <= int(refused["Retry-After"]) <= 60
    # Another officer has a bucket of their own.
    assert api("officer_b").get("/api/cases/").status_code == 200


def test_the_429_speaks_vietnamese_by_default(world, low_limits):
    client = APIClient()
    client.force_authenticate(world.users["officer_a"])
    for _ in range(3):
        client.get("/api/cases/")
    refused = client.get("/api/cases/")
    assert refused.status_code == 429 and "Quá nhiều yêu cầu" in refused.json()["detail"]


def test_anonymous_callers_are_limited_by_address(low_limits):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    codes = [client.post("/api/auth/token/", {"username": "x", "password": "y"}, format="json").status_code
             for _ in range(3)]
    assert codes == [400, 400, 429]


def test_the_schema_documents_the_429_on_every_operation(api):
    schema = api("officer_a").get("/api/schema/?format=json").json()
    operations = [op for path in schema["paths"].values() for op in path.values() if isinstance(op, dict)]
    assert operations and all("429" in op["responses"] for op in operations)
