"""The permission matrix: every route × every persona × in area / out of area / granted /
grant expired, against one case of commune A. Generated from the URL conf and the API schema.

The case (built once per test): reported by counsellor_a in commune A; in its emergency phase with
an emergency measure and an isolation order for the police of A; a task referred to the police of
A; a pending transfer to commune C; shared with officer_b (live grant) and with police_b (expired).
Each request runs in a savepoint that is rolled back, so every persona meets the same case.
"""

import datetime as dt
import re

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from rest_framework.test import APIClient

from casework.services import emergency, grants, lifecycle, tasks, transfers
from permissions.models import CaseUserObjectPermission
from permissions.roles import Capability as C
from tests.api.helpers import report_payload

from .routes import API, OPENERS, Route, routes_of

PERSONAS = ["counsellor_a", "officer_a", "chair_a", "police_a", "health_a", "justice_a", "village_a",
            "counsellor_b", "officer_b", "chair_b", "police_b", "officer_c", "chair_c", "provider_p1",
            "supervisor_p1", "supervisor_p2", "hotline", "admin"]
# Who sees the case, and why — the policy of DOMAIN.md §1 written out, not computed.
SEES = {
    "counsellor_a": "reported it", "officer_a": "responsible commune", "chair_a": "responsible commune",
    "police_a": "holds a task and an emergency measure", "supervisor_p1": "province P1",
    "officer_c": "receiving commune of the pending transfer", "chair_c": "receiving commune",
    "supervisor_p2": "province P2 holds the receiving commune", "officer_b": "live grant",
}
# Who knows who the child is: the reporter, the responsible commune, the body holding a task,
# and the commune the child is moving to. Everyone else gets initials and age, on every route.
KNOWS = {"counsellor_a", "officer_a", "chair_a", "police_a", "officer_c", "chair_c"}
# Who holds which capability on this case (DEFAULT_ROLES applied to the case's situation).
HOLDS = {
    "officer_a": {C.CASE_VERIFY, C.CASE_ASSESS, C.CASE_DECLARE_EMERGENCY, C.EMERGENCY_RECORD, C.CASE_LEVEL,
                  C.PLAN_DRAFT, C.TASK_ASSIGN, C.CASE_NOT_ELIGIBLE, C.CASE_REOPEN, C.CASE_TRANSFER, C.CASE_SHARE},
    "chair_a": {C.CASE_DECLARE_EMERGENCY, C.EMERGENCY_ORDER, C.ISOLATION_DECIDE, C.CASE_LEVEL, C.PLAN_DECIDE,
                C.CASE_REOPEN, C.CASE_AUDIT, C.CASE_SHARE},
    "police_a": {C.EMERGENCY_RECORD, C.TASK_ACT},
    "counsellor_a": {C.TASK_ACT},
    "supervisor_p1": {C.CASE_AUDIT, C.BREAK_GLASS},
    # supervisor_p2 and the officers of C see the case (pending transfer) but audit or act on nothing.
}


def walk(resolver, prefix=""):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            yield from walk(p, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p.name


def api_routes():
    return {name: path for path, name in walk(get_resolver()) if path.startswith("api/") and name}


def test_every_api_route_is_declared():
    undeclared = sorted(set(api_routes()) - set(API))
    assert not undeclared, f"declare these routes in tests/permissions/routes.py: {undeclared}"
    assert not set(API) - set(api_routes()), "routes.py names routes that no longer exist"


def test_every_schema_operation_is_a_declared_route(db):
    schema = APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    declared = {re.sub(r"<\w+:(\w+)>", r"{\1}", "/" + path) for name, path in api_routes().items() if name in API}
    for path, operations in schema["paths"].items():
        assert path in declared, path
        for method in operations:
            if method in ("get", "post", "put", "patch", "delete"):
                name = next(n for n, p in api_routes().items() if re.sub(r"<\w+:(\w+)>", r"{\1}", "/" + p) == path)
                assert method in {r.method for r in routes_of(API[name])}, (path, method)


@pytest.fixture
def matrix_case(world, open_case):
    u = world.users
    case = open_case("counsellor_a", urgent=True, caregiver_is_abuser=True)
    lifecycle.case_emergency_declare(actor=u["officer_a"], case_id=case.pk, reason="Serious harm")
    measure = emergency.emergency_measure_order(actor=u["chair_a"], case_id=case.pk, kind="stop_act",
                                                organisation_id=world.orgs["a.police"].pk)
    order = emergency.isolation_issue(actor=u["chair_a"], case_id=case.pk, decision_no="07/1", days=5,
                                      placement="Grandmother")
    task = tasks.task_assign(actor=u["officer_a"], case_id=case.pk, organisation_id=world.orgs["a.police"].pk,
                             title="Keep the father away")
    transfer = transfers.transfer_request(actor=u["officer_a"], case_id=case.pk,
                                          to_commune_id=world.areas["c"].pk, reason="Family moving to C")
    [grant] = grants.grant_give(actor=u["chair_a"], case_id=case.pk, user_id=u["officer_b"].pk, days=3,
                                purpose="Prepare support in B")
    [expired] = grants.grant_give(actor=u["chair_a"], case_id=case.pk, user_id=u["police_b"].pk, days=1,
                                  purpose="Old inquiry")
    CaseUserObjectPermission.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1))
    ids = {"case_id": case.pk, "measure_id": measure.pk, "order_id": order.pk, "task_id": task.pk,
           "transfer_id": transfer.pk, "grant_id": grant.pk, "report_id": case.pk}
    return case, ids


def fill(value, world):
    if isinstance(value, list):
        return [fill(v, world) for v in value]
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        kind, key = value[1:-1].split(":")
        return {"org": world.orgs, "area": world.areas, "user": world.users}[kind][key].pk
    return value


def expected(route: Route, who: str, case_route: bool) -> set[int] | str:
    if route.kind == "integration":
        return {401, 403}
    if route.kind == "anon" or (route.kind == "user" and not case_route):
        return "ok"
    if route.kind == "open":
        return "ok" if who in OPENERS else {403}
    if who not in SEES:
        return {404}
    if route.kind in ("read", "status"):
        return "ok"
    holds = route.capability in HOLDS.get(who, set())
    if route.only:
        holds = who in route.only
    return "ok" if holds else {403}


def test_api_matrix(world, matrix_case):
    case, ids = matrix_case
    paths = api_routes()
    failures = []
    identity = [case.child.full_name, case.child.address, case.child.parents]
    for name, route in [(n, r) for n, entry in sorted(API.items()) for r in routes_of(entry) if r.kind != "own"]:
        path = paths[name]
        case_route = "<int:case_id>" in path
        url = "/" + re.sub(r"<int:(\w+)>", lambda m: str(ids[m.group(1)]), path)
        body = report_payload(world) if route.body.get("__intake__") else {
            k: fill(v, world) for k, v in route.body.items()}
        for who in PERSONAS:
            client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
            client.force_authenticate(world.users[who])
            with transaction.atomic():
                response = getattr(client, route.method)(url, body, format="json") if route.method == "post" \
                    else client.get(url)
                transaction.set_rollback(True)
            want = expected(route, who, case_route)
            got = response.status_code
            if want == "ok":
                ok = got < 500 and got not in (401, 403, 404) and not (route.kind == "anon" and got == 405)
                if route.kind == "anon" and name == "token":
                    ok = got == 400    # wrong credentials, but the route answers everyone
            else:
                ok = got in want
            if not ok:
                failures.append(f"{name} {who}: got {got}, want {want} ({response.content[:120]!r})")
            if name == "case" and who in KNOWS and identity[0].encode() not in response.content:
                failures.append(f"case {who}: the file should show the child's name (positive control)")
            if who not in KNOWS and route.kind != "open":
                for secret in identity:
                    if secret.encode() in response.content:
                        failures.append(f"{name} {who}: response contains the child's {secret!r}")
    assert not failures, "\n".join(failures)


def test_out_of_area_gets_404_on_every_case_route_even_for_a_missing_case(world, matrix_case):
    """A case of commune A and a case id that does not exist answer commune B identically."""
    case, ids = matrix_case
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(world.users["chair_b"])
    for name, path in api_routes().items():
        if "<int:case_id>" not in path:
            continue
        for route in routes_of(API[name]):
            body = {k: fill(v, world) for k, v in route.body.items()}
            answers = []
            for case_id in (case.pk, 987654):
                url = "/" + re.sub(r"<int:(\w+)>", lambda m: str({**ids, "case_id": case_id}[m.group(1)]), path)
                with transaction.atomic():
                    r = client.post(url, body, format="json") if route.method == "post" else client.get(url)
                    transaction.set_rollback(True)
                answers.append((r.status_code, r.content))
            assert answers[0] == answers[1], name
            assert answers[0][0] == 404, name
