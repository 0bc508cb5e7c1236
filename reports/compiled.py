"""A whole report's indicators in a handful of grouped queries (issue 14).

``indicators.py`` holds the reference definitions: one query per figure and per breakdown, which
is what the API and the dashboards ask for one figure at a time. A report asks for every active
indicator with every breakdown at once, about sixty queries; at national scale each of them
re-reads the same cases (and carries an ``IN`` list of every area id), so the report took minutes.

Here each family of figures that shares its cases is read ONCE, grouped by the finest
combination of the dimensions the report needs, with the indicators' counts as conditional
aggregates side by side; the breakdowns are then sums over those groups. The sums are exact,
not estimates, because every row counted belongs to exactly one finest group:

- a child is found by exactly one case (the earliest counted intake of the period, ties by id),
  and that case has exactly one sex, age band, environment, primary form and commune, so the
  distinct children of a coarser group are the sum of its finer groups' (the one exception, the
  special groups, where a child sits in every group of their case, is read by its own query and
  never summed across groups);
- a clock, a perpetrator, a case referred to the police is one row;
- incidents are the exception: one incident's cases may lie in two communes, so incidents by
  area are counted by their own query, and the environment (a property of the incident) is
  summed for the headline.

The commune of a row is read as stored and mapped to its successor (``AreaSuccession``) here, in
Python, after grouping: the same sums, without a ``CASE`` of every merged commune in the SQL.
``tests/reports/test_compiled.py`` checks every figure against the reference definitions.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from casework.models import Case, CaseDeadline, Perpetrator
from workflows.states import CaseStatus, Classification

from .indicators import (
    COMPUTATIONS,
    Scope,
    _current_commune,
    _police_q,
    _supported_q,
    annotate_dimensions,
    in_areas,
    missed_q,
    percent,
    successions,
)
from .models import Indicator

# The official tables: one row per value of a row dimension, sex and age band in the columns.
COLUMN_DIMS = ("sex", "age_band")
ROW_DIMS = ("form", "environment", "group", "area")

CHILD_FAMILIES = {
    # computation → (criterion, what its value is)
    "abused_children": ("abused", "total"),
    "supported_children": ("abused", "supported"),
    "supported_rate": ("abused", "share"),
    "special_children": ("special", "total"),
    "special_supported_share": ("special", "share"),
}
TIMELINESS = {
    "emergency_on_time": "emergency_measures",
    "plan_drafted_on_time": "plan_draft",
    "plan_approved_on_time": "plan_approval",
    "verification_on_time": "verification",
}
FAST = {*CHILD_FAMILIES, *TIMELINESS, "incidents", "perpetrators", "police_referrals"}


@contextlib.contextmanager
def without_jit():
    """PostgreSQL's JIT compiles these grouped queries for longer than they run (at 10 % scale,
    0.56 s of compiling for a 0.34 s query, 216 functions, more as the plans grow): switch it off
    for the transaction that reads the report. ``SET LOCAL`` ends with the transaction (with the
    caller's, when the report is read inside one)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("SET LOCAL jit = off")
        yield


def breakdown_keys(ind: Indicator) -> list[tuple[str, tuple[str, ...]]]:
    """The breakdowns a report shows for one indicator: (key, dimensions), in the report's order."""
    dims = [d for d in ind.disaggregations if d in COMPUTATIONS[ind.computation].dimensions]
    keys = [(d, (d,)) for d in dims]
    for row in [r for r in ROW_DIMS if r in dims]:
        for col in [c for c in COLUMN_DIMS if c in dims]:
            keys.append((f"{row}×{col}", (row, col)))
    return keys


# ------------------------------------------------------------------ helpers

def _counted_in_period(scope: Scope, prefix: str = "") -> Q:
    begin, after = scope.bounds
    q = (~Q(**{f"{prefix}status": CaseStatus.NOT_ELIGIBLE})
         & Q(**{f"{prefix}intake__received_at__gte": begin, f"{prefix}intake__received_at__lt": after}))
    if scope.organisation_id:
        q &= Q(**{f"{prefix}reporting_organisation_id": scope.organisation_id})
    return q


def _criterion(name: str) -> Q:
    if name == "abused":
        return Q(intake__classification=Classification.ABUSED)
    # At least one special group, without joining the groups (that would repeat the case).
    through = Case.special_groups.through
    return Q(Exists(through.objects.filter(case_id=OuterRef("pk"))))


def _cases(scope: Scope, criterion: Q | None = None) -> QuerySet[Case]:
    """Counted cases received in the period whose incident lies in the area (``cases_in_scope``)."""
    qs = Case.objects.filter(_counted_in_period(scope)).filter(in_areas("incident_commune_id", scope))
    return qs.filter(criterion) if criterion is not None else qs


def _finding(scope: Scope, criterion: Q) -> QuerySet[Case]:
    """``finding_cases``: the cases in the area that no earlier qualifying case of the same child
    precedes, wherever that one lies. Correlated on the child, so a province's report looks up
    its own children's other cases by index instead of reading the nation's qualifying cases."""
    earlier = (Case.objects.filter(child_id=OuterRef("child_id")).filter(_counted_in_period(scope)).filter(criterion)
               .filter(Q(intake__received_at__lt=OuterRef("intake__received_at"))
                       | Q(intake__received_at=OuterRef("intake__received_at"), pk__lt=OuterRef("pk"))))
    return _cases(scope, criterion).filter(~Exists(earlier))


def _rollup(rows: list[dict], by: tuple[str, ...], fields: tuple[str, ...]) -> list[dict]:
    """Sum ``fields`` of the finest rows into one row per value of ``by``, in SQL's order."""
    sums: dict[tuple, list[int]] = {}
    for r in rows:
        key = tuple([r[d] for d in by])
        acc = sums.get(key)
        if acc is None:
            sums[key] = [r[f] for f in fields]
        else:
            for i, f in enumerate(fields):
                acc[i] += r[f]
    if any(v is None for key in sums for v in key):
        # The order ``ORDER BY`` gives: NULLs last on PostgreSQL, first on SQLite.
        last = connection.vendor == "postgresql"
        order = sorted(sums, key=lambda k: tuple(((v is None) == last, 0 if v is None else v) for v in k))
    else:
        order = sorted(sums)
    return [{**dict(zip(by, key, strict=True)), **dict(zip(fields, sums[key], strict=True))} for key in order]


def _totals(rows: Iterable[dict], fields: tuple[str, ...]) -> dict[str, int]:
    out = dict.fromkeys(fields, 0)
    for r in rows:
        for f in fields:
            out[f] += r[f]
    return out


def _grouped(qs: QuerySet, dims: Iterable[str], scope: Scope, area_column: str | None, **aggregates) -> list[dict]:
    """Rows of the finest groups, keys without the ``d_`` prefix, the commune mapped to its successor."""
    dims = list(dims)
    if "area" in dims:
        qs = qs.annotate(d_area=F(area_column))
    cols = [f"d_{d}" for d in dims]
    rows = [{k.removeprefix("d_"): v for k, v in r.items()} for r in qs.values(*cols).annotate(**aggregates)
            .order_by()] if cols else [qs.aggregate(**aggregates)]
    if "area" in dims:
        final = successions(scope.end)
        for r in rows:
            r["area"] = final.get(r["area"], r["area"])
    return rows


# ------------------------------------------------------------------ families

def _grains(combos: set[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """The finest groupings to read: one for the combinations with the commune (its rows are
    bounded by communes × sexes × age bands), one for the others (a few hundred rows whatever the
    data), one for the special groups (a child counts in each of theirs, so never summed across
    them); merged when one holds the other."""
    area = {d for by in combos if "area" in by and "group" not in by for d in by}
    other = {d for by in combos if "area" not in by and "group" not in by for d in by}
    group = {d for by in combos if "group" in by for d in by}
    grains = [area, other] if not other <= area else [area]
    if area <= other:
        grains = [other]
    if group:
        grains.append(group)
    return [tuple(sorted(g)) for g in grains]


def _children(scope: Scope, criterion: str, wanted: list[tuple[Indicator, list]]) -> dict[str, dict]:
    combos = {by for _ind, keys in wanted for _k, by in keys}
    base = _finding(scope, _criterion(criterion))
    agg = {"total": Count("child_id", distinct=True),
           "supported": Count("child_id", distinct=True, filter=_supported_q())}
    fields = ("total", "supported")
    cubes = {}
    for grain in _grains(combos):
        qs = annotate_dimensions(base, [d for d in grain if d != "area"], scope)
        cubes[grain] = _grouped(qs, grain, scope, "incident_commune_id", **agg)

    rolled: dict[tuple, list[dict]] = {}

    def rollup(by):
        # The three abused-children figures share their breakdowns: sum each one once.
        if by not in rolled:
            rows = next(rows for grain, rows in cubes.items()
                        if set(by) <= set(grain) and ("group" in by) == ("group" in grain))
            rolled[by] = _rollup(rows, by, fields)
        return rolled[by]

    # The headline from the grouping with the fewest rows that does not repeat a child.
    head = _totals(min((rows for grain, rows in cubes.items() if "group" not in grain), key=len), fields)
    out = {}
    for ind, keys in wanted:
        kind = CHILD_FAMILIES[ind.computation][1]
        breakdowns = {}
        for key, by in keys:
            rows = rollup(by)
            breakdowns[key] = [_child_row(r, by, kind) for r in rows if kind != "supported" or r["supported"]]
        out[ind.code] = {"value": _child_value(head, kind), "breakdowns": breakdowns}
    return out


def _child_value(c: dict, kind: str):
    if kind == "share":
        return percent(c["supported"], c["total"])
    return c[kind]


def _child_row(r: dict, by: tuple, kind: str) -> dict:
    row = {d: r[d] for d in by}
    if kind == "share":
        return {**row, "total": r["total"], "supported": r["supported"],
                "value": percent(r["supported"], r["total"])}
    return {**row, "value": r[kind]}


def _incidents(scope: Scope, ind: Indicator, keys: list) -> dict:
    qs = _cases(scope, _criterion("abused"))
    agg = {"value": Count("incident_id", distinct=True)}
    env_needed = any(by == ("environment",) for _k, by in keys)
    # The environment belongs to the incident: the incidents of the period are the sum over it.
    env_rows = _grouped(qs.annotate(d_environment=F("incident__environment")), ["environment"] if env_needed else [],
                        scope, None, **agg)
    breakdowns = {}
    for key, by in keys:
        if by == ("environment",):
            breakdowns[key] = _rollup(env_rows, by, ("value",))
        else:
            # One incident's cases may lie in two communes: count them by commune in SQL.
            ann = {"d_area": _current_commune(scope.end)} if "area" in by else {}
            if "environment" in by:
                ann["d_environment"] = F("incident__environment")
            cols = [f"d_{d}" for d in by]
            breakdowns[key] = [{k.removeprefix("d_"): v for k, v in r.items()}
                               for r in qs.annotate(**ann).values(*cols).annotate(**agg).order_by(*cols)]
    return {"value": _totals(env_rows, ("value",))["value"], "breakdowns": breakdowns}


def _perpetrators(scope: Scope, ind: Indicator, keys: list) -> dict:
    from django.db.models import Value
    from django.db.models.functions import Coalesce

    incidents = _cases(scope, _criterion("abused")).values("incident_id")
    qs = Perpetrator.objects.filter(incident_id__in=incidents).annotate(
        d_relation=Coalesce("relation__code", Value("unknown")), d_perpetrator_is_child=F("is_child"))
    dims = sorted({d for _k, by in keys for d in by})
    rows = _grouped(qs, dims, scope, None, value=Count("pk"))
    return {"value": _totals(rows, ("value",))["value"],
            "breakdowns": {key: _rollup(rows, by, ("value",)) for key, by in keys}}


def _police(scope: Scope, ind: Indicator, keys: list) -> dict:
    dims = sorted({d for _k, by in keys for d in by})
    rows = _grouped(_cases(scope).filter(_police_q()), dims, scope, "incident_commune_id", value=Count("pk"))
    return {"value": _totals(rows, ("value",))["value"],
            "breakdowns": {key: _rollup(rows, by, ("value",)) for key, by in keys}}


def _timeliness(scope: Scope, wanted: list[tuple[Indicator, list]]) -> dict[str, dict]:
    begin, after = scope.bounds
    kinds = {TIMELINESS[ind.computation] for ind, _keys in wanted}
    qs = CaseDeadline.objects.filter(kind__in=kinds, starts_at__gte=begin, starts_at__lt=after).filter(
        in_areas("case__commune_id", scope)).exclude(case__status=CaseStatus.NOT_ELIGIBLE)
    if scope.organisation_id:
        qs = qs.filter(case__reporting_organisation_id=scope.organisation_id)
    now = timezone.now()
    dims = sorted({d for _ind, keys in wanted for _k, by in keys for d in by})
    rows = _grouped(qs.annotate(d_kind=F("kind")), ["kind", *dims], scope, "case__commune_id",
                    met=Count("pk", filter=Q(state="met")), missed=Count("pk", filter=missed_q(now)))
    out = {}
    for ind, keys in wanted:
        mine = [r for r in rows if r["kind"] == TIMELINESS[ind.computation]]
        head = _totals(mine, ("met", "missed"))
        breakdowns = {}
        for key, by in keys:
            breakdowns[key] = [{**r, "value": percent(r["met"], r["met"] + r["missed"])}
                               for r in _rollup(mine, by, ("met", "missed"))]
        out[ind.code] = {"value": percent(head["met"], head["met"] + head["missed"]), "breakdowns": breakdowns}
    return out


def report_indicators(indicators: list[Indicator], scope: Scope) -> dict[str, dict]:
    """``{code: {"value": headline, "breakdowns": {key: rows}}}`` for the indicators this module
    computes (see ``FAST``); the caller computes any other one through the reference path.
    Queries: two per family of child figures, two for incidents, one each for perpetrators,
    police referrals and all the clocks, whatever the size of the area."""
    by_family: dict[str, list] = defaultdict(list)
    for ind in indicators:
        if ind.computation in FAST:
            keys = breakdown_keys(ind)
            if ind.computation in CHILD_FAMILIES:
                by_family[CHILD_FAMILIES[ind.computation][0]].append((ind, keys))
            elif ind.computation in TIMELINESS:
                by_family["clocks"].append((ind, keys))
            else:
                by_family[ind.computation].append((ind, keys))
    out: dict[str, dict] = {}
    for family, wanted in by_family.items():
        if family in ("abused", "special"):
            out.update(_children(scope, family, wanted))
        elif family == "clocks":
            out.update(_timeliness(scope, wanted))
        else:
            run = {"incidents": _incidents, "perpetrators": _perpetrators, "police_referrals": _police}[family]
            for ind, keys in wanted:
                out[ind.code] = run(scope, ind, keys)
    return out
