"""Every record-level rule of the case engine, in one place.

``access.py`` answers "may this user see this case, and with which capabilities?". This module
answers the finer questions a case's records raise:

- who acts on a task (the members of the body it is referred to), an emergency measure (the
  commune's officers or the responsible body), a transfer (the sending commune withdraws, the
  receiving commune decides);
- which bodies a task, emergency measure or plan measure may be addressed to, and which
  communes a case may be transferred to;
- which pages and searches a user's roles open (not bound to one case).

The services *enforce* these rules before they change anything; the offer model
(``casework.selectors.offers``) *shows* them, with the same functions. No view, serializer or
template decides a permission (docs/architecture.md).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models import (
    Area,
    AreaKind,
    Case,
    CaseEventType,
    EmergencyMeasure,
    Organisation,
    OrganisationKind,
    Task,
    Transfer,
)

from .access import CaseAccess, assignments_of
from .models import Delegation, RoleAssignment
from .roles import DECIDING_ROLE, DECISION_CAPABILITIES, RoleCode, Scope
from .roles import Capability as C

# ------------------------------------------------------------------ where work may be addressed

# Supervisors audit and the hotline only refers: neither carries out a case's work.
NOT_ASSIGNABLE = (OrganisationKind.SUPERVISORY, OrganisationKind.HOTLINE)
NOT_ADDRESSABLE = _("Choose a body of the case's commune, or a service provider of the levels above it.")


def _prefixes(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)]


def province_path(area: Area) -> str:
    """The province node's path of any area ("/01/00004/" → "/01/")."""
    return _prefixes(area.path)[0] if area.path.strip("/") else "/"


def assignable_organisations(case: Case) -> QuerySet[Organisation]:
    """Bodies a task, emergency measure or plan measure of this case may be addressed to.

    Decree 56 art. 28.3, 29: the plan names which *commune* body does what and which service
    providers are mobilised. So: the active bodies of the responsible commune (its villages
    included) and those of the levels above it (the province's social-work centre, shelters),
    never a body of another commune or province — a task would show them the child.
    """
    path = case.commune.path
    above = [p for p in _prefixes(path) if p != path]
    return (Organisation.objects.filter(active=True)
            .filter(Q(area__path__startswith=path) | Q(area__path__in=above))
            .exclude(kind__in=NOT_ASSIGNABLE))


# Art. 28.3.c: "các cơ sở cung cấp dịch vụ bảo vệ trẻ em cần huy động".
SERVICE_PROVIDER_KINDS = (OrganisationKind.SOCIAL_WORK_CENTRE, OrganisationKind.SOCIAL_PROTECTION_CENTRE,
                          OrganisationKind.OTHER)


def service_providers(case: Case) -> QuerySet[Organisation]:
    """The child-protection service providers a plan measure of this case may mobilise."""
    return assignable_organisations(case).filter(kind__in=SERVICE_PROVIDER_KINDS)


def may_address(case: Case, organisation_id: Any) -> bool:
    try:
        organisation_id = int(organisation_id)
    except (TypeError, ValueError):
        return False
    return assignable_organisations(case).filter(pk=organisation_id).exists()


def transfer_destinations(case: Case, *, same_province: bool = False) -> QuerySet[Area]:
    """Communes a case may be transferred to: any commune that exists today but its own.

    ``same_province`` narrows the list offered on a page (a select of 3,321 communes would weigh
    on every case page); the rule itself admits every current commune.
    """
    qs = Area.objects.filter(kind=AreaKind.COMMUNE, valid_to__isnull=True).exclude(pk=case.commune_id)
    if same_province:
        qs = qs.filter(path__startswith=province_path(case.commune))
    return qs


def may_transfer_to(case: Case, commune_id: Any) -> bool:
    try:
        commune_id = int(commune_id)
    except (TypeError, ValueError):
        return False
    return transfer_destinations(case).filter(pk=commune_id).exists()


# ------------------------------------------------------------------ who acts on a record


def task_membership(user, task: Task) -> RoleAssignment | None:
    """The user's membership of the body the task is referred to, if they act for it."""
    for a in assignments_of(user):
        if a.organisation_id == task.organisation_id and C.TASK_ACT in a.role.capabilities:
            return a
    return None


def task_caps(access: CaseAccess, task: Task) -> frozenset[str]:
    """The actor's capabilities for ``TaskFlow``: TASK_ACT only for members of the task's body."""
    caps = set(access.caps)
    if task_membership(access.user, task) is None:
        caps.discard(C.TASK_ACT)
    return frozenset(caps)


def measure_recorder(access: CaseAccess, measure: EmergencyMeasure) -> RoleAssignment | None:
    """Through which assignment the actor may report an emergency measure's outcome.

    The responsible commune's officers report on every measure; a body (police, health station)
    reports only on the measures it was ordered to carry out.
    """
    if C.EMERGENCY_RECORD not in access.caps:
        return None
    case = access.case
    for a in assignments_of(access.user):
        if C.EMERGENCY_RECORD not in a.role.capabilities:
            continue
        if a.role.scope == Scope.AREA and case.commune.path.startswith(a.area.path):
            return a
        if a.role.scope == Scope.ORGANISATION and a.organisation_id == measure.responsible_id:
            return a
    return None


def measure_caps(access: CaseAccess, measure: EmergencyMeasure) -> frozenset[str]:
    """The actor's capabilities for ``EmergencyMeasureFlow``."""
    caps = set(access.caps)
    if measure_recorder(access, measure) is None:
        caps.discard(C.EMERGENCY_RECORD)
    return frozenset(caps)


def transfer_receiver(user, transfer: Transfer) -> RoleAssignment | None:
    """The user's assignment in the receiving commune, if it lets them decide on transfers.

    The receiving commune's officer may not see the case's content yet; the rule rests on the
    destination alone.
    """
    path = transfer.to_commune.path
    for a in assignments_of(user):
        if a.role.scope == Scope.AREA and path.startswith(a.area.path) and C.CASE_TRANSFER in a.role.capabilities:
            return a
    return None


def transfer_caps(access: CaseAccess, transfer: Transfer, *, deciding: bool) -> frozenset[str]:
    """The actor's capabilities for ``TransferFlow``, on one side of the transfer.

    Deciding (accept, decline) belongs to the commune asked, and nobody else — not the sender,
    whatever its capabilities; withdrawing belongs to the commune that asked, which still owns
    the case.
    """
    if deciding:
        allowed = transfer_receiver(access.user, transfer) is not None
    else:
        allowed = C.CASE_TRANSFER in access.caps and transfer.from_commune_id == access.case.commune_id
    return frozenset({C.CASE_TRANSFER}) if allowed else frozenset()


# ------------------------------------------------------------------ who decides (the chairperson)

DECIDER_ONLY = _(
    "Only the chairperson of the People's Committee of the commune responsible for the case, or a "
    "deputy chairperson under a recorded delegation, decides this (Decree 56/2017/NĐ-CP, art. 28.4, 31, 32).")

# Timeline events that record one of the chairperson's decisions: a deputy's carry the delegation.
DECISION_EVENTS = frozenset({
    CaseEventType.EMERGENCY_MEASURE_ORDERED, CaseEventType.EMERGENCY_MEASURE_CANCELLED, CaseEventType.ISOLATION_ISSUED,
    CaseEventType.ISOLATION_EXTENDED, CaseEventType.ISOLATION_REVOKED, CaseEventType.PLAN_RETURNED,
    CaseEventType.PLAN_APPROVED, CaseEventType.NEW_CYCLE_STARTED, CaseEventType.CASE_CLOSED})


def is_commune_chair(a: RoleAssignment, commune_id: int) -> bool:
    """The chairperson of *this* commune: the chairperson role, assigned on the commune node itself
    (an assignment on a province or a village decides nothing, whatever ``clean`` let through)."""
    return a.role.code == DECIDING_ROLE and a.area_id == commune_id and a.area.kind == AreaKind.COMMUNE


def active_delegation(user, commune_id: int, now=None) -> Delegation | None:
    now = now or timezone.now()
    return (Delegation.objects.filter(delegate=user, commune_id=commune_id, starts_at__lte=now, ends_at__gt=now,
                                      revoked_at__isnull=True).order_by("-starts_at").first())


def decider(user, case: Case) -> tuple[RoleAssignment | None, Delegation | None]:
    """Through which assignment the user takes the chairperson's decisions on ``case``, and under
    which delegation when they are a deputy: (None, None) for everyone else.

    Decree 56/2017 art. 27.2, 28.4, 30.1.b–c, 31, 32: the chairperson of the People's Committee
    of the commune that owns the case — not of the incident's or the residence's commune, not
    a chairperson of a province, and not any role an administrator gave the capability to.
    """
    deputies = []
    for a in assignments_of(user):
        if is_commune_chair(a, case.commune_id):
            return a, None
        if a.role.code == RoleCode.DEPUTY_CHAIR and a.area_id == case.commune_id:
            deputies.append(a)
    # Only deputies of the case's commune cost a query.
    if deputies:
        delegation = active_delegation(user, case.commune_id)
        if delegation is not None:
            return deputies[0], delegation
    return None, None


def apply_decider_rule(access: CaseAccess) -> CaseAccess:
    """Strip the decision capabilities from everyone but the decider; give them to a deputy
    under a live delegation. Called by ``access.case_access`` so every face sees the same."""
    caps = set(access.caps) - DECISION_CAPABILITIES
    assignment_for = {k: v for k, v in access.assignment_for.items() if k not in DECISION_CAPABILITIES}
    chair, delegation = decider(access.user, access.case)
    if chair is not None:
        held = DECISION_CAPABILITIES if delegation is not None else DECISION_CAPABILITIES & set(chair.role.capabilities)
        caps |= held
        for cap in held:
            assignment_for[cap] = chair
    access.caps = frozenset(caps)
    access.assignment_for = assignment_for
    access.delegation = delegation
    return access


def conference_chairs(case: Case, now=None):
    """Who may chair the case conference (art. 27.2 "Chủ tịch Ủy ban nhân dân cấp xã chủ trì"):
    the chairperson of the case's commune, or a deputy of that commune under a live delegation —
    the same people ``decider`` lets take the chairperson's decisions."""
    from django.contrib.auth import get_user_model

    now = now or timezone.now()
    live = Delegation.objects.filter(commune_id=case.commune_id, starts_at__lte=now, ends_at__gt=now,
                                     revoked_at__isnull=True).values("delegate_id")
    chair = Q(role__code=DECIDING_ROLE, area__kind=AreaKind.COMMUNE)
    deputy = Q(role__code=RoleCode.DEPUTY_CHAIR, user_id__in=live)
    users = RoleAssignment.objects.active().filter(chair | deputy, area_id=case.commune_id).values("user_id")
    return get_user_model().objects.filter(pk__in=users, is_active=True).order_by("first_name", "username")


# ------------------------------------------------------------------ rules not bound to one case


def holds(user, capability: str) -> bool:
    """Whether any of the user's roles carries ``capability`` somewhere."""
    return any(capability in a.role.capabilities for a in assignments_of(user))


def may_export_case_list(user) -> bool:
    """The case list as a spreadsheet: for those who see case content (officers, chairs,
    supervisors…), never for status-only roles. The file holds no identity (no name, no date
    of birth), only what the list's columns show, so it is not an identity read."""
    return holds(user, C.CASE_VIEW)


def may_open_cases(user) -> bool:
    return holds(user, C.CASE_OPEN)


def may_search_names(user) -> bool:
    """Names are searchable only by users whose every case-viewing role includes the identity:
    otherwise a name typed in a search box would confirm which children have a case."""
    viewing = [a for a in assignments_of(user)
               if C.CASE_VIEW in a.role.capabilities or C.CASE_VIEW_STATUS in a.role.capabilities]
    return bool(viewing) and all(C.IDENTITY_VIEW in a.role.capabilities for a in viewing)


def sees_case_content(user) -> bool:
    """False for status-only users (the 111 hotline): their lists show no child at all."""
    return holds(user, C.CASE_VIEW)


def task_bodies(user) -> list[int]:
    """Ids of the bodies whose tasks this user carries out."""
    return sorted({a.organisation_id for a in assignments_of(user) if C.TASK_ACT in a.role.capabilities})


def member_bodies(user) -> list[int]:
    """Ids of every organisation the user belongs to (a school's reports, a village's reports)."""
    return sorted({a.organisation_id for a in assignments_of(user)})


def intake_communes(user) -> QuerySet[Area]:
    """Communes a user may report an incident in: the current communes of their provinces."""
    q = Q(pk__in=[])
    for prefix in {province_path(a.area) for a in assignments_of(user)}:
        q |= Q(path__startswith=prefix)
    return Area.objects.filter(q, kind=AreaKind.COMMUNE, valid_to__isnull=True)


# Pages that are a role's own desk rather than a view of cases. The case pages themselves are
# guarded by the access function; these decide only whether the desk opens at all.
PAGES: dict[str, set[str]] = {
    "worklist": {RoleCode.OFFICER, RoleCode.CHAIR},
    "approvals": {RoleCode.CHAIR},
    "area": {RoleCode.SUPERVISOR},
    "my_reports": {RoleCode.SCHOOL, RoleCode.VILLAGE, RoleCode.POLICE, RoleCode.HEALTH},
}


# Pages of one case beyond the case page itself, and the capability on the case each needs.
CASE_PAGES: dict[str, str] = {
    "approval": C.PLAN_DECIDE,     # the chairperson's one-screen decision (art. 28.4)
    "plan_edit": C.PLAN_DRAFT,     # drafting form 04 (art. 28.3)
    "readers": C.CASE_AUDIT,       # who saw the case
}


def may_open_case_page(access: CaseAccess, page: str) -> bool:
    return CASE_PAGES[page] in access.caps


def may_use_page(user, page: str) -> bool:
    if page == "tasks":
        return holds(user, C.TASK_ACT)
    if page == "cases":
        return bool(assignments_of(user))
    if page == "intake":
        return may_open_cases(user)
    if page == "reports":
        return holds(user, C.REPORT_VIEW)
    if page == "prevention":
        return holds(user, C.PREVENTION_VIEW)
    if page == "triage":
        from .triage import may_see_queue  # triage builds on rules' neighbours (access)

        return may_see_queue(user)
    roles = PAGES.get(page)
    if roles is None:
        raise KeyError(page)
    return any(a.role.code in roles for a in assignments_of(user))


__all__ = [
    "CASE_PAGES",
    "DECIDER_ONLY",
    "DECISION_CAPABILITIES",
    "DECISION_EVENTS",
    "PAGES",
    "active_delegation",
    "apply_decider_rule",
    "assignable_organisations",
    "decider",
    "holds",
    "intake_communes",
    "is_commune_chair",
    "may_address",
    "may_open_case_page",
    "may_open_cases",
    "may_search_names",
    "may_transfer_to",
    "may_use_page",
    "measure_caps",
    "measure_recorder",
    "member_bodies",
    "province_path",
    "sees_case_content",
    "service_providers",
    "task_bodies",
    "task_caps",
    "task_membership",
    "transfer_caps",
    "transfer_destinations",
    "transfer_receiver",
]
