"""The one door for reading cases: every case query in the project starts here.

Visibility (DOMAIN.md §1, §6):
- AREA roles (officer, chairperson, supervisor) see cases whose responsible commune, incident
  commune or residence commune lies under their area node; they *act* only on cases their area
  currently owns (``Case.commune``).
- ORGANISATION roles (school, police, health station, justice, village, provider) see the cases
  their organisation reported or holds a task or emergency measure in.
- REPORTED_STATUS (111 hotline) sees the status of cases it reported, nothing else.

A case outside all of these is indistinguishable from one that does not exist: callers raise
``CaseNotFound`` for both.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from casework.errors import CaseNotFound
from casework.models import Area, AreaKind, Case, EmergencyMeasure, Task

from .models import CaseGroupObjectPermission, CaseUserObjectPermission, RoleAssignment
from .roles import DECISION_CAPABILITIES, Capability, Scope

# What an AREA-scoped role may still do on a case its area sees but does not own (the incident
# commune after a transfer, the residence commune, a supervisor): read, never act.
# Auditing (who saw the case, breaking the glass) belongs to the area that owns the case.
READ_CAPABILITIES = frozenset({Capability.CASE_VIEW, Capability.CASE_VIEW_STATUS})


def assignments_of(user) -> list[RoleAssignment]:
    """The user's active role assignments, loaded once per user object (i.e. per request)."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_casework_assignments", None)
    if cached is None:
        cached = list(RoleAssignment.objects.active().filter(user=user)
                      .select_related("role", "organisation", "area"))
        user._casework_assignments = cached
    return cached


def forget_assignments(user) -> None:
    user.__dict__.pop("_casework_assignments", None)


# Each clause is "column IN (…)", never a join: an OR of joins and EXISTS took seconds at 50,000
# cases (bench/access_scale.py). The area's units are read first (one query per role
# assignment and request) and inlined as ids, so PostgreSQL can estimate how many cases match:
# behind a subquery it guessed a third of the table and walked the whole urgency index for an
# officer who sees 2 % of it (issue 14, docs/scaling.md).
def _area_ids(assignment: RoleAssignment) -> list[int]:
    cached = getattr(assignment, "_area_ids", None)
    if cached is None:
        # Cases point at communes (and pre-2025 districts), never at villages: leaving the
        # villages out keeps a province's list at about a hundred ids instead of thousands.
        cached = list(Area.objects.filter(path__startswith=assignment.area.path).exclude(kind=AreaKind.VILLAGE)
                      .values_list("pk", flat=True))
        assignment._area_ids = cached
    return cached


def _area_q(assignment: RoleAssignment, *, inline: bool) -> Q:
    areas = _area_ids(assignment) if inline else Area.objects.filter(path__startswith=assignment.area.path).values("pk")
    return Q(commune_id__in=areas) | Q(incident_commune_id__in=areas) | Q(residence_commune_id__in=areas)


def _organisation_q(organisation_id: int) -> Q:
    return (Q(reporting_organisation_id=organisation_id)
            | Q(pk__in=Task.objects.filter(organisation_id=organisation_id).values("case_id"))
            | Q(pk__in=EmergencyMeasure.objects.filter(responsible_id=organisation_id).values("case_id")))


def _live(now=None) -> Q:
    return Q(expires_at__isnull=True) | Q(expires_at__gt=now or timezone.now())


def user_grants(user):
    """The user's live per-case grants (directly or through a group), as guardian rows."""
    now = timezone.now()
    direct = CaseUserObjectPermission.objects.filter(_live(now), user=user)
    via_group = CaseGroupObjectPermission.objects.filter(_live(now), group__user=user)
    return direct, via_group


def _grant_q(user, *, inline: bool) -> Q:
    direct, via_group = user_grants(user)
    direct = direct.filter(permission__codename="view_case").values_list("content_object_id", flat=True)
    via_group = via_group.filter(permission__codename="view_case").values_list("content_object_id", flat=True)
    if inline:
        # Lists: the granted ids first (one query; usually none, and then no clause at all), so the
        # planner is not left guessing how many cases a subquery admits (issue 14).
        return Q(pk__in=list(direct.union(via_group)))
    return Q(pk__in=direct) | Q(pk__in=via_group)


def visible_case_filter(user, *, content: bool = True, inline_grants: bool = True) -> Q:
    """A Q selecting the cases ``user`` may see; ``content=False`` also admits status-only views.
    ``inline_grants=False`` keeps the areas and grants as subqueries (one case by id: nothing to
    estimate, and no query before the lock)."""
    wanted = {Capability.CASE_VIEW} if content else {Capability.CASE_VIEW, Capability.CASE_VIEW_STATUS}
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    # Per-case grants (django-guardian rows with an expiry) add cases to any role's reach.
    q = _grant_q(user, inline=inline_grants)
    for a in assignments_of(user):
        if not wanted.intersection(a.role.capabilities):
            continue
        if a.role.scope == Scope.AREA:
            q |= _area_q(a, inline=inline_grants)
        elif a.role.scope == Scope.ORGANISATION:
            q |= _organisation_q(a.organisation_id)
        elif a.role.scope == Scope.REPORTED_STATUS:
            q |= Q(reporting_organisation_id=a.organisation_id)
    return q


def case_queryset_for(user, *, content: bool = True, inline_grants: bool = True) -> QuerySet[Case]:
    return Case.objects.filter(visible_case_filter(user, content=content, inline_grants=inline_grants))


# What a grant's guardian permission lets its holder do: read, never act.
GRANT_CAPABILITIES = {"view_case": Capability.CASE_VIEW, "view_case_identity": Capability.IDENTITY_VIEW}


@dataclass
class CaseAccess:
    """What one user may do on one case, and in which capacity (for the audit event)."""

    case: Case
    user: object
    caps: frozenset[str]
    assignment_for: dict[str, RoleAssignment] = field(default_factory=dict)
    # Capabilities the user holds only through a grant, with the grants' ids (their use is logged).
    granted: dict[str, list[int]] = field(default_factory=dict)
    # The delegation under which a deputy chairperson takes the chairperson's decisions.
    delegation: object = None

    def assignment(self, capability: str | None = None) -> RoleAssignment | None:
        if capability and capability in self.assignment_for:
            return self.assignment_for[capability]
        return next(iter(self.assignment_for.values()), None)

    @property
    def content_visible(self) -> bool:
        return Capability.CASE_VIEW in self.caps


def _covers(a: RoleAssignment, case: Case) -> tuple[bool, bool, bool]:
    """(sees, acts, knows who the child is) for one assignment on one case."""
    scope = a.role.scope
    if scope == Scope.AREA:
        acts = case.commune.path.startswith(a.area.path)
        lives_here = case.residence_commune is not None and case.residence_commune.path.startswith(a.area.path)
        sees = acts or lives_here or case.incident_commune.path.startswith(a.area.path)
        # Need to know: the responsible commune and the one the child lives in (it receives
        # transfers); not the incident commune once the case has moved on.
        return sees, acts, acts or lives_here
    if scope == Scope.ORGANISATION:
        related = (case.reporting_organisation_id == a.organisation_id
                   or case.tasks.filter(organisation_id=a.organisation_id).exists()
                   or case.emergencymeasures.filter(responsible_id=a.organisation_id).exists())
        return related, related, related
    if scope == Scope.REPORTED_STATUS:
        related = case.reporting_organisation_id == a.organisation_id
        return related, related, related
    return False, False, False


def case_access(user, case: Case, *, grants_possible: bool = True) -> CaseAccess:
    """``grants_possible=False``: the caller already knows that no live grant of the user names
    this case (``access_case_by_id`` asks in its lock query), so the grant rows are not read."""
    caps: set[str] = set()
    assignment_for: dict[str, RoleAssignment] = {}
    for a in assignments_of(user):
        sees, acts, knows = _covers(a, case)
        if not sees:
            continue
        for cap in a.role.capabilities:
            if acts or cap in READ_CAPABILITIES or (cap == Capability.IDENTITY_VIEW and knows):
                caps.add(cap)
                assignment_for.setdefault(cap, a)
    granted: dict[str, list[int]] = {}
    if grants_possible and getattr(user, "is_authenticated", False):
        direct, via_group = user_grants(user)
        rows = [*direct.filter(content_object=case).values_list("pk", "permission__codename"),
                *via_group.filter(content_object=case).values_list("pk", "permission__codename")]
        for pk, codename in rows:
            cap = GRANT_CAPABILITIES.get(codename)
            if cap and cap not in caps:
                granted.setdefault(cap, []).append(pk)
        caps |= set(granted)
    from .rules import apply_decider_rule  # rules builds on this module

    return apply_decider_rule(CaseAccess(case=case, user=user, caps=frozenset(caps), assignment_for=assignment_for,
                                         granted=granted))


def access_case_by_id(user, case_id, *, for_update: bool = False, content: bool = True) -> CaseAccess:
    """Load a case the user may see, optionally locking its row for a change.

    Raises CaseNotFound when the case does not exist *or* is outside the user's reach.

    One statement (issue 14): the row by its key (locked when asked), with its communes and
    whether a live grant of the user names it. Whether the user sees it is then decided from that
    row by ``case_access`` — the same rule as ``visible_case_filter`` (an assignment whose role
    can see cases and whose area or organisation covers the case, or a view grant) — instead of
    the nine-subquery filter, which cost more to plan and compile than the row costs to read.
    """
    try:
        case_id = int(case_id)
    except (TypeError, ValueError):
        raise CaseNotFound from None
    qs = Case.objects.filter(pk=case_id).select_related("commune", "incident_commune", "residence_commune", "intake")
    authenticated = getattr(user, "is_authenticated", False)
    if authenticated:
        # The grant rows themselves are read only when one names the case (``case_access``).
        direct, via_group = user_grants(user)
        qs = qs.annotate(has_live_grant=Exists(direct.filter(content_object=OuterRef("pk")))
                         | Exists(via_group.filter(content_object=OuterRef("pk"))))
    if for_update:
        # Lock only the case row: joined area rows are shared by every case of the commune.
        qs = qs.select_for_update(of=("self",))
    case = next(iter(qs), None) if authenticated else None
    if case is None:
        raise CaseNotFound
    access = case_access(user, case, grants_possible=case.has_live_grant)
    wanted = {Capability.CASE_VIEW} if content else {Capability.CASE_VIEW, Capability.CASE_VIEW_STATUS}
    if not wanted.intersection(access.caps):
        # Unseen: the lock (if taken) goes with the caller's rolled-back transaction.
        raise CaseNotFound
    return access


def body_access(user, case: Case) -> CaseAccess:
    """What a member of a body acts on in a case their body holds a task or measure in.

    For a body's own desk (its task list), whose query already went through
    ``case_queryset_for`` and picked only the tasks and measures of the user's bodies — so the
    relation ``_covers`` would check per case holds, and no query per row is needed. Only the
    organisation-scoped assignments count, as on the desk nothing else is offered.
    """
    caps: set[str] = set()
    assignment_for: dict[str, RoleAssignment] = {}
    for a in assignments_of(user):
        if a.role.scope != Scope.ORGANISATION:
            continue
        for cap in a.role.capabilities:
            if cap in DECISION_CAPABILITIES:
                continue  # the chairperson's alone (permissions.rules.decider), whatever the role row says
            caps.add(cap)
            assignment_for.setdefault(cap, a)
    return CaseAccess(case=case, user=user, caps=frozenset(caps), assignment_for=assignment_for)


def capability_anywhere(user, capability: str) -> list[RoleAssignment]:
    """Assignments through which the user holds a capability not bound to one case (opening)."""
    return [a for a in assignments_of(user) if capability in a.role.capabilities]
