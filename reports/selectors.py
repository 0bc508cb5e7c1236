"""Reads for pages and the API: report lists, the actions offered on a report, dashboards.

Selectors never write. Each dashboard is a fixed number of aggregate queries whatever the
number of cases (pinned by the tests).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models import Area, AreaKind, Case, CaseDeadline, ClockState, Organisation, OrganisationKind, Task
from permissions.access import assignments_of, case_queryset_for
from permissions.reports import figure_scopes, receiving_bodies, report_caps, visible_reports_q
from permissions.roles import Capability as C, RoleCode, Scope
from workflows.states import OPEN_CASE_STATUSES, OPEN_TASK_STATUSES, CaseStatus

from . import conf
from .charts import Bar, bar_chart
from .flows import EDITABLE, ReportFlow
from .indicators import indicator_breakdown, indicator_value, missed_q
from .models import Report, ReportKind, ReportStatus


def report_list_for_user(user):
    return (Report.objects.filter(visible_reports_q(user)).select_related("body", "recipient", "area")
            .order_by("-period_end", "-id"))


# ------------------------------------------------------------------ what a user may do on a report

@dataclass(frozen=True)
class Offer:
    key: str
    label: str
    allowed: bool
    reason: str = ""
    needs_reason: bool = False
    style: str = ""
    # False when the user does not hold the role at all: pages then show nothing for it.
    relevant: bool = True


ACTIONS = [
    # key, flow transition (or None for an edit), capability, label, needs a reason, style
    ("refresh", None, C.REPORT_DRAFT, _("Refresh the figures from live data"), False, "secondary"),
    ("submit", "submit", C.REPORT_DRAFT, _("Submit for signature"), False, ""),
    ("send_back", "send_back", C.REPORT_SIGN, _("Send back to the drafter"), True, "secondary"),
    ("sign", "sign", C.REPORT_SIGN, _("Sign"), False, ""),
    ("send", "send", C.REPORT_DRAFT, _("Send to the body above"), False, ""),
    ("receive", "receive", C.REPORT_RECEIVE, _("Acknowledge receipt"), False, ""),
    ("return", "return_for_supplement", C.REPORT_RECEIVE, _("Return for a supplement"), True, "secondary"),
]
NOT_YOURS = _("You do not hold this role for this report.")
NOT_NOW = _("Not possible in the report's current state.")


def report_offers(user, report: Report, caps: frozenset[str] | None = None) -> list[Offer]:
    """Every action on the report with whether this user may take it now, and why not.

    The one offer function: pages draw their buttons and the API lists ``actions`` from it.
    """
    caps = report_caps(user, report) if caps is None else caps
    flow = ReportFlow(report, caps=caps)
    offers = []
    for key, transition, capability, label, needs_reason, style in ACTIONS:
        if capability not in caps:
            offers.append(Offer(key, str(label), False, str(NOT_YOURS), needs_reason, style, relevant=False))
            continue
        if transition is None:
            ok = report.status in EDITABLE
            offers.append(Offer(key, str(label), ok, "" if ok else str(NOT_NOW), needs_reason, style))
            continue
        bound = getattr(flow, transition)
        if not bound.can_proceed(check_conditions=False):
            offers.append(Offer(key, str(label), False, str(NOT_NOW), needs_reason, style))
            continue
        results = [c(flow) for t in bound.get_transitions() if str(t.source) == report.status for c in t.conditions]
        unmet = [str(r.unmet) for r in results if not r.is_true]
        offers.append(Offer(key, str(label), not unmet, " ".join(unmet), needs_reason, style))
    return offers


def can_edit_narrative(caps, report: Report) -> bool:
    return C.REPORT_DRAFT in caps and report.status in EDITABLE


# ------------------------------------------------------------------ dashboards

def year_to_date(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    today = today or timezone.localdate()
    return dt.date(today.year, 1, 1), today


def _area_paths(user, role_codes: set[str]) -> list[str]:
    return sorted({a.area.path for a in assignments_of(user)
                   if a.role.code in role_codes and a.role.scope == Scope.AREA})


def _owned_cases(user, paths: list[str]):
    q = Q(pk__in=[])
    for p in paths:
        q |= Q(commune__path__startswith=p)
    return case_queryset_for(user).filter(q)


def officer_dashboard(user, today: dt.date | None = None) -> dict | None:
    """The officer's clocks and tasks: what runs, what is missed, what is due next."""
    paths = _area_paths(user, {RoleCode.OFFICER})
    if not paths:
        return None
    now = timezone.now()
    cases = _owned_cases(user, paths).filter(status__in=OPEN_CASE_STATUSES)
    clocks = CaseDeadline.objects.filter(case__in=cases, state__in=[ClockState.RUNNING, ClockState.BREACHED])
    states = clocks.aggregate(running=Count("pk", filter=Q(state=ClockState.RUNNING, due_at__gte=now)),
                              missed=Count("pk", filter=missed_q(now)),
                              due_soon=Count("pk", filter=Q(state=ClockState.RUNNING, due_at__gte=now,
                                                            warn_at__lte=now)))
    next_due = list(clocks.filter(state=ClockState.RUNNING, due_at__gte=now).select_related("case")
                    .order_by("due_at")[:10])
    tasks = Task.objects.filter(case__in=cases, status__in=OPEN_TASK_STATUSES)
    task_counts = tasks.aggregate(open=Count("pk"),
                                  overdue=Count("pk", filter=Q(due_on__lt=today or timezone.localdate())))
    from casework.services.deadlines import CLOCK_LABELS

    bars = [Bar(str(_("Running")), states["running"]), Bar(str(_("Warning")), states["due_soon"]),
            Bar(str(_("Missed")), states["missed"])]
    # Art. 30.3: closed files go to the national child database (exported one by one).
    closed = list(_owned_cases(user, paths).filter(status=CaseStatus.CLOSED).order_by("-closed_at")
                  .only("pk", "code", "closed_at")[:10])
    return {"clocks": states, "next_due": [(c, CLOCK_LABELS.get(c.kind, c.kind)) for c in next_due],
            "tasks": task_counts, "chart": bar_chart(bars), "bars": bars, "closed": closed}


def chair_dashboard(user, today: dt.date | None = None) -> dict | None:
    """Decisions waiting for the chairperson and the clocks missed this month."""
    paths = _area_paths(user, {RoleCode.CHAIR})
    if not paths:
        return None
    today = today or timezone.localdate()
    cases = _owned_cases(user, paths)
    waiting = cases.aggregate(
        plans=Count("pk", filter=Q(status=CaseStatus.AWAITING_APPROVAL)),
        emergencies=Count("pk", filter=Q(status=CaseStatus.EMERGENCY)),
        reviews=Count("pk", filter=Q(status=CaseStatus.REVIEWING)))
    tz = timezone.get_current_timezone()
    month_start = dt.datetime.combine(today.replace(day=1), dt.time.min, tzinfo=tz)
    missed = (CaseDeadline.objects.filter(case__in=cases, due_at__gte=month_start, due_at__lte=timezone.now())
              .filter(missed_q()).values("kind").annotate(n=Count("pk")).order_by("kind"))
    from casework.services.deadlines import CLOCK_LABELS

    missed_rows = [(CLOCK_LABELS.get(r["kind"], r["kind"]), r["n"]) for r in missed]
    signing = [a.organisation_id for a in assignments_of(user) if C.REPORT_SIGN in a.role.capabilities]
    to_sign = list(Report.objects.filter(body_id__in=signing, status=ReportStatus.SUBMITTED).order_by("due_on")[:20])
    bars = [Bar(str(_("Plans to approve")), waiting["plans"]), Bar(str(_("Emergencies")), waiting["emergencies"]),
            Bar(str(_("Reviews to decide")), waiting["reviews"])]
    return {"waiting": waiting, "missed": missed_rows, "missed_total": sum(n for _l, n in missed_rows),
            "to_sign": to_sign, "chart": bar_chart(bars), "bars": bars}


def current_period(today: dt.date | None = None) -> tuple[str, dt.date, dt.date]:
    """The 6-month or annual period whose report is due next (or was due last, if still open)."""
    today = today or timezone.localdate()
    candidates = []
    for kind in (ReportKind.SIX_MONTH, ReportKind.ANNUAL):
        for year in (today.year - 1, today.year, today.year + 1):
            start, end = conf.default_period(kind, year)
            candidates.append((end, kind, start))
    past = [c for c in candidates if c[0] <= today]
    end, kind, start = max(past)
    return kind, start, end


def supervisor_dashboard(user, *, start: dt.date, end: dt.date, page: int = 1) -> dict | None:
    """Communes of the supervisor's area ranked by missed clocks, open cases and late reports."""
    from django.core.paginator import Paginator

    from .services import below_status

    assignments = [a for a in assignments_of(user) if a.role.code == RoleCode.SUPERVISOR]
    if not assignments:
        return None
    a = assignments[0]
    path = a.area.path
    now = timezone.now()
    open_sq = (Case.objects.filter(commune_id=OuterRef("pk"), status__in=OPEN_CASE_STATUSES)
               .values("commune_id").annotate(n=Count("pk")).values("n"))
    missed_sq = (CaseDeadline.objects.filter(case__commune_id=OuterRef("pk")).filter(missed_q(now))
                 .exclude(case__status__in=[CaseStatus.CLOSED, CaseStatus.NOT_ELIGIBLE])
                 .values("case__commune_id").annotate(n=Count("pk")).values("n"))
    communes = (Area.objects.filter(kind=AreaKind.COMMUNE, path__startswith=path, valid_to__isnull=True)
                .annotate(open_cases=Coalesce(Subquery(open_sq, output_field=IntegerField()), Value(0)),
                          missed=Coalesce(Subquery(missed_sq, output_field=IntegerField()), Value(0)))
                .order_by("-missed", "-open_cases", "name"))
    page_obj = Paginator(communes, 50).get_page(page)
    kind, p_start, p_end = current_period()
    body = Organisation.objects.filter(kind=OrganisationKind.SUPERVISORY, area=a.area, active=True).first()
    status_by_area = {}
    if body is not None:
        for row in below_status(body, kind=kind, theme="", start=p_start, end=p_end):
            status_by_area[row["area_id"]] = row
    emergency = {r["area"]: r for r in indicator_breakdown("BV09", area_path=path, start=start, end=end, by=["area"])}
    drafted = {r["area"]: r for r in indicator_breakdown("BV10", area_path=path, start=start, end=end, by=["area"])}
    rows = []
    for c in page_obj.object_list:
        rows.append({"commune": c, "open_cases": c.open_cases, "missed": c.missed,
                     "report": status_by_area.get(c.pk),
                     "emergency_on_time": (emergency.get(c.pk) or {}).get("value"),
                     "plan_on_time": (drafted.get(c.pk) or {}).get("value")})
    forms = indicator_breakdown("0101", area_path=path, start=start, end=end, by=["form"])
    from .figures import labels as all_labels

    lab = all_labels()["form"]
    bars = [Bar(lab.get(r["form"], {}).get("vi" if _is_vi() else "en", r["form"]), r["value"]) for r in forms]
    late = sum(1 for r in status_by_area.values() if r["late"])
    return {"area": a.area, "rows": rows, "page": page_obj, "period": (kind, p_start, p_end), "late": late,
            "chart": bar_chart(bars), "bars": bars,
            "abused": indicator_value("0101", area_path=path, start=start, end=end)}


def _is_vi() -> bool:
    from django.utils.translation import get_language

    return not (get_language() or "vi").startswith("en")


def school_dashboard(user, *, start: dt.date, end: dt.date) -> dict | None:
    """The school's own figures: the cases it reported, and its reports."""
    scopes = [s for s in figure_scopes(user) if s.organisation_id is not None]
    schools = {a.organisation_id for a in assignments_of(user) if a.role.code == RoleCode.SCHOOL}
    scopes = [s for s in scopes if s.organisation_id in schools]
    if not scopes:
        return None
    s = scopes[0]
    kw = dict(area_path=s.area_path, start=start, end=end, organisation_id=s.organisation_id)
    figures = [(code, label, indicator_value(code, **kw)) for code, label in (
        ("0101", _("Abused children reported by the school")),
        ("BV04", _("Of whom given support or intervention")),
        ("BV06", _("Children in special circumstances reported")))]
    bars = [Bar(str(label), value or 0) for _c, label, value in figures]
    reports = list(Report.objects.filter(body_id=s.organisation_id).order_by("-period_end")[:10])
    return {"school": s.label, "figures": figures, "reports": reports, "chart": bar_chart(bars), "bars": bars}


def incoming_reports(user):
    """Reports sent to a body whose incoming reports the user receives, newest first."""
    bodies = [b.pk for b in receiving_bodies(user)]
    return (Report.objects.filter(recipient_id__in=bodies).exclude(status__in=[ReportStatus.DRAFT,
                                                                                ReportStatus.SUBMITTED,
                                                                                ReportStatus.SIGNED])
            .select_related("body").order_by("-sent_at"))
