"""Reads: masking of the child, status-only views, the list and its filters, timeline, clocks,
reference data, /api/me/."""

import json

from casework.models import Case, CaseEvent, CaseEventType

from .helpers import CHILD_ADDRESS, CHILD_NAME, PARENT_NAME

IDENTITY = [CHILD_NAME, PARENT_NAME, CHILD_ADDRESS]


def text(response) -> str:
    return json.dumps(response.json(), ensure_ascii=False)


def identity_reads(case_id):
    return CaseEvent.objects.filter(case_id=case_id, type=CaseEventType.IDENTITY_VIEWED)


def test_the_list_never_names_the_child(api, reported_case):
    case_id = reported_case()
    for who in ["officer_a", "chair_a", "counsellor_a", "supervisor_p1"]:
        response = api(who).get("/api/cases/")
        assert response.status_code == 200
        [item] = response.json()["results"]
        assert item["id"] == case_id
        assert item["child"] == {"masked": True, "initials": "NVA", "age_band": "6-10", "sex": "male"}
        assert not any(value in text(response) for value in IDENTITY), who
    # Listing is not reading the identity: nothing is logged.
    assert not identity_reads(case_id).exists()


def test_the_file_names_the_child_only_to_those_allowed_and_logs_the_read(api, reported_case):
    case_id = reported_case()
    full = api("officer_a").get(f"/api/cases/{case_id}/?purpose=home+visit")
    assert full.status_code == 200
    child = full.json()["child"]
    assert child["masked"] is False and child["full_name"] == CHILD_NAME and child["parents"] == PARENT_NAME
    [read] = identity_reads(case_id)
    assert read.actor.username == "officer_a" and read.reason == "home visit" and read.data == {"channel": "api"}

    # The supervisor reads the file without the identity (no identity.view), and nothing is logged.
    masked = api("supervisor_p1").get(f"/api/cases/{case_id}/")
    assert masked.status_code == 200
    assert masked.json()["child"]["masked"] is True
    assert not any(value in text(masked) for value in IDENTITY)
    assert identity_reads(case_id).count() == 1


def test_write_responses_carry_the_masked_child_and_log_no_read(api, reported_case):
    case_id = reported_case()
    response = api("officer_a").post(f"/api/cases/{case_id}/actions/start-verification/", {}, format="json")
    assert response.status_code == 200
    assert response.json()["child"]["masked"] is True
    assert not any(value in text(response) for value in IDENTITY)
    assert not identity_reads(case_id).exists()


def test_officer_of_another_commune_never_gets_the_name(api, reported_case):
    case_id = reported_case()
    responses = [api("officer_b").get(path) for path in [
        "/api/cases/", f"/api/cases/{case_id}/", f"/api/cases/{case_id}/timeline/", f"/api/cases/{case_id}/clocks/"]]
    responses.append(api("officer_b").post(f"/api/cases/{case_id}/actions/start-verification/", {}, format="json"))
    assert [r.status_code for r in responses] == [200, 404, 404, 404, 404]
    assert responses[0].json()["results"] == []
    for response in responses:
        assert not any(value in response.content.decode() for value in IDENTITY)


def test_reporter_identity_only_with_consent(api, reported_case):
    with_consent = reported_case(reporter_consent=True, reporter_name="Trần Thị D", reporter_phone="0901234567")
    without = reported_case(reporter_relation="neighbour")
    intake = api("officer_a").get(f"/api/cases/{with_consent}/").json()["intake"]
    assert intake["reporter"]["name"] == "Trần Thị D" and intake["reporter"]["phone"] == "0901234567"
    intake = api("officer_a").get(f"/api/cases/{without}/").json()["intake"]
    assert intake["reporter_consent"] is False and intake["reporter"] is None


def test_hotline_sees_only_the_status_of_cases_it_reported(api, report, reported_case):
    own = reported_case("hotline", channel="hotline")
    other = reported_case()
    status_fields = {"id", "code", "status", "opened_at"}

    detail = api("hotline").get(f"/api/cases/{own}/")
    assert detail.status_code == 200
    assert set(detail.json()) == status_fields and detail.json()["status"] == "received"
    [item] = api("hotline").get("/api/cases/").json()["results"]
    assert set(item) == status_fields and item["id"] == own
    # It knows the case exists, so reading more is forbidden rather than not found.
    assert api("hotline").get(f"/api/cases/{own}/timeline/").status_code == 403
    assert api("hotline").get(f"/api/cases/{own}/clocks/").status_code == 403
    assert api("hotline").get(f"/api/cases/{other}/").status_code == 404
    assert not identity_reads(own).exists()

    # The answer to its own report is status-only as well.
    created = api("hotline").post("/api/cases/", report(channel="hotline"), format="json")
    assert created.status_code == 201 and set(created.json()) == status_fields
    # It knows the case exists, so a write on it is refused (403), never performed.
    refused = api("hotline").post(f"/api/cases/{own}/actions/start-verification/", {}, format="json")
    assert refused.status_code == 403
    assert api("hotline").post(f"/api/cases/{other}/actions/start-verification/", {}, format="json"
                               ).status_code == 404


def test_client_token_makes_the_report_idempotent(api, report):
    first = api("counsellor_a").post("/api/cases/", report(client_token="tab-42"), format="json")
    again = api("counsellor_a").post("/api/cases/", report(client_token="tab-42"), format="json")
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert Case.objects.count() == 1


def test_list_filters(world, api, reported_case):
    first, second = reported_case(), reported_case()
    api("officer_a").post(f"/api/cases/{second}/actions/not-eligible/", {"reason": "Duplicate report."},
                          format="json")
    ids = lambda query: [c["id"] for c in api("officer_a").get("/api/cases/" + query).json()["results"]]
    assert ids("") == [second, first]
    assert ids("?open=1") == [first]
    assert ids("?status=not_eligible") == [second]
    assert ids(f"?commune={world.areas['a'].pk}") == [second, first]
    assert ids(f"?commune={world.areas['b'].pk}") == []
    assert ids("?overdue=1") == []
    item = api("officer_a").get("/api/cases/?open=1").json()["results"][0]
    assert item["next_clock"]["kind"] and item["overdue"] is False


def test_timeline_and_clocks(api, reported_case):
    case_id = reported_case()
    api("officer_a").post(f"/api/cases/{case_id}/actions/start-verification/", {}, format="json")
    events = api("officer_a").get(f"/api/cases/{case_id}/timeline/").json()
    assert [e["type"] for e in events] == [CaseEventType.CASE_OPENED, CaseEventType.VERIFICATION_STARTED]
    started = events[1]
    assert started["actor_name"] == "Trần Văn Minh" and started["actor_role"] == "commune_officer"
    assert started["from_state"] == "received" and started["to_state"] == "verifying"
    assert started["type_label"] and started["actor_organisation"].startswith("UBND")
    clocks = api("officer_a").get(f"/api/cases/{case_id}/clocks/").json()
    assert clocks and {"kind", "label", "due_at", "state", "warning"} <= set(clocks[0])
    assert api("supervisor_p1").get(f"/api/cases/{case_id}/timeline/").status_code == 200


def test_reference_data(world, api):
    areas = api("counsellor_b").get("/api/reference/areas/?kind=commune").json()
    assert {a["name"] for a in areas["results"]} == {"Phường Bến Thành", "Phường Sài Gòn", "Phường Ba Đình"}
    villages = api("counsellor_b").get(f"/api/reference/areas/?parent={world.areas['a'].pk}").json()["results"]
    assert len(villages) == 2
    orgs = api("counsellor_b").get(f"/api/reference/organisations/?area={world.areas['a'].pk}&kind=police").json()
    assert [o["id"] for o in orgs["results"]] == [world.orgs["a.police"].pk]
    terms = api("hotline").get("/api/reference/terms/?kind=relation", HTTP_ACCEPT_LANGUAGE="en").json()
    father = next(t for t in terms["results"] if t["code"] == "father")
    assert father["label"] == "Father" and father["label_vi"] == "Cha đẻ"


def test_me(api):
    me = api("police_a").get("/api/me/").json()
    assert me["username"] == "police_a" and me["full_name"] == "Phạm Quốc Bảo"
    [role] = me["roles"]
    assert role["role"] == "commune_police" and role["scope"] == "organisation"
    assert role["organisation"]["name"].startswith("Công an") and role["area"]["name"] == "Phường Bến Thành"
    assert "task.act" in role["capabilities"]


def test_a_per_case_grant_opens_the_file_masked_and_its_use_is_recorded(world, api, reported_case):
    from casework.services.grants import grant_give

    case_id = reported_case()
    assert api("officer_c").get(f"/api/cases/{case_id}/").status_code == 404
    grant_give(actor=world.users["officer_a"], case_id=case_id, purpose="Second opinion", days=7,
               user_id=world.users["officer_c"].pk)
    response = api("officer_c").get(f"/api/cases/{case_id}/")
    assert response.status_code == 200
    assert response.json()["child"]["masked"] is True and response.json()["allowed_actions"] == []
    assert not any(value in text(response) for value in IDENTITY)
    assert CaseEvent.objects.filter(case_id=case_id, type=CaseEventType.CASE_VIEWED_VIA_GRANT,
                                    actor=world.users["officer_c"]).exists()
    # A grant is for reading: acting on the case stays refused.
    refused = api("officer_c").post(f"/api/cases/{case_id}/actions/start-verification/", {}, format="json")
    assert refused.status_code == 403
