"""Every record-level rule of the prevention level (issue 9), in one place.

The same scoping as cases (``permissions.access``): AREA roles work in the areas under their node,
ORGANISATION roles for their own body. What the seed plans add:

- A child-work plan belongs to its issuing body. Until it is signed only that body's drafters and
  signers see it; once signed it is a public administrative document for everyone whose work it
  covers: the areas at or below it (a supervisor sees every commune's plan), the bodies inside its
  area (the police of the commune, its villages, its schools), and the level below, which
  implements it.
- Drafting, submitting and assigning tasks belong to holders of ``workplan.draft`` in the issuing
  body; signing, issuing, amending and closing to holders of ``workplan.sign`` there (the head).
- A plan task is carried out by members of its body; the issuing body's drafters may report for a
  body without users (the Youth Union, the Women's Union …).
- Activities are recorded by their organiser, or by the commune's officer for any body of the
  commune; their evidence is downloaded only by the organiser and the commune that acts on it.
- The registry is seen by area roles over its commune and by the village it lives in; the child's
  identity only through ``identity.view`` held where the area *acts* (the commune), never by a
  supervisor or a village collaborator, exactly like cases.

An unseen record is ``NotFound`` exactly like a missing one.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from casework.errors import NotFound
from casework.models import Area

from .access import assignments_of
from .models import RoleAssignment
from .roles import Capability as C
from .roles import Scope


def prefixes_of(path: str) -> list[str]:
    """'/79/26734/' → ['/79/', '/79/26734/']: the paths of an area and every area above it."""
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)]


def holding(user, capability: str) -> list[RoleAssignment]:
    return [a for a in assignments_of(user) if capability in a.role.capabilities]


def _area_covers(a: RoleAssignment, path: str) -> bool:
    return a.role.scope == Scope.AREA and path.startswith(a.area.path)


# ------------------------------------------------------------------ child-work plans

def plan_filter(user) -> Q:
    """Q over WorkPlan selecting the plans ``user`` may see."""
    from prevention.states import UNSIGNED

    q = Q(pk__in=[])
    for a in holding(user, C.PREVENTION_VIEW):
        if a.role.scope == Scope.AREA:
            # Below the node (a supervisor's communes) and above it (the plans it implements).
            seen = Q(area__path__startswith=a.area.path) | Q(area__path__in=prefixes_of(a.area.path))
        else:
            seen = Q(area__path__in=prefixes_of(a.organisation.area.path)) | Q(issuing_organisation=a.organisation_id)
        q |= seen & ~Q(status__in=UNSIGNED)
    for a in holding(user, C.WORKPLAN_DRAFT) + holding(user, C.WORKPLAN_SIGN):
        q |= Q(issuing_organisation=a.organisation_id)
    return q


def plan_queryset_for(user):
    from prevention.models import WorkPlan

    return WorkPlan.objects.filter(plan_filter(user))


@dataclass
class PlanAccess:
    plan: object
    user: object
    caps: frozenset
    assignment_for: dict

    def assignment(self, capability: str | None = None) -> RoleAssignment | None:
        if capability in self.assignment_for:
            return self.assignment_for[capability]
        return next(iter(self.assignment_for.values()), None)


def plan_access(user, plan) -> PlanAccess:
    """What ``user`` may do on a plan they can see, and through which assignment."""
    caps, via = {C.PREVENTION_VIEW}, {}
    for cap in (C.WORKPLAN_DRAFT, C.WORKPLAN_SIGN, C.WORKPLAN_TASK_ACT):
        for a in holding(user, cap):
            if a.organisation_id == plan.issuing_organisation_id:
                caps.add(cap)
                via.setdefault(cap, a)
    return PlanAccess(plan=plan, user=user, caps=frozenset(caps), assignment_for=via)


def access_plan_by_id(user, plan_id, *, for_update: bool = False) -> PlanAccess:
    try:
        plan_id = int(plan_id)
    except (TypeError, ValueError):
        raise NotFound from None
    qs = plan_queryset_for(user).select_related("area", "issuing_organisation")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    plan = qs.filter(pk=plan_id).first()
    if plan is None:
        raise NotFound
    return plan_access(user, plan)


def bodies_that_may_draft(user) -> list[RoleAssignment]:
    """The assignments through which ``user`` may start a plan (one per issuing body)."""
    return holding(user, C.WORKPLAN_DRAFT)


def task_caps(access: PlanAccess, task) -> frozenset:
    """On one task of a visible plan: its body carries it out; the issuing body's drafters may
    report for a body that has no users of its own."""
    for a in holding(access.user, C.WORKPLAN_TASK_ACT):
        if a.organisation_id == task.organisation_id:
            return frozenset({C.WORKPLAN_TASK_ACT})
    if C.WORKPLAN_DRAFT in access.caps:
        return frozenset({C.WORKPLAN_TASK_ACT})
    return frozenset()


def task_assignment(access: PlanAccess, task) -> RoleAssignment | None:
    for a in holding(access.user, C.WORKPLAN_TASK_ACT):
        if a.organisation_id == task.organisation_id:
            return a
    return access.assignment(C.WORKPLAN_DRAFT)


def task_bodies(user) -> list[int]:
    """Bodies whose plan tasks ``user`` carries out (the task list)."""
    return sorted({a.organisation_id for a in holding(user, C.WORKPLAN_TASK_ACT)})


# ------------------------------------------------------------------ activities and evidence

def activity_filter(user) -> Q:
    q = Q(pk__in=[])
    for a in holding(user, C.PREVENTION_VIEW):
        if a.role.scope == Scope.AREA:
            q |= Q(commune__path__startswith=a.area.path)
        else:
            q |= Q(organiser_id=a.organisation_id)
    return q


def activity_recorder(user, organiser) -> RoleAssignment | None:
    """The assignment through which ``user`` records an activity organised by ``organiser``."""
    for a in holding(user, C.ACTIVITY_RECORD):
        if a.organisation_id == organiser.pk or _area_covers(a, organiser.area.path):
            return a
    return None


def organisers_for(user):
    """Bodies ``user`` may record activities for."""
    from casework.models import Organisation

    q = Q(pk__in=[])
    for a in holding(user, C.ACTIVITY_RECORD):
        q |= Q(pk=a.organisation_id)
        if a.role.scope == Scope.AREA:
            q |= Q(area__path__startswith=a.area.path)
    return Organisation.objects.filter(q, active=True)


def evidence_reader(user, activity) -> RoleAssignment | None:
    """Evidence (photos of children, attendance sheets) is read by the organising body and by
    the commune that acts on it; a supervisor sees the figures, not the files."""
    for a in holding(user, C.PREVENTION_VIEW):
        if a.organisation_id == activity.organiser_id:
            return a
    for a in holding(user, C.ACTIVITY_RECORD):
        if _area_covers(a, activity.commune.path):
            return a
    return None


def target_report_reader(access: PlanAccess) -> RoleAssignment | None:
    """Evidence of a reported target value: the issuing body of the plan."""
    return access.assignment_for.get(C.WORKPLAN_DRAFT) or access.assignment_for.get(C.WORKPLAN_SIGN)


# ------------------------------------------------------------------ population base

def population_editor(user, commune: Area) -> RoleAssignment | None:
    for a in holding(user, C.WORKPLAN_DRAFT):
        if _area_covers(a, commune.path):
            return a
    return None


def population_filter(user) -> Q:
    q = Q(pk__in=[])
    for a in holding(user, C.PREVENTION_VIEW):
        if a.role.scope == Scope.AREA:
            q |= Q(commune__path__startswith=a.area.path)
        else:
            q |= Q(commune__path__in=prefixes_of(a.organisation.area.path))
    return q


# ------------------------------------------------------------------ the registry

def registry_filter(user) -> Q:
    q = Q(pk__in=[])
    for a in holding(user, C.REGISTRY_VIEW):
        if a.role.scope == Scope.AREA:
            q |= Q(commune__path__startswith=a.area.path)
        else:
            # A village body sees the children of its village only.
            q |= Q(village_id=a.organisation.area_id)
    return q


def registry_queryset_for(user):
    from prevention.models import RegistryEntry

    return RegistryEntry.objects.filter(registry_filter(user))


def access_entry_by_id(user, entry_id, *, for_update: bool = False):
    try:
        entry_id = int(entry_id)
    except (TypeError, ValueError):
        raise NotFound from None
    qs = registry_queryset_for(user).select_related("commune", "village", "child")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    entry = qs.filter(pk=entry_id).first()
    if entry is None:
        raise NotFound
    return entry


def registry_identity_reader(user, entry) -> RoleAssignment | None:
    """Who knows who the child is: ``identity.view`` held where the area acts on the commune."""
    for a in holding(user, C.IDENTITY_VIEW):
        if C.REGISTRY_VIEW in a.role.capabilities and _area_covers(a, entry.commune.path):
            return a
    return None


def registry_editor(user, commune: Area) -> RoleAssignment | None:
    for a in holding(user, C.REGISTRY_EDIT):
        if _area_covers(a, commune.path):
            return a
    return None


def watch_caps(user, entry) -> tuple[frozenset, RoleAssignment | None]:
    """(capabilities on the entry's watch records, the assignment carrying them)."""
    caps, via = set(), None
    for cap in (C.REGISTRY_EDIT, C.WATCH_RAISE):
        for a in holding(user, cap):
            if _area_covers(a, entry.commune.path):
                caps.add(cap)
                via = via or a
    return frozenset(caps), via


def name_search_allowed(user) -> bool:
    """Names are searchable only by users whose every registry-viewing role shows identities."""
    viewing = holding(user, C.REGISTRY_VIEW)
    return bool(viewing) and all(C.IDENTITY_VIEW in a.role.capabilities for a in viewing)
