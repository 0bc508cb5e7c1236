"""Work lists: home routing, the officer's list by urgency, case search, a school's reports, a
body's tasks, the chairperson's approvals and the supervisor's area overview.

The queries are ``selectors.worklists``; which desk opens for whom is ``permissions.rules``;
what may be done on a listed task or measure is the offer model.
"""

from __future__ import annotations

from collections import OrderedDict

from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from permissions import rules
from permissions.access import body_access
from workflows.states import OPEN_CASE_STATUSES, CaseStatus

from ..models import ClockState
from ..selectors import case_list_for_user, clock_view, masked_child
from ..selectors.offers import record_offers
from ..selectors.worklists import (
    body_measures,
    body_tasks,
    open_task_count,
    orders_in_force,
    reports_of_my_bodies,
    search,
    urgency_order,
    with_clocks,
)
from ._common import home_url_for, login_required, require_page
from .offer_forms import prepare

PAGE_SIZE = 50


@login_required
def home(request):
    target = home_url_for(request.user)
    if target:
        return redirect(target)
    if request.user.is_staff:
        return redirect("admin:index")
    return render(request, "casework/no_role.html")


def decorate(cases, now=None):
    """Masked child and clock views for each case of a page (no queries)."""
    now = now or timezone.now()
    rows = []
    for case in cases:
        clocks = [clock_view(d, now) for d in getattr(case, "live_clocks", [])]
        rows.append({
            "case": case, "child": masked_child(case.child), "clocks": clocks,
            "breached": any(c["state"] == ClockState.BREACHED for c in clocks),
            "warning": any(c["warning"] for c in clocks),
        })
    return rows


@login_required
@require_page("worklist")
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
        "new_rows": new, "rows": others, "q": q, "name_search": rules.may_search_names(user),
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
        "statuses": CaseStatus.choices, "name_search": rules.may_search_names(user), "params": params.urlencode(),
        # Status-only roles (the 111 hotline) see nothing of the child, not even initials.
        "hide_child": not rules.sees_case_content(user),
    })


@login_required
def my_reports(request):
    """Journey A: the reports my organisation made, with their status; and the tasks we hold."""
    user = request.user
    qs = with_clocks(reports_of_my_bodies(case_list_for_user(user), user))
    page = Paginator(qs.order_by("-opened_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "casework/my_reports.html", {
        "rows": decorate(page.object_list), "page": page, "open_tasks": open_task_count(user),
        "can_open": rules.may_open_cases(user),
    })


# ------------------------------------------------------------------ a body's tasks

def tasks_context(request, *, bound=None) -> dict:
    """A body's desk: its tasks and the emergency measures it must carry out, each with the
    actions the offer model gives its members."""
    user = request.user
    show_all = request.GET.get("all") == "1"
    task_list = body_tasks(user, open_only=not show_all)
    measures = body_measures(user)
    for record in [*task_list, *measures]:
        record.child = masked_child(record.case.child)
        # The lists came through the access function and hold only the user's bodies' work.
        access = body_access(user, record.case)
        if hasattr(record, "organisation_id"):
            offers = record_offers(access, tasks=[record])
        else:
            offers = record_offers(access, measures=[record])
        record.offers = prepare(offers, record.case, bound)
    return {"tasks": task_list, "measures": measures, "show_all": show_all}


@login_required
def my_tasks(request):
    """Police, health station and other bodies: their tasks; accept/decline, log, done/failed."""
    return render(request, "casework/tasks.html", tasks_context(request))


# ------------------------------------------------------------------ chairperson

@login_required
@require_page("approvals")
def approvals(request):
    """Plans waiting for a decision, emergencies that need orders, isolation orders in force."""
    user = request.user
    wanted = [CaseStatus.AWAITING_APPROVAL, CaseStatus.EMERGENCY, CaseStatus.REVIEWING]
    rows = decorate(urgency_order(with_clocks(case_list_for_user(user).filter(status__in=wanted))))
    by_status = {status: [r for r in rows if r["case"].status == status] for status in wanted}
    # An order stays in force after the emergency phase ends: every visible case counts.
    orders = orders_in_force(user)
    for o in orders:
        o.child = masked_child(o.case.child)
    return render(request, "casework/approvals.html", {
        "waiting": by_status[CaseStatus.AWAITING_APPROVAL], "emergencies": by_status[CaseStatus.EMERGENCY],
        "reviews": by_status[CaseStatus.REVIEWING], "orders": orders,
    })


# ------------------------------------------------------------------ supervisor (journey C)

@login_required
@require_page("area")
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
