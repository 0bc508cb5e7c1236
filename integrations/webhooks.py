"""Status callbacks to the system that sent a report: signed, retried with backoff, every
attempt recorded. They carry the report's id, code and status, never the child's identity."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from casework.models import CaseEventType as T

from .models import DeliveryStatus, IdempotentRequest, WebhookAttempt, WebhookDelivery

# What the sender learns (DOMAIN.md §3 steps 1–3): taken up, moved to another commune, ended.
EVENTS = {
    T.VERIFICATION_STARTED: "report.accepted",
    T.TRANSFER_ACCEPTED: "report.transferred",
    T.CASE_CLOSED: "report.closed",
    T.CASE_NOT_ELIGIBLE: "report.closed",
    T.REPORT_ATTACHED: "report.attached",
}
MAX_ATTEMPTS = 6
BACKOFF_SECONDS = 30  # 30 s, 1 min, 2 min, 4 min, 8 min between the six attempts
TIMEOUT_SECONDS = 10
SIGNATURE_HEADER = "X-Signature-SHA256"
TIMESTAMP_HEADER = "X-Signature-Timestamp"


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 over "<timestamp>.<body>": a replayed old callback fails the timestamp check."""
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def on_case_event(sender, instance, created, **kwargs) -> None:
    kind = EVENTS.get(instance.type)
    if not created or kind is None:
        return
    reqs = (IdempotentRequest.objects.filter(case_id=instance.case_id, client__active=True)
            .exclude(client__webhook_url="").select_related("client", "case__commune"))
    for req in reqs:
        case = req.case
        payload = {"event": kind, "event_id": instance.pk, "occurred_at": instance.at.isoformat(),
                   "report": {"id": case.pk, "code": case.code, "status": case.status,
                              "commune": {"code": case.commune.code, "name": case.commune.name}}}
        delivery, made = WebhookDelivery.objects.get_or_create(
            client=req.client, event=instance,
            defaults={"case": case, "kind": kind, "payload": payload, "next_attempt_at": timezone.now()})
        if made:
            transaction.on_commit(lambda pk=delivery.pk: deliver.enqueue(pk))


def _post(url: str, body: bytes, headers: dict) -> int:
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def attempt(delivery: WebhookDelivery, now=None) -> WebhookAttempt:
    """One POST of the callback, recorded whatever happens."""
    body = json.dumps(delivery.payload, ensure_ascii=False, sort_keys=True).encode()
    timestamp = str(int(time.time()))
    headers = {"Content-Type": "application/json", TIMESTAMP_HEADER: timestamp,
               SIGNATURE_HEADER: sign(delivery.client.webhook_secret, timestamp, body),
               "X-Delivery-Id": str(delivery.pk), "User-Agent": "child-protection-callbacks/1"}
    started = time.monotonic()
    code, error = None, ""
    try:
        code = _post(delivery.client.webhook_url, body, headers)
        if not 200 <= code < 300:
            error = f"HTTP {code}"
    except (OSError, ValueError) as exc:  # refused, timed out, bad URL: the kind only, no body
        error = type(exc).__name__
    delivery.attempts += 1
    log = WebhookAttempt.objects.create(delivery=delivery, number=delivery.attempts, status_code=code,
                                        error=error[:255], duration_ms=int((time.monotonic() - started) * 1000))
    now = now or timezone.now()
    if not error:
        delivery.status, delivery.delivered_at, delivery.next_attempt_at = DeliveryStatus.DELIVERED, now, None
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
    else:
        delivery.next_attempt_at = now + dt.timedelta(seconds=BACKOFF_SECONDS * 2 ** (delivery.attempts - 1))
    delivery.save(update_fields=["attempts", "status", "delivered_at", "next_attempt_at"])
    return log


@task()
def deliver(delivery_id: int) -> str:
    return deliver_once(delivery_id)


def deliver_once(delivery_id: int, now=None) -> str:
    """Attempt one pending callback if it is due at ``now``; queue its retry if it failed."""
    now = now or timezone.now()
    with transaction.atomic():
        delivery = (WebhookDelivery.objects.select_for_update().select_related("client")
                    .filter(pk=delivery_id, status=DeliveryStatus.PENDING).first())
        if delivery is None:
            return "gone"
        if delivery.next_attempt_at and delivery.next_attempt_at > now:
            return "not due"
        attempt(delivery, now)
        status, due = delivery.status, delivery.next_attempt_at
    if status == DeliveryStatus.PENDING and due is not None and deliver.get_backend().supports_defer:
        # The database queue holds the retry until it is due (db_worker picks it up).
        deliver.using(run_after=due).enqueue(delivery_id)
    return status


def deliver_due(now=None) -> int:
    """Retry every pending callback that is due (for queues that cannot defer, and after an outage)."""
    now = now or timezone.now()
    due = list(WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
               .values_list("pk", flat=True)[:500])
    for pk in due:
        deliver_once(pk, now)
    return len(due)
