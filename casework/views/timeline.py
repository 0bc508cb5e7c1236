"""Journey C: a case's timeline, read top to bottom, filterable, and exported as PDF."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import FieldDoesNotExist
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from permissions.roles import RoleCode
from workflows.states import (
    CaseStatus,
    EmergencyMeasureStatus,
    IsolationStatus,
    PlanStatus,
    ProtectionLevel,
    RiskLevel,
    TaskStatus,
    TransferStatus,
)

from .. import access_log
from .. import forms as F
from ..models import (
    Case,
    CaseConference,
    CaseEventType,
    ComprehensiveAssessment,
    EmergencyMeasure,
    InitialAssessment,
    Intake,
    IsolationOrder,
    Plan,
    Review,
    Task,
    TaskLog,
)
from ..models import CaseEventType as E
from ..selectors import CLOCK_LABELS, case_clocks_for, case_timeline
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


# Which record an event's data copies (services snapshot what was written into the event).
RECORD_MODELS = {
    E.INITIAL_ASSESSMENT_RECORDED: InitialAssessment, E.COMPREHENSIVE_ASSESSMENT_RECORDED: ComprehensiveAssessment,
    E.CONFERENCE_RECORDED: CaseConference, E.REVIEW_RECORDED: Review, E.EMERGENCY_MEASURE_ORDERED: EmergencyMeasure,
    E.ISOLATION_ISSUED: IsolationOrder, E.PLAN_DRAFTED: Plan, E.PLAN_UPDATED: Plan, E.TASK_ASSIGNED: Task,
    E.TASK_LOGGED: TaskLog, E.CASE_OPENED: Intake,
}
# Data keys that are no model field.
KEY_LABELS = {"organisation_name": gettext_lazy("Body"), "level": gettext_lazy("Protection level"),
              "measures": gettext_lazy("Measures"), "emergency_needed": gettext_lazy("Emergency measures needed"),
              "kind": gettext_lazy("Kind"), "informed_at": gettext_lazy("Information received at"),
              "delegation_ref": gettext_lazy("Decided under the delegation"),
              "recipients": gettext_lazy("Decision sent to"),
              "cancelled_tasks": gettext_lazy("Tasks cancelled"),
              "cancelled_measures": gettext_lazy("Emergency measures cancelled"),
              "permissions": gettext_lazy("Access given"), "permission": gettext_lazy("Access given"),
              "expires_at": gettext_lazy("Access until")}
# Keys that are ids or shown elsewhere in the row.
HIDDEN_KEYS = {"record", "plan", "task", "log", "measure", "order", "transfer", "organisation", "responsible",
               "coordinating", "tasks", "tasks_cancelled", "routed_to", "to_commune", "from_commune", "channel",
               "clock", "subject", "late_by_minutes", "due_at", "version", "decision_no", "days", "total_days",
               "plan_returned", "delegation", "cancelled_transfer", "parents_recipient",
               # Grants: ids of the grantee and of the guardian rows (the event stores no name).
               "user", "group", "grant", "grants"}
# What a grant opens (guardian codenames, services/grants.py), never shown as a code.
PERMISSION_LABELS = {"view_case": gettext_lazy("See the case file"),
                     "view_case_identity": gettext_lazy("See the child's identity")}
# Whom a grant names (the "kind" of a grant event).
GRANTEE_LABELS = {"user": gettext_lazy("A person"), "group": gettext_lazy("A group")}
# How an identity was read (access_log channels): never shown as a code (issue 8, item 12).
CHANNEL_LABELS = {"page": gettext_lazy("Case page"), "print": gettext_lazy("Printed form"),
                  "registry_search": gettext_lazy("Search of the registry"),
                  "duplicate_check": gettext_lazy("Duplicate check"), "api": gettext_lazy("API"),
                  "export": gettext_lazy("Export of the case file")}


def _term_labels() -> dict[str, str]:
    """Code → label of the measures and emergency measures (seed data), loaded once per page."""
    from ..models import Term, TermKind

    return {code: label for code, label in Term.objects.filter(
        kind__in=[TermKind.MEASURE, TermKind.EMERGENCY_MEASURE]).values_list("code", "label_vi")}


def _readable(key: str, value, terms: dict) -> object:
    """A data value as a person reads it: codes as labels, instants as local dates, lists joined."""
    if key == "kind" and isinstance(value, str):
        return terms.get(value, GRANTEE_LABELS.get(value, value))
    if key in ("permission", "permissions"):
        codes = value if isinstance(value, list) else [value]
        return "; ".join(str(PERMISSION_LABELS.get(c, c)) for c in codes)
    if key == "level" and value in ProtectionLevel.values:
        return ProtectionLevel(value).label
    if key.endswith("_at") and isinstance(value, str):
        try:
            return date_format(timezone.localtime(dt.datetime.fromisoformat(value)), "SHORT_DATETIME_FORMAT")
        except ValueError:
            return value
    if key.startswith("cancelled_") and isinstance(value, list):
        return len(value)
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return value


class Words:
    """The labels of one timeline, each translated once.

    Issue 14: ``event.get_type_display()`` rebuilds a hashable copy of every event type's lazy
    label on each call (a hundred translations per event), and field labels and choices were
    looked up again per event; on a 300-event timeline that was most of the page's time.
    """

    def __init__(self):
        self.types = {value: str(label) for value, label in CaseEventType.choices}
        self.states = {value: str(label) for value, label in STATE_LABELS.items()}
        self.roles = {value: str(label) for value, label in ROLE_LABELS.items()}
        self._fields: dict = {}
        self._case_fields: dict = {}

    def field(self, model, key: str):
        """(verbose name, choices as a dict or None) of a model field, None if there is none."""
        if (model, key) not in self._fields:
            try:
                field = model._meta.get_field(key)
            except FieldDoesNotExist:
                self._fields[model, key] = None
            else:
                self._fields[model, key] = (str(field.verbose_name), {value: str(label) for value, label
                                                                      in field.flatchoices} if field.choices else None)
        return self._fields[model, key]

    def case_field(self, name: str) -> str:
        if name not in self._case_fields:
            self._case_fields[name] = case_field_label(name)
        return self._case_fields[name]

    def state(self, value: str) -> str:
        return self.states.get(value, value)


def recorded(event, terms: dict | None = None, words: Words | None = None) -> list[tuple[str, str]]:
    """What the event says was written, as (label, value) pairs a person can read."""
    model = RECORD_MODELS.get(event.type)
    terms = terms if terms is not None else {}
    words = words or Words()
    rows = []
    for key, value in (event.data or {}).items():
        if key in HIDDEN_KEYS or key.endswith("_id") or value in (None, "", [], {}):
            continue
        label, shown = KEY_LABELS.get(key, key.replace("_", " ")), _readable(key, value, terms)
        if key == "measures" and isinstance(value, list):
            shown = "; ".join(f"{terms.get(m.get('kind', ''), m.get('kind', ''))} — {m.get('responsible_name', '')} "
                              f"({m.get('starts_on', '')} → {m.get('ends_on', '')})" for m in value)
        elif model is not None and key not in KEY_LABELS:
            field = words.field(model, key)
            if field is not None:
                label = field[0]
                if field[1] is not None:
                    shown = field[1].get(value, value)
        if isinstance(shown, bool):
            shown = _("yes") if shown else _("no")
        rows.append((label, str(shown)))
    return rows


# The models' own verbose names (already in the catalogue).
DETAIL_LABELS = {"decision_no": gettext_lazy("decision number"), "days": gettext_lazy("Days"),
                 "total_days": gettext_lazy("total days"), "version": gettext_lazy("version")}


def case_field_label(name: str) -> str:
    try:
        return str(Case._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name.replace("_", " ")


def event_row(event, terms: dict | None = None, words: Words | None = None) -> dict:
    words = words or Words()
    details = []
    data = event.data or {}
    if event.type == CaseEventType.DEADLINE_BREACHED:
        details.append(_("Clock: %(clock)s, late by %(minutes)s minutes") % {
            "clock": CLOCK_LABELS.get(data.get("clock"), data.get("clock")), "minutes": data.get("late_by_minutes")})
    if event.type == CaseEventType.IDENTITY_VIEWED:
        channel = data.get("channel", "")
        details.append(_("Channel: %(channel)s") % {"channel": CHANNEL_LABELS.get(channel, channel)})
    for key in ("decision_no", "days", "total_days", "version"):
        if key in data:
            details.append(f"{capfirst(DETAIL_LABELS[key])}: {data[key]}")
    changes = []
    for name, value in (event.changes or {}).items():
        label = words.case_field(name)
        if isinstance(value, list) and len(value) == 2:
            changes.append(f"{label}: {words.state(str(value[0]))} → {words.state(str(value[1]))}")
        else:
            changes.append(f"{label}: {words.state(str(value))}")
    return {
        "event": event, "label": words.types.get(event.type, event.type), "group": event.type // 100,
        "who": event.actor_name or _("system"), "role": words.roles.get(event.actor_role, event.actor_role),
        "organisation": event.actor_organisation, "at": event.at,
        "from": words.state(event.from_state) if event.from_state else "",
        "to": words.state(event.to_state) if event.to_state else "",
        "reason": event.reason, "changes": changes, "details": details, "recorded": recorded(event, terms, words),
    }


def timeline_context(request, case_id) -> dict:
    access = content_or_404(request.user, case_id)
    form = F.TimelineFilterForm(request.GET or None, kinds=kind_choices())
    events = filter_events(case_timeline(access), form)
    terms, words = _term_labels(), Words()
    rows = [event_row(e, terms, words) for e in events]
    return {"access": access, "case": access.case, "form": form, "rows": rows, "clocks": case_clocks_for(access),
            "filtered": bool(request.GET.get("kind") or request.GET.get("date_from") or request.GET.get("date_to")),
            "now": timezone.now()}


@login_required
def timeline(request, case_id):
    return render(request, "casework/timeline.html", timeline_context(request, case_id))


@login_required
def timeline_pdf(request, case_id):
    ctx = timeline_context(request, case_id)
    access_log.log_export(ctx["access"], document="timeline_pdf")
    html = render_to_string("casework/print/timeline.html", ctx, request=request)
    return pdf_response(request, html, f"timeline-{ctx['case'].code}.pdf",
                        html_url=reverse("web:timeline", args=[ctx["case"].pk]))
