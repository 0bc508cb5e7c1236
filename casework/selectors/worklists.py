"""The queries behind the work lists: a bounded number of queries whatever the list's length
(one for the page of cases, one prefetch for their clocks; tests pin the bounds).

Every list starts from the access function (``case_list_for_user`` / ``case_queryset_for``).
"""

from __future__ import annotations

from django.db.models import F, Prefetch, Q, QuerySet

from permissions import rules
from permissions.access import case_queryset_for
from workflows.states import OPEN_CASE_STATUSES, OPEN_TASK_STATUSES, EmergencyMeasureStatus, IsolationStatus

from ..models import Case, CaseDeadline, ClockState, EmergencyMeasure, IsolationOrder, Task
from ..models.people import fold

LIVE = [ClockState.RUNNING, ClockState.BREACHED]


def with_clocks(qs: QuerySet[Case]) -> QuerySet[Case]:
    """Open clocks prefetched (one query for the page), and the case's next due time for sorting
    by urgency — the column the services keep (``Case.next_due_at``), so ordering walks the
    ``case_next_due`` index instead of grouping every visible case's clocks first."""
    return (qs.annotate(next_due=F("next_due_at"))
            .prefetch_related(Prefetch("deadlines", to_attr="live_clocks",
                                       queryset=CaseDeadline.objects.filter(state__in=LIVE, met_at__isnull=True)
                                       .order_by("due_at"))))


def urgency_order(qs: QuerySet[Case]) -> QuerySet[Case]:
    return qs.order_by(F("next_due").asc(nulls_last=True), "-opened_at", "-pk")


def search(qs: QuerySet[Case], user, q: str) -> QuerySet[Case]:
    """By case code; by the child's name only for users who may search names (``rules``)."""
    q = (q or "").strip()
    if not q:
        return qs
    cond = Q(code__icontains=q)
    if rules.may_search_names(user):
        folded = fold(q)
        if folded:
            cond |= Q(child__name_folded__contains=folded)
    return qs.filter(cond)


def reports_of_my_bodies(qs: QuerySet[Case], user) -> QuerySet[Case]:
    return qs.filter(reporting_organisation_id__in=rules.member_bodies(user))


def open_task_count(user) -> int:
    return Task.objects.filter(case__in=case_queryset_for(user), organisation_id__in=rules.task_bodies(user),
                               case__status__in=OPEN_CASE_STATUSES, status__in=OPEN_TASK_STATUSES).count()


def body_tasks(user, *, open_only: bool = True, limit: int = 200) -> list[Task]:
    """The tasks of the user's bodies on cases they may see, soonest due first."""
    qs = (Task.objects.filter(case__in=case_queryset_for(user), organisation_id__in=rules.task_bodies(user))
          .select_related("case", "case__child", "case__commune", "organisation").prefetch_related("logs")
          .order_by("due_on", "assigned_at", "pk"))
    if open_only:
        # A closed case's work is over (its closure cancelled what was left): off every list.
        qs = qs.filter(status__in=OPEN_TASK_STATUSES, case__status__in=OPEN_CASE_STATUSES)
    return list(qs[:limit])


def body_measures(user) -> list[EmergencyMeasure]:
    """Emergency measures the user's bodies were ordered to carry out, oldest order first."""
    return list(EmergencyMeasure.objects.filter(case__in=case_queryset_for(user),
                                                responsible_id__in=rules.task_bodies(user),
                                                case__status__in=OPEN_CASE_STATUSES,
                                                status=EmergencyMeasureStatus.ORDERED)
                .select_related("case", "case__child", "case__commune", "kind", "responsible").order_by("ordered_at"))


def orders_in_force(user) -> list[IsolationOrder]:
    # An order stays in force after the emergency phase ends: every visible case counts.
    return list(IsolationOrder.objects.filter(case__in=case_queryset_for(user),
                                              status__in=[IsolationStatus.ISSUED, IsolationStatus.EXTENDED])
                .select_related("case", "case__child").order_by("ends_at"))


__all__ = [
    "LIVE",
    "body_measures",
    "body_tasks",
    "open_task_count",
    "orders_in_force",
    "reports_of_my_bodies",
    "search",
    "urgency_order",
    "with_clocks",
]
