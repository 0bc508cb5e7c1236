"""Work lists: home routing, the officer's list by urgency, case search, a school's reports, a
body's tasks, the chairperson's approvals and the supervisor's area overview.

The queries are ``selectors.worklists``; which desk opens for whom is ``permissions.rules``;
what may be done on a listed task or measure is the offer model.
"""

from __future__ import annotations

import tempfile

from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from permissions import rules
from permissions.access import body_access
from workflows.states import OPEN_CASE_STATUSES, CaseStatus, ProtectionLevel

from ..exports import write_case_list
from ..models import CaseDeadline
from ..selectors import case_list_for_user, clock_view, masked_child
from ..selectors.clocks import CLOCK_LABELS
from ..selectors.offers import record_offers
from ..selectors.worklists import (
    LIVE,
    body_measures,
    body_tasks,
    commune_choices,
    commune_totals,
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
            "breached": any(c["red"] for c in clocks),
            "warning": any(c["amber"] for c in clocks),
            # Issue 8, item 12: "due today / overdue" comes first on the work list.
            "urgent": any(c["red"] or c["due_today"] for c in clocks),
        })
    return rows


SORTS = {
    "urgency": None,  # soonest clock first (urgency_order)
    "newest": ("-opened_at", "-pk"),
    "oldest": ("opened_at", "pk"),
}


def list_filters(request, user) -> dict:
    """The work list's filters, each checked against its choices (an unknown value is ignored)."""
    get = request.GET
    status = get.get("status") if get.get("status") in CaseStatus.values else ""
    level = get.get("level") if get.get("level") in ProtectionLevel.values else ""
    clock = get.get("clock") if get.get("clock") in CLOCK_LABELS else ""
    commune = get.get("commune", "")
    commune_id = int(commune) if commune.isdigit() else None
    sort = get.get("sort") if get.get("sort") in SORTS else "urgency"
    return {"status": status, "level": level, "clock": clock, "commune_id": commune_id, "sort": sort}


def apply_filters(qs, f: dict):
    if f["status"]:
        qs = qs.filter(status=f["status"])
    if f["level"]:
        qs = qs.filter(level=f["level"])
    if f["commune_id"]:
        qs = qs.filter(commune_id=f["commune_id"])
    if f["clock"]:
        qs = qs.filter(pk__in=CaseDeadline.objects.filter(kind=f["clock"], state__in=LIVE, met_at__isnull=True)
                       .values("case_id"))
    order = SORTS[f["sort"]]
    return urgency_order(qs) if order is None else qs.order_by(*order)


def filter_choices(user, qs=None) -> dict:
    """Choice lists of the filter form; communes (of the cases in ``qs``, one query) only when
    they span several."""
    communes = commune_choices(qs) if qs is not None else []
    return {"statuses": [(v, lbl) for v, lbl in CaseStatus.choices if v in OPEN_CASE_STATUSES],
            "levels": ProtectionLevel.choices, "clock_kinds": [(k, str(v)) for k, v in CLOCK_LABELS.items()],
            "communes": communes if len(communes) > 1 else [],
            "sorts": [("urgency", _("Most urgent first")), ("newest", _("Newest report first")),
                      ("oldest", _("Oldest report first"))]}


# The work list shows the most urgent cases, not all of them: rendering is what costs on a long
# list (issue 14: 500 rows took ~300 ms of templates at national scale), and an officer works
# from the top. One page of the size (50); search and the filters reach the rest.
WORKLIST_LIMIT = 50


@login_required
@require_page("worklist")
def worklist(request):
    """Journey B: due today or overdue first, then new reports, then every open case with its
    clocks; filters by state, level, clock and commune; sorted by urgency unless asked."""
    user = request.user
    f = list_filters(request, user)
    visible = case_list_for_user(user, open_only=True)
    q = request.GET.get("q", "")
    qs = apply_filters(search(with_clocks(visible), user, q), f)
    cases = list(qs[:WORKLIST_LIMIT])
    rows = decorate(cases)
    urgent = [r for r in rows if r["urgent"]]
    new = [r for r in rows if not r["urgent"] and r["case"].status == CaseStatus.RECEIVED]
    others = [r for r in rows if not r["urgent"] and r["case"].status != CaseStatus.RECEIVED]
    return render(request, "casework/worklist.html", {
        "urgent_rows": urgent, "new_rows": new, "rows": others, "q": q, "name_search": rules.may_search_names(user),
        "truncated": len(cases) == WORKLIST_LIMIT, "limit": WORKLIST_LIMIT, "f": f, **filter_choices(user, visible),
    })


def _case_list_query(request):
    """The case list's set, from its query string (the page and its export share it)."""
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
    return search(qs, user, q), status, overdue, q


@login_required
def case_list(request):
    """Every case the user may see, searchable; filters by status, commune and missed clocks."""
    user = request.user
    qs, status, overdue, q = _case_list_query(request)
    page = Paginator(qs.order_by("-opened_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "casework/case_list.html", {
        "rows": decorate(page.object_list), "page": page, "q": q, "status": status or "", "overdue": overdue,
        "statuses": CaseStatus.choices, "name_search": rules.may_search_names(user), "params": params.urlencode(),
        # Status-only roles (the 111 hotline) see nothing of the child, not even initials.
        "hide_child": not rules.sees_case_content(user),
        "can_export": rules.may_export_case_list(user),
    })


@login_required
def case_list_export(request):
    """The case list, with the page's filters and search, as an XLSX file written in bounded
    memory (casework/exports.py). Not offered to status-only roles: a 404 for them, as for a
    page that does not exist."""
    if not rules.may_export_case_list(request.user):
        raise Http404
    qs = _case_list_query(request)[0]
    # On disk past 1 MB: a 100,000-row file never sits in the worker's memory.
    out = tempfile.SpooledTemporaryFile(max_size=2**20)
    write_case_list(qs, out)
    out.seek(0)
    name = f"ho-so-{timezone.localdate():%Y-%m-%d}.xlsx"
    return FileResponse(out, as_attachment=True, filename=name,
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


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
    """Cases of the supervisor's area by commune, missed clocks first.

    The totals (of the area and of each commune) are SQL aggregates over every visible case;
    only the cards are paged (50, most urgent first), grouped by commune on the page.
    """
    user = request.user
    include_closed = request.GET.get("closed") == "1"
    overdue_only = request.GET.get("overdue") == "1"
    f = list_filters(request, user)
    qs = case_list_for_user(user, open_only=not include_closed, overdue=overdue_only)
    # One aggregate for the commune choices and every total; the commune filter picks its entry.
    per_commune = commune_totals(qs)
    shown = [c for c in per_commune if not f["commune_id"] or c["commune_id"] == f["commune_id"]]
    if f["commune_id"]:
        qs = qs.filter(commune_id=f["commune_id"])
    paginator = Paginator(urgency_order(with_clocks(qs)), PAGE_SIZE)
    # The aggregate already counted the cases: no second COUNT over the area for the pager.
    paginator.count = sum(c["total"] for c in shown)
    page = paginator.get_page(request.GET.get("page"))
    rows = decorate(page.object_list)
    order = {c["commune_id"]: i for i, c in enumerate(shown)}
    by_commune = {c["commune_id"]: c for c in shown}
    groups: dict[int, dict] = {}
    for row in sorted(rows, key=lambda r: order.get(r["case"].commune_id, len(order))):
        c = row["case"]
        groups.setdefault(c.commune_id, {"commune": c.commune, "rows": [], **_group_totals(by_commune, c.commune_id)})
        groups[c.commune_id]["rows"].append(row)
    # Issue 8, item 12: totals of the area, missed and due soon, above the communes.
    totals = {key: sum(c[key] for c in shown) for key in ("open", "breached", "amber")}
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "casework/area.html", {
        "groups": list(groups.values()), "include_closed": include_closed, "overdue_only": overdue_only,
        "total": paginator.count, "title": _("Area overview"), "totals": totals, "f": f, "page": page,
        "params": params.urlencode(),
        "communes": [(c["commune_id"], c["name"]) for c in sorted(per_commune, key=lambda c: c["name"])]
        if len(per_commune) > 1 else [],
    })


def _group_totals(by_commune: dict, commune_id: int) -> dict:
    entry = by_commune.get(commune_id, {})
    return {"open": entry.get("open", 0), "breached": entry.get("breached", 0), "amber": entry.get("amber", 0)}
