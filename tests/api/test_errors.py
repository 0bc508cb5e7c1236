"""The error model: 400 with per-field messages and nothing written, 409 with the guard's message
or a stale version, 404 that never tells a missing case from one out of reach, translations."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from casework.models import Case, CaseEvent, Child, Incident, Intake, Measure, Perpetrator, Plan

from .helpers import plan_payload

OPEN_CASE_ROWS = [Case, Child, Intake, Incident, Perpetrator, CaseEvent]


def counts(models):
    return {m.__name__: m.objects.count() for m in models}


@pytest.mark.parametrize("overrides, field", [
    ({"child": {"full_name": "Lê Văn C", "date_of_birth": "2016-02-30"}}, "child.date_of_birth"),
    ({"received_at": "yesterday"}, "received_at"),
    ({"classification": "bullied"}, "classification"),
    ({"incident_commune_id": "A"}, "incident_commune_id"),
    ({"incident_commune_id": 10**30}, "incident_commune_id"),
    ({"perpetrators": [{"relation_code": "father", "sex": "robot"}]}, "perpetrators[0].sex"),
    ({"abuse_forms": "violence_physical"}, "abuse_forms"),
    ({"reporter_name": "x" * 201, "reporter_consent": True}, "reporter_name"),
    # The rules of form 01 are the service's; its refusals come back in the same shape.
    ({"reporter_name": "Trần Thị D", "reporter_consent": False}, "reporter_consent"),
    ({"abuse_forms": ["slapping"]}, "abuse_forms"),
    ({"abuse_forms": []}, "abuse_forms"),
    ({"child": {"full_name": "Lê Văn C", "date_of_birth": "2001-01-01"}}, "child.date_of_birth"),
    ({"incident_commune_id": 999_999}, "incident_commune_id"),
])
def test_bad_report_is_a_400_per_field_and_writes_nothing(api, report, overrides, field):
    before = counts(OPEN_CASE_ROWS)
    response = api("counsellor_a").post("/api/cases/", report(**overrides), format="json")
    assert response.status_code == 400, response.content
    body = response.json()
    assert set(body) == {"detail", "code", "errors"} and body["code"] == "invalid"
    assert field in body["errors"], body
    assert all(isinstance(m, str) and m for m in body["errors"][field])
    assert counts(OPEN_CASE_ROWS) == before


def test_every_problem_of_a_report_is_listed_at_once(api, report):
    response = api("counsellor_a").post("/api/cases/", report(
        reporter_name="Trần Thị D", abuse_forms=["slapping"], primary_abuse_form="neglect"), format="json")
    assert response.status_code == 400
    assert {"reporter_consent", "abuse_forms", "primary_abuse_form"} <= set(response.json()["errors"])


@pytest.mark.parametrize("path, body, field", [
    ("actions/declare-emergency/", {}, "reason"),
    ("actions/declare-emergency/", {"reason": "   "}, "reason"),
    ("actions/not-eligible/", {}, "reason"),
    ("actions/change-level/", {"level": "support"}, "reason"),
    ("actions/change-level/", {"level": "urgent", "reason": "x"}, "level"),
    ("actions/start-verification/", {"version": "abc"}, "version"),
    ("tasks/", {"organisation_id": 1, "title": "Visit", "due_on": "31/12/2026"}, "due_on"),
    ("tasks/", {"title": "Visit"}, "organisation_id"),
    ("isolation-orders/", {"decision_no": "1", "days": "ten", "placement": "x"}, "days"),
])
def test_bad_write_is_a_400_per_field_and_writes_nothing(api, reported_case, path, body, field):
    case_id = reported_case()
    before = counts([CaseEvent]), Case.objects.get(pk=case_id).version
    response = api("officer_a").post(f"/api/cases/{case_id}/{path}", body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"], response.json()
    assert (counts([CaseEvent]), Case.objects.get(pk=case_id).version) == before


def test_bad_measure_date_names_the_measure(world, api, reported_case):
    case_id = reported_case(classification="at_risk", abuse_forms=[], risk_kind="violence")
    url = f"/api/cases/{case_id}/"
    for path, body in [("actions/start-verification/", {}),
                       ("actions/record-verification/", {"findings": "Confirmed."})]:
        assert api("officer_a").post(url + path, body, format="json").status_code == 200
    api("officer_a").post(url + "actions/start-comprehensive-assessment/", {}, format="json")
    plan = plan_payload(world)
    plan["measures"][0]["ends_on"] = "not a date"
    response = api("officer_a").post(url + "plans/", plan, format="json")
    assert response.status_code == 400
    assert "measures[0].ends_on" in response.json()["errors"]


def test_unknown_measure_code_is_a_400_from_the_service(world, api, reported_case):
    case_id = reported_case()
    case = Case.objects.get(pk=case_id)
    # Straight to plan drafting: the state is not what this test is about.
    Case.objects.filter(pk=case_id).update(status="planning")
    plan = plan_payload(world)
    plan["measures"][0]["kind"] = "unknown_measure"
    before = counts([Plan, Measure, CaseEvent])
    response = api("officer_a").post(f"/api/cases/{case_id}/plans/", plan, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["errors"]["measures[0].kind"]
    assert counts([Plan, Measure, CaseEvent]) == before
    assert Case.objects.get(pk=case_id).version == case.version


def test_illegal_transition_is_a_409_with_the_guards_message(api, reported_case):
    case_id = reported_case()
    url = f"/api/cases/{case_id}/actions/"
    # Not possible from this state at all.
    response = api("officer_a").post(url + "submit-plan/", {}, format="json")
    assert response.status_code == 409
    assert response.json() == {"detail": "This action is not possible in the case's current state.", "code": "state",
                               "errors": {}}
    # Possible from this state, but a guard is unmet: its message says what is missing.
    api("officer_a").post(url + "start-verification/", {}, format="json")
    version = Case.objects.get(pk=case_id).version
    response = api("officer_a").post(url + "start-initial-assessment/", {}, format="json",
                                     HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 409
    assert response.json() == {"detail": "Record the verification findings first.", "code": "guard", "errors": {}}
    assert Case.objects.get(pk=case_id).version == version


def test_stale_version_is_a_409_and_nothing_is_written(api, reported_case):
    case_id = reported_case()
    url = f"/api/cases/{case_id}/actions/"
    first = api("officer_a").post(url + "start-verification/", {"version": 1}, format="json")
    assert first.status_code == 200 and first.json()["version"] == 2
    events = CaseEvent.objects.filter(case_id=case_id).count()
    # The chairperson's screen still shows version 1.
    stale = api("chair_a").post(url + "declare-emergency/", {"reason": "Bruises.", "version": 1}, format="json")
    assert stale.status_code == 409
    assert stale.json()["code"] == "stale_version"
    assert Case.objects.get(pk=case_id).status == "verifying"
    assert CaseEvent.objects.filter(case_id=case_id).count() == events
    fresh = api("chair_a").post(url + "declare-emergency/", {"reason": "Bruises.", "version": 2}, format="json")
    assert fresh.status_code == 200 and fresh.json()["status"] == "emergency"


def test_404_is_the_same_for_a_missing_case_and_one_out_of_reach(api, reported_case):
    case_id = reported_case()
    for path in ["", "timeline/", "clocks/"]:
        missing = api("officer_b").get(f"/api/cases/999999/{path}")
        hidden = api("officer_b").get(f"/api/cases/{case_id}/{path}")
        assert missing.status_code == hidden.status_code == 404
        assert missing.content == hidden.content
    missing = api("officer_b").post("/api/cases/999999/tasks/1/accept/", {}, format="json")
    hidden = api("officer_b").post(f"/api/cases/{case_id}/tasks/1/accept/", {}, format="json")
    assert missing.status_code == hidden.status_code == 404 and missing.content == hidden.content


def test_a_record_of_another_case_is_not_found(world, api, reported_case):
    first, second = reported_case(), reported_case()
    task = api("officer_a").post(f"/api/cases/{first}/tasks/", {
        "organisation_id": world.orgs["a.health"].pk, "title": "Check"}, format="json").json()
    response = api("health_a").post(f"/api/cases/{second}/tasks/{task['id']}/accept/", {}, format="json")
    assert response.status_code == 404


def test_unknown_api_path_is_a_json_404(api):
    for path in ["/api/nothing-here/", "/api/cases"]:
        response = api("officer_a").get(path)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert response.json() == {"detail": "Not found.", "code": "not_found", "errors": {}}


def test_anonymous_requests_are_refused(api):
    for path in ["/api/cases/", "/api/me/", "/api/reference/areas/"]:
        assert api(None).get(path).status_code == 403
    assert api(None).post("/api/cases/", {}, format="json").status_code == 403


def test_bad_query_parameters_are_a_400(api):
    assert api("officer_a").get("/api/cases/?status=lost").status_code == 400
    assert api("officer_a").get("/api/cases/?commune=abc").status_code == 400
    assert api("officer_a").get("/api/cases/?commune=99999999999999999999999").status_code == 400
    assert api("officer_a").get("/api/reference/terms/?kind=colour").status_code == 400
    assert api("officer_a").get("/api/reference/areas/?parent=99999999999999999999999").status_code == 400


def test_messages_follow_accept_language(world, api, reported_case):
    case_id = reported_case()
    for language in ["en", "vi"]:
        response = api("officer_a").post(f"/api/cases/{case_id}/actions/submit-plan/", {}, format="json",
                                         HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 409
        assert response["Content-Language"] == language
    english = api("officer_b").get(f"/api/cases/{case_id}/", HTTP_ACCEPT_LANGUAGE="en")
    assert english.json() == {"detail": "Case not found.", "code": "not_found", "errors": {}}
    # Without a preference the answer is Vietnamese, the project's language.
    default = APIClient()
    default.force_authenticate(world.users["officer_b"])
    vietnamese = default.get(f"/api/cases/{case_id}/")
    assert vietnamese["Content-Language"] == "vi"
    assert vietnamese.json()["detail"] != "Case not found."


def test_a_conference_in_the_future_is_refused_by_the_service(api, reported_case):
    case_id = reported_case()
    Case.objects.filter(pk=case_id).update(status="comprehensive")
    response = api("officer_a").post(f"/api/cases/{case_id}/conferences/", {
        "held_at": (timezone.now() + dt.timedelta(days=2)).isoformat(), "chair_id": 1, "bodies_present_ids": [1],
        "community_representative": "Village head", "caregiver_present": "Mother", "decisions": "None"},
        format="json")
    assert response.status_code == 400
    assert "held_at" in response.json()["errors"]


# ---------------------------------------------------------------- the one error model everywhere

ERROR_KEYS = {"detail", "code", "errors"}


def test_malformed_json_is_a_400_in_the_error_model(api, reported_case):
    case_id = reported_case()
    response = api("officer_a").post(f"/api/cases/{case_id}/actions/record-verification/", data="{not json",
                                     content_type="application/json")
    assert response.status_code == 400 and set(response.json()) == ERROR_KEYS
    assert response.json()["code"] == "parse_error" and "Expecting" not in response.json()["detail"]


def test_an_oversized_body_is_a_413_in_the_error_model(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = api("officer_a").post("/api/cases/", data='{"x": "' + "a" * 4096 + '"}',
                                     content_type="application/json")
    assert response.status_code == 413 and response["Content-Type"] == "application/json"
    assert response.json()["code"] == "too_large" and set(response.json()) == ERROR_KEYS


def test_a_post_to_an_unknown_route_is_a_json_404_not_a_csrf_page(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["officer_a"])
    response = client.post("/api/no-such-thing/", {"a": 1})
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_found"


def test_page_zero_and_a_page_past_the_end_are_a_400_on_page(api, reported_case):
    reported_case()
    for page in ("0", "999", "x"):
        response = api("officer_a").get(f"/api/cases/?page={page}")
        assert response.status_code == 400, page
        assert set(response.json()) == ERROR_KEYS and list(response.json()["errors"]) == ["page"]


def test_drf_field_messages_and_guard_messages_are_vietnamese(world, api, reported_case):
    case_id = reported_case()
    client = api("officer_a")
    bad = client.post(f"/api/cases/{case_id}/tasks/", {"organisation_id": "abc", "title": "Xác minh"},
                      format="json", HTTP_ACCEPT_LANGUAGE="vi")
    assert bad.status_code == 400
    assert bad.json()["errors"]["organisation_id"] != ["A valid integer is required."]
    client.post(f"/api/cases/{case_id}/actions/start-verification/", {}, format="json")
    guard = client.post(f"/api/cases/{case_id}/actions/start-initial-assessment/", {}, format="json",
                        HTTP_ACCEPT_LANGUAGE="vi")
    assert guard.status_code == 409 and guard.json()["code"] == "guard"
    assert guard.json()["detail"] != "Record the verification findings first."
    level = client.post(f"/api/cases/{case_id}/actions/change-level/", {"level": "purple", "reason": "x"},
                        format="json", HTTP_ACCEPT_LANGUAGE="vi")
    assert level.status_code == 400 and "is not a valid choice" not in str(level.json())


def test_an_outsider_gets_404_whatever_body_they_send(api, reported_case):
    case_id = reported_case()
    for body in ({}, {"organisation_id": "abc"}, {"title": ""}):
        response = api("officer_b").post(f"/api/cases/{case_id}/tasks/", body, format="json")
        assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_the_api_refuses_a_task_for_a_body_outside_the_case_s_reach(world, api, reported_case):
    """The police of another province would see the child: the service refuses, through any face."""
    from casework.models import Organisation

    case_id = reported_case()
    far = Organisation.objects.filter(kind="police").exclude(area__path__startswith="/" + world.areas["a"].path
                                                             .strip("/").split("/")[0] + "/").first()
    assert far is not None
    for who, body in (("officer_a", far), ("officer_a", world.orgs["b.police"])):
        response = api(who).post(f"/api/cases/{case_id}/tasks/", {"organisation_id": body.pk, "title": "Xác minh"},
                                 format="json")
        assert response.status_code == 400 and list(response.json()["errors"]) == ["organisation_id"], body
    assert not Organisation.objects.get(pk=far.pk).tasks.exists()
