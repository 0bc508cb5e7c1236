"""Journey C: a case's timeline, read top to bottom, filterable, and exported as PDF."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy

from permissions.roles import RoleCode
from workflows.states import (
    CaseStatus, EmergencyMeasureStatus, IsolationStatus, PlanStatus, ProtectionLevel, RiskLevel, TaskStatus,
    TransferStatus,
)

from .. import forms as F
from ..models import CaseEventType
from ..selectors import case_clocks_for, case_timeline
from ..services.deadlines import CLOCK_LABELS
from ._common import content_or_404, login_required
from .pdf import pdf_response

GROUPS = [
    ("g1", gettext_lazy("Intake and routing"), 100, 200),
    ("g2", gettext_lazy("Verification, assessment and emergency"), 200, 300),
    ("g3", gettext_lazy("Plans and approval"), 300, 400),
    ("g4", gettext_lazy("Tasks"), 400, 500),
    ("g5", gettext_lazy("Review and closure"), 500, 600),
    ("g6", gettext_lazy("Deadlines"), 600, 700),
    ("g7", gettext_lazy("Access and reads"), 700, 800),
]

# Later enums win only where earlier ones lack the value (a case's "returned" is the case's).
STATE_LABELS: dict[str, str] = {}
for enum in (CaseStatus, TaskStatus, PlanStatus, TransferStatus, IsolationStatus, EmergencyMeasureStatus,
             ProtectionLevel, RiskLevel):
    for value, label in enum.choices:
        STATE_LABELS.setdefault(value, label)
ROLE_LABELS = dict(RoleCode.choices)


def kind_choices():
    groups = [(code, label) for code, label, _lo, _hi in GROUPS]
    types = [(str(value), label) for value, label in CaseEventType.choices]
    return [(_("Groups"), groups), (_("Events"), types)]


def filter_events(qs, form):
    if not form.is_valid():
        return qs
    kind = form.cleaned_data.get("kind")
    if kind:
        group = next((g for g in GROUPS if g[0] == kind), None)
        if group:
            qs = qs.filter(type__gte=group[2], type__lt=group[3])
        elif kind.isdigit():
            qs = qs.filter(type=int(kind))
    tz = timezone.get_current_timezone()
    if form.cleaned_data.get("date_from"):
        qs = qs.filter(at__gte=dt.datetime.combine(form.cleaned_data["date_from"], dt.time.min, tzinfo=tz))
    if form.cleaned_data.get("date_to"):
        qs = qs.filter(at__lt=dt.datetime.combine(form.cleaned_data["date_to"] + dt.timedelta(days=1), dt.time.min,
                                                  tzinfo=tz))
    return qs


def state_label(value: str) -> str:
    return str(STATE_LABELS.get(value, value))


def event_row(event) -> dict:
    details = []
    data = event.data or {}
    if event.type == CaseEventType.DEADLINE_BREACHED:
        details.append(_("Clock: %(clock)s, late by %(minutes)s minutes") % {
            "clock": CLOCK_LABELS.get(data.get("clock"), data.get("clock")), "minutes": data.get("late_by_minutes")})
    if event.type == CaseEventType.IDENTITY_VIEWED:
        details.append(_("Channel: %(channel)s") % {"channel": data.get("channel", "")})
    for key in ("decision_no", "days", "total_days", "version"):
        if key in data:
            details.append(f"{key}: {data[key]}")
    changes = []
    for name, value in (event.changes or {}).items():
        if isinstance(value, list) and len(value) == 2:
            changes.append(f"{name}: {state_label(str(value[0]))} → {state_label(str(value[1]))}")
        else:
            changes.append(f"{name}: {value}")
    return {
        "event": event, "label": event.get_type_display(), "group": event.type // 100,
        "who": event.actor_name or _("system"), "role": ROLE_LABELS.get(event.actor_role, event.actor_role),
        "organisation": event.actor_organisation, "at": event.at,
        "from": state_label(event.from_state) if event.from_state else "",
        "to": state_label(event.to_state) if event.to_state else "",
        "reason": event.reason, "changes": changes, "details": details,
    }


def timeline_context(request, case_id) -> dict:
    access = content_or_404(request.user, case_id)
    form = F.TimelineFilterForm(request.GET or None, kinds=kind_choices())
    events = filter_events(case_timeline(access), form)
    rows = [event_row(e) for e in events]
    return {"access": access, "case": access.case, "form": form, "rows": rows, "clocks": case_clocks_for(access),
            "filtered": bool(request.GET.get("kind") or request.GET.get("date_from") or request.GET.get("date_to")),
            "now": timezone.now()}


@login_required
def timeline(request, case_id):
    return render(request, "casework/timeline.html", timeline_context(request, case_id))


@login_required
def timeline_pdf(request, case_id):
    ctx = timeline_context(request, case_id)
    html = render_to_string("casework/print/timeline.html", ctx, request=request)
    return pdf_response(request, html, f"timeline-{ctx['case'].code}.pdf",
                        html_url=reverse("web:timeline", args=[ctx["case"].pk]))
