"""The indicators of Circular 13/2021/TT-BLĐTBXH (and local ones), computed in the database.

Every figure is one SQL aggregate over cases (``values()`` + ``annotate`` with
``Count(distinct=True)`` or conditional counts); nothing here loops over cases in Python, so a
province of 50,000 cases costs the same handful of queries as a commune.

Counting rules (DOMAIN.md §5, indicator 0101's definition):
- a **child is counted once** per report, however many cases they have: the case that *found*
  them in the period (the earliest intake received in the period, whatever the area) decides the
  area, the age and the environment the child is counted under;
- the **area** is the commune of the incident as recorded by that report, read through
  ``AreaSuccession`` as of the end of the period: after the July 2025 reform a successor
  commune's (or province's) report counts the cases of the communes it absorbed;
- the **period** is the day the report was received (Asia/Ho_Chi_Minh), both ends inclusive;
- age is in completed years on that day, from the date of birth or, failing that, the
  estimated age advanced by the years since it was estimated;
- cases closed as *not eligible* (no abuse found at verification) are not counted;
- **clocks** (timeliness) count where the case is owned now (``Case.commune``): a clock belongs
  to the commune that must meet it, and a transferred case's later clocks run in the new one.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Case as When_,
)
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractDay, ExtractMonth, ExtractYear, NullIf, TruncDate
from django.utils import timezone

from casework.models import (
    Area,
    Case,
    CaseAbuseForm,
    CaseDeadline,
    ClockState,
    EmergencyMeasure,
    OrganisationKind,
    Perpetrator,
    Plan,
    Task,
)
from workflows.policy import DeadlineKind
from workflows.states import CaseStatus, Classification, EmergencyMeasureStatus, PlanStatus

from .models import AgeBand, AreaSuccession, Indicator

SUPPORTED_PLAN_STATES = (PlanStatus.APPROVED, PlanStatus.SUPERSEDED, PlanStatus.ENDED)


class UnknownIndicator(KeyError):
    pass


@dataclass(frozen=True)
class Scope:
    """Which cases a figure covers: an area subtree, a period and optionally one reporting body."""

    area_path: str
    start: dt.date
    end: dt.date
    organisation_id: int | None = None

    @property
    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        tz = timezone.get_default_timezone()
        begin = dt.datetime.combine(self.start, dt.time.min, tzinfo=tz)
        after = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        return begin, after


# ------------------------------------------------------------------ areas across the reform

# While one report is compiled, the area map and the age bands are read once, not per figure.
_memo: contextvars.ContextVar[dict | None] = contextvars.ContextVar("reports_memo", default=None)


@contextlib.contextmanager
def one_reading():
    """Within this block, area lookups and age bands are read from the database once."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def _memoised(key, compute):
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def successions(on: dt.date) -> dict[int, int]:
    """Former unit id → the unit that finally took it over, for successions in force on ``on``."""
    return _memoised(("successions", on), lambda: _successions(on))


def _successions(on: dt.date) -> dict[int, int]:
    direct = dict(AreaSuccession.objects.filter(effective_on__lte=on).values_list("predecessor_id", "successor_id"))
    final = {}
    for old in direct:
        node, seen = old, set()
        while node in direct and node not in seen:   # chains: commune merged twice
            seen.add(node)
            node = direct[node]
        final[old] = node
    return final


def area_ids(path: str, on: dt.date) -> list[int]:
    """Every area under ``path``, plus the former units that now lie under it."""
    return _memoised(("area_ids", path, on), lambda: _area_ids(path, on))


def _area_ids(path: str, on: dt.date) -> list[int]:
    ids = set(Area.objects.filter(path__startswith=path).values_list("pk", flat=True))
    ids |= {old for old, new in successions(on).items() if new in ids}
    return sorted(ids)


def in_areas(column: str, scope: Scope) -> Q:
    """``column`` lies in ``area_ids(scope.area_path, scope.end)``, written as a subquery on the
    area tree plus the former units that now lie under it, not an ``IN`` list of every id
    (thousands for the nation: Django compiled and PostgreSQL planned it on every figure). Reads
    the successions and, when there are any, the subtree's ids (memoised within a report)."""
    final = successions(scope.end)
    under = Area.objects.filter(path__startswith=scope.area_path).values("pk")
    q = Q(**{f"{column}__in": under})
    if not final:
        return q
    # The same set as area_ids: the subtree, plus the former units whose successor lies in it.
    ids = _memoised(("area_under", scope.area_path),
                    lambda: set(Area.objects.filter(path__startswith=scope.area_path).values_list("pk", flat=True)))
    extra = sorted(old for old, new in final.items() if new in ids and old not in ids)
    return q | Q(**{f"{column}__in": extra}) if extra else q


def _current_commune(on: dt.date, column: str = "incident_commune_id"):
    """An expression mapping a case's commune to its successor as of ``on``."""
    by_successor: dict[int, list[int]] = {}
    for old, new in successions(on).items():
        by_successor.setdefault(new, []).append(old)
    if not by_successor:
        return F(column)
    return When_(*[When(**{f"{column}__in": olds}, then=Value(new)) for new, olds in by_successor.items()],
                 default=F(column), output_field=IntegerField())


# ------------------------------------------------------------------ the cases behind a figure

def _counted(qs: QuerySet) -> QuerySet:
    return qs.exclude(status=CaseStatus.NOT_ELIGIBLE)


def _in_period(qs: QuerySet, scope: Scope) -> QuerySet:
    begin, after = scope.bounds
    qs = qs.filter(intake__received_at__gte=begin, intake__received_at__lt=after)
    if scope.organisation_id:
        qs = qs.filter(reporting_organisation_id=scope.organisation_id)
    return qs


ABUSED = Q(intake__classification=Classification.ABUSED)


def _special_q() -> Q:
    return Q(special_groups__isnull=False)


def finding_cases(scope: Scope, criterion: Q) -> QuerySet[Case]:
    """For each child meeting ``criterion`` in the period, the one case that found them, in the area."""
    base = _in_period(_counted(Case.objects.all()), scope)
    qualifying = Case.objects.filter(pk__in=base.filter(criterion).values("pk"))
    earlier = qualifying.filter(child_id=OuterRef("child_id")).filter(
        Q(intake__received_at__lt=OuterRef("intake__received_at"))
        | Q(intake__received_at=OuterRef("intake__received_at"), pk__lt=OuterRef("pk")))
    return (qualifying.filter(~Exists(earlier))
            .filter(in_areas("incident_commune_id", scope)))


def cases_in_scope(scope: Scope, criterion: Q | None = None) -> QuerySet[Case]:
    """Every counted case received in the period whose incident lies in the area (not deduplicated)."""
    qs = _in_period(_counted(Case.objects.all()), scope).filter(in_areas("incident_commune_id", scope))
    return Case.objects.filter(pk__in=qs.filter(criterion or Q()).values("pk"))


def _supported_q() -> Q:
    """Support or intervention given: an approved plan, or an emergency measure carried out, in any
    case of the child (the help may come from a later case)."""
    plans = Plan.objects.filter(case__child_id=OuterRef("child_id"), status__in=SUPPORTED_PLAN_STATES)
    measures = EmergencyMeasure.objects.filter(case__child_id=OuterRef("child_id"),
                                               status=EmergencyMeasureStatus.TAKEN)
    return Q(Exists(plans)) | Q(Exists(measures))


# ------------------------------------------------------------------ dimensions

def _with_age(qs: QuerySet) -> QuerySet:
    """Annotate ``age``: completed years on the day the report was received (portable SQL)."""
    qs = qs.annotate(
        _ry=ExtractYear("intake__received_at"), _rm=ExtractMonth("intake__received_at"),
        _rd=ExtractDay("intake__received_at"),
        _by=ExtractYear("child__date_of_birth"), _bm=ExtractMonth("child__date_of_birth"),
        _bd=ExtractDay("child__date_of_birth"),
        _est_on=Coalesce("child__estimated_age_on", TruncDate("child__created_at")),
    ).annotate(_ey=ExtractYear("_est_on"), _em=ExtractMonth("_est_on"), _ed=ExtractDay("_est_on"))
    before_birthday = When_(When(Q(_rm__lt=F("_bm")) | Q(_rm=F("_bm"), _rd__lt=F("_bd")), then=Value(1)),
                            default=Value(0), output_field=IntegerField())
    before_estimate_day = When_(When(Q(_rm__lt=F("_em")) | Q(_rm=F("_em"), _rd__lt=F("_ed")), then=Value(1)),
                                default=Value(0), output_field=IntegerField())
    return qs.annotate(age=When_(
        When(child__date_of_birth__isnull=False, then=F("_ry") - F("_by") - before_birthday),
        When(child__estimated_age__isnull=False,
             then=F("child__estimated_age") + When_(When(_ry__gt=F("_ey"), then=F("_ry") - F("_ey") - before_estimate_day),
                                                    default=Value(0), output_field=IntegerField())),
        default=None, output_field=IntegerField()))


def _with_age_band(qs: QuerySet, bands: list[AgeBand]) -> QuerySet:
    qs = _with_age(qs)
    return qs.annotate(age_band=When_(
        *[When(age__gte=b.min_age, age__lte=b.max_age, then=Value(b.code)) for b in bands],
        default=Value("unknown")))


def _primary_form():
    top = (CaseAbuseForm.objects.filter(case_id=OuterRef("pk"), primary=True)
           .annotate(top=Coalesce("term__parent__code", "term__code")).values("top")[:1])
    return Coalesce(Subquery(top), Value("none"))


def annotate_dimensions(qs: QuerySet, dims: list[str], scope: Scope) -> QuerySet:
    if "age_band" in dims:
        qs = _with_age_band(qs, _memoised("age_bands", lambda: list(AgeBand.objects.filter(active=True))))
    extra = {}
    if "age_band" in dims:
        extra["d_age_band"] = F("age_band")
    if "sex" in dims:
        extra["d_sex"] = F("child__sex")
    if "environment" in dims:
        extra["d_environment"] = Coalesce(NullIf("environment", Value("")), "incident__environment")
    if "form" in dims:
        extra["d_form"] = _primary_form()
    if "area" in dims:
        extra["d_area"] = _current_commune(scope.end)
    if "group" in dims:
        extra["d_group"] = F("special_groups__code")
    return qs.annotate(**extra) if extra else qs


def grouped(qs: QuerySet, dims: list[str], **aggregates) -> list[dict]:
    """One row per combination of the (``d_``-annotated) dimensions, keys without the prefix."""
    cols = [f"d_{d}" for d in dims]
    rows = qs.values(*cols).annotate(**aggregates).order_by(*cols)
    return [{(k.removeprefix("d_")): v for k, v in r.items()} for r in rows]


# ------------------------------------------------------------------ computations

def _children(criterion: Q) -> Callable:
    def headline(scope: Scope):
        return finding_cases(scope, criterion).aggregate(n=Count("child_id", distinct=True))["n"]

    def breakdown(scope: Scope, dims: list[str]):
        qs = annotate_dimensions(finding_cases(scope, criterion), dims, scope)
        return grouped(qs, dims, value=Count("child_id", distinct=True))

    return headline, breakdown


def percent(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _share_supported(criterion: Q) -> Callable:
    def counts(qs):
        return qs.aggregate(total=Count("child_id", distinct=True),
                            supported=Count("child_id", distinct=True, filter=_supported_q()))

    def headline(scope: Scope):
        c = counts(finding_cases(scope, criterion))
        return percent(c["supported"], c["total"])

    def breakdown(scope: Scope, dims: list[str]):
        qs = annotate_dimensions(finding_cases(scope, criterion), dims, scope)
        rows = grouped(qs, dims, total=Count("child_id", distinct=True),
                       supported=Count("child_id", distinct=True, filter=_supported_q()))
        return [{**r, "value": percent(r["supported"], r["total"])} for r in rows]

    return headline, breakdown


def _supported_children():
    def headline(scope: Scope):
        return finding_cases(scope, ABUSED).filter(_supported_q()).aggregate(n=Count("child_id", distinct=True))["n"]

    def breakdown(scope: Scope, dims: list[str]):
        qs = annotate_dimensions(finding_cases(scope, ABUSED).filter(_supported_q()), dims, scope)
        return grouped(qs, dims, value=Count("child_id", distinct=True))

    return headline, breakdown


def _incidents():
    def headline(scope: Scope):
        return cases_in_scope(scope, ABUSED).aggregate(n=Count("incident_id", distinct=True))["n"]

    def breakdown(scope: Scope, dims: list[str]):
        qs = cases_in_scope(scope, ABUSED)
        ann = {}
        if "environment" in dims:
            ann["d_environment"] = F("incident__environment")
        if "area" in dims:
            ann["d_area"] = _current_commune(scope.end)
        return grouped(qs.annotate(**ann), dims, value=Count("incident_id", distinct=True))

    return headline, breakdown


def _perpetrators():
    def rows(scope: Scope):
        incidents = cases_in_scope(scope, ABUSED).values("incident_id")
        return Perpetrator.objects.filter(incident_id__in=incidents)

    def headline(scope: Scope):
        return rows(scope).count()

    def breakdown(scope: Scope, dims: list[str]):
        ann = {}
        if "relation" in dims:
            ann["d_relation"] = Coalesce("relation__code", Value("unknown"))
        if "perpetrator_is_child" in dims:
            ann["d_perpetrator_is_child"] = F("is_child")
        return grouped(rows(scope).annotate(**ann), dims, value=Count("pk"))

    return headline, breakdown


def _police_q() -> Q:
    police = Q(organisation__kind=OrganisationKind.POLICE)
    return (Q(Exists(Task.objects.filter(police, case_id=OuterRef("pk"))))
            | Q(Exists(EmergencyMeasure.objects.filter(case_id=OuterRef("pk"),
                                                       responsible__kind=OrganisationKind.POLICE)))
            | ~Q(criminal_track=""))


def _police_referrals():
    def headline(scope: Scope):
        return cases_in_scope(scope).filter(_police_q()).count()

    def breakdown(scope: Scope, dims: list[str]):
        qs = cases_in_scope(scope).filter(_police_q())
        if "area" in dims:
            qs = qs.annotate(d_area=_current_commune(scope.end))
        return grouped(qs, dims, value=Count("pk"))

    return headline, breakdown


def clocks_in_scope(scope: Scope, kind: str) -> QuerySet[CaseDeadline]:
    begin, after = scope.bounds
    qs = CaseDeadline.objects.filter(in_areas("case__commune_id", scope), kind=kind, starts_at__gte=begin,
                                     starts_at__lt=after).exclude(
        case__status=CaseStatus.NOT_ELIGIBLE)
    if scope.organisation_id:
        qs = qs.filter(case__reporting_organisation_id=scope.organisation_id)
    return qs


def missed_q(now=None) -> Q:
    """A clock is missed once recorded as breached, or when it runs past its due time unmet."""
    return Q(state=ClockState.BREACHED) | Q(state=ClockState.RUNNING, due_at__lt=now or timezone.now())


def _timeliness(kind: str):
    def counts(qs):
        return {"met": Count("pk", filter=Q(state=ClockState.MET)), "missed": Count("pk", filter=missed_q())}

    def headline(scope: Scope):
        c = clocks_in_scope(scope, kind).aggregate(**counts(None))
        return percent(c["met"], c["met"] + c["missed"])

    def breakdown(scope: Scope, dims: list[str]):
        qs = clocks_in_scope(scope, kind)
        if "area" in dims:
            qs = qs.annotate(d_area=_current_commune(scope.end, "case__commune_id"))
        rows = grouped(qs, dims, **counts(None))
        return [{**r, "value": percent(r["met"], r["met"] + r["missed"])} for r in rows]

    return headline, breakdown


@dataclass(frozen=True)
class Computation:
    headline: Callable
    breakdown: Callable
    dimensions: tuple[str, ...]


def _c(pair, dims) -> Computation:
    return Computation(pair[0], pair[1], tuple(dims))


CHILD_DIMS = ("sex", "age_band", "environment", "form", "area")
COMPUTATIONS: dict[str, Computation] = {
    "abused_children": _c(_children(ABUSED), CHILD_DIMS),
    "incidents": _c(_incidents(), ("environment", "area")),
    "perpetrators": _c(_perpetrators(), ("relation", "perpetrator_is_child")),
    "supported_children": _c(_supported_children(), CHILD_DIMS),
    "supported_rate": _c(_share_supported(ABUSED), ("sex", "age_band", "area")),
    "special_children": _c(_children(_special_q()), ("group", "sex", "age_band", "area")),
    "special_supported_share": _c(_share_supported(_special_q()), ("group", "area")),
    "police_referrals": _c(_police_referrals(), ("area",)),
    "emergency_on_time": _c(_timeliness(DeadlineKind.EMERGENCY_MEASURES), ("area",)),
    "plan_drafted_on_time": _c(_timeliness(DeadlineKind.PLAN_DRAFT), ("area",)),
    "plan_approved_on_time": _c(_timeliness(DeadlineKind.PLAN_APPROVAL), ("area",)),
    "verification_on_time": _c(_timeliness(DeadlineKind.VERIFICATION), ("area",)),
}


def indicator(code: str) -> Indicator:
    found = _memoised(("indicator", code), lambda: Indicator.objects.filter(code=code, active=True).first())
    if found is None or found.computation not in COMPUTATIONS:
        raise UnknownIndicator(code)
    return found


def indicator_value(code: str, *, area_path: str, start: dt.date, end: dt.date,
                    organisation_id: int | None = None) -> Decimal | int | None:
    """The headline value of an indicator for an area subtree and a period (both days inclusive).

    Counts are ``int``; rates and shares are a ``Decimal`` percentage with one decimal, or
    ``None`` when nothing was there to divide. Raises ``UnknownIndicator`` for an unknown or
    inactive code. Stable: the prevention app calls it for plan targets.
    """
    ind = indicator(code)
    return COMPUTATIONS[ind.computation].headline(Scope(area_path, start, end, organisation_id))


def indicator_breakdown(code: str, *, area_path: str, start: dt.date, end: dt.date, by: list[str] | tuple = (),
                        organisation_id: int | None = None) -> list[dict]:
    """Rows of ``{dimension: value, …, "value": figure}`` grouped by the dimensions in ``by``."""
    ind = indicator(code)
    comp = COMPUTATIONS[ind.computation]
    dims = [d for d in by if d in comp.dimensions]
    return comp.breakdown(Scope(area_path, start, end, organisation_id), dims)
