"""The 111 hotline pushes a report, retries it, and hears back when the commune accepts it."""

import hashlib
import hmac
import json

import pytest
from django.utils import timezone

from casework.models import Area, AreaKind, Case, CaseEvent, CaseEventType
from casework.services.lifecycle import case_not_eligible, case_verification_start
from integrations.models import AreaSuccession, DeliveryStatus, WebhookAttempt, WebhookDelivery
from integrations.webhooks import SIGNATURE_HEADER, TIMESTAMP_HEADER, deliver_due

from .conftest import hotline_report

pytestmark = pytest.mark.django_db
URL = "/api/integrations/reports/"


def post(api, body, key="call-2026-0001"):
    return api.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_three_posts_one_key_make_one_report_at_the_incident_commune_and_accepting_sends_one_signed_callback(
        world, hotline_api, hotline_client, receiver, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        answers = [post(hotline_api, hotline_report()) for _ in range(3)]
    assert [a.status_code for a in answers] == [201, 201, 201]
    assert len({a.json()["id"] for a in answers}) == 1
    assert answers[0].get("Idempotent-Replayed") is None
    assert answers[1]["Idempotent-Replayed"] == "true"
    case = Case.objects.get()
    assert case.commune == world.areas["a"]
    assert case.intake.channel == "hotline"
    assert case.reporting_organisation == world.orgs["hotline"]
    assert CaseEvent.objects.filter(type=CaseEventType.CASE_OPENED).count() == 1
    assert receiver.calls == []  # opening is not a status the sender waits for

    with django_capture_on_commit_callbacks(execute=True):
        case_verification_start(actor=world.users["officer_a"], case_id=case.pk)

    assert len(receiver.calls) == 1
    call = receiver.calls[0]
    payload = json.loads(call["body"])
    assert payload["event"] == "report.accepted"
    assert payload["report"] == {"id": case.pk, "code": case.code, "status": "verifying",
                                 "commune": {"code": "26734", "name": world.areas["a"].name}}
    expected = hmac.new(hotline_client.webhook_secret.encode(),
                        call["headers"][TIMESTAMP_HEADER].encode() + b"." + call["body"], hashlib.sha256).hexdigest()
    assert hmac.compare_digest(call["headers"][SIGNATURE_HEADER], expected)
    # Nothing about the child: not the name, not even its folded form.
    text = call["body"].decode()
    for fragment in ("Nguyễn", "Nguyen", "An\"", "child", "full_name", "estimated_age"):
        assert fragment not in text
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 1
    assert WebhookAttempt.objects.get().status_code == 204


def test_same_key_different_body_is_a_409_in_the_error_model(hotline_api):
    assert post(hotline_api, hotline_report()).status_code == 201
    again = post(hotline_api, hotline_report(description="Another report"))
    assert again.status_code == 409
    assert again.json() == {"detail": "This Idempotency-Key was already used for a different report. Use a new "
                                      "key for a new report.", "code": "idempotency_key_reused", "errors": {}}
    assert Case.objects.count() == 1
    assert post(hotline_api, hotline_report(description="Another report"), key="call-2").status_code == 201
    assert Case.objects.count() == 2


def test_missing_key_and_unknown_area_are_400_with_nothing_written(hotline_api):
    missing = hotline_api.post(URL, hotline_report(), format="json")
    assert missing.status_code == 400
    assert "Idempotency-Key" in missing.json()["errors"]
    unknown = post(hotline_api, hotline_report(incident_area_code="99999"))
    assert unknown.status_code == 400
    assert unknown.json()["errors"] == {"incident_area_code": ["Unknown commune code: 99999."]}
    assert Case.objects.count() == 0
    # The key is free again: a corrected body with it goes through.
    assert post(hotline_api, hotline_report()).status_code == 201


def test_retired_code_maps_to_its_one_successor_and_a_split_one_is_refused(world, hotline_api):
    old = Area.objects.create(code="26735", name="Phường cũ", kind=AreaKind.COMMUNE, parent=world.areas["p1"],
                              valid_to=timezone.localdate().replace(year=2025, month=7, day=1))
    AreaSuccession.objects.create(predecessor=old, successor=world.areas["a"])
    answer = post(hotline_api, hotline_report(incident_area_code="26735"))
    assert answer.status_code == 201
    assert answer.json()["commune"]["code"] == "26734"

    split = Area.objects.create(code="26736", name="Phường tách", kind=AreaKind.COMMUNE, parent=world.areas["p1"],
                                valid_to=old.valid_to)
    AreaSuccession.objects.create(predecessor=split, successor=world.areas["a"])
    AreaSuccession.objects.create(predecessor=split, successor=world.areas["b"])
    refused = post(hotline_api, hotline_report(incident_area_code="26736"), key="k2")
    assert refused.status_code == 400
    assert "split into 26734, 26740" in refused.json()["errors"]["incident_area_code"][0]

    gone = Area.objects.create(code="26737", name="Phường giải thể", kind=AreaKind.COMMUNE,
                               parent=world.areas["p1"], valid_to=old.valid_to)
    refused = post(hotline_api, hotline_report(incident_area_code=gone.code), key="k3")
    assert "no successor" in refused.json()["errors"]["incident_area_code"][0]


def test_the_key_works_only_here_and_not_after_rotation_or_revocation(world, hotline_api, hotline_client):
    created = post(hotline_api, hotline_report()).json()
    status = hotline_api.get(f"{URL}{created['id']}/")
    assert status.status_code == 200
    assert set(status.json()) == {"id", "code", "status", "opened_at", "commune"}
    # Scoped to intake and status: the case API does not accept the key.
    assert hotline_api.get(f"/api/cases/{created['id']}/").status_code in (401, 403)
    assert hotline_api.get("/api/cases/").status_code in (401, 403)

    old_key = hotline_client.plain_key
    hotline_client.issue_key()
    hotline_client.save()
    refused = hotline_api.get(f"{URL}{created['id']}/")
    assert refused.status_code == 401
    assert refused.json()["code"] == "authentication_failed"
    assert refused["WWW-Authenticate"] == "Api-Key"
    assert old_key not in json.dumps(list(type(hotline_client).objects.values()), default=str)

    new = type(hotline_client).objects.get()
    new.revoke()
    new.save()
    hotline_api.credentials(HTTP_AUTHORIZATION=f"Api-Key {old_key}")
    assert hotline_api.get(f"{URL}{created['id']}/").status_code == 401


def test_status_of_a_report_sent_by_someone_else_is_a_404(world, hotline_api, open_case):
    other = open_case()  # reported by the school, not the hotline
    answer = hotline_api.get(f"{URL}{other.pk}/")
    assert answer.status_code == 404
    assert answer.json()["code"] == "not_found"


def test_a_failed_callback_is_retried_with_backoff_and_every_attempt_recorded(
        world, hotline_api, receiver, django_capture_on_commit_callbacks):
    case_id = post(hotline_api, hotline_report()).json()["id"]
    receiver.fail_next = 2
    with django_capture_on_commit_callbacks(execute=True):
        case_not_eligible(actor=world.users["officer_a"], case_id=case_id, reason="Đã có hồ sơ khác.")
    delivery = WebhookDelivery.objects.get()
    assert delivery.kind == "report.closed"
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 1
    first_wait = delivery.next_attempt_at
    assert deliver_due() == 0  # not due yet
    deliver_due(now=first_wait)
    delivery.refresh_from_db()
    assert delivery.attempts == 2 and delivery.next_attempt_at - first_wait > first_wait - delivery.created_at
    deliver_due(now=delivery.next_attempt_at)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert list(delivery.attempt_log.values_list("status_code", flat=True)) == [500, 500, 204]
    assert "Đã có hồ sơ khác" not in receiver.calls[-1]["body"].decode()  # the reason may name people


@pytest.mark.django_db(transaction=True)
def test_the_example_client_script_against_a_live_server(world, live_server, capsys):
    """scripts/hotline_client.py, run as documented, against a real server: three posts, one report."""
    from integrations.demo import load_demo
    from scripts import hotline_client

    key = load_demo(world)
    assert hotline_client.main(["--url", live_server.url, "--key", key, "report", "--call-id", "CALL-9",
                                "--area-code", "26735"]) == 0
    out = capsys.readouterr().out
    assert "reports made: 1" in out
    case = Case.objects.get()
    assert case.commune == world.areas["a"]  # the retired code 26735 maps to its successor
    assert hotline_client.main(["--url", live_server.url, "--key", key, "status", str(case.pk)]) == 0


def test_an_integration_has_a_rate_limit_per_credential(world, hotline_api, settings):
    """Issue 12, item 5: a hotline retrying in a loop gets 429 (error model, Retry-After); the
    officers' own buckets are untouched."""
    from rest_framework.test import APIClient

    settings.API_RATE_LIMITS = {"user": "3/min", "anon": "2/min", "integration": "2/min"}
    codes = [post(hotline_api, hotline_report(), key=f"call-{n}").status_code for n in range(3)]
    assert codes[:2] == [201, 201] and codes[2] == 429
    assert post(hotline_api, hotline_report(), key="call-9").json()["code"] == "throttled"
    officer = APIClient()
    officer.force_authenticate(world.users["officer_a"])
    assert officer.get("/api/cases/").status_code == 200
