"""A database outage and a read-only database (issue 13, item 5): answers a person or a client
can act on, nothing half-written. The faults are real: a connection to a port where nothing
listens, and PostgreSQL's ``default_transaction_read_only``."""

import socket

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from casework.models import Case, CaseEvent
from config.faults import database_fault


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def database_down():
    """Point the connection at a port nobody listens on, until the test ends."""
    def down():
        connection.close()
        connection.settings_dict["PORT"] = str(_free_port())
    saved = dict(connection.settings_dict)
    yield down
    connection.close()
    connection.settings_dict.update(saved)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_outage_answers_503_json_on_the_api_and_a_vietnamese_page(world, open_case, database_down):
    case = open_case()
    api = APIClient()
    api.force_authenticate(world.users["officer_a"])
    page = Client(raise_request_exception=False)
    page.force_login(world.users["officer_a"])
    database_down()
    for answer in (api.get("/api/cases/"), api.post(f"/api/cases/{case.pk}/actions/start-verification/")):
        assert answer.status_code == 503 and answer["Content-Type"] == "application/json"
        assert answer.json()["code"] == "database_unavailable" and int(answer["Retry-After"]) > 0
    shown = page.get("/cases/")
    assert shown.status_code == 503 and int(shown["Retry-After"]) > 0 and shown["Cache-Control"] == "no-store"
    assert "Vui lòng thử lại sau giây lát" in shown.content.decode()


@pytest.fixture
def read_only_database():
    """PostgreSQL's default_transaction_read_only on the test database, for new connections."""
    name = connection.settings_dict["NAME"]

    def on():
        with connection.cursor() as cursor:
            cursor.execute(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')
        connection.close()
    yield on
    connection.close()
    with connection.cursor() as cursor:
        cursor.execute("SET default_transaction_read_only = off")
        cursor.execute(f'ALTER DATABASE "{name}" RESET default_transaction_read_only')
    connection.close()


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_read_only_database_keeps_reading_and_refuses_writes_clearly(world, open_case, read_only_database):
    case = open_case()
    events = CaseEvent.objects.filter(case=case).count()
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.force_authenticate(world.users["officer_a"])
    page = Client(raise_request_exception=False)
    page.force_login(world.users["officer_a"])
    read_only_database()
    # Reading: the work list, the case page, the API.
    assert page.get("/cases/").status_code == 200
    assert page.get(f"/cases/{case.pk}/").status_code == 200
    assert api.get(f"/api/cases/{case.pk}/timeline/").status_code == 200
    # A read that must be logged (the API's case file shows the identity) fails closed, saying so.
    logged_read = api.get(f"/api/cases/{case.pk}/")
    assert logged_read.status_code == 503 and "must be recorded" in logged_read.json()["detail"]
    # Writing: refused, in the error model, and nothing is half-written.
    refused = api.post(f"/api/cases/{case.pk}/actions/start-verification/")
    assert refused.status_code == 503 and refused.json()["code"] == "read_only"
    assert "nothing was saved" in refused.json()["detail"]
    shown = page.post(f"/cases/{case.pk}/act/verification_start/", {"version": case.version})
    assert shown.status_code == 503 and "chỉ đọc" in shown.content.decode()
    assert CaseEvent.objects.filter(case=case).count() == events
    assert Case.objects.get(pk=case.pk).status == case.status


@pytest.mark.django_db
def test_a_signed_in_page_does_not_write_the_session_each_time(client, world):
    client.force_login(world.users["officer_a"])
    client.get("/cases/")      # the first request may refresh the expiry
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/cases/").status_code == 200
    writes = [q["sql"] for q in queries if "django_session" in q["sql"] and not q["sql"].lstrip().upper().startswith("SELECT")]
    assert writes == []


def test_faults_are_told_apart():
    from django.db import IntegrityError, InterfaceError, InternalError, OperationalError

    class ReadOnly(Exception):
        sqlstate = "25006"

    wrapped = InternalError("cannot execute INSERT")
    wrapped.__cause__ = ReadOnly()
    assert database_fault(wrapped) == "read_only"
    assert database_fault(OperationalError("attempt to write a readonly database")) == "read_only"
    assert database_fault(OperationalError("connection refused")) == "unavailable"
    assert database_fault(InterfaceError("connection already closed")) == "unavailable"
    assert database_fault(IntegrityError("duplicate key")) is None
    assert database_fault(ValueError("x")) is None
