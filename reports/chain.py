"""The reporting chain (seed plans §V; DOMAIN.md §5): village and school → commune → province
(→ district before July 2025). Derived from the organisations and areas, so a reform that
re-parents communes re-routes reports without code changes."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from casework.models import AreaKind, Organisation, OrganisationKind as OK

BELOW_COMMUNE = (OK.VILLAGE, OK.SCHOOL)


def level_of(body: Organisation) -> str:
    if body.kind in BELOW_COMMUNE:
        return "below_commune"
    if body.kind == OK.PEOPLES_COMMITTEE:
        return "commune"
    return "province"


def _live(on: dt.date | None) -> Q:
    on = on or dt.date.today()
    return Q(active=True) & (Q(area__valid_to__isnull=True) | Q(area__valid_to__gt=on))


def body_above(body: Organisation, on: dt.date | None = None) -> Organisation | None:
    """Where ``body`` sends its reports, or None at the top of the chain."""
    from .models import ReportingLine

    line = ReportingLine.objects.filter(body=body, above__active=True).select_related("above").first()
    if line is not None:
        return line.above
    area = body.area
    if body.kind in BELOW_COMMUNE:
        commune = area if area.kind == AreaKind.COMMUNE else area.parent
        if commune is None:
            return None
        return Organisation.objects.filter(_live(on), kind=OK.PEOPLES_COMMITTEE, area=commune).first()
    if body.kind in (OK.PEOPLES_COMMITTEE, OK.SUPERVISORY):
        # The nearest supervisory department above: the district's before the reform, the province's after.
        above = [a.pk for a in area.ancestors()[1:]]
        if not above:
            return None
        candidates = {o.area_id: o for o in Organisation.objects.filter(
            _live(on), kind=OK.SUPERVISORY, area_id__in=above)}
        return next((candidates[pk] for pk in above if pk in candidates), None)
    return None


def _derived_below(body: Organisation, on: dt.date | None):
    if body.kind == OK.PEOPLES_COMMITTEE:
        return Organisation.objects.filter(_live(on), kind__in=BELOW_COMMUNE, area__path__startswith=body.area.path)
    if body.kind == OK.SUPERVISORY:
        return Organisation.objects.filter(_live(on), kind=OK.PEOPLES_COMMITTEE, area__kind=AreaKind.COMMUNE,
                                           area__path__startswith=body.area.path)
    return Organisation.objects.none()


def bodies_below(body: Organisation, on: dt.date | None = None):
    """The bodies that report to ``body`` (a queryset, in a stable order): those the areas make
    report here, less those with an explicit line elsewhere, plus explicit lines to ``body``."""
    from .models import ReportingLine

    explicit = ReportingLine.objects.filter(above=body).values("body_id")
    elsewhere = ReportingLine.objects.exclude(above=body).values("body_id")
    derived = _derived_below(body, on).exclude(pk__in=elsewhere).values("pk")
    return (Organisation.objects.filter(_live(on)).filter(Q(pk__in=derived) | Q(pk__in=explicit))
            .order_by("area__path", "kind", "name"))
