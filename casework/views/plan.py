"""Journey B, drafting the plan (form 04): goals, dates and the measures of each body.

Who may draft is ``permissions.rules`` (the case page "plan_edit"); which bodies a measure may
name is the offer model's choice list, bound by ``rules.assignable_organisations``; the service
``plans.plan_draft_save`` checks both again.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from permissions import rules
from workflows.states import CaseStatus, PlanStatus

from .. import forms as F
from ..errors import Conflict, ValidationError
from ..models import Term, TermKind
from ..selectors.offers import SPECS, action_choices
from ..services import plans
from ._common import access_or_404, content_or_404, login_required, page_or_403


def measure_choices():
    return [(t.code, f"{t.label} ({t.legal_article})" if t.legal_article else t.label)
            for t in Term.objects.of(TermKind.MEASURE).order_by("order", "code")]


@login_required
def plan_edit(request, case_id):
    access = content_or_404(request.user, case_id)
    case = access.case
    page_or_403(access, "plan_edit")
    if case.status not in (CaseStatus.PLANNING, CaseStatus.RETURNED):
        messages.error(request, _("The plan is drafted during plan drafting."))
        return redirect("web:case", case.pk)
    orgs = action_choices(SPECS["plan_draft"], case)["organisations"]
    kinds = measure_choices()
    draft = case.plans.filter(status=PlanStatus.DRAFT).order_by("-version").first()
    source = draft or case.plans.order_by("-version").first()
    providers = list(rules.service_providers(case).order_by("area__path", "name").values_list("pk", "name"))
    fk = {"organisations": orgs, "measure_choices": kinds, "providers": providers}
    conflict = False
    status = 200
    if request.method == "POST":
        form = F.PlanForm(request.POST)
        formset = F.MeasureFormSet(request.POST, form_kwargs=fk, prefix="m")
        if form.is_valid() and formset.is_valid():
            measures = [plans.MeasureInput(
                kind=f.cleaned_data["kind"], responsible_id=f.cleaned_data["responsible_id"],
                coordinating_id=f.cleaned_data.get("coordinating_id"), starts_on=f.cleaned_data["starts_on"],
                ends_on=f.cleaned_data["ends_on"], description=f.cleaned_data.get("description", ""),
                resources=f.cleaned_data.get("resources", ""), cost=f.cleaned_data.get("cost"),
                provider_ids=f.cleaned_data.get("provider_ids") or [])
                for f in formset.forms if f.has_changed() and not formset._should_delete_form(f)]
            try:
                plans.plan_draft_save(actor=request.user, case_id=case.pk,
                                      expected_version=form.cleaned_data["version"], measures=measures,
                                      **form.service_kwargs())
            except ValidationError as exc:
                for key, errs in exc.message_dict.items():
                    if key.startswith("measures["):
                        index, _dot, name = key[len("measures["):].partition("].")
                        target = formset.forms[[i for i, f in enumerate(formset.forms) if f.has_changed()
                                                and not formset._should_delete_form(f)][int(index)]]
                        for e in errs:
                            target.add_error(name if name in target.fields else None, e)
                    else:
                        for e in errs:
                            form.add_error(key if key in form.fields else None, e)
            except Conflict as exc:
                status = 409
                if exc.code == "stale_version":
                    conflict = True
                    fresh = access_or_404(request.user, case_id).case
                    data = request.POST.copy()
                    data["version"] = str(fresh.version)
                    errors = form._errors
                    form = F.PlanForm(data)
                    form.is_valid()
                    form._errors = errors
                    form.add_error(None, _("Someone else changed this case after you opened it. Your input is "
                                           "kept below: check the case as it is now, then save again."))
                else:
                    form.add_error(None, exc.message)
            else:
                messages.success(request, _("Draft plan saved."))
                return redirect("web:case", case.pk)
    else:
        initial = {"version": case.version}
        rows = []
        if source is not None:
            initial.update(goals=source.goals, starts_on=source.starts_on, ends_on=source.ends_on,
                           review_on=source.review_on)
            rows = [{"kind": m.kind.code, "responsible_id": m.responsible_id, "coordinating_id": m.coordinating_id,
                     "starts_on": m.starts_on, "ends_on": m.ends_on, "description": m.description,
                     "resources": m.resources, "cost": m.cost, "provider_ids": [p.pk for p in m.providers.all()]}
                    for m in source.measures.select_related("kind").prefetch_related("providers")]
        form = F.PlanForm(initial=initial)
        formset = F.MeasureFormSet(initial=rows, form_kwargs=fk, prefix="m")
    return render(request, "casework/plan_edit.html", {
        "case": case, "form": form, "formset": formset, "draft": draft, "source": source, "conflict": conflict,
        "returned": source if source is not None and source.status == PlanStatus.RETURNED else None,
    }, status=status)


