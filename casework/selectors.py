"""Reads. Every case read starts from ``permissions.access``; nothing here writes, except the
read log of a child's identity, which is itself the audit trail of the read."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from permissions.access import CaseAccess, access_case_by_id, case_queryset_for
from permissions.roles import Capability
from workflows.states import OPEN_CASE_STATUSES

from .audit import case_event_record
from .models import Case, CaseDeadline, CaseEvent, CaseEventType, ClockState
from .services.deadlines import clock_view


def case_list_for_user(user, *, status: str | None = None, open_only: bool = False,
                       commune_id: int | None = None, overdue: bool = False) -> QuerySet[Case]:
    qs = case_queryset_for(user, content=False).select_related("commune", "child", "intake")
    if status:
        qs = qs.filter(status=status)
    if open_only:
        qs = qs.filter(status__in=OPEN_CASE_STATUSES)
    if commune_id:
        qs = qs.filter(commune_id=commune_id)
    if overdue:
        qs = qs.filter(deadlines__state=ClockState.BREACHED, deadlines__met_at__isnull=True).distinct()
    return qs.order_by("-opened_at", "-pk")


def case_for_user(user, case_id) -> CaseAccess:
    """The case and what the user may do on it; CaseNotFound if out of reach."""
    return access_case_by_id(user, case_id, content=False)


def identity_visible(access: CaseAccess) -> bool:
    return Capability.IDENTITY_VIEW in access.caps


def masked_child(child) -> dict:
    """What everyone without identity rights sees of a child: initials, age and sex."""
    return {"masked": True, "initials": child.initials, "age": child.age_on(timezone.localdate()), "sex": child.sex}


def child_identity(access: CaseAccess, *, channel: str = "api", purpose: str = "") -> dict:
    """The child's identity as this user may see it, logging every full read (DOMAIN.md §6)."""
    child = access.case.child
    age = child.age_on(timezone.localdate())
    via_grant = access.granted.get(Capability.IDENTITY_VIEW) or access.granted.get(Capability.CASE_VIEW)
    if not identity_visible(access):
        if via_grant:
            # Using a grant is itself on the record, even when the identity stays masked.
            case_event_record(case=access.case, type=CaseEventType.CASE_VIEWED_VIA_GRANT, actor=access.user,
                              data={"channel": channel, "grants": via_grant}, reason=purpose)
        return masked_child(child)
    case_event_record(case=access.case, type=CaseEventType.IDENTITY_VIEWED, actor=access.user,
                      assignment=access.assignment(Capability.IDENTITY_VIEW),
                      data={"channel": channel, **({"grants": via_grant} if via_grant else {})}, reason=purpose)
    return {
        "masked": False, "id": child.pk, "full_name": child.full_name, "date_of_birth": child.date_of_birth,
        "estimated_age": child.estimated_age, "age": age, "sex": child.sex, "ethnicity": child.ethnicity,
        "disability": child.disability, "address": child.address,
        "residence_commune": child.residence_area_id, "school": child.school_id, "class_name": child.class_name,
        "parents": child.parents, "caregiver": child.caregiver,
    }


def case_clocks_for(access: CaseAccess) -> list[dict]:
    now = timezone.now()
    return [clock_view(row, now) for row in CaseDeadline.objects.filter(case=access.case).order_by("due_at")]


def case_timeline(access: CaseAccess) -> QuerySet[CaseEvent]:
    qs = access.case.events.select_related("actor").order_by("at", "pk")
    if Capability.CASE_AUDIT not in access.caps:
        # Only the chairperson and supervisors see who read the file.
        qs = qs.exclude(type=CaseEventType.IDENTITY_VIEWED)
    return qs


def case_readers(access: CaseAccess) -> QuerySet[CaseEvent]:
    return access.case.events.filter(type__in=[CaseEventType.IDENTITY_VIEWED, CaseEventType.FILE_EXPORTED]) \
        .order_by("-at")


def children_shown_to(user, children, *, channel: str) -> list:
    """Keep the registry children whose identity ``user`` may see on at least one case, and log
    each one shown as a read of that case (a name in a search result is an identity read too)."""
    from permissions.access import case_access

    visible = case_queryset_for(user).select_related("commune", "incident_commune", "residence_commune")
    shown = []
    for child in children:
        for case in visible.filter(child=child).order_by("-opened_at", "-pk")[:5]:
            access = case_access(user, case)
            if identity_visible(access):
                case_event_record(case=case, type=CaseEventType.IDENTITY_VIEWED, actor=user,
                                  assignment=access.assignment(Capability.IDENTITY_VIEW), data={"channel": channel})
                shown.append(child)
                break
    return shown


def case_chain_status(case) -> dict:
    """Whether the case's timeline hash chain verifies, for a "chain verified" line on timeline
    pages and exports (docs/audit.md): ``verified``, ``events``, ``problems`` (one sentence
    each), ``anchor_id``/``anchor_at`` of the latest anchor and ``anchored_upto``, the position
    it covers. Reads only."""
    from .audit import case_chain_check

    return case_chain_check(case.pk)
