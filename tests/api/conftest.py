import pytest
from rest_framework.test import APIClient

from .helpers import report_payload


@pytest.fixture
def api(world):
    """``api("officer_a")`` → an APIClient authenticated as that persona (``api(None)``: anonymous).

    It asks for English, so tests can compare messages; Vietnamese (the default) is tested apart.
    """
    clients = {}

    def client(username):
        if username not in clients:
            c = APIClient(HTTP_ACCEPT_LANGUAGE="en")
            if username is not None:
                c.force_authenticate(world.users[username])
            clients[username] = c
        return clients[username]

    return client


@pytest.fixture
def report(world):
    return lambda **overrides: report_payload(world, **overrides)


@pytest.fixture
def reported_case(api, report):
    """A case opened through the API by counsellor_a; returns its id."""

    def make(who="counsellor_a", **overrides):
        response = api(who).post("/api/cases/", report(**overrides), format="json")
        assert response.status_code == 201, response.content
        return response.json()["id"]

    return make
