"""Issue 12, item 2: every new report lands in its commune's triage queue; the officer accepts,
attaches, transfers or rejects it, each an audited case action that answers the sender."""

import datetime as dt
import json

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from casework.errors import ValidationError
from casework.models import Case, CaseEvent, CaseEventType, Incident
from casework.selectors import case_for_user
from casework.selectors.offers import case_actions_for
from casework.services.lifecycle import case_not_eligible, case_verification_start
from casework.services.transfers import transfer_decide, transfer_request
from notifications.models import Notification
from tests.conftest import intake_input
from tests.integrations.conftest import hotline_report
from tests.integrations.test_hotline import post
from triage.selectors import triage_queue_for
from triage.services import report_attach

pytestmark = pytest.mark.django_db
T = CaseEventType


def api_for(user):
    c = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    c.force_authenticate(user)
    return c


def ago(hours):
    return timezone.now() - dt.timedelta(hours=hours)


def test_reports_from_every_channel_land_in_the_commune_queue_urgent_first_then_oldest(world, open_case):
    school = open_case("counsellor_a", received_at=ago(5))
    police = open_case("police_a", channel="relayed", received_at=ago(8))
    urgent = open_case("counsellor_a", received_at=ago(1), urgent=True)
    walk_in = open_case("officer_a", channel="in_person", received_at=ago(3))
    elsewhere = open_case("officer_b", incident_commune_id=world.areas["b"].pk)
    accepted = open_case("counsellor_a", received_at=ago(9))
    case_verification_start(actor=world.users["officer_a"], case_id=accepted.pk)

    queue = list(triage_queue_for(world.users["officer_a"]))
    assert queue == [urgent, police, school, walk_in]
    assert list(triage_queue_for(world.users["officer_b"])) == [elsewhere]
    # Reporters see their own reports elsewhere, never a commune's queue.
    assert list(triage_queue_for(world.users["counsellor_a"])) == []
    assert list(triage_queue_for(world.users["chair_a"])) == []


def test_the_hotline_report_is_in_the_queue_and_accepting_it_answers_both_senders(
        world, hotline_api, receiver, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            post(hotline_api, hotline_report(urgent=True))
    case = Case.objects.get()
    assert list(triage_queue_for(world.users["officer_a"])) == [case]
    with django_capture_on_commit_callbacks(execute=True):
        case_verification_start(actor=world.users["officer_a"], case_id=case.pk)
    assert list(triage_queue_for(world.users["officer_a"])) == []
    assert [p["event"] for p in receiver.payloads()] == ["report.accepted"]
    assert "Nguy" not in receiver.calls[0]["body"].decode()
    assert Notification.objects.filter(recipient=world.users["hotline"], event__type=T.VERIFICATION_STARTED).exists()


def test_the_four_triage_actions_are_offered_on_a_received_report_and_only_to_its_triage_officer(world, open_case):
    case = open_case()
    keys = {o.key for o in case_actions_for(case_for_user(world.users["officer_a"], case.pk)) if o.enabled}
    assert {"verification_start", "report_attach", "transfer_request", "not_eligible"} <= keys
    for who in ("counsellor_a", "chair_a", "supervisor_p1"):
        offered = {o.key for o in case_actions_for(case_for_user(world.users[who], case.pk))}
        assert "report_attach" not in offered, who
    case_verification_start(actor=world.users["officer_a"], case_id=case.pk)
    keys = {o.key for o in case_actions_for(case_for_user(world.users["officer_a"], case.pk))}
    assert "report_attach" not in keys and "verification_start" not in keys


def test_attaching_to_a_case_closes_the_report_keeps_both_and_writes_both_timelines(
        world, open_case, hotline_api, receiver, django_capture_on_commit_callbacks):
    target = open_case(received_at=ago(30))
    case_verification_start(actor=world.users["officer_a"], case_id=target.pk)
    with django_capture_on_commit_callbacks(execute=True):
        post(hotline_api, hotline_report())
    report = Case.objects.exclude(pk=target.pk).get()
    with django_capture_on_commit_callbacks(execute=True):
        report_attach(actor=world.users["officer_a"], case_id=report.pk, target_code=target.code, mode="case",
                      reason="Same child, same beating, reported again by a neighbour")
    report.refresh_from_db()
    assert report.status == "not_eligible" and report.closed_at is not None
    mine = CaseEvent.objects.filter(case=report).order_by("pk").last()
    there = CaseEvent.objects.filter(case=target).order_by("pk").last()
    assert (mine.type, there.type) == (T.REPORT_ATTACHED, T.REPORT_ATTACHED_HERE)
    assert mine.data["target"] == target.pk and there.data["report"] == report.pk
    assert mine.reason == there.reason
    # The sender learns it: the integration by signed callback, without the child or the reason.
    assert [p["event"] for p in receiver.payloads()] == ["report.attached"]
    body = receiver.calls[0]["body"].decode()
    assert "Nguy" not in body and "neighbour" not in body
    assert Notification.objects.filter(recipient=world.users["hotline"], event=mine).exists()
    assert list(triage_queue_for(world.users["officer_a"])) == []


def test_attaching_to_an_incident_keeps_the_report_in_the_queue_and_its_own_incident_row(world, open_case):
    target = open_case(received_at=ago(30))
    report = open_case(child=intake_input(world).child)
    own_incident = report.incident_id
    report_attach(actor=world.users["officer_a"], case_id=report.pk, target_code=target.code, mode="incident",
                  reason="Her brother, beaten the same night")
    report.refresh_from_db()
    assert report.incident_id == target.incident_id and report.status == "received"
    assert Incident.objects.filter(pk=own_incident).exists()
    event = CaseEvent.objects.filter(case=report, type=T.REPORT_ATTACHED).get()
    assert event.changes == {"incident": [own_incident, target.incident_id]}
    assert CaseEvent.objects.filter(case=target, type=T.REPORT_ATTACHED_HERE).count() == 1
    assert report in list(triage_queue_for(world.users["officer_a"]))


def test_an_unseen_target_reads_like_a_missing_one_and_the_rules_refuse_the_rest(world, open_case):
    report = open_case()
    child_b = intake_input(world).child
    child_b.residence_commune_id = world.areas["b"].pk
    other = open_case("officer_b", incident_commune_id=world.areas["b"].pk, child=child_b)
    seen_not_owned = open_case("officer_b", incident_commune_id=world.areas["b"].pk)  # the child lives in A
    officer = world.users["officer_a"]
    messages = []
    for code in (other.code, "no-such-case"):
        with pytest.raises(ValidationError) as exc:
            report_attach(actor=officer, case_id=report.pk, target_code=code, reason="x")
        messages.append(exc.value.message_dict["target_code"])
    assert messages[0] == messages[1]
    with pytest.raises(ValidationError, match="do not triage"):
        report_attach(actor=officer, case_id=report.pk, target_code=seen_not_owned.code, reason="x")
    with pytest.raises(ValidationError, match="itself"):
        report_attach(actor=officer, case_id=report.pk, target_code=report.code, reason="x")
    closed = open_case()
    case_not_eligible(actor=officer, case_id=closed.pk, reason="Not a child")
    with pytest.raises(ValidationError, match="closed"):
        report_attach(actor=officer, case_id=report.pk, target_code=closed.code, reason="x")
    with pytest.raises(ValidationError, match="incident"):
        report_attach(actor=officer, case_id=report.pk, target_code=closed.code, mode="sideways", reason="x")
    with pytest.raises(ValidationError):
        report_attach(actor=officer, case_id=report.pk, target_code=closed.code, reason=" ")
    assert CaseEvent.objects.filter(type__in=[T.REPORT_ATTACHED, T.REPORT_ATTACHED_HERE]).count() == 0


def test_transfer_and_reject_from_the_queue_answer_the_hotline(
        world, hotline_api, receiver, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post(hotline_api, hotline_report(), key="k1")
        post(hotline_api, hotline_report(description="Another"), key="k2")
    first, second = Case.objects.order_by("pk")
    with django_capture_on_commit_callbacks(execute=True):
        transfer = transfer_request(actor=world.users["officer_a"], case_id=first.pk,
                                    to_commune_id=world.areas["b"].pk, reason="The family lives in B")
        transfer_decide(actor=world.users["officer_b"], case_id=first.pk, transfer_id=transfer.pk, accept=True)
        case_not_eligible(actor=world.users["officer_a"], case_id=second.pk, reason="A prank call")
    assert [p["event"] for p in receiver.payloads()] == ["report.transferred", "report.closed"]
    # Now owned by commune B, still received: in B's queue, out of A's.
    assert list(triage_queue_for(world.users["officer_b"])) == [first]
    assert list(triage_queue_for(world.users["officer_a"])) == []


def test_the_web_attach_form_and_the_api_write_call_the_same_service(world, open_case, client):
    target = open_case(received_at=ago(30))
    web_report, api_report = open_case(), open_case()
    client.force_login(world.users["officer_a"])
    answer = client.post(f"/cases/{web_report.pk}/act/report_attach/",
                         {"version": web_report.version, "target_code": target.code, "mode": "case",
                          "reason": "Same child"})
    assert answer.status_code == 302
    api = api_for(world.users["officer_a"])
    offers = api.get(f"/api/cases/{api_report.pk}/actions/").json()
    offer = next(o for o in (offers if isinstance(offers, list) else offers["results"]) if o["action"] == "report_attach")
    answer = api.post(offer["url"], {"target_code": target.code, "mode": "case", "reason": "Same child"},
                      format="json")
    assert answer.status_code == 200, answer.content
    assert Case.objects.filter(pk__in=[web_report.pk, api_report.pk], status="not_eligible").count() == 2
    assert CaseEvent.objects.filter(case=target, type=T.REPORT_ATTACHED_HERE).count() == 2
    bad = api.post(offer["url"], {"target_code": target.code, "reason": "again"}, format="json")
    assert (bad.status_code in (400, 409) and "errors" in bad.json()) or "code" in bad.json()


def test_queue_page_and_api_list_are_paginated_show_the_12_hour_clock_and_refuse_reporters(
        world, open_case, client, django_assert_max_num_queries):
    for hours in (2, 3, 4):
        open_case(received_at=ago(hours))
    late = open_case(received_at=ago(13), urgent=True)
    client.force_login(world.users["officer_a"])
    with django_assert_max_num_queries(12):
        page = client.get("/triage/")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.index(late.code) < min(html.index(c.code) for c in Case.objects.exclude(pk=late.pk))
    assert 'data-clock="12h"' in html and "Nguyễn" not in html
    api = api_for(world.users["officer_a"])
    with django_assert_max_num_queries(10):
        body = api.get("/api/triage/reports/").json()
    assert body["count"] == 4 and body["results"][0]["id"] == late.pk
    assert body["results"][0]["clock"]["red"] is True and body["results"][1]["clock"] is None
    assert "full_name" not in json.dumps(body)
    client.force_login(world.users["counsellor_a"])
    assert client.get("/triage/").status_code == 403
    assert api_for(world.users["counsellor_a"]).get("/api/triage/reports/").status_code == 403


def test_the_rules_refuse_a_report_already_taken_up_and_its_own_incident(world, open_case):
    from permissions.triage import attach_refusal

    target, report = open_case(), open_case()
    officer = world.users["officer_a"]
    report_attach(actor=officer, case_id=report.pk, target_code=target.code, mode="incident", reason="Sibling")
    with pytest.raises(ValidationError, match="already belongs"):
        report_attach(actor=officer, case_id=report.pk, target_code=target.code, mode="incident", reason="Again")
    case_verification_start(actor=officer, case_id=report.pk)
    refusal = attach_refusal(case_for_user(officer, report.pk), case_for_user(officer, target.pk), "case")
    assert "waiting in the queue" in refusal
