"""Reads of the prevention level. Nothing here writes, except the read log of a child's identity
(and of an evidence download, in services), which is itself the audit trail of the read.

``*_offers`` return the actions a user may take on a record, each with the reason when it is
not available: the web pages and the API offer exactly these.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from casework.models.people import fold
from permissions import prevention as rules

from .flows import PlanTaskFlow, WatchFlow, WorkPlanFlow
from .models import (
    Activity,
    PlanTask,
    PopulationBase,
    PreventionEventType,
    RegistryEntry,
    WatchRecord,
    WorkPlan,
)
from .states import IN_FORCE, OPEN_TASK, TaskStatus, WorkPlanStatus


@dataclass(frozen=True)
class Offer:
    action: str
    label: str
    allowed: bool
    reason: str = ""


PLAN_ACTIONS = [
    ("submit", "submit", gettext_lazy("Submit for signature")),
    ("return", "return_to_draft", gettext_lazy("Return to draft")),
    ("sign", "sign", gettext_lazy("Sign")),
    ("issue", "issue", gettext_lazy("Issue")),
    ("amend", "amend", gettext_lazy("Record an amendment")),
    ("close", "close", gettext_lazy("Close after the final report")),
]


def plan_list_for_user(user, *, year=None, status=None, area_id=None):
    qs = rules.plan_queryset_for(user).select_related("area", "issuing_organisation", "parent")
    if year:
        qs = qs.filter(year_from__lte=year, year_to__gte=year)
    if status:
        qs = qs.filter(status=status)
    if area_id:
        qs = qs.filter(area_id=area_id)
    return qs.annotate(
        tasks_total=Count("tasks", distinct=True),
        tasks_done=Count("tasks", filter=Q(tasks__status=TaskStatus.DONE), distinct=True),
    ).order_by("-year_from", "area__path", "pk")


def _plan_facts(plan, user) -> dict:
    # Counted once per page view from prefetched parts (the plan page prefetches them).
    tasks = list(plan.tasks.all())
    return {"sections": len(plan.sections.all()), "targets": len(plan.targets.all()), "tasks": len(tasks),
            "actor_submitted": plan.submitted_by_id == getattr(user, "pk", None),
            # The issue form asks for the number: its absence does not withhold the offer.
            "has_number": True,
            "open_tasks": sum(1 for t in tasks if t.status in OPEN_TASK)}


def why_not(transition) -> str:
    """The message of the first unmet guard of a bound transition ("" when all are met)."""
    t = transition._descriptor.get_transition(transition._state.get(transition._instance))
    unmet = t.get_unmet_condition(transition._instance) if t else None
    return str(getattr(unmet[1], "message", "")) if unmet else ""


def offers_of(flow, user, actions) -> list[Offer]:
    """Actions the user holds the permission for and the state allows; each allowed or with the
    reason a guard gives. Actions not the user's, or not at this stage, are not offered."""
    offers = []
    for key, name, label in actions:
        transition = getattr(flow, name)
        if not any(t.has_perm(flow, user) for t in transition.get_transitions()):
            continue
        if not transition.can_proceed(check_conditions=False):
            continue
        reason = why_not(transition)
        offers.append(Offer(key, str(label), not reason, reason))
    return offers


def plan_offers(access) -> list[Offer]:
    """What ``access.user`` may do with the plan now; refused ones say why."""
    flow = WorkPlanFlow(access.plan, caps=access.caps, **_plan_facts(access.plan, access.user))
    return offers_of(flow, access.user, PLAN_ACTIONS)


def plan_detail(access):
    """The plan with its parts, for the plan page, print and API (a fixed number of queries)."""
    plan = (WorkPlan.objects.filter(pk=access.plan.pk)
            .select_related("area", "issuing_organisation", "parent__issuing_organisation", "copied_from",
                            "signed_by", "submitted_by")
            .prefetch_related("legal_bases", "sections", "reporting_dates", "amendments",
                              "targets__milestones", "targets__responsible", "tasks__organisation",
                              "tasks__notes__author", "children__issuing_organisation", "children__area")
            .get())
    access.plan = plan
    return plan


TASK_ACTIONS = [("start", "start", gettext_lazy("Start")), ("complete", "complete", gettext_lazy("Done")),
                ("not_done", "give_up", gettext_lazy("Not done")), ("reopen", "reopen", gettext_lazy("Reopen"))]


def task_offers(access, task) -> list[Offer]:
    flow = PlanTaskFlow(task, caps=rules.task_caps(access, task), plan_in_force=access.plan.status in IN_FORCE)
    return offers_of(flow, access.user, TASK_ACTIONS)


def task_list_for_user(user, *, show_all=False):
    """Plan tasks of the bodies the user works for, soonest due first."""
    qs = PlanTask.objects.filter(organisation_id__in=rules.task_bodies(user),
                                 plan__status__in=[*IN_FORCE, WorkPlanStatus.CLOSED]) \
        .select_related("plan__area", "plan__issuing_organisation", "organisation")
    if not show_all:
        qs = qs.filter(status__in=OPEN_TASK, plan__status__in=IN_FORCE)
    from django.db.models import F
    return qs.order_by(F("due_on").asc(nulls_last=True), "plan_id", "order", "pk")


def activity_list_for_user(user, *, kind=None, commune_id=None):
    qs = Activity.objects.filter(rules.activity_filter(user)).select_related(
        "commune", "village", "organiser", "plan_task__plan")
    if kind:
        qs = qs.filter(kind=kind)
    if commune_id:
        qs = qs.filter(commune_id=commune_id)
    return qs.order_by("-held_on", "-pk")


def activity_for_user(user, activity_id):
    from casework.errors import NotFound

    activity = activity_list_for_user(user).filter(pk=activity_id).prefetch_related("evidence").first()
    if activity is None:
        raise NotFound
    return activity


def population_for_user(user):
    return PopulationBase.objects.filter(rules.population_filter(user)).select_related("commune")


# ------------------------------------------------------------------ registry

def masked_entry_child(entry) -> dict:
    from casework.selectors import masked_child

    return masked_child(entry.child)


def registry_list_for_user(user, *, q="", category=None, group=None):
    qs = rules.registry_queryset_for(user).select_related("child", "commune", "village", "risk_kind") \
        .prefetch_related("groups").annotate(supports_count=Count("supports", distinct=True),
                                             open_watches=Count("watches", filter=Q(watches__status="open"),
                                                                distinct=True))
    if category:
        qs = qs.filter(category=category)
    if group:
        qs = qs.filter(groups__code=group)
    q = (q or "").strip()
    if q and rules.name_search_allowed(user):
        qs = qs.filter(child__name_folded__contains=fold(q))
    return qs.order_by("commune__path", "-since", "-pk")


def entry_identity(user, entry, *, channel: str = "web") -> dict:
    """The child's identity as ``user`` may see it, logging every full read (DOMAIN.md §6)."""
    from .services import event_record

    assignment = rules.registry_identity_reader(user, entry)
    if assignment is None:
        return masked_entry_child(entry)
    event_record(type=PreventionEventType.IDENTITY_VIEWED, actor=user, assignment=assignment,
                 subject=f"entry:{entry.pk}", data={"channel": channel})
    child = entry.child
    return {"masked": False, "id": child.pk, "full_name": child.full_name, "date_of_birth": child.date_of_birth,
            "age": child.age_on(timezone.localdate()), "sex": child.sex, "ethnicity": child.ethnicity,
            "disability": child.disability, "address": child.address, "parents": child.parents,
            "caregiver": child.caregiver}


WATCH_ACTIONS = [("raise", "raise_to_case", gettext_lazy("Raise to a case")), ("close", "close", gettext_lazy("Close"))]


def watch_offers(user, watch) -> list[Offer]:
    caps, _a = rules.watch_caps(user, watch.entry)
    return offers_of(WatchFlow(watch, caps=caps), user, WATCH_ACTIONS)


def watches_for_entry(entry):
    return WatchRecord.objects.filter(entry=entry).select_related("follow_up_by", "case").order_by("-opened_at")


def entry_identity_reads(entry):
    """Who read the child's identity (for the commune's auditors)."""
    from .models import PreventionEvent

    return PreventionEvent.objects.filter(subject=f"entry:{entry.pk}", type=PreventionEventType.IDENTITY_VIEWED)


def registry_for_user_by_id(user, entry_id):
    entry = rules.access_entry_by_id(user, entry_id)
    return RegistryEntry.objects.filter(pk=entry.pk).select_related(
        "child", "commune", "village", "risk_kind").prefetch_related("groups", "supports").get()
