"""Sections the prevention level adds to the periodic reports (6-month, annual) of the reports
app: targets' progress, activities held, plan tasks done — for a body's area and a period.

The reports app never imports prevention; it receives these providers here, from
``PreventionConfig.ready``. Each provider takes ``(*, organisation, area_path, start, end)`` and returns JSON-able figures
(no model instance, no child's identity), as ``reports.sections`` asks.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _


def targets_progress(*, organisation=None, area_path: str, start: dt.date, end: dt.date) -> dict:
    """One row per target of the plans in force in the area during the period."""
    from .measures import figures_for
    from .models import WorkPlan
    from .states import IN_FORCE, WorkPlanStatus

    plans = list(WorkPlan.objects.filter(area__path__startswith=area_path, year_from__lte=end.year,
                                         year_to__gte=start.year,
                                         status__in=[*IN_FORCE, WorkPlanStatus.CLOSED]).select_related("area"))
    figures = figures_for(plans, today=end)
    rows = []
    for plan in plans:
        for target in plan.targets.all():
            p = figures.get(target.pk)
            rows.append({"plan": str(plan), "area": plan.area.name, "target": target.wording,
                         "goal": str(target.goal_value), "value": None if p is None or p.value is None else str(p.value),
                         "met": None if p is None else p.met, "detail": "" if p is None else p.detail})
    return {"rows": rows}


def activities_held(*, organisation=None, area_path: str, start: dt.date, end: dt.date) -> dict:
    from .measures import ALL_FIELDS
    from .models import Activity

    rows = (Activity.objects.filter(commune__path__startswith=area_path, held_on__range=(start, end))
            .values("kind").annotate(activities=Count("pk"), parents=Sum("parents"), staff=Sum("staff"),
                                     cost=Sum("cost"), **{f: Sum(f) for f in ALL_FIELDS}).order_by("kind"))
    # JSON-able for the report snapshot: the cost is a whole number of đồng.
    return {"rows": [{**r, "cost": int(r["cost"] or 0)} for r in rows]}


def tasks_done(*, organisation=None, area_path: str, start: dt.date, end: dt.date) -> dict:
    from .models import PlanTask

    return {"rows": list(PlanTask.objects.filter(plan__area__path__startswith=area_path, plan__year_from__lte=end.year,
                                                 plan__year_to__gte=start.year)
                         .values("organisation__name").annotate(
                             total=Count("pk"), done=Count("pk", filter=Q(status="done")),
                             not_done=Count("pk", filter=Q(status="not_done"))).order_by("organisation__name"))}


SECTIONS = [
    ("prevention.targets", _("Targets of the child-work plans"), targets_progress),
    ("prevention.activities", _("Prevention activities held"), activities_held),
    ("prevention.tasks", _("Plan tasks per body"), tasks_done),
]


def register() -> bool:
    try:
        from reports.sections import register_section
    except ImportError:
        return False
    for key, title, provider in SECTIONS:
        register_section(key, title=title, provider=provider)
    return True
