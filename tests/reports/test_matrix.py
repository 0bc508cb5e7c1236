"""Every report route × every persona, against one report of commune A that has been sent to the
province (P1). Unseen = 404 exactly like a missing report; seen without the role = 403; the
role but the wrong state = 409. Nobody's response holds the child's identity."""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone
from rest_framework.test import APIClient

from reports import services as s
from tests.permissions.test_matrix import PERSONAS
from tests.permissions.test_web_matrix import signed_in

TODAY = timezone.localdate()
# Who reads the report: its body (commune A's People's Committee) and the body above (P1).
SEES = {"officer_a", "chair_a", "supervisor_p1"}
# What each may do on a *sent* report: "ok" (allowed now), 409 (their role, not this state).
HOLDS = {
    "officer_a": {"refresh": 409, "narrative": 409, "submit": 409, "send": 409},
    "chair_a": {"sign": 409, "send-back": 409},
    "supervisor_p1": {"receive": "ok", "return": "ok"},
}
ACTIONS = ["refresh", "narrative", "submit", "send-back", "sign", "send", "receive", "return"]
BODY = {"reason": "Bổ sung", "results": "x", "difficulties": "", "proposals": ""}


@pytest.fixture
def sent(world, open_case):
    case = open_case()
    report = s.report_draft_create(actor=world.officer_a, body_id=world.orgs["a.committee"].pk, kind="ad_hoc",
                                   period_start=TODAY - dt.timedelta(days=7), period_end=TODAY)
    s.report_narrative_save(actor=world.officer_a, report_id=report.pk, results="Kết quả", difficulties="",
                            proposals="")
    s.report_submit(actor=world.officer_a, report_id=report.pk)
    s.report_sign(actor=world.chair_a, report_id=report.pk)
    return s.report_send(actor=world.officer_a, report_id=report.pk), case


def test_api_matrix(world, sent):
    report, case = sent
    secrets = [case.child.full_name.encode(), case.child.address.encode(), case.child.parents.encode()]
    failures = []
    for who in PERSONAS:
        client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        client.force_authenticate(world.users[who])
        calls = [("get", f"/api/reports/{report.pk}/", "read"),
                 ("post", f"/api/reports/{report.pk}/exports/", "export"),
                 *[("post", f"/api/reports/{report.pk}/{a}/", a) for a in ACTIONS]]
        for method, url, what in calls:
            body = {"format": "csv"} if what == "export" else BODY
            with transaction.atomic():
                r = client.post(url, body, format="json") if method == "post" else client.get(url)
                transaction.set_rollback(True)
            if who not in SEES:
                want = {404}
            elif what in ("read", "export"):
                want = {200, 202}
            else:
                held = HOLDS.get(who, {}).get(what)
                want = {200} if held == "ok" else {409} if held == 409 else {403}
            if r.status_code not in want:
                failures.append(f"{what} {who}: {r.status_code}, want {want} {r.content[:100]!r}")
            for secret in secrets:
                if secret in r.content:
                    failures.append(f"{what} {who}: response holds the child's identity")
        listed = client.get("/api/reports/").json()
        if (report.pk in [x["id"] for x in listed.get("results", [])]) != (who in SEES):
            failures.append(f"list {who}: visibility differs from the detail")
    assert not failures, "\n".join(failures)


def test_missing_and_unseen_reports_answer_the_same(world, sent):
    report, _case = sent
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(world.users["officer_b"])
    for suffix, method in (("", "get"), ("receive/", "post"), ("return/", "post"), ("exports/", "post")):
        answers = [getattr(client, method)(f"/api/reports/{rid}/{suffix}", {}, format="json")
                   for rid in (report.pk, 987654)]
        assert answers[0].status_code == answers[1].status_code == 404
        assert answers[0].content == answers[1].content


def test_web_matrix(world, sent):
    report, case = sent
    failures = []
    for who in PERSONAS:
        client = signed_in(world.users[who])
        r = client.get(f"/reporting/reports/{report.pk}/")
        if r.status_code != (200 if who in SEES else 404):
            failures.append(f"detail {who}: {r.status_code}")
        if case.child.full_name.encode() in r.content:
            failures.append(f"detail {who}: shows the child's name")
        for key in [*ACTIONS, "narrative"]:
            with transaction.atomic():
                r = client.post(f"/reporting/reports/{report.pk}/act/{key.replace('-', '_')}/", BODY)
                transaction.set_rollback(True)
            if who not in SEES and r.status_code != 404:
                failures.append(f"act {key} {who}: {r.status_code}, want 404")
            elif r.status_code >= 500:
                failures.append(f"act {key} {who}: {r.status_code}")
            elif who in SEES and r.status_code == 302 and HOLDS.get(who, {}).get(key) != "ok":
                failures.append(f"act {key} {who}: changed a report it may not change")
        with transaction.atomic():
            r = client.post(f"/reporting/reports/{report.pk}/export/", {"format": "csv"})
            transaction.set_rollback(True)
        if r.status_code != (302 if who in SEES else 404):
            failures.append(f"export {who}: {r.status_code}")
        for page in ("/reporting/", "/reporting/reports/"):
            r = client.get(page)
            if r.status_code != 200 or case.child.full_name.encode() in r.content:
                failures.append(f"{page} {who}: {r.status_code}")
    assert not failures, "\n".join(failures)


def test_an_export_is_downloaded_only_by_who_asked_for_it(world, sent, django_capture_on_commit_callbacks):
    report, _case = sent
    with django_capture_on_commit_callbacks(execute=True):
        export = s.report_export_request(actor=world.supervisor_p1, report_id=report.pk, format="csv")
    mine = signed_in(world.supervisor_p1).get(f"/reporting/exports/{export.pk}/?download=1")
    assert mine.status_code == 200 and mine["Content-Type"].startswith("text/csv")
    assert "<5" in mine.content.decode("utf-8-sig")     # leaves the commune: suppressed
    assert signed_in(world.officer_a).get(f"/reporting/exports/{export.pk}/?download=1").status_code == 404
    client = APIClient()
    client.force_authenticate(world.officer_a)
    assert client.get(f"/api/reports/exports/{export.pk}/").status_code == 404
