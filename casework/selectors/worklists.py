"""The queries behind the work lists: a bounded number of queries whatever the list's length
(one for the page of cases, one prefetch for their clocks; tests pin the bounds).

Every list starts from the access function (``case_list_for_user`` / ``case_queryset_for``).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from permissions import rules
from permissions.access import case_queryset_for
from workflows.states import OPEN_CASE_STATUSES, OPEN_TASK_STATUSES, EmergencyMeasureStatus, IsolationStatus

from ..models import Case, CaseDeadline, ClockState, EmergencyMeasure, IsolationOrder, Task
from ..models.people import fold
from .clocks import AMBER_WITHIN, _next_working_day_end

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


def commune_choices(qs: QuerySet[Case]) -> list[tuple[int, str]]:
    """(id, name) of the communes responsible for the cases of ``qs``, by name: one DISTINCT
    query over the whole set, not the communes of the rows a page happens to show.

    A GROUP BY ordered here, not ``DISTINCT … ORDER BY name``: PostgreSQL answered that with a
    Sort of every visible case (tests/perf/test_plans_at_scale.py); grouped, it hashes them and
    sorts only the few communes."""
    rows = qs.order_by().values("commune_id", "commune__name").annotate(n=Count("pk"))
    return sorted(((r["commune_id"], r["commune__name"]) for r in rows), key=lambda c: (c[1], c[0]))


def commune_totals(qs: QuerySet[Case], now: dt.datetime | None = None) -> list[dict]:
    """Per responsible commune of ``qs``: ``total``, ``open``, ``breached`` (a clock missed) and
    ``amber`` (due soon, none missed), worst first — one GROUP BY over every case of ``qs``.

    The same rules as ``clocks.clock_view`` on each card, in SQL: ``next_due_at`` is the earliest
    live clock (kept by the services), so a case has a missed clock exactly when it is in the past,
    and a clock due before the amber horizon exactly when it is before that horizon; the other
    amber rule (a clock's own warning time has come) reads the clocks.
    """
    now = now or timezone.now()
    horizon = max(now + AMBER_WITHIN, _next_working_day_end(now))
    warned = CaseDeadline.objects.filter(case=OuterRef("pk"), state=ClockState.RUNNING, met_at__isnull=True,
                                         warn_at__lte=now, due_at__gte=now)
    missed = Q(next_due_at__lt=now)
    rows = (qs.order_by().values("commune_id", name=F("commune__name"))
            .annotate(total=Count("pk"), open=Count("pk", filter=Q(status__in=OPEN_CASE_STATUSES)),
                      breached=Count("pk", filter=missed),
                      amber=Count("pk", filter=Q(next_due_at__gte=now) & (Q(next_due_at__lte=horizon)
                                                                          | Q(Exists(warned))))))
    return sorted(rows, key=lambda r: (-r["breached"], -r["amber"], r["name"]))


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
    "commune_choices",
    "commune_totals",
    "open_task_count",
    "orders_in_force",
    "reports_of_my_bodies",
    "search",
    "urgency_order",
    "with_clocks",
]
