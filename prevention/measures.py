"""How far each target has come, from computed figures (reads only).

Three ways of measuring (the issue's (a), (b), (c)) plus the registry:
- INDICATOR: a figure the reports app computes (``reports.indicators.indicator_value``: 0101 abused
  children, BV05 share of them helped …); without that app, 0101 and BV05 are counted here;
- PARTICIPATION: children who took part in the plan's area's activities (of the kinds named) over
  the children of the population base — counted per participation, as the communes count "lượt";
- REGISTRY: children in special circumstances on the registry who received a support in the
  period, over all of them on the registry in the period;
- REPORTED: the latest value the responsible body reported, with its evidence.

Figures for a whole page of plans are computed together: a fixed number of grouped SQL queries
whatever the number of plans and targets, plus one call per indicator target.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Activity, PopulationBase, RegistryEntry, Support, Target, TargetReport
from .states import GoalKind, Measurement, PopulationScope, RegistryCategory

BAND_FIELDS = {
    PopulationScope.ALL: ["girls_0_5", "boys_0_5", "girls_6_10", "boys_6_10", "girls_11_15", "boys_11_15"],
    PopulationScope.UNDER_6: ["girls_0_5", "boys_0_5"],
    PopulationScope.SIX_TO_10: ["girls_6_10", "boys_6_10"],
    PopulationScope.ELEVEN_PLUS: ["girls_11_15", "boys_11_15"],
}
ALL_FIELDS = BAND_FIELDS[PopulationScope.ALL]


@dataclass
class Progress:
    value: Decimal | None
    goal: Decimal
    goal_kind: str
    met: bool | None
    percent_of_goal: int        # 0–100, for the bar
    detail: str                 # "812 / 902", the figures behind a share
    source: str                 # where the value comes from
    plan_id: int = 0

    @property
    def known(self) -> bool:
        return self.value is not None


def plan_period(plan, today=None) -> tuple[dt.date, dt.date]:
    today = today or timezone.localdate()
    start, end = dt.date(plan.year_from, 1, 1), dt.date(plan.year_to, 12, 31)
    return start, min(end, max(today, start))


def _share(num: int, den: int) -> Decimal | None:
    if not den:
        return None
    return (Decimal(num) * 100 / Decimal(den)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def indicator(code: str, *, area_path: str, start: dt.date, end: dt.date):
    """(value, detail) of an indicator: the reports app's figure, or a local count of cases when
    that app is not installed. An unknown code has no value."""
    try:
        from reports.indicators import UnknownIndicator, indicator_value
    except ImportError:
        return _local_indicator(code, area_path=area_path, start=start, end=end)
    try:
        value = indicator_value(code, area_path=area_path, start=start, end=end)
    except UnknownIndicator:
        return None, ""
    if value is None:
        # reports answers None for a share with nothing to divide (no abused child in the period).
        return None, _("Nothing to count in the period.")
    return Decimal(str(value)), ""


def _local_indicator(code, *, area_path, start, end):  # pragma: no cover - only without the reports app
    from casework.models import Case
    from workflows.states import CaseStatus

    tz = timezone.get_current_timezone()
    cases = Case.objects.filter(commune__path__startswith=area_path,
                                opened_at__gte=dt.datetime.combine(start, dt.time.min, tzinfo=tz),
                                opened_at__lt=dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
                                intake__classification="abused")
    if code == "0101":
        # Circular 13/2021 indicator 0101: abused children (distinct).
        n = cases.values("child_id").distinct().count()
        return Decimal(n), ""
    if code == "BV05":
        row = cases.aggregate(all=Count("child_id", distinct=True), helped=Count(
            "child_id", distinct=True, filter=Q(status__in=[CaseStatus.IMPLEMENTING, CaseStatus.REVIEWING,
                                                           CaseStatus.CLOSED]) | Q(emergencymeasures__status="taken")))
        # No abused child in the area: every one of them (none) was helped.
        if not row["all"]:
            return Decimal(100), "0 / 0"
        return _share(row["helped"], row["all"]), f"{row['helped']} / {row['all']}"
    return None, ""


def _progress(target, value, detail, source) -> Progress:
    goal = Decimal(target.goal_value or 0)
    if value is None:
        return Progress(None, goal, target.goal_kind, None, 0, detail, source)
    if target.goal_kind == GoalKind.ZERO:
        met = value == 0
        return Progress(value, goal, target.goal_kind, met, 100 if met else 0, detail, source)
    met = value >= goal
    percent = 100 if goal == 0 else int(min(Decimal(100), value * 100 / goal))
    return Progress(value, goal, target.goal_kind, met, percent, detail, source)


def figures_for(plans, today=None) -> dict[int, Progress]:
    """Progress of every target of ``plans``, keyed by target id."""
    plans = list(plans)
    if not plans:
        return {}
    targets = list(Target.objects.filter(plan__in=plans).order_by("plan_id", "order", "pk"))
    periods = {p.pk: plan_period(p, today) for p in plans}
    paths = {p.pk: p.area.path for p in plans}
    area_q = Q(pk__in=[])
    for path in set(paths.values()):
        area_q |= Q(commune__path__startswith=path)
    first = min(s for s, _e in periods.values())
    last = max(e for _s, e in periods.values())
    kinds = {t.measurement for t in targets}

    activity_rows, population_rows, registry_rows, support_rows, reported = [], [], [], [], {}
    if Measurement.PARTICIPATION in kinds:
        activity_rows = list(Activity.objects.filter(area_q, held_on__range=(first, last))
                             .values("commune__path", "kind", "held_on__year")
                             .annotate(**{f: Sum(f) for f in ALL_FIELDS}))
        population_rows = list(PopulationBase.objects.filter(area_q).values("commune__path", "year", *ALL_FIELDS))
    if Measurement.REGISTRY in kinds:
        registry_rows = list(RegistryEntry.objects.filter(area_q, category=RegistryCategory.SPECIAL,
                                                          since__lte=last)
                             .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=first))
                             .values("pk", "commune__path", "since", "ended_on"))
        support_rows = list(Support.objects.filter(entry_id__in=[r["pk"] for r in registry_rows],
                                                   given_on__range=(first, last)).values("entry_id", "given_on"))
    if Measurement.REPORTED in kinds:
        for r in TargetReport.objects.filter(target__in=[t for t in targets if t.measurement == Measurement.REPORTED]) \
                .order_by("target_id", "-period_end", "-pk").values("target_id", "value", "period_end"):
            reported.setdefault(r["target_id"], r)

    out = {}
    for t in targets:
        (start, end), path = periods[t.plan_id], paths[t.plan_id]
        if t.measurement == Measurement.INDICATOR:
            value, detail = indicator(t.indicator_code, area_path=path, start=start, end=end)
            out[t.pk] = _progress(t, value, detail, _("Computed from cases: %(code)s") % {"code": t.indicator_code})
        elif t.measurement == Measurement.PARTICIPATION:
            fields = BAND_FIELDS.get(t.population, ALL_FIELDS)
            years = set(range(start.year, end.year + 1))
            num = sum(r[f] or 0 for r in activity_rows for f in fields
                      if r["commune__path"].startswith(path) and r["held_on__year"] in years
                      and (not t.activity_kinds or r["kind"] in t.activity_kinds))
            # The population of the latest year entered up to the period's end.
            latest = {}
            for r in population_rows:
                if r["commune__path"].startswith(path) and r["year"] <= end.year \
                        and r["year"] >= latest.get(r["commune__path"], {}).get("year", 0):
                    latest[r["commune__path"]] = r
            den = sum(r[f] or 0 for r in latest.values() for f in fields)
            out[t.pk] = _progress(t, _share(num, den) if t.goal_kind == GoalKind.SHARE else Decimal(num),
                                  f"{num} / {den}", _("Activity participants over the child population"))
        elif t.measurement == Measurement.REGISTRY:
            entries = {r["pk"] for r in registry_rows if r["commune__path"].startswith(path)
                       and r["since"] <= end and (r["ended_on"] is None or r["ended_on"] >= start)}
            helped = {s["entry_id"] for s in support_rows if s["entry_id"] in entries and start <= s["given_on"] <= end}
            value = _share(len(helped), len(entries)) if t.goal_kind == GoalKind.SHARE else Decimal(len(helped))
            out[t.pk] = _progress(t, value, f"{len(helped)} / {len(entries)}",
                                  _("Children in special circumstances supported, from the registry"))
        else:
            r = reported.get(t.pk)
            out[t.pk] = _progress(t, r["value"] if r else None,
                                  (_("as of %(day)s") % {"day": r["period_end"].strftime("%d/%m/%Y")}) if r else "",
                                  _("Reported by the responsible body"))
    for t in targets:
        out[t.pk].plan_id = t.plan_id
    return out


def task_completion(plan_ids) -> dict[int, dict]:
    """{plan id: {"total", "done", "not_done", "open"}} in one grouped query."""
    from .models import PlanTask

    rows = PlanTask.objects.filter(plan_id__in=list(plan_ids)).values("plan_id").annotate(
        total=Count("pk"), done=Count("pk", filter=Q(status="done")),
        not_done=Count("pk", filter=Q(status="not_done")))
    return {r["plan_id"]: {**r, "open": r["total"] - r["done"] - r["not_done"]} for r in rows}
