"""The commune's triage queue: read only, one query for a page of reports (plus their clocks)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from casework.models import Case, Transfer
from casework.selectors.identity import masked_child
from permissions.triage import triage_queue_filter
from workflows.states import TransferStatus

# Decree 56 art. 26.3, 31: emergency support measures within 12 clock hours of receipt.
URGENT_HOURS = 12


def triage_queue_for(user) -> QuerySet[Case]:
    """Received reports of the communes the user triages: urgent ones first, then the oldest."""
    pending = Transfer.objects.filter(case=OuterRef("pk"), status=TransferStatus.REQUESTED)
    return (Case.objects.filter(triage_queue_filter(user))
            .select_related("intake", "commune", "reporting_organisation", "child")
            .annotate(transfer_pending=Exists(pending))
            .order_by("-intake__urgent", "intake__received_at", "pk"))


def urgent_clock(case: Case, now: dt.datetime | None = None) -> dict | None:
    """The 12-hour clock of an urgent report, from the time it was received (not from entry)."""
    if not case.intake.urgent:
        return None
    now = now or timezone.now()
    due = case.intake.received_at + dt.timedelta(hours=URGENT_HOURS)
    minutes = int((due - now).total_seconds() // 60)
    return {"due_at": due, "remaining_minutes": max(minutes, 0), "overdue_minutes": max(-minutes, 0),
            "red": minutes < 0, "amber": 0 <= minutes < 4 * 60}


def queue_row(case: Case, now: dt.datetime | None = None) -> dict:
    """A queue entry: no name — the child is masked (initials, age band, sex) as on every list."""
    return {"case": case, "id": case.pk, "code": case.code, "received_at": case.intake.received_at,
            "channel": case.intake.channel, "channel_label": case.intake.get_channel_display(),
            "classification": case.intake.classification,
            "classification_label": case.intake.get_classification_display(),
            "urgent": case.intake.urgent, "commune": case.commune, "reporter": case.reporting_organisation,
            "transfer_pending": getattr(case, "transfer_pending", False),
            "child": masked_child(case.child),
            "clock": urgent_clock(case, now)}


__all__ = ["URGENT_HOURS", "queue_row", "triage_queue_for", "urgent_clock"]
