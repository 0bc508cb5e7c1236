"""Who may do what with periodic reports and aggregated figures (issue 10).

The reporting chain of the seed plans (§V): a body drafts its report, its head signs it, it is
sent to the body above, which receives it or returns it for a supplement.

- The **body's side** (draft, submit, send; sign) is held through an assignment *to that body*
  (the officer and chairperson of a commune work for its People's Committee; a counsellor for
  the school; the supervisor for the provincial department).
- The **receiving side** is held through an assignment to the body above (``Report.recipient``).
- **Reading** a report: its body, its recipient, and area roles whose area contains the
  report's area (a province supervisor reads every report of the province).
- **Figures and dashboards**: an area role reads its own area subtree; an organisation role
  reads only the figures of the cases its organisation reported.
- **Small cells** are suppressed in every output that leaves the commune: a province-level
  report, or a commune's report read by someone who does not work in that commune.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from casework.models import AreaKind

from .access import assignments_of
from .roles import Capability as C, Scope

BODY_SIDE = frozenset({C.REPORT_DRAFT, C.REPORT_SIGN, C.REPORT_VIEW})
RECEIVING_SIDE = frozenset({C.REPORT_RECEIVE, C.REPORT_VIEW})


def report_caps(user, report) -> frozenset[str]:
    """The report capabilities ``user`` holds on this report."""
    caps: set[str] = set()
    for a in assignments_of(user):
        held = set(a.role.capabilities)
        if a.organisation_id == report.body_id:
            caps |= held & BODY_SIDE
        if report.recipient_id is not None and a.organisation_id == report.recipient_id:
            caps |= held & RECEIVING_SIDE
        if a.role.scope == Scope.AREA and C.REPORT_VIEW in held and report.area.path.startswith(a.area.path):
            caps.add(C.REPORT_VIEW)
    return frozenset(caps)


def can_view_report(user, report) -> bool:
    return C.REPORT_VIEW in report_caps(user, report)


def visible_reports_q(user) -> Q:
    """A filter on ``Report`` selecting what ``user`` may read (the same rule as ``can_view_report``)."""
    q = Q(pk__in=[])
    for a in assignments_of(user):
        held = set(a.role.capabilities)
        if C.REPORT_VIEW not in held:
            continue
        q |= Q(body_id=a.organisation_id) | Q(recipient_id=a.organisation_id)
        if a.role.scope == Scope.AREA:
            q |= Q(area__path__startswith=a.area.path)
    return q


def drafting_bodies(user) -> list:
    """Organisations for which ``user`` may start a report."""
    seen, bodies = set(), []
    for a in assignments_of(user):
        if C.REPORT_DRAFT in a.role.capabilities and a.organisation_id not in seen:
            seen.add(a.organisation_id)
            bodies.append(a.organisation)
    return bodies


def receiving_bodies(user) -> list:
    """Organisations whose incoming reports ``user`` may receive (the chain's "body above")."""
    seen, bodies = set(), []
    for a in assignments_of(user):
        if C.REPORT_RECEIVE in a.role.capabilities and a.organisation_id not in seen:
            seen.add(a.organisation_id)
            bodies.append(a.organisation)
    return bodies


@dataclass(frozen=True)
class FigureScope:
    """One area subtree a user may read figures for; ``organisation_id`` narrows it to one body's cases."""

    area_path: str
    organisation_id: int | None = None
    label: str = ""


def figure_scopes(user) -> list[FigureScope]:
    scopes = []
    for a in assignments_of(user):
        if C.REPORT_VIEW not in a.role.capabilities:
            continue
        if a.role.scope == Scope.AREA:
            scopes.append(FigureScope(a.area.path, None, a.area.name))
        else:
            scopes.append(FigureScope(a.organisation.area.path, a.organisation_id, a.organisation.name))
    return scopes


def can_view_figures(user, area_path: str, organisation_id: int | None = None) -> bool:
    for s in figure_scopes(user):
        if s.organisation_id is None and area_path.startswith(s.area_path):
            return True
        if s.organisation_id is not None and organisation_id == s.organisation_id:
            return True
    return False


def _commune_path(area) -> str | None:
    if area.kind == AreaKind.COMMUNE:
        return area.path
    if area.kind == AreaKind.VILLAGE and area.parent_id:
        return area.parent.path
    return None


def output_leaves_commune(user, report) -> bool:
    """True when an export of ``report`` for ``user`` must suppress small cells."""
    commune = _commune_path(report.area)
    if commune is None:
        return True
    return not any(a.organisation.area.path.startswith(commune) for a in assignments_of(user)
                   if C.REPORT_VIEW in a.role.capabilities)


def can_export_case_file(access) -> bool:
    """The national child database export (art. 30.3) holds the child's identity: only someone who
    may see it *and* acts for the owning commune (drafts its plans) exports the file."""
    return C.IDENTITY_VIEW in access.caps and C.PLAN_DRAFT in access.caps
