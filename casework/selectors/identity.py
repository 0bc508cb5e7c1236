"""What a user may see of a child: the masked form for everyone, the identity for those who
need it (DOMAIN.md §6). Pure: revealing an identity is logged by ``casework.access_log``, the one
explicit step every face calls where a name is shown.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from permissions import rules
from permissions.access import CaseAccess, case_access, case_queryset_for
from permissions.roles import Capability

from ..models import Child
from ..models.people import fold


def identity_visible(access: CaseAccess) -> bool:
    return Capability.IDENTITY_VIEW in access.caps


# Issue 8, item 11 (DOMAIN.md §6: age is private): a masked view shows an age band, never the
# exact age — the bands of the child statistics (Circular 13/2021: 0–5, 6–10, 11–15).
AGE_BANDS = (("0-5", 0, 5), ("6-10", 6, 10), ("11-15", 11, 15))
AGE_BAND_LABELS = {"0-5": _("0–5 years"), "6-10": _("6–10 years"), "11-15": _("11–15 years"),
                   "16+": _("16 years or older")}


def age_band(age: int | None) -> str | None:
    if age is None:
        return None
    for code, low, high in AGE_BANDS:
        if low <= age <= high:
            return code
    return "16+"


def masked_child(child) -> dict:
    """What everyone without identity rights sees of a child: initials, an age band and sex."""
    band = age_band(child.age_on(timezone.localdate()))
    return {"masked": True, "initials": child.initials, "age_band": band, "sex": child.sex}


def identity_of(child) -> dict:
    """The full identity record of a child. Only ``access_log`` hands it to a face."""
    return {
        "masked": False, "id": child.pk, "full_name": child.full_name, "date_of_birth": child.date_of_birth,
        "estimated_age": child.estimated_age, "age": child.age_on(timezone.localdate()), "sex": child.sex,
        "ethnicity": child.ethnicity, "disability": child.disability, "address": child.address,
        "residence_commune": child.residence_area_id, "school": child.school_id, "class_name": child.class_name,
        "parents": child.parents, "caregiver": child.caregiver,
    }


def grants_used(access: CaseAccess) -> list[int]:
    """Ids of the grants through which the user reads this case's content or identity, if any."""
    return access.granted.get(Capability.IDENTITY_VIEW) or access.granted.get(Capability.CASE_VIEW) or []


def registry_matches(user, q: str) -> list:
    """Children of cases the user may see, matched on the folded name (diacritics-insensitive).
    Empty for users who may not search names (``rules.may_search_names``)."""
    folded = fold(q)
    if not folded or not rules.may_search_names(user):
        return []
    return list(Child.objects.filter(cases__in=case_queryset_for(user), name_folded__contains=folded)
                .distinct().order_by("name_folded", "pk")[:20])


def registry_child_visible(user, child_id) -> bool:
    """Whether a registry child picked on intake is one of a case the user may see."""
    try:
        child_id = int(child_id)
    except (TypeError, ValueError):
        return False
    return Child.objects.filter(pk=child_id, cases__in=case_queryset_for(user)).exists()


def registry_child(user, child_id):
    """The registry child picked on intake, if it is one of a case the user may see."""
    if not registry_child_visible(user, child_id):
        return None
    return Child.objects.get(pk=int(child_id))


def duplicate_candidates(user, full_name: str, dob, estimated_age) -> list:
    """Same folded name and about the same birth year, among children the user may see."""
    folded = fold(full_name)
    if not folded or not rules.may_search_names(user):
        return []
    year = dob.year if dob else (timezone.localdate().year - estimated_age if estimated_age is not None else None)
    found = []
    for child in Child.objects.filter(cases__in=case_queryset_for(user), name_folded=folded).distinct()[:20]:
        child_year = (child.date_of_birth.year if child.date_of_birth else
                      (child.estimated_age_on or child.created_at.date()).year - (child.estimated_age or 0))
        if year is None or abs(child_year - year) <= 1:
            found.append(child)
    return found


def identity_cases_for(user, children) -> list[tuple[object, CaseAccess]]:
    """For each registry child, the newest case through which ``user`` may see who the child is.

    A name in a search result is an identity read: the caller logs each pair it shows
    (``access_log.reveal_registry_children``).
    """
    visible = case_queryset_for(user).select_related("commune", "incident_commune", "residence_commune")
    pairs = []
    for child in children:
        for case in visible.filter(child=child).order_by("-opened_at", "-pk")[:5]:
            access = case_access(user, case)
            if identity_visible(access):
                pairs.append((child, access))
                break
    return pairs


__all__ = [
    "duplicate_candidates",
    "grants_used",
    "identity_cases_for",
    "identity_of",
    "identity_visible",
    "masked_child",
    "registry_child",
    "registry_child_visible",
    "registry_matches",
]
