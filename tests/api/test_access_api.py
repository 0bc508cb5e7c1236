"""Sharing, break-the-glass, who-saw-this and token expiry through the API."""

import datetime as dt

import time_machine
from django.utils import timezone
from rest_framework.test import APIClient

from .helpers import CHILD_NAME


def test_grant_through_the_api_then_revoke(api, world, reported_case):
    case_id = reported_case()
    officer_b = world.users["officer_b"]
    assert api("officer_b").get(f"/api/cases/{case_id}/").status_code == 404
    given = api("chair_a").post(f"/api/cases/{case_id}/grants/", {
        "user_id": officer_b.pk, "purpose": "Family may move to commune B", "days": 5}, format="json")
    assert given.status_code == 201, given.content
    [grant] = given.json()
    assert grant["permission"] == "view_case"
    read = api("officer_b").get(f"/api/cases/{case_id}/")
    assert read.status_code == 200 and CHILD_NAME not in read.content.decode()
    assert api("officer_b").post(f"/api/cases/{case_id}/actions/start-verification/", {},
                                 format="json").status_code == 403
    revoked = api("chair_a").post(f"/api/cases/{case_id}/grants/{grant['id']}/revoke/",
                                  {"reason": "No longer needed"}, format="json")
    assert revoked.status_code == 200
    assert api("officer_b").get(f"/api/cases/{case_id}/").status_code == 404


def test_grant_refusals(api, world, reported_case):
    case_id = reported_case()
    bad = api("chair_a").post(f"/api/cases/{case_id}/grants/", {"purpose": "", "days": 500}, format="json")
    assert bad.status_code == 400 and {"purpose", "days"} <= set(bad.json()["errors"])
    assert api("counsellor_a").post(f"/api/cases/{case_id}/grants/", {
        "user_id": world.users["officer_b"].pk, "purpose": "x", "days": 1}, format="json").status_code == 403
    assert api("officer_b").post(f"/api/cases/{case_id}/grants/", {
        "user_id": world.users["officer_b"].pk, "purpose": "x", "days": 1}, format="json").status_code == 404


def test_supervisor_breaks_the_glass_and_the_chair_sees_who_read(api, world, reported_case):
    case_id = reported_case()
    masked = api("supervisor_p1").get(f"/api/cases/{case_id}/")
    assert CHILD_NAME not in masked.content.decode()
    assert api("supervisor_p1").post(f"/api/cases/{case_id}/break-glass/", {"reason": ""},
                                     format="json").status_code == 400
    opened = api("supervisor_p1").post(f"/api/cases/{case_id}/break-glass/",
                                       {"reason": "Complaint 7/2026"}, format="json")
    assert opened.status_code == 201
    full = api("supervisor_p1").get(f"/api/cases/{case_id}/?purpose=Complaint+7/2026")
    assert CHILD_NAME in full.content.decode()
    readers = api("chair_a").get(f"/api/cases/{case_id}/readers/")
    assert readers.status_code == 200
    assert [(r["actor_role"], r["channel"], r["reason"]) for r in readers.json()][0] == (
        "supervisor", "api", "Complaint 7/2026")
    timeline = api("supervisor_p1").get(f"/api/cases/{case_id}/timeline/").json()
    assert any(e["type"] == 703 and e["reason"] == "Complaint 7/2026" for e in timeline)
    assert api("officer_a").get(f"/api/cases/{case_id}/readers/").status_code == 403
    assert api("officer_b").get(f"/api/cases/{case_id}/readers/").status_code == 404


def test_tokens_expire_after_a_working_day(world, db):
    officer = world.users["officer_a"]
    officer.set_password("Strong-pass-2026!")
    officer.save()
    client = APIClient()
    token = client.post("/api/auth/token/", {"username": "officer_a", "password": "Strong-pass-2026!"}).json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/me/").status_code == 200
    with time_machine.travel(timezone.now() + dt.timedelta(hours=13)):
        assert client.get("/api/me/").status_code in (401, 403)
        fresh = APIClient().post("/api/auth/token/", {"username": "officer_a",
                                                      "password": "Strong-pass-2026!"}).json()["token"]
        assert fresh != token
