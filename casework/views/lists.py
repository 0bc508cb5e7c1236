"""Work lists: home routing, the officer's list by urgency, case search, a school's reports, a
body's tasks, the chairperson's approvals and the supervisor's area overview.

Each list is a bounded number of queries whatever its length (tests pin the bounds): one for
the page of cases, one prefetch for their clocks.
"""

from __future__ import annotations

from collections import OrderedDict

from django.core.paginator import Paginator
from django.db.models import Min, Prefetch, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from permissions.access import CaseAccess, assignments_of, case_queryset_for
from permissions.roles import Capability, RoleCode, Scope
from workflows.states import (
    OPEN_CASE_STATUSES,
    OPEN_TASK_STATUSES,
    CaseStatus,
    EmergencyMeasureStatus,
    IsolationStatus,
)

from .. import forms as F
from ..models import CaseDeadline, ClockState, EmergencyMeasure, IsolationOrder, Task
from ..models.people import fold
from ..selectors import case_list_for_user
from ..services.deadlines import clock_view
from ._common import (
    has_capability,
    home_url_for,
    login_required,
    masked_child,
    name_search_allowed,
    require_role,
    task_organisation_ids,
    user_organisation_ids,
)
from .actions import measure_can_record

PAGE_SIZE = 50
LIVE = [ClockState.RUNNING, ClockState.BREACHED]


@login_required
def home(request):
    target = home_url_for(request.user)
    if target:
        return redirect(target)
    if request.user.is_staff:
        return redirect("admin:index")
    return render(request, "casework/no_role.html")


def with_clocks(qs):
    """Open clocks prefetched, and the case's next due time for sorting by urgency."""
    live = Q(deadlines__state__in=LIVE, deadlines__met_at__isnull=True)
    return (qs.annotate(next_due=Min("deadlines__due_at", filter=live))
            .prefetch_related(Prefetch("deadlines", to_attr="live_clocks",
                                       queryset=CaseDeadline.objects.filter(state__in=LIVE, met_at__isnull=True)
                                       .order_by("due_at"))))


def decorate(cases, now=None):
    """Masked child and clock views for each case of a page (no queries)."""
    now = now or timezone.now()
    rows = []
    for case in cases:
        clocks = [clock_view(d, now) for d in getattr(case, "live_clocks", [])]
        rows.append({
            "case": case, "child": masked_child(case), "clocks": clocks,
            "breached": any(c["state"] == ClockState.BREACHED for c in clocks),
            "warning": any(c["warning"] for c in clocks),
        })
    return rows


def search(qs, user, q: str):
    q = (q or "").strip()
    if not q:
        return qs
    cond = Q(code__icontains=q)
    if name_search_allowed(user):
        folded = fold(q)
        if folded:
            cond |= Q(child__name_folded__contains=folded)
    return qs.filter(cond)


def urgency_order(qs):
    from django.db.models import F as DbF
    return qs.order_by(DbF("next_due").asc(nulls_last=True), "-opened_at", "-pk")


@login_required
@require_role(RoleCode.OFFICER, RoleCode.CHAIR)
def worklist(request):
    """Journey B: new reports, and every open case with its clocks, most urgent first."""
    user = request.user
    qs = with_clocks(case_list_for_user(user, open_only=True))
    q = request.GET.get("q", "")
    qs = urgency_order(search(qs, user, q))
    cases = list(qs[:500])
    rows = decorate(cases)
    new = [r for r in rows if r["case"].status == CaseStatus.RECEIVED]
    others = [r for r in rows if r["case"].status != CaseStatus.RECEIVED]
    return render(request, "casework/worklist.html", {
        "new_rows": new, "rows": others, "q": q, "name_search": name_search_allowed(user),
        "truncated": len(cases) == 500,
    })


@login_required
def case_list(request):
    """Every case the user may see, searchable; filters by status, commune and missed clocks."""
    user = request.user
    status = request.GET.get("status") or None
    if status not in CaseStatus.values:
        status = None
    overdue = request.GET.get("overdue") == "1"
    commune = request.GET.get("commune")
    commune_id = int(commune) if (commune or "").isdigit() else None
    qs = with_clocks(case_list_for_user(user, status=status, overdue=overdue, commune_id=commune_id,
                                        open_only=request.GET.get("open") == "1"))
    q = request.GET.get("q", "")
    qs = search(qs, user, q)
    page = Paginator(qs.order_by("-opened_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "casework/case_list.html", {
        "rows": decorate(page.object_list), "page": page, "q": q, "status": status or "", "overdue": overdue,
        "statuses": CaseStatus.choices, "name_search": name_search_allowed(user), "params": params.urlencode(),
        # Status-only roles (the 111 hotline) see nothing of the child, not even initials.
        "hide_child": not has_capability(user, Capability.CASE_VIEW),
    })


@login_required
def my_reports(request):
    """Journey A: the reports my organisation made, with their status; and the tasks we hold."""
    user = request.user
    orgs = user_organisation_ids(user)
    qs = with_clocks(case_list_for_user(user).filter(reporting_organisation_id__in=orgs))
    page = Paginator(qs.order_by("-opened_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    open_tasks = Task.objects.filter(case__in=case_queryset_for(user), organisation_id__in=task_organisation_ids(user),
                                     status__in=OPEN_TASK_STATUSES).count()
    return render(request, "casework/my_reports.html", {
        "rows": decorate(page.object_list), "page": page, "open_tasks": open_tasks,
        "can_open": has_capability(user, Capability.CASE_OPEN),
    })


# ------------------------------------------------------------------ a body's tasks

def list_access(user, case) -> CaseAccess:
    """What a body may do on a case listed on its task page, without a query per case.

    The list itself comes through the access function's queryset (``case_queryset_for``) and
    every change posts to the case endpoint, which loads the case through the access door and
    the service checks again; this only decides which buttons to show: the task and
    emergency-measure capabilities the user's organisations hold.
    """
    caps, assignment_for = set(), {}
    for a in assignments_of(user):
        if a.role.scope != Scope.ORGANISATION:
            continue
        for cap in set(a.role.capabilities) & {Capability.TASK_ACT, Capability.EMERGENCY_RECORD}:
            caps.add(cap)
            assignment_for.setdefault(cap, a)
    return CaseAccess(case=case, user=user, caps=frozenset(caps), assignment_for=assignment_for)


def tasks_context(request, *, bound=None) -> dict:
    from .case import attach_task_forms, unique_ids

    user = request.user
    bound = bound or {}
    orgs = task_organisation_ids(user)
    show_all = request.GET.get("all") == "1"
    visible = case_queryset_for(user)
    qs = (Task.objects.filter(case__in=visible, organisation_id__in=orgs)
          .select_related("case", "case__child", "case__commune", "organisation").prefetch_related("logs")
          .order_by("due_on", "assigned_at", "pk"))
    if not show_all:
        qs = qs.filter(status__in=OPEN_TASK_STATUSES)
    task_list = list(qs[:200])
    measures = list(EmergencyMeasure.objects.filter(case__in=visible, responsible_id__in=orgs,
                                                    status=EmergencyMeasureStatus.ORDERED)
                    .select_related("case", "case__child", "kind", "responsible").order_by("ordered_at"))
    for t in task_list:
        t.child = masked_child(t.case)
        attach_task_forms(list_access(user, t.case), t, bound)
    for m in measures:
        access = list_access(user, m.case)
        m.child = masked_child(m.case)
        m.can_record = measure_can_record(access, m)
        if m.can_record:
            m.form = unique_ids(bound.get(f"emergency_record:{m.pk}") or F.EmergencyRecordForm(
                initial={"version": m.case.version, "measure_id": m.pk, "outcome": "taken"}), f"emergency_record:{m.pk}")
    return {"tasks": task_list, "measures": measures, "show_all": show_all}


@login_required
def my_tasks(request):
    """Police, health station and other bodies: their tasks; accept/decline, log, done/failed."""
    return render(request, "casework/tasks.html", tasks_context(request))


# ------------------------------------------------------------------ chairperson

@login_required
@require_role(RoleCode.CHAIR)
def approvals(request):
    """Plans waiting for a decision, emergencies that need orders, isolation orders in force."""
    user = request.user
    wanted = [CaseStatus.AWAITING_APPROVAL, CaseStatus.EMERGENCY, CaseStatus.REVIEWING]
    rows = decorate(urgency_order(with_clocks(case_list_for_user(user).filter(status__in=wanted))))
    by_status = {status: [r for r in rows if r["case"].status == status] for status in wanted}
    # An order stays in force after the emergency phase ends: every visible case counts.
    orders = list(IsolationOrder.objects.filter(case__in=case_queryset_for(user),
                                                status__in=[IsolationStatus.ISSUED, IsolationStatus.EXTENDED])
                  .select_related("case", "case__child").order_by("ends_at"))
    for o in orders:
        o.child = masked_child(o.case)
    return render(request, "casework/approvals.html", {
        "waiting": by_status[CaseStatus.AWAITING_APPROVAL], "emergencies": by_status[CaseStatus.EMERGENCY],
        "reviews": by_status[CaseStatus.REVIEWING], "orders": orders,
    })


# ------------------------------------------------------------------ supervisor (journey C)

@login_required
@require_role(RoleCode.SUPERVISOR)
def area_overview(request):
    """Cases of the supervisor's area by commune, missed clocks first."""
    user = request.user
    include_closed = request.GET.get("closed") == "1"
    overdue_only = request.GET.get("overdue") == "1"
    qs = case_list_for_user(user, open_only=not include_closed, overdue=overdue_only)
    qs = urgency_order(with_clocks(qs))
    rows = decorate(qs[:1000])
    communes: OrderedDict = OrderedDict()
    for row in rows:
        c = row["case"]
        group = communes.setdefault(c.commune_id, {"commune": c.commune, "rows": [], "breached": 0, "open": 0})
        group["rows"].append(row)
        group["breached"] += 1 if row["breached"] else 0
        group["open"] += 1 if c.status in OPEN_CASE_STATUSES else 0
    groups = sorted(communes.values(), key=lambda g: (-g["breached"], g["commune"].name))
    return render(request, "casework/area.html", {
        "groups": groups, "include_closed": include_closed, "overdue_only": overdue_only,
        "total": len(rows), "title": _("Area overview"),
    })
