"""The prevention pages: parse → call one service or selector → render. Rules live in
``permissions.prevention``; what a page offers comes from the selectors' offer functions.

Pages are Vietnamese first and work on a 375-px phone (the village head records a visit there).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework.errors import Conflict, NotFound, PermissionDenied, ValidationError
from casework.models import Area, AreaKind, Organisation
from casework.views._common import login_required
from casework.views.pdf import pdf_response
from permissions import prevention as rules
from permissions.roles import Capability as C

from . import forms as F
from . import measures, selectors
from . import services as S
from .models import PlanTask
from .states import IN_FORCE, TaskStatus, WorkPlanStatus

PAGE_SIZE = 25


def _or_404(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except NotFound:
        raise Http404(_("Not found.")) from None


def attempt(request, call, form=None) -> bool:
    """Run one service call; put its refusal where the user can act on it. True on success."""
    try:
        call()
        return True
    except NotFound:
        raise Http404(_("Not found.")) from None
    except PermissionDenied as exc:
        raise DjangoPermissionDenied(str(exc)) from None
    except Conflict as exc:
        messages.error(request, str(exc.message))
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        for name, msgs in errors.items():
            target = name if form is not None and name in form.fields else None
            for m in msgs:
                if form is not None:
                    form.add_error(target, m)
                else:
                    messages.error(request, m)
    return False


def _can(user, capability) -> bool:
    return bool(rules.holding(user, capability))


# ------------------------------------------------------------------ plans

@login_required
def plan_list(request):
    """Plans the user sees: a body's own, the commune's, and for a supervisor every commune's plan
    with its task completion and target progress."""
    user = request.user
    if not _can(user, C.PREVENTION_VIEW):
        raise DjangoPermissionDenied
    year = request.GET.get("year") or ""
    qs = selectors.plan_list_for_user(user, year=int(year) if year.isdigit() else None)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    plans = list(page.object_list)
    figures = measures.figures_for(plans)
    targets_by_plan: dict[int, list] = {}
    for progress in figures.values():
        targets_by_plan.setdefault(progress.plan_id, []).append(progress)
    rows = []
    for plan in plans:
        progress = targets_by_plan.get(plan.pk, [])
        rows.append({"plan": plan, "targets": len(progress), "met": sum(1 for p in progress if p.met),
                     "known": sum(1 for p in progress if p.known)})
    bodies = [(a.organisation_id, a.organisation.name) for a in rules.bodies_that_may_draft(user)]
    start = F.PlanStartForm(bodies=bodies, initial={"year_from": timezone.localdate().year}) if bodies else None
    return render(request, "prevention/plan_list.html", {
        "rows": rows, "page": page, "year": year, "start_form": start,
        "params": f"year={year}" if year else ""})


@login_required
def plan_start(request):
    if request.method != "POST":
        return redirect("prevention:plans")
    bodies = [(a.organisation_id, a.organisation.name) for a in rules.bodies_that_may_draft(request.user)]
    form = F.PlanStartForm(request.POST, bodies=bodies)
    holder = {}
    if form.is_valid() and attempt(request, lambda: holder.update(plan=S.plan_create(
            actor=request.user, organisation_id=form.cleaned_data["organisation"],
            year_from=form.cleaned_data["year_from"], year_to=form.cleaned_data["year_to"])), form):
        return redirect("prevention:plan", holder["plan"].pk)
    if not bodies:
        raise DjangoPermissionDenied
    for e in form.errors.values():
        for m in e:
            messages.error(request, m)
    return redirect("prevention:plans")


def _plan_context(request, plan_id):
    access = _or_404(rules.access_plan_by_id, request.user, plan_id)
    plan = selectors.plan_detail(access)
    figures = measures.figures_for([plan])
    targets = [{"target": t, "progress": figures.get(t.pk)} for t in plan.targets.all()]
    tasks = [{"task": t, "offers": selectors.task_offers(access, t)} for t in plan.tasks.all()]
    return access, plan, {"access": access, "plan": plan, "targets": targets, "tasks": tasks,
                          "offers": selectors.plan_offers(access), "can_draft": C.WORKPLAN_DRAFT in access.caps,
                          "editable": plan.status == WorkPlanStatus.DRAFT and C.WORKPLAN_DRAFT in access.caps,
                          "in_force": plan.status in IN_FORCE,
                          "done": sum(1 for t in plan.tasks.all() if t.status == TaskStatus.DONE)}


def _bodies_for(plan):
    above = rules.prefixes_of(plan.area.path)
    return list(Organisation.objects.filter(Q(area__path__startswith=plan.area.path) | Q(area__path__in=above),
                                            active=True).exclude(kind__in=["hotline", "supervisory"])
                .order_by("area__path", "name").values_list("pk", "name"))


@login_required
def plan_detail(request, plan_id):
    access, plan, ctx = _plan_context(request, plan_id)
    if C.WORKPLAN_DRAFT in access.caps and (plan.status == WorkPlanStatus.DRAFT or plan.status in IN_FORCE):
        ctx["task_form"] = F.TaskAssignForm(bodies=_bodies_for(plan))
    if any(t["target"].measurement == "reported" for t in ctx["targets"]) and plan.status in IN_FORCE:
        ctx["report_form"] = F.TargetReportForm(initial={"period_end": timezone.localdate()})
    return render(request, "prevention/plan_detail.html", ctx)


PLAN_CALLS = {
    "submit": lambda r, pid, p: S.plan_submit(actor=r.user, plan_id=pid, version=p.get("version")),
    "return": lambda r, pid, p: S.plan_return(actor=r.user, plan_id=pid, reason=p.get("reason", ""),
                                              version=p.get("version")),
    "sign": lambda r, pid, p: S.plan_sign(actor=r.user, plan_id=pid, version=p.get("version")),
    "issue": lambda r, pid, p: S.plan_issue(actor=r.user, plan_id=pid, number=p.get("number", ""),
                                            issued_on=p.get("issued_on") or None, version=p.get("version")),
    "amend": lambda r, pid, p: S.plan_amend(actor=r.user, plan_id=pid, decided_on=p.get("decided_on") or None,
                                            number=p.get("number", ""), reason=p.get("reason", ""),
                                            summary=p.get("summary", ""), version=p.get("version")),
    "close": lambda r, pid, p: S.plan_close(actor=r.user, plan_id=pid, reason=p.get("reason", ""),
                                            version=p.get("version")),
}
DONE_MESSAGES = {"submit": gettext_lazy("Submitted for signature."), "return": gettext_lazy("Returned to draft."),
                 "sign": gettext_lazy("Signed."), "issue": gettext_lazy("Issued."), "amend": gettext_lazy("Amendment recorded."),
                 "close": gettext_lazy("Plan closed.")}


@login_required
def plan_act(request, plan_id, action):
    # Access first: an unseen plan is a 404 whatever was posted.
    access = _or_404(rules.access_plan_by_id, request.user, plan_id)
    if request.method != "POST":
        return redirect("prevention:plan", access.plan.pk)
    if action == "copy":
        holder = {}
        if attempt(request, lambda: holder.update(plan=S.plan_copy(actor=request.user, plan_id=access.plan.pk))):
            messages.success(request, _("This year's plan was started from last year's. Edit it, then submit it."))
            return redirect("prevention:plan", holder["plan"].pk)
        return redirect("prevention:plan", access.plan.pk)
    call = PLAN_CALLS.get(action)
    if call is None:
        raise Http404(_("Not found."))
    if attempt(request, lambda: call(request, access.plan.pk, request.POST)):
        messages.success(request, str(DONE_MESSAGES[action]))
    return redirect("prevention:plan", access.plan.pk)


@login_required
def plan_edit(request, plan_id):
    access, plan, ctx = _plan_context(request, plan_id)
    if C.WORKPLAN_DRAFT not in access.caps:
        raise DjangoPermissionDenied
    if plan.status != WorkPlanStatus.DRAFT:
        messages.error(request, _("Only a draft plan can be changed; an issued plan is changed by an amendment."))
        return redirect("prevention:plan", plan.pk)
    parents = [(p.pk, f"{p.number or p.title} — {p.issuing_organisation.name}")
               for p in rules.plan_queryset_for(request.user).exclude(pk=plan.pk)
               .filter(area__path__in=rules.prefixes_of(plan.area.path)).select_related("issuing_organisation")]
    initial = {name: getattr(plan, name) for name in S.PLAN_FIELDS}
    initial.update(parent_id=plan.parent_id, legal_bases="\n".join(b.citation for b in plan.legal_bases.all()))
    form = F.PlanHeaderForm(request.POST or None, initial=initial, parents=parents)
    sections = list(plan.sections.all())
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        bases = [line for line in data.pop("legal_bases").splitlines()]
        parent_id = data.pop("parent_id")
        posted = [{"numeral": request.POST.get(f"s{i}-numeral", s.numeral), "kind": s.kind,
                   "heading": request.POST.get(f"s{i}-heading", s.heading),
                   "body": request.POST.get(f"s{i}-body", s.body)} for i, s in enumerate(sections)]
        if attempt(request, lambda: S.plan_update(actor=request.user, plan_id=plan.pk,
                                                  version=request.POST.get("version"), legal_bases=bases,
                                                  sections=posted, parent_id=parent_id, **data), form):
            messages.success(request, _("Saved."))
            return redirect("prevention:plan", plan.pk)
    ctx.update(form=form, sections=sections)
    return render(request, "prevention/plan_edit.html", ctx)


@login_required
def target_edit(request, plan_id, target_id=None):
    access, plan, ctx = _plan_context(request, plan_id)
    target = None
    if target_id is not None:
        target = plan.targets.filter(pk=target_id).first()
        if target is None:
            raise Http404(_("Not found."))
    if C.WORKPLAN_DRAFT not in access.caps:
        raise DjangoPermissionDenied
    initial = {}
    if target is not None:
        initial = {name: getattr(target, name) for name in (
            "code", "wording", "goal_kind", "goal_value", "baseline_value", "baseline_note", "measurement",
            "indicator_code", "activity_kinds", "population")}
        initial["responsible_id"] = target.responsible_id
        initial["milestones"] = "\n".join(f"{m.year} {m.value}" for m in target.milestones.all())
    form = F.TargetForm(request.POST or None, initial=initial, bodies=_bodies_for(plan))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        data = S.TargetInput(wording=d["wording"], goal_kind=d["goal_kind"], goal_value=d["goal_value"],
                             code=d["code"], baseline_value=d["baseline_value"], baseline_note=d["baseline_note"],
                             measurement=d["measurement"], indicator_code=d["indicator_code"],
                             activity_kinds=d["activity_kinds"], population=d["population"],
                             responsible_id=d["responsible_id"], milestones=d["milestones"])
        if attempt(request, lambda: S.target_save(actor=request.user, plan_id=plan.pk, data=data,
                                                  target_id=target.pk if target else None), form):
            messages.success(request, _("Target saved."))
            return redirect("prevention:plan", plan.pk)
    ctx.update(form=form, target=target)
    return render(request, "prevention/target_edit.html", ctx)


@login_required
def target_report(request, plan_id, target_id):
    access = _or_404(rules.access_plan_by_id, request.user, plan_id)
    if request.method == "POST":
        form = F.TargetReportForm(request.POST, request.FILES)
        if form.is_valid() and attempt(request, lambda: S.target_report(
                actor=request.user, target_id=target_id if access.plan.targets.filter(pk=target_id).exists()
                else 0, value=form.cleaned_data["value"], period_end=form.cleaned_data["period_end"],
                note=form.cleaned_data["note"], upload=form.cleaned_data["file"])):
            messages.success(request, _("Value reported."))
        for errors in form.errors.values():
            for m in errors:
                messages.error(request, m)
    return redirect("prevention:plan", access.plan.pk)


@login_required
def task_assign(request, plan_id):
    access = _or_404(rules.access_plan_by_id, request.user, plan_id)
    if request.method == "POST":
        form = F.TaskAssignForm(request.POST, bodies=_bodies_for(access.plan))
        if form.is_valid() and attempt(request, lambda: S.task_assign(
                actor=request.user, plan_id=access.plan.pk, **form.cleaned_data), form):
            messages.success(request, _("Task assigned."))
        for errors in form.errors.values():
            for m in errors:
                messages.error(request, m)
    return redirect("prevention:plan", access.plan.pk)


@login_required
def plan_print(request, plan_id):
    return render(request, "prevention/plan_print.html", _print_context(request, plan_id))


@login_required
def plan_print_pdf(request, plan_id):
    ctx = _print_context(request, plan_id)
    html = render_to_string("prevention/plan_print.html", {**ctx, "pdf": True}, request=request)
    return pdf_response(request, html, f"ke-hoach-{ctx['plan'].pk}.pdf",
                        html_url=reverse("prevention:plan_print", args=[ctx["plan"].pk]))


def _print_context(request, plan_id):
    _access, plan, ctx = _plan_context(request, plan_id)
    by_body: dict[str, list] = {}
    for row in ctx["tasks"]:
        t = row["task"]
        by_body.setdefault(t.body_label or t.organisation.name, []).append(t)
    ctx["by_body"] = list(by_body.items())
    ctx["recipients"] = [line for line in plan.recipients.splitlines() if line.strip()]
    return ctx


# ------------------------------------------------------------------ plan tasks

@login_required
def task_list(request):
    user = request.user
    if not rules.task_bodies(user):
        raise DjangoPermissionDenied
    show_all = bool(request.GET.get("all"))
    page = Paginator(selectors.task_list_for_user(user, show_all=show_all), PAGE_SIZE).get_page(
        request.GET.get("page"))
    plans = {}
    rows = []
    for task in page.object_list:
        access = plans.get(task.plan_id) or rules.plan_access(user, task.plan)
        plans[task.plan_id] = access
        rows.append({"task": task, "offers": selectors.task_offers(access, task)})
    return render(request, "prevention/task_list.html", {"rows": rows, "page": page, "show_all": show_all,
                                                          "params": "all=1" if show_all else ""})


@login_required
def task_act(request, task_id):
    task = PlanTask.objects.filter(pk=task_id, plan__in=rules.plan_queryset_for(request.user)).first()
    if task is None:
        raise Http404(_("Not found."))
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "note":
            ok = attempt(request, lambda: S.task_note_add(actor=request.user, task_id=task.pk,
                                                          text=request.POST.get("note", "")))
        else:
            ok = attempt(request, lambda: S.task_move(actor=request.user, task_id=task.pk, action=action,
                                                      reason=request.POST.get("reason", ""),
                                                      note=request.POST.get("note", ""),
                                                      version=request.POST.get("version")))
        if ok:
            messages.success(request, _("Task updated."))
    nxt = request.POST.get("next", "")
    return redirect(nxt if nxt.startswith("/prevention/") else reverse("prevention:plan", args=[task.plan_id]))


# ------------------------------------------------------------------ activities

@login_required
def activity_list(request):
    user = request.user
    if not _can(user, C.PREVENTION_VIEW):
        raise DjangoPermissionDenied
    page = Paginator(selectors.activity_list_for_user(user, kind=request.GET.get("kind") or None),
                     PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "prevention/activity_list.html", {
        "page": page, "can_record": _can(user, C.ACTIVITY_RECORD)})


@login_required
def activity_new(request):
    user = request.user
    if not _can(user, C.ACTIVITY_RECORD):
        raise DjangoPermissionDenied
    organisers = list(rules.organisers_for(user).filter(area__kind__in=[AreaKind.COMMUNE, AreaKind.VILLAGE])
                      .order_by("area__path", "name").values_list("pk", "name"))
    bodies = rules.task_bodies(user)
    tasks = [(t.pk, f"{t.title} — {t.organisation.name}") for t in PlanTask.objects.filter(
        plan__in=rules.plan_queryset_for(user), plan__status__in=IN_FORCE).filter(
        Q(organisation_id__in=bodies) | Q(plan__issuing_organisation_id__in=[
            a.organisation_id for a in rules.holding(user, C.WORKPLAN_DRAFT)])).select_related("organisation")[:200]]
    initial = {"held_on": timezone.localdate(), "organiser_id": organisers[0][0] if organisers else None}
    if request.GET.get("task"):
        initial["plan_task_id"] = request.GET["task"]
    form = F.ActivityForm(request.POST or None, request.FILES or None, initial=initial, organisers=organisers,
                          tasks=tasks)
    holder = {}
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        data = S.ActivityInput(kind=d["kind"], title=d["title"], held_on=d["held_on"], organiser_id=d["organiser_id"],
                               place=d["place"], plan_task_id=d["plan_task_id"],
                               counts={k: d.get(k) or 0 for k in S.COUNT_FIELDS}, parents=d["parents"] or 0,
                               staff=d["staff"] or 0, cost=d["cost"] or 0, note=d["note"])
        evidence = [d["evidence"]] if d.get("evidence") else []
        if attempt(request, lambda: holder.update(activity=S.activity_record(
                actor=user, data=data, sheet=d.get("sheet"), evidence=evidence)), form):
            messages.success(request, _("Activity recorded."))
            return redirect("prevention:activity", holder["activity"].pk)
    return render(request, "prevention/activity_new.html", {"form": form})


@login_required
def activity_detail(request, activity_id):
    activity = _or_404(selectors.activity_for_user, request.user, activity_id)
    form = F.EvidenceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and attempt(request, lambda: S.evidence_add(
            actor=request.user, activity_id=activity.pk, upload=form.cleaned_data["file"]), form):
        messages.success(request, _("Evidence added."))
        return redirect("prevention:activity", activity.pk)
    return render(request, "prevention/activity_detail.html", {
        "activity": activity, "form": form,
        "evidence_visible": rules.evidence_reader(request.user, activity) is not None,
        "can_add": rules.activity_recorder(request.user, activity.organiser) is not None})


@login_required
def evidence_download(request, key):
    # The evidence pipeline's download: logged, hash-checked, never rendered in the site's origin.
    from evidence.views import file_response

    file, data = _or_404(S.evidence_open, actor=request.user, key=key)
    return file_response(file, data)


# ------------------------------------------------------------------ population

def _communes_kept(user):
    q = Q(pk__in=[])
    for a in rules.holding(user, C.WORKPLAN_DRAFT):
        if a.role.scope == "area":
            q |= Q(path__startswith=a.area.path)
    return list(Area.objects.filter(q, kind=AreaKind.COMMUNE, valid_to__isnull=True).order_by("name")
                .values_list("pk", "name"))


@login_required
def population(request):
    user = request.user
    if not _can(user, C.PREVENTION_VIEW):
        raise DjangoPermissionDenied
    communes = _communes_kept(user)
    form = F.PopulationForm(request.POST or None, communes=communes,
                            initial={"year": timezone.localdate().year}) if communes else None
    upload = F.ImportForm(request.POST or None, request.FILES or None) if communes else None
    if request.method == "POST" and communes:
        if "file" in request.FILES:
            form = F.PopulationForm(communes=communes, initial={"year": timezone.localdate().year})
            if upload.is_valid() and attempt(request, lambda: S.population_import(
                    actor=user, upload=upload.cleaned_data["file"]), upload):
                messages.success(request, _("Population imported."))
                return redirect("prevention:population")
        else:
            upload = F.ImportForm()
            if form.is_valid():
                d = dict(form.cleaned_data)
                if attempt(request, lambda: S.population_save(
                        actor=user, commune_id=d.pop("commune_id"), year=d.pop("year"),
                        households=d.pop("households"), source=d.pop("source"), counts=d), form):
                    messages.success(request, _("Population saved."))
                    return redirect("prevention:population")
    page = Paginator(selectors.population_for_user(user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "prevention/population.html", {"page": page, "form": form, "upload": upload})


# ------------------------------------------------------------------ registry

@login_required
def registry_list(request):
    user = request.user
    if not _can(user, C.REGISTRY_VIEW):
        raise DjangoPermissionDenied
    q = request.GET.get("q", "")
    qs = selectors.registry_list_for_user(user, q=q, category=request.GET.get("category") or None)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"entry": e, "child": selectors.masked_entry_child(e)} for e in page.object_list]
    return render(request, "prevention/registry_list.html", {
        "rows": rows, "page": page, "q": q, "name_search": rules.name_search_allowed(user),
        "can_add": _can(user, C.REGISTRY_EDIT), "params": f"q={q}" if q else ""})


def _villages(communes):
    return list(Area.objects.filter(parent_id__in=[c for c, _n in communes], kind=AreaKind.VILLAGE)
                .order_by("path").values_list("pk", "name"))


def _registry_communes(user):
    q = Q(pk__in=[])
    for a in rules.holding(user, C.REGISTRY_EDIT):
        if a.role.scope == "area":
            q |= Q(path__startswith=a.area.path)
    return list(Area.objects.filter(q, kind=AreaKind.COMMUNE, valid_to__isnull=True).order_by("name")
                .values_list("pk", "name"))


@login_required
def registry_new(request):
    communes = _registry_communes(request.user)
    if not communes:
        raise DjangoPermissionDenied
    form = F.RegistryForm(request.POST or None, communes=communes, villages=_villages(communes))
    holder = {}
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        child = S.RegistryChild(full_name=d["full_name"], sex=d["sex"], date_of_birth=d["date_of_birth"],
                                estimated_age=d["estimated_age"], address=d["address"], parents=d["parents"],
                                caregiver=d["caregiver"])
        if attempt(request, lambda: holder.update(entry=S.registry_add(
                actor=request.user, commune_id=d["commune_id"], village_id=d["village_id"], category=d["category"],
                groups=d["groups"], risk_kind=d["risk_kind"], child=child, since=d["since"], note=d["note"])), form):
            messages.success(request, _("Child added to the registry."))
            return redirect("prevention:entry", holder["entry"].pk)
    return render(request, "prevention/registry_new.html", {"form": form})


@login_required
def registry_detail(request, entry_id):
    user = request.user
    entry = _or_404(selectors.registry_for_user_by_id, user, entry_id)
    editor = rules.registry_editor(user, entry.commune)
    support_form = F.SupportForm(request.POST or None if request.POST.get("form") == "support" else None,
                                 initial={"given_on": timezone.localdate()})
    bodies = list(Organisation.objects.filter(area__path__startswith=entry.commune.path, active=True)
                  .order_by("area__path", "name").values_list("pk", "name"))
    watch_form = F.WatchForm(request.POST or None if request.POST.get("form") == "watch" else None, bodies=bodies)
    if request.method == "POST":
        if request.POST.get("form") == "support" and support_form.is_valid():
            if attempt(request, lambda: S.support_record(actor=user, entry_id=entry.pk, **support_form.cleaned_data),
                       support_form):
                messages.success(request, _("Support recorded."))
                return redirect("prevention:entry", entry.pk)
        elif request.POST.get("form") == "watch" and watch_form.is_valid() and attempt(
                request, lambda: S.watch_open(actor=user, entry_id=entry.pk, **watch_form.cleaned_data), watch_form):
            messages.success(request, _("Watch record opened."))
            return redirect("prevention:entry", entry.pk)
    # The identity is read (and the read logged) only when the page is rendered for this user.
    child = selectors.entry_identity(user, entry, channel="web")
    watches = [{"watch": w, "offers": selectors.watch_offers(user, w)} for w in selectors.watches_for_entry(entry)]
    return render(request, "prevention/registry_detail.html", {
        "entry": entry, "child": child, "watches": watches, "can_edit": editor is not None,
        "support_form": support_form, "watch_form": watch_form})


@login_required
def watch_act(request, watch_id, action):
    from .models import WatchRecord

    watch = WatchRecord.objects.filter(pk=watch_id, entry__in=rules.registry_queryset_for(request.user)).first()
    if watch is None:
        raise Http404(_("Not found."))
    if request.method == "POST":
        reason = request.POST.get("reason", "")
        if action == "raise":
            holder = {}
            if attempt(request, lambda: holder.update(w=S.watch_raise(
                    actor=request.user, watch_id=watch.pk, reason=reason, urgent=bool(request.POST.get("urgent")),
                    version=request.POST.get("version")))):
                messages.success(request, _("A case was opened from the watch record."))
                return redirect("web:case", holder["w"].case_id)
        elif action == "close":
            if attempt(request, lambda: S.watch_close(actor=request.user, watch_id=watch.pk, reason=reason,
                                                      version=request.POST.get("version"))):
                messages.success(request, _("Watch record closed."))
        else:
            raise Http404(_("Not found."))
    return redirect("prevention:entry", watch.entry_id)

