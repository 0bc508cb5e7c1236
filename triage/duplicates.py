"""Possibly-same children, ranked, among the children the user may see (issue 12, item 3).

``suggestions_for`` reads only (a selector); ``reveal_suggestions`` is the explicit step that
shows them and logs each one shown as a read of the child's identity — on the case through which
the user sees the child (``casework.access_log``), or on the registry entry (prevention's log).
Children the user may not identify are never suggested.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from casework import access_log
from casework.models import Child
from permissions.access import case_queryset_for
from permissions.prevention import registry_identity_reader, registry_queryset_for

from .labels import REASON_LABELS
from .matching import Match, Person, blocking_keys, rank
from .models import ChildIdentifier, ChildMerge

# Enough for any one name in a province; the ranking then keeps the best ten.
POOL_LIMIT = 500


def person_of(child: Child, personal_id: str = "") -> Person:
    return Person(full_name=child.full_name, date_of_birth=child.date_of_birth, estimated_age=child.estimated_age,
                  age_on=child.estimated_age_on or (child.created_at.date() if child.created_at else None),
                  sex=child.sex, commune_id=child.residence_area_id, parents=child.parents,
                  personal_id=personal_id, ref=child)


def visible_children(user, *, cases_only: bool = False):
    """Children of the cases the user may see, and of the registry entries they may see."""
    q = Q(pk__in=case_queryset_for(user).values("child_id"))
    if not cases_only:
        q |= Q(pk__in=registry_queryset_for(user).values("child_id"))
    merged_away = ChildMerge.objects.filter(undone_at__isnull=True).values("merged_id")
    return Child.objects.filter(q).exclude(pk__in=merged_away)


def suggestions_for(user, probe: Person, *, exclude=(), cases_only: bool = False, limit: int = 10) -> list[Match]:
    """The visible children most likely the same as ``probe``, best first, with the reasons.

    One query for the pool: name prefixes (``matching.blocking_keys``), the same date of birth or
    the same identification number; then the ranking in memory."""
    keys = blocking_keys(probe.full_name)
    near = Q(pk__in=[])
    for key in keys:
        near |= Q(name_folded__contains=key)
    if probe.date_of_birth:
        near |= Q(date_of_birth=probe.date_of_birth)
    if probe.personal_id:
        near |= Q(identifier__number=probe.personal_id.strip())
    pool = (visible_children(user, cases_only=cases_only).filter(near).exclude(pk__in=list(exclude))
            .select_related("identifier").order_by("pk")[:POOL_LIMIT])
    return rank(probe, [person_of(child, identifier_of(child)) for child in pool], limit=limit)


def identifier_of(child) -> str:
    try:
        return child.identifier.number
    except ChildIdentifier.DoesNotExist:
        return ""


def reveal_suggestions(user, matches: list[Match], *, channel: str) -> list[dict]:
    """The suggestions as shown to ``user``: each child whose identity they may see, with the
    reasons in words; each shown is logged as an identity read. Others are left out."""
    if not matches:
        return []
    children = [m.candidate.ref for m in matches]
    via_case = {c.pk for c in access_log.reveal_registry_children(user, children, channel=channel)}
    shown = []
    rest = [c for c in children if c.pk not in via_case]
    via_registry = set()
    if rest:
        from prevention.models import PreventionEventType
        from prevention.services import event_record

        entries = (registry_queryset_for(user).filter(child__in=rest).select_related("commune")
                   .order_by("child_id", "-since"))
        for entry in entries:
            if entry.child_id in via_registry:
                continue
            assignment = registry_identity_reader(user, entry)
            if assignment is not None:
                event_record(type=PreventionEventType.IDENTITY_VIEWED, actor=user, assignment=assignment,
                             subject=f"entry:{entry.pk}", data={"channel": channel})
                via_registry.add(entry.child_id)
    today = timezone.localdate()
    for m in matches:
        child = m.candidate.ref
        if child.pk not in via_case and child.pk not in via_registry:
            continue
        shown.append({"child": child, "id": child.pk, "full_name": child.full_name,
                      "date_of_birth": child.date_of_birth, "age": child.age_on(today), "sex": child.sex,
                      "parents": child.parents, "score": round(m.score, 2),
                      "reasons": [{"code": code, "label": str(REASON_LABELS.get(code, code)), "weight": w}
                                  for code, w in m.reasons]})
    return shown




def intake_suggestions(user, *, full_name: str, date_of_birth=None, estimated_age=None, sex: str = "unknown",
                       commune_id=None, parents: str = "", channel: str = "duplicate_check") -> list[Child]:
    """For the intake form: children of cases the user may see (a report can pick only those),
    each with ``match_score`` and ``match_reasons`` (words), each shown logged as a read."""
    probe = Person(full_name=full_name or "", date_of_birth=date_of_birth, estimated_age=estimated_age,
                   age_on=timezone.localdate(), sex=sex or "unknown", commune_id=commune_id, parents=parents or "")
    if not probe.full_name.strip():
        return []
    out = []
    for s in reveal_suggestions(user, suggestions_for(user, probe, cases_only=True), channel=channel):
        child = s["child"]
        child.match_score, child.match_reasons = s["score"], [r["label"] for r in s["reasons"]]
        out.append(child)
    return out


__all__ = ["POOL_LIMIT", "identifier_of", "intake_suggestions", "person_of", "reveal_suggestions", "suggestions_for", "visible_children"]
