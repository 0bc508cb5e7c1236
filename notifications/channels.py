"""Outbound channels: a notice leaves the app by e-mail (Django's e-mail backend; SMTP in production).

What a message may say is fixed here and nowhere else: the case number, what happened, the clock
and its deadline, and a link to the case. Never the child's name, age, address, school or class
(DOMAIN.md §6): the message is built from the event's type and the case's code only, never from
the case's records, so no child field can slip in.

Each (notice, channel) is one ``Delivery`` row, sent by a background task that holds the row lock
while it talks to the server: two workers never send the same row, and a row marked sent is never
sent again. SMTP cannot be exactly-once: if a worker dies after the server accepted a message and
before the row was marked sent, the retry sends it again — with the same Message-ID, so mail
systems and readers can recognise the copy.

A channel is a class with ``wants(user, event)`` and ``send(delivery)``; ``CHANNELS`` lists them.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from casework.models import CaseEvent
from casework.models import CaseEventType as T
from casework.models.deadlines import REVIEW_CLOCK, TASK_CLOCK
from workflows.policy import DeadlineKind

from .models import Delivery, DeliveryState, EmailChoice, Notification, Preference

MAX_ATTEMPTS = 5
# Sent whatever the user chose: a child may be in danger now, or a deadline was missed.
URGENT = {T.EMERGENCY_DECLARED, T.EMERGENCY_MEASURE_ORDERED, T.EMERGENCY_MEASURE_NOT_POSSIBLE,
          T.DEADLINE_BREACHED, T.DEADLINE_ESCALATED}
URGENT_CLOCKS = {DeadlineKind.EMERGENCY_MEASURES, DeadlineKind.ISOLATION_ORDER}


def is_urgent(event: CaseEvent) -> bool:
    return event.type in URGENT or (event.type == T.DEADLINE_WARNING
                                    and (event.data or {}).get("clock") in URGENT_CLOCKS)


def clock_label(kind: str) -> str:
    if kind == TASK_CLOCK:
        return _("Task due date")
    if kind == REVIEW_CLOCK:
        return _("Plan review date")
    try:
        return str(DeadlineKind(kind).label)
    except ValueError:
        return kind


def case_link(case_id: int) -> str:
    return getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/") + reverse("web:case", args=[case_id])


def message_context(event: CaseEvent) -> dict:
    """Everything a message may show. Built from the event and the case number only."""
    data = event.data or {}
    due = data.get("due_at")
    return {
        "code": event.case.code,
        "what": event.get_type_display(),
        "at": timezone.localtime(event.at),
        "clock": clock_label(data["clock"]) if data.get("clock") else "",
        "due_at": timezone.localtime(dt.datetime.fromisoformat(due)) if due else None,
        "link": case_link(event.case_id),
        "urgent": is_urgent(event),
    }


class EmailChannel:
    name = "email"

    @staticmethod
    def enabled() -> bool:
        return bool(getattr(settings, "NOTIFY_BY_EMAIL", False))

    def wants(self, user, event: CaseEvent, choice: str) -> bool:
        if not user.email or not user.is_active:
            return False
        return choice == EmailChoice.IMMEDIATE or is_urgent(event)

    def send(self, delivery: Delivery) -> None:
        note = delivery.notification
        with translation.override(settings.LANGUAGE_CODE):
            context = message_context(note.event)
            subject = _("[%(code)s] %(what)s") % context
            text = render_to_string("notifications/email/notice.txt", context)
            html = render_to_string("notifications/email/notice.html", context)
        domain = getattr(settings, "SITE_URL", "http://localhost").split("//")[-1].split("/")[0].split(":")[0]
        message = EmailMultiAlternatives(
            subject, text, settings.DEFAULT_FROM_EMAIL, [note.recipient.email],
            # Stable: a copy sent again after a crash carries the same id.
            headers={"Message-ID": f"<notice-{delivery.pk}@{domain or 'localhost'}>"},
        )
        message.attach_alternative(html, "text/html")
        message.send(fail_silently=False)


CHANNELS = [EmailChannel()]


def deliveries_plan(event: CaseEvent) -> list[int]:
    """Create the outbound deliveries of an event's notices; the ids still to send.

    Who: the delivery task. Writes: Delivery rows (one per notice and channel wanted).
    """
    channels = [c for c in CHANNELS if c.enabled()]
    if not channels:
        return []
    notes = list(Notification.objects.filter(event=event).select_related("recipient"))
    choices = dict(Preference.objects.filter(user_id__in=[n.recipient_id for n in notes])
                   .values_list("user_id", "email"))
    wanted = [Delivery(notification=n, channel=c.name) for n in notes for c in channels
              if c.wants(n.recipient, event, choices.get(n.recipient_id, EmailChoice.IMMEDIATE))]
    Delivery.objects.bulk_create(wanted, ignore_conflicts=True)
    return list(Delivery.objects.filter(notification__event=event, state=DeliveryState.PENDING)
                .values_list("pk", flat=True))


def delivery_send(delivery_id: int) -> str:
    """Send one delivery; on failure try again later with backoff (1, 2, 4, 8 minutes), then give up.

    Who: the delivery task. Writes: Delivery.state/attempts/sent_at/error; a retry task.
    """
    from .dispatch import send_delivery

    channels = {c.name: c for c in CHANNELS}
    with transaction.atomic():
        delivery = (Delivery.objects.select_for_update(of=("self",))
                    .select_related("notification__recipient", "notification__event__case")
                    .filter(pk=delivery_id).first())
        if delivery is None or delivery.state != DeliveryState.PENDING:
            return "done"
        delivery.attempts += 1
        try:
            channels[delivery.channel].send(delivery)
        except Exception as exc:
            # The type only: a server's message may quote the recipient, never a child, but keep
            # the record short and free of content.
            delivery.error = type(exc).__name__[:255]
            if delivery.attempts >= MAX_ATTEMPTS:
                delivery.state = DeliveryState.FAILED
            elif send_delivery.get_backend().supports_defer:
                send_delivery.using(run_after=timezone.now() + dt.timedelta(minutes=2 ** (delivery.attempts - 1))
                                    ).enqueue(delivery.pk)
            delivery.save(update_fields=["attempts", "error", "state"])
            return "failed"
        delivery.state, delivery.sent_at, delivery.error = DeliveryState.SENT, timezone.now(), ""
        delivery.save(update_fields=["attempts", "state", "sent_at", "error"])
    return "sent"


__all__ = ["CHANNELS", "EmailChannel", "deliveries_plan", "delivery_send", "is_urgent", "message_context"]
