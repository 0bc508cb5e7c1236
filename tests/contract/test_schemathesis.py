"""Issue 12, item 5: the whole API keeps its OpenAPI contract, property-tested by Schemathesis.

Every operation of /api/schema/ is called with generated requests — a bounded number of examples
each (CONTRACT_EXAMPLES, default 3) — as each persona with its token, through the WSGI app on the
test database. Checked: no 5xx, every status documented, every body conforming to its schema,
JSON (never HTML) under /api/. One test with one cast, so the run stays within a few minutes;
it lists every broken operation at once.
"""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from casework.demo import build_world
from config.wsgi import application
from permissions.tokens import token_for

EXAMPLES = int(os.environ.get("CONTRACT_EXAMPLES", "3"))
PERSONAS = os.environ.get("CONTRACT_PERSONAS", "officer_a,counsellor_a,chair_a,hotline,supervisor_p1").split(",")


def not_a_server_error(ctx, response, case):
    if response.status_code >= 500:
        raise AssertionError(f"{response.status_code} on {case.method} {case.formatted_path}")


def json_not_html(ctx, response, case):
    kind = response.headers.get("Content-Type", [""])
    kind = kind[0] if isinstance(kind, list) else kind
    if "html" in (kind or ""):
        raise AssertionError(f"HTML answer on {case.method} {case.formatted_path}")


CHECKS = [not_a_server_error, json_not_html, status_code_conformance, content_type_conformance,
          response_schema_conformance]


def _first_line(exc) -> str:
    text = str(exc).strip().splitlines()
    return " / ".join(line.strip() for line in text[:6] if line.strip())[:400]


@pytest.fixture
def keep_connection():
    """The raw WSGI app closes the database connection after each request (request_finished),
    which ends the test's transaction on PostgreSQL; Django's test client unhooks it the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
def test_the_whole_api_keeps_its_contract_for_every_persona(keep_connection):
    world = build_world(password=None)
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
    failures: list[str] = []
    for persona in PERSONAS:
        headers = {"Authorization": f"Token {token_for(world.users[persona]).key}"}
        for result in schema.get_all_operations():
            operation = result.ok()

            @given(case=operation.as_strategy())
            @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                      phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
            def run(case):
                case.call_and_validate(headers=headers, checks=CHECKS)

            try:
                run()
            except (Exception, BaseExceptionGroup) as exc:
                failures.append(f"{persona} {operation.method.upper()} {operation.path}: {_first_line(exc)}")
    assert not failures, f"{len(failures)} broken:\n" + "\n".join(failures)
