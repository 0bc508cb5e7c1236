"""The only code that changes a report. One function per change, each in one transaction:
access checked (404 when the report is unseen), row locked, transition applied through
``ReportFlow``, exactly one ``ReportEvent`` written.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.fsm.base import NoTransition, TransitionConditionsUnmet

from casework.errors import Conflict, NotFound, PermissionDenied, ValidationError
from casework.models import AreaKind, Organisation
from permissions.reports import drafting_bodies, report_caps
from permissions.roles import Capability as C

from . import conf
from .chain import BELOW_COMMUNE, bodies_below, body_above, level_of
from .figures import checksum, compile_figures, sum_below
from .flows import EDITABLE, ReportFlow
from .models import (
    ExportFormat, Report, ReportEvent, ReportEventType as E, ReportExport, ReportKind, ReportStatus, ReportTheme,
)


def access_report_by_id(user, report_id, *, for_update: bool = False) -> tuple[Report, frozenset[str]]:
    """The report and the user's capabilities on it; ``NotFound`` when missing *or* unseen."""
    try:
        report_id = int(report_id)
    except (TypeError, ValueError):
        raise NotFound from None
    qs = Report.objects.select_related("body__area", "area", "recipient")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    report = qs.filter(pk=report_id).first()
    if report is None:
        raise NotFound
    caps = report_caps(user, report)
    if C.REPORT_VIEW not in caps:
        raise NotFound
    return report, caps


def _event(report: Report, type: E, actor, *, before: str = "", data: dict | None = None) -> ReportEvent:
    return ReportEvent.objects.create(report=report, type=type, actor=actor, from_state=before,
                                      to_state=report.status, data=data or {})


def _fire(report: Report, caps, name: str):
    flow = ReportFlow(report, caps=caps)
    transition = getattr(flow, name)
    # Permission before state: someone without the right learns nothing about where the report stands.
    if not any(t.has_perm(flow, None) for t in transition.get_transitions()):
        raise PermissionDenied(_("You are not allowed to do this on this report."))
    try:
        transition()
    except TransitionConditionsUnmet as exc:
        raise Conflict(exc.unmet_message or str(exc), code="guard") from None
    except NoTransition:
        raise Conflict(_("This action is not possible in the report's current state."), code="state") from None


def _check_version(report: Report, expected_version) -> None:
    if expected_version is not None and int(expected_version) != report.version:
        raise Conflict(_("Someone else changed this report after you opened it. Reload it and try again."),
                       code="stale_version")


def _save(report: Report, *fields: str) -> None:
    report.version += 1
    report.save(update_fields=["version", *fields])


# ------------------------------------------------------------------ figures

def figures_area(report: Report):
    """Below the commune a body reports on the cases it reported itself, within its commune."""
    if report.body.kind in BELOW_COMMUNE:
        area = report.body.area
        commune = area if area.kind == AreaKind.COMMUNE else area.parent
        return commune, report.body_id
    return report.area, None


def reports_below(body, *, kind: str, theme: str, start: dt.date, end: dt.date) -> list[Report]:
    """The reports of the bodies below ``body`` for one kind, theme and period (latest per body)."""
    found = (Report.objects.filter(body__in=bodies_below(body, end), kind=kind, theme=theme,
                                   period_start=start, period_end=end)
             .select_related("body").order_by("body_id", "-id"))
    latest: dict[int, Report] = {}
    for r in found:
        latest.setdefault(r.body_id, r)
    return list(latest.values())


def below_status(body, *, kind: str, theme: str, start: dt.date, end: dt.date,
                 today: dt.date | None = None) -> list[dict]:
    """Each body below ``body``: its report's state for the period, and whether it is late or missing."""
    today = today or timezone.localdate()
    mine = {r.body_id: r for r in reports_below(body, kind=kind, theme=theme, start=start, end=end)}
    rows = []
    for below in bodies_below(body, end):
        r = mine.get(below.pk)
        due = conf.due_date(kind, level_of(below), end, theme)
        reported = r is not None and r.status in (ReportStatus.SENT, ReportStatus.RECEIVED)
        sent_day = timezone.localdate(r.sent_at) if r is not None and r.sent_at else None
        late = due is not None and ((reported and sent_day > due) or (not reported and today > due))
        rows.append({"body_id": below.pk, "body": below.name, "area_id": below.area_id,
                     "report_id": r.pk if r else None, "status": r.status if r else "missing",
                     "due_on": due.isoformat() if due else None,
                     "sent_on": sent_day.isoformat() if sent_day else None, "late": late})
    return rows


def _period(report: Report) -> dict:
    return dict(kind=report.kind, theme=report.theme, start=report.period_start, end=report.period_end)


def _compile(report: Report) -> dict:
    area, organisation_id = figures_area(report)
    below = None
    if report.body.kind not in BELOW_COMMUNE:
        snapshots = [r.snapshot["figures"] for r in reports_below(report.body, **_period(report))
                     if r.snapshot and r.status in (ReportStatus.SENT, ReportStatus.RECEIVED)]
        below = {"bodies": below_status(report.body, **_period(report)), "sums": sum_below(snapshots)}
    return compile_figures(body=report.body, area=area, start=report.period_start, end=report.period_end,
                           organisation_id=organisation_id, below=below)


# ------------------------------------------------------------------ drafting

def _title(body: Organisation, kind: str, theme: str, start: dt.date, end: dt.date) -> str:
    if kind == ReportKind.SIX_MONTH:
        what = f"Báo cáo 6 tháng năm {end.year}"
    elif kind == ReportKind.ANNUAL:
        what = f"Báo cáo năm {end.year}"
    elif kind == ReportKind.THEMATIC:
        what = f"Báo cáo chuyên đề: {ReportTheme(theme).label}"
    else:
        what = f"Báo cáo đột xuất ({start:%d/%m/%Y}–{end:%d/%m/%Y})"
    return f"{what} — {body.name}"


@transaction.atomic
def report_draft_create(*, actor, body_id: int, kind: str, year: int | None = None,
                        period_start: dt.date | None = None, period_end: dt.date | None = None,
                        theme: str = "", title: str = "", due_on: dt.date | None = None) -> Report:
    """Start a body's report for a period, filled from live data and the registered sections.

    Who: a member of the body holding ``report.draft`` (officer for a commune, counsellor for a
    school, village collaborator, provincial supervisor).
    Writes: Report (status draft, figures), one ReportEvent(DRAFTED).
    After commit: nothing.
    Raises: PermissionDenied (not a drafter of this body), ValidationError (period, kind, theme),
    Conflict (this body already has this report for this period).
    """
    body = next((b for b in drafting_bodies(actor) if str(b.pk) == str(body_id)), None)
    if body is None:
        raise PermissionDenied(_("You do not draft reports for this body."))
    errors = {}
    if kind not in ReportKind.values:
        errors["kind"] = _("Choose the kind of report.")
    if kind == ReportKind.THEMATIC and theme not in [t for t in ReportTheme.values if t]:
        errors["theme"] = _("Choose the theme of the report.")
    if kind != ReportKind.THEMATIC:
        theme = ""
    if kind in (ReportKind.SIX_MONTH, ReportKind.ANNUAL) and not (period_start and period_end):
        if not year:
            errors["year"] = _("Give the year of the report.")
        else:
            period_start, period_end = conf.default_period(kind, int(year))
    if not period_start or not period_end:
        errors.setdefault("period_start", _("Give the period of the report."))
    elif period_start > period_end:
        errors["period_end"] = _("The period ends before it starts.")
    if errors:
        raise ValidationError(errors)
    report = Report(
        body=body, area=body.area, recipient=body_above(body, period_end), kind=kind, theme=theme,
        title=(title or "").strip() or _title(body, kind, theme, period_start, period_end),
        period_start=period_start, period_end=period_end,
        due_on=due_on or conf.due_date(kind, level_of(body), period_end, theme), created_by=actor,
    )
    report.figures = _compile(report)
    report.refreshed_at = timezone.now()
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        raise Conflict(_("This body already has this report for this period."), code="duplicate") from None
    _event(report, E.DRAFTED, actor, data={"period": [period_start.isoformat(), period_end.isoformat()]})
    return report


@transaction.atomic
def report_refresh(*, actor, report_id) -> Report:
    """Recompute the draft's figures from live data.

    Who: the body's drafters, while the report is a draft or returned.
    Writes: Report.figures, one ReportEvent(REFRESHED). Raises: NotFound, PermissionDenied, Conflict.
    """
    report, caps = access_report_by_id(actor, report_id, for_update=True)
    if C.REPORT_DRAFT not in caps:
        raise PermissionDenied(_("You are not allowed to do this on this report."))
    if report.status not in EDITABLE:
        raise Conflict(_("A report can be changed only while it is a draft or returned."), code="state")
    report.figures = _compile(report)
    report.refreshed_at = timezone.now()
    _save(report, "figures", "refreshed_at")
    _event(report, E.REFRESHED, actor)
    return report


@transaction.atomic
def report_narrative_save(*, actor, report_id, results: str, difficulties: str, proposals: str,
                          expected_version=None) -> Report:
    """Write the narrative sections (results, difficulties, proposals, as in the seed plans).

    Who: the body's drafters, while the report is a draft or returned.
    Writes: the three texts, one ReportEvent(NARRATIVE_SAVED) naming the sections changed.
    Raises: NotFound, PermissionDenied, Conflict (state, stale version).
    """
    report, caps = access_report_by_id(actor, report_id, for_update=True)
    if C.REPORT_DRAFT not in caps:
        raise PermissionDenied(_("You are not allowed to do this on this report."))
    if report.status not in EDITABLE:
        raise Conflict(_("A report can be changed only while it is a draft or returned."), code="state")
    _check_version(report, expected_version)
    new = {"results": (results or "").strip(), "difficulties": (difficulties or "").strip(),
           "proposals": (proposals or "").strip()}
    changed = sorted(k for k, v in new.items() if getattr(report, k) != v)
    for k, v in new.items():
        setattr(report, k, v)
    _save(report, *new)
    _event(report, E.NARRATIVE_SAVED, actor, data={"sections": changed})
    return report


# ------------------------------------------------------------------ the chain

@transaction.atomic
def report_submit(*, actor, report_id, expected_version=None) -> Report:
    """Hand the draft to the head for signature; the figures are refreshed one last time.

    Who: the body's drafters. Writes: status, figures, one ReportEvent(SUBMITTED).
    Raises: NotFound, PermissionDenied, Conflict (state; no results written; stale version).
    """
    report, caps = access_report_by_id(actor, report_id, for_update=True)
    before = report.status
    _check_version(report, expected_version)
    _fire(report, caps, "submit")
    report.figures = _compile(report)
    report.refreshed_at = timezone.now()
    report.return_reason = ""
    _save(report, "status", "figures", "refreshed_at", "return_reason")
    _event(report, E.SUBMITTED, actor, before=before)
    return report


@transaction.atomic
def report_send_back(*, actor, report_id, reason: str) -> Report:
    """The head sends a submitted report back to the drafter unsigned.

    Who: the body's head (``report.sign``). Writes: status, one ReportEvent(RETURNED) with the reason.
    Raises: NotFound, PermissionDenied, ValidationError (no reason), Conflict.
    """
    report, caps = access_report_by_id(actor, report_id, for_update=True)
    before = report.status
    _fire(report, caps, "send_back")
    reason = _reason(reason)
    _save(report, "status")
    _event(report, E.RETURNED, actor, before=before, data={"reason": reason, "by": "head"})
    return report


@transaction.atomic
def report_sign(*, actor, report_id, expected_version=None) -> Report:
    """The head of the body signs the figures and narrative as submitted.

    Who: the body's head (``report.sign``: chairperson, principal, village head, head of department).
    Writes: status, signed_by/at, one ReportEvent(SIGNED) with the checksum of what was signed.
    Raises: NotFound, PermissionDenied, Conflict.
    """
    report, caps = access_report_by_id(actor, report_id, for_update=True)
    before = report.status
    _check_version(report, expected_version)
    _fire(report, caps, "sign")
    report.signed_by, report.signed_at = actor, timezone.now()
    _save(report, "status", "signed_by", "signed_at")
    _event(report, E.SIGNED, actor, before=before, data={"checksum": checksum(_document(report))})
    return report


def _document(report: Report) -> dict:
    """What is frozen on sending: metadata, narrative and figures; no personal data but the signer's name."""
    signer = report.signed_by
    return {
        "report": {"id": report.pk, "title": report.title, "kind": report.kind, "theme": report.theme,
                   "period_start": report.period_start.isoformat(), "period_end": report.period_end.isoformat(),
                   "body": report.body.name, "recipient": report.recipient.name if report.recipient_id else None,
                   "due_on": report.due_on.isoformat() if report.due_on else None},
        "narrative": {"results": report.results, "difficulties": report.difficulties, "proposals": report.proposals},
        "signed": {"by": (signer.get_full_name() or signer.get_username()) if signer else None,
                   "at": report.signed_at.isoformat() if report.signed_at else None},
        "figures": report.figures,
    }


@transaction.atomic
def report_send(*, actor, report_id) -> Report:
    """Send the signed report to the body above and freeze it.

    Who: the body's drafters. Writes: status, sent_at, snapshot (JSON) and its SHA-256 checksum,
    one ReportEvent(SENT) holding that checksum (a later re-send after a return keeps the first
    in the timeline). After commit: nothing. Raises: NotFound, PermissionDenied, Conflict.
    """
    report, caps = access_report_by_id(actor, report_id, for_update=True)
    before = report.status
    _fire(report, caps, "send")
    report.sent_at = timezone.now()
    report.snapshot = _document(report)
    report.checksum = checksum(report.snapshot)
    _save(report, "status", "sent_at", "snapshot", "checksum")
    _event(report, E.SENT, actor, before=before, data={"checksum": report.checksum, "to": report.recipient_id})
    return report


@transaction.atomic
def report_receive(*, actor, report_id) -> Report:
    """The body above acknowledges the report.

    Who: members of the recipient holding ``report.receive``. Writes: status, received_at, one
    ReportEvent(RECEIVED). Raises: NotFound, PermissionDenied, Conflict.
    """
    report, caps = access_report_by_id(actor, report_id, for_update=True)
    before = report.status
    _fire(report, caps, "receive")
    report.received_at = timezone.now()
    _save(report, "status", "received_at")
    _event(report, E.RECEIVED, actor, before=before)
    return report


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason.")})
    return reason


@transaction.atomic
def report_return(*, actor, report_id, reason: str) -> Report:
    """The body above returns the report with a request for a supplement.

    Who: members of the recipient holding ``report.receive``. Writes: status, return_reason, one
    ReportEvent(RETURNED). The snapshot stays as sent until the body sends again.
    Raises: NotFound, PermissionDenied, ValidationError (no reason), Conflict.
    """
    report, caps = access_report_by_id(actor, report_id, for_update=True)
    before = report.status
    _fire(report, caps, "return_for_supplement")
    report.return_reason = _reason(reason)
    _save(report, "status", "return_reason")
    _event(report, E.RETURNED, actor, before=before, data={"reason": report.return_reason, "by": "recipient"})
    return report


@transaction.atomic
def report_export_request(*, actor, report_id, format: str) -> ReportExport:
    """Queue an export of the report (XLSX, CSV or PDF); the file is prepared in the background.

    Who: anyone who may read the report. Writes: ReportExport, one ReportEvent(EXPORTED) naming
    the format and whether small cells are suppressed. After commit: the build task is queued.
    Raises: NotFound, ValidationError (format).
    """
    from permissions.reports import output_leaves_commune

    from .tasks import build_export

    report, _caps = access_report_by_id(actor, report_id)
    if format not in ExportFormat.values:
        raise ValidationError({"format": _("Choose XLSX, CSV or PDF.")})
    export = ReportExport.objects.create(report=report, format=format, requested_by=actor,
                                         suppressed=output_leaves_commune(actor, report))
    _event(report, E.EXPORTED, actor, data={"export": export.pk, "format": format, "suppressed": export.suppressed})
    transaction.on_commit(lambda: build_export.enqueue(export.pk))
    return export
