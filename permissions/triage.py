"""Who triages new reports, and where a report may be attached (issue 12; DOMAIN.md §3 steps 1–2).

A new report is a case in the ``received`` state (docs/decisions/0010-triage-queue.md). The
commune's queue holds the received cases its commune is responsible for; the officer triages
them with ``case.verify`` — the capability that starts verification, which *is* accepting. A
school, the police or the 111 hotline see their own reports, never a commune's queue.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from casework.models import Area
from workflows.states import CaseStatus

from .access import CaseAccess, assignments_of
from .roles import Capability, Scope

TRIAGE_CAPABILITY = Capability.CASE_VERIFY
ATTACH_MODES = ("case", "incident")


def triage_areas(user) -> list[str]:
    """The area paths whose received reports the user triages (area roles holding case.verify)."""
    return sorted({a.area.path for a in assignments_of(user)
                   if a.role.scope == Scope.AREA and TRIAGE_CAPABILITY in a.role.capabilities})


def may_see_queue(user) -> bool:
    return bool(triage_areas(user))


def may_import_registry(user) -> bool:
    """Who opens the registry import page: a keeper of the registry somewhere. Each row is then
    checked against the commune it names by ``registry_add`` (prevention's rules)."""
    return any(Capability.REGISTRY_EDIT in a.role.capabilities for a in assignments_of(user))


def triage_queue_filter(user) -> Q:
    """The cases of the user's triage queue: received, owned by a commune under their areas."""
    paths = triage_areas(user)
    if not paths:
        return Q(pk__in=[])
    areas = Q()
    for path in paths:
        areas |= Q(path__startswith=path)
    return Q(status=CaseStatus.RECEIVED, commune_id__in=Area.objects.filter(areas).values("pk"))


def attach_refusal(report: CaseAccess, target: CaseAccess, mode: str) -> str:
    """Why the report may not be attached to ``target`` (by ``mode``), or "" when it may.

    The actor must triage the report (it is still received) and act on the target, so nobody
    joins a report to a case they only read; a report is never attached to itself, nor to a
    closed case, nor (by incident) to the incident it already belongs to.
    """
    if mode not in ATTACH_MODES:
        return _("Choose to attach to the case or to its incident.")
    if TRIAGE_CAPABILITY not in report.caps or TRIAGE_CAPABILITY not in target.caps:
        return _("You do not triage reports for this case.")
    if report.case.status != CaseStatus.RECEIVED:
        return _("Only a report still waiting in the queue can be attached.")
    if target.case.pk == report.case.pk:
        return _("A report cannot be attached to itself.")
    if not target.case.is_open:
        return _("The case is closed.")
    if mode == "incident" and target.case.incident_id == report.case.incident_id:
        return _("The report already belongs to this incident.")
    return ""




__all__ = ["ATTACH_MODES", "TRIAGE_CAPABILITY", "attach_refusal", "may_import_registry", "may_see_queue", "triage_areas",
           "triage_queue_filter"]
