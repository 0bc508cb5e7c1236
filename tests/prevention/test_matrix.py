"""The prevention level under the same kind of matrix as cases: every page and API route of the
prevention app × every persona. An unseen record answers 404 exactly like a missing one, whatever
was posted; a persona who sees but may not act gets 403 and changes nothing; nobody outside KNOWS
ever gets the registry child's name, address or parents in a response."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import get_resolver
from rest_framework.test import APIClient

from prevention import services as S
from prevention.models import PreventionEvent
from tests.permissions.routes import API, WEB
from tests.permissions.test_matrix import walk
from tests.permissions.test_web_matrix import signed_in

PERSONAS = ["counsellor_a", "principal_a", "officer_a", "chair_a", "police_a", "health_a", "justice_a", "village_a",
            "counsellor_b", "officer_b", "chair_b", "police_b", "officer_c", "provider_p1", "supervisor_p1",
            "supervisor_p2", "hotline", "admin"]
# Written out, not computed (permissions/prevention.py's policy).
PREVENTION_USERS = set(PERSONAS) - {"provider_p1", "hotline", "admin"}
SEES_ISSUED = {"officer_a", "chair_a", "counsellor_a", "principal_a", "police_a", "health_a", "justice_a",
               "village_a", "supervisor_p1"}
SEES_DRAFT = {"officer_a", "chair_a"}
SEES_ACTIVITY = {"officer_a", "chair_a", "village_a", "supervisor_p1"}
READS_EVIDENCE = {"officer_a", "village_a"}
SEES_ENTRY = {"officer_a", "chair_a", "village_a", "supervisor_p1"}
KNOWS = {"officer_a", "chair_a"}
REGISTRY_USERS = {"officer_a", "chair_a", "village_a", "officer_b", "chair_b", "officer_c", "supervisor_p1",
                  "supervisor_p2"}
NAME, ADDRESS, PARENTS = "Lò Thị Mai", "Tổ 3, khu phố 1", "Mẹ: Lò Thị Hoa"


@pytest.fixture
def records(pworld, issued_plan, draft_plan):
    u, o = pworld.users, pworld.orgs
    issued = issued_plan()
    draft = draft_plan(year=issued.year_from + 1)
    activity = S.activity_record(actor=u["village_a"], data=S.ActivityInput(
        kind="home_visit", title="Thăm nhà", held_on=dt.date.today(), organiser_id=o["a_v1.village"].pk))
    evidence = S.evidence_add(actor=u["village_a"], activity_id=activity.pk,
                              upload=SimpleUploadedFile("anh.png", _png()))
    entry = S.registry_add(actor=u["officer_a"], commune_id=pworld.areas["a"].pk, village_id=pworld.areas["a_v1"].pk,
                           category="special", groups=["c"], child=S.RegistryChild(
                               full_name=NAME, date_of_birth=dt.date(2015, 4, 2), sex="female", address=ADDRESS,
                               parents=PARENTS))
    watch = S.watch_open(actor=u["officer_a"], entry_id=entry.pk, concern="Ở nhà một mình",
                         follow_up_by_id=o["a_v1.village"].pk)
    return {"issued": issued, "draft": draft, "task": issued.tasks.get(organisation=o["a.police"]),
            "target": issued.targets.get(), "activity": activity, "evidence": evidence, "entry": entry,
            "watch": watch}


def prevention_routes(prefix):
    return {name for path, name in walk(get_resolver()) if name and path.startswith(prefix)}


def test_every_prevention_route_is_declared_in_the_shared_table():
    """Declared as "own" routes (checked here, not by the case matrices)."""
    web = prevention_routes("prevention/")
    assert web and all(WEB.get(name) == "own" for name in web), web - set(WEB)
    api = prevention_routes("api/prevention/")
    assert api == {n for n in API if n.startswith("prevention-")}
    assert all(r.kind == "own" for n in api for r in (API[n] if isinstance(API[n], list) else [API[n]]))


def web_expectations(r):
    i, d, t, a, e, w = (r["issued"].pk, r["draft"].pk, r["task"].pk, r["activity"].pk, r["entry"].pk,
                        r["watch"].pk)
    # (method, url, body, {who: status}, default status)
    ok_users = dict.fromkeys(PREVENTION_USERS, 200)
    return [
        ("get", "/prevention/", {}, ok_users, 403),
        ("get", f"/prevention/plans/{i}/", {}, dict.fromkeys(SEES_ISSUED, 200), 404),
        ("get", f"/prevention/plans/{i}/print/", {}, dict.fromkeys(SEES_ISSUED, 200), 404),
        ("get", f"/prevention/plans/{d}/", {}, dict.fromkeys(SEES_DRAFT, 200), 404),
        ("get", f"/prevention/plans/{d}/edit/", {}, {"officer_a": 200, "chair_a": 403}, 404),
        ("get", f"/prevention/plans/{d}/targets/new/", {}, {"officer_a": 200, "chair_a": 403}, 404),
        ("post", f"/prevention/plans/{d}/act/submit/", {"junk": "x"}, {"officer_a": 302, "chair_a": 403}, 404),
        ("post", f"/prevention/plans/{d}/act/copy/", {}, {"officer_a": 302, "chair_a": 403}, 404),
        ("post", f"/prevention/plans/{d}/tasks/new/", {"organisation_id": "x"}, {"officer_a": 302, "chair_a": 302},
         404),
        ("post", f"/prevention/plans/{i}/act/close/", {}, {**dict.fromkeys(SEES_ISSUED, 403), "chair_a": 302}, 404),
        ("post", f"/prevention/tasks/{t}/act/", {"action": "start"},
         {**dict.fromkeys(SEES_ISSUED, 403), "police_a": 302, "officer_a": 302}, 404),
        ("get", "/prevention/tasks/", {}, {who: 200 for who in PREVENTION_USERS
                                            if who not in {"chair_a", "chair_b", "supervisor_p1", "supervisor_p2"}},
         403),
        ("get", f"/prevention/activities/{a}/", {}, dict.fromkeys(SEES_ACTIVITY, 200), 404),
        ("get", f"/prevention/evidence/{r['evidence'].key}/", {}, dict.fromkeys(READS_EVIDENCE, 200), 404),
        ("get", "/prevention/activities/new/", {}, {who: 200 for who in PREVENTION_USERS if who not in {
            "chair_a", "chair_b", "supervisor_p1", "supervisor_p2"}}, 403),
        ("get", "/prevention/registry/", {}, dict.fromkeys(REGISTRY_USERS, 200), 403),
        ("get", f"/prevention/registry/{e}/", {}, dict.fromkeys(SEES_ENTRY, 200), 404),
        ("get", "/prevention/registry/new/", {}, {"officer_a": 200, "officer_b": 200, "officer_c": 200}, 403),
        ("post", f"/prevention/watch/{w}/act/raise/", {"reason": "x"},
         {**dict.fromkeys(SEES_ENTRY, 403), "officer_a": 302}, 404),
        ("get", "/prevention/population/", {}, ok_users, 403),
    ]


def test_web_matrix(pworld, records):
    failures = []
    for method, url, body, expected, default in web_expectations(records):
        for who in PERSONAS:
            client = signed_in(pworld.users[who])
            with transaction.atomic():
                response = getattr(client, method)(url, body)
                transaction.set_rollback(True)
            want = expected.get(who, default)
            if response.status_code != want:
                failures.append(f"{method.upper()} {url} {who}: {response.status_code}, want {want}")
            if who not in KNOWS and not url.startswith("/prevention/evidence/"):
                for secret in (NAME, ADDRESS, PARENTS):
                    if secret.encode() in response.content:
                        failures.append(f"{url} {who}: shows the child's {secret!r}")
            if who in KNOWS and url == f"/prevention/registry/{records['entry'].pk}/" \
                    and NAME.encode() not in response.content:
                failures.append(f"{url} {who}: should show the name (positive control)")
    assert not failures, "\n".join(failures)


def test_unseen_and_missing_plans_look_the_same(pworld, records):
    client = signed_in(pworld.users["officer_b"])
    for template in ("/prevention/plans/{}/", "/prevention/plans/{}/print/", "/prevention/plans/{}/edit/"):
        seen, missing = client.get(template.format(records["issued"].pk)), client.get(template.format(987654))
        assert seen.status_code == missing.status_code == 404

        def normal(body):
            return re.sub(rb"\d+", b"", re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", body))
        assert normal(seen.content) == normal(missing.content)


def test_api_matrix(pworld, records):
    i, d = records["issued"].pk, records["draft"].pk
    checks = [
        ("get", "/api/prevention/plans/", {}, dict.fromkeys(PERSONAS, 200), 200),
        ("get", f"/api/prevention/plans/{i}/", {}, dict.fromkeys(SEES_ISSUED, 200), 404),
        ("get", f"/api/prevention/plans/{d}/", {}, dict.fromkeys(SEES_DRAFT, 200), 404),
        ("post", f"/api/prevention/plans/{d}/act/", {"action": "nonsense"}, dict.fromkeys(SEES_DRAFT, 400), 404),
        ("post", f"/api/prevention/plans/{d}/act/", {"action": "submit"}, {"officer_a": 200, "chair_a": 403}, 404),
        ("post", f"/api/prevention/plans/{i}/act/", {"action": "sign"},
         {**dict.fromkeys(SEES_ISSUED, 403), "chair_a": 409}, 404),    # the signer, but already issued
        ("post", f"/api/prevention/tasks/{records['task'].pk}/move/", {"action": "start"},
         {**dict.fromkeys(SEES_ISSUED, 403), "police_a": 200, "officer_a": 200}, 404),
        ("post", f"/api/prevention/tasks/{records['task'].pk}/move/", {"action": "x"},
         {**dict.fromkeys(SEES_ISSUED, 400)}, 404),
        ("get", "/api/prevention/tasks/", {}, dict.fromkeys(PERSONAS, 200), 200),
        ("get", "/api/prevention/activities/", {}, dict.fromkeys(PERSONAS, 200), 200),
        ("get", "/api/prevention/registry/", {}, dict.fromkeys(PERSONAS, 200), 200),
        ("post", f"/api/prevention/watch/{records['watch'].pk}/raise/", {},
         dict.fromkeys(SEES_ENTRY, 400), 404),
        ("post", f"/api/prevention/watch/{records['watch'].pk}/raise/", {"reason": "Nguy cơ"},
         {**dict.fromkeys(SEES_ENTRY, 403), "officer_a": 201}, 404),
        ("post", "/api/prevention/activities/", {"kind": "home_visit", "title": "Thăm", "held_on": str(dt.date.today()),
                                                 "organiser_id": pworld.orgs["a_v1.village"].pk},
         {"village_a": 201, "officer_a": 201}, 400),
    ]
    failures = []
    for method, url, body, expected, default in checks:
        for who in PERSONAS:
            client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
            client.force_authenticate(pworld.users[who])
            with transaction.atomic():
                response = getattr(client, method)(url, body, format="json")
                transaction.set_rollback(True)
            want = expected.get(who, default)
            # Personas without activity.record at all are refused with 403, not 400.
            if url.endswith("/activities/") and method == "post" and who in {
                    "chair_a", "chair_b", "supervisor_p1", "supervisor_p2", "provider_p1", "hotline", "admin"}:
                want = 403
            if response.status_code != want:
                failures.append(f"{method.upper()} {url} {who}: {response.status_code}, want {want} "
                                f"{response.content[:100]!r}")
            if response.status_code >= 400:
                assert "detail" in response.json(), url
            for secret in (NAME, ADDRESS, PARENTS):
                if secret.encode() in response.content:
                    failures.append(f"{url} {who}: API shows the child's {secret!r}")
    assert not failures, "\n".join(failures)


def test_plan_list_pages_take_a_bounded_number_of_queries(pworld, issued_plan, django_assert_max_num_queries):
    for k in range(3):
        issued_plan(year=2020 + k)
    client = signed_in(pworld.users["supervisor_p1"])
    client.get("/prevention/")      # warm the session and caches
    with django_assert_max_num_queries(16):
        assert client.get("/prevention/").status_code == 200
    client = signed_in(pworld.users["police_a"])
    with django_assert_max_num_queries(16):
        assert client.get("/prevention/tasks/").status_code == 200


def test_a_refused_action_writes_nothing(pworld, records):
    before = PreventionEvent.objects.count()
    client = signed_in(pworld.users["health_a"])
    client.post(f"/prevention/tasks/{records['task'].pk}/act/", {"action": "complete"})
    client.post(f"/prevention/plans/{records['issued'].pk}/act/close/", {})
    assert PreventionEvent.objects.count() == before


def _png() -> bytes:
    # A real image: the evidence pipeline decodes and re-encodes every photo (metadata stripped).
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), (0, 80, 160)).save(out, "PNG")
    return out.getvalue()
