"""Journey A: a report on form 01 in three screens — the child, what happened, the reporter.

The draft lives in the session under a random token that is also the intake's
``client_token``: submitting twice (double click, back button, a retry on a slow network)
returns the case the first submit opened and creates nothing more.
"""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notifications.selectors import told_for_event
from permissions import rules
from workflows.states import Classification

from .. import access_log
from .. import forms as F
from ..errors import ValidationError
from ..models import CaseEventType, Child
from ..selectors.identity import (
    registry_child,
    registry_child_visible,
    registry_matches,
)
from ..services.intake import ChildInput, IntakeInput, PerpetratorInput, case_open
from ._common import (
    communes_for_user,
    default_commune_for_user,
    default_school_for_user,
    login_required,
)

SESSION_KEY = "intake_drafts"
MAX_DRAFTS = 10
STEPS = [(1, "child"), (2, "report"), (3, "reporter")]
STEP_TITLES = {1: gettext_lazy("The child"), 2: gettext_lazy("What happened"),
               3: gettext_lazy("Reporter and confirmation")}


def _drafts(request) -> dict:
    return request.session.setdefault(SESSION_KEY, {})


def _draft(request, token) -> dict:
    draft = _drafts(request).get(token)
    if draft is None:
        raise Http404(_("This report draft has expired. Start a new report."))
    return draft


def _save(request):
    request.session.modified = True


def _as_querydict(stored: dict | None) -> QueryDict | None:
    if stored is None:
        return None
    qd = QueryDict(mutable=True)
    for key, values in stored.items():
        qd.setlist(key, values)
    return qd


def _store(post) -> dict:
    return {k: post.getlist(k) for k in post if k != "csrfmiddlewaretoken"}


def _require_open(user):
    if not rules.may_open_cases(user):
        raise PermissionDenied


def registry_search(user, q: str) -> list[Child]:
    """Registry children matching a name; each one shown is logged as an identity read."""
    return access_log.reveal_registry_children(user, registry_matches(user, q), channel="registry_search")


def duplicate_suggestions(user, data: dict) -> list[Child]:
    """Possible duplicates of the child being reported, ranked with their reasons (the Vietnamese
    name-aware finder of triage.duplicates); each one shown is logged as a read."""
    from triage.duplicates import intake_suggestions

    return intake_suggestions(user, full_name=data["full_name"], date_of_birth=data.get("date_of_birth"),
                              estimated_age=data.get("estimated_age"), sex=data.get("sex") or "unknown",
                              commune_id=data.get("residence_commune_id") or None,
                              parents=data.get("parents") or "")


@login_required
def intake_start(request):
    _require_open(request.user)
    drafts = _drafts(request)
    while len(drafts) >= MAX_DRAFTS:
        drafts.pop(next(iter(drafts)))
    token = secrets.token_urlsafe(18)
    drafts[token] = {"created": timezone.now().isoformat()}
    _save(request)
    return redirect("web:intake_step", token=token, step=1)


def _child_form(request, data=None):
    communes = communes_for_user(request.user)
    return F.IntakeChildForm(data, communes=communes,
                             initial={"residence_commune_id": default_commune_for_user(request.user), "sex": "unknown"})


def _report_form(request, data=None):
    now = timezone.localtime().replace(second=0, microsecond=0)
    return F.IntakeReportForm(data, communes=communes_for_user(request.user), initial={
        "received_at": now, "incident_commune_id": default_commune_for_user(request.user),
        "channel": "in_person", "environment": "other"})


def _reporter_form(request, token, data=None):
    if data is not None:
        data = data.copy()
        data["client_token"] = token
    return F.IntakeReporterForm(data, initial={"client_token": token})


def _render(request, token, step, form, *, status=200, **extra):
    draft = _drafts(request).get(token, {})
    return render(request, "casework/intake.html", {
        "token": token, "step": step, "steps": [(n, STEP_TITLES[n]) for n, _k in STEPS], "form": form,
        "title": STEP_TITLES[step], "draft": draft, **extra}, status=status)


@login_required
def intake_step(request, token, step):
    _require_open(request.user)
    draft = _draft(request, token)
    if draft.get("case_id"):
        # Already submitted: this draft is the case now.
        return redirect("web:case", draft["case_id"])
    if step not in (1, 2, 3):
        raise Http404
    if step > 1 and "child" not in draft:
        return redirect("web:intake_step", token=token, step=1)
    if step > 2 and "report" not in draft:
        return redirect("web:intake_step", token=token, step=2)
    handler = {1: _step_child, 2: _step_report, 3: _step_reporter}[step]
    return handler(request, token, draft)


def _step_child(request, token, draft):
    user = request.user
    q = request.GET.get("q", "").strip()
    search = F.ChildSearchForm(request.GET or None)
    results = registry_search(user, q) if q else []
    duplicates = []
    if request.method == "POST":
        picked = request.POST.get("pick")
        if picked:
            if not registry_child_visible(user, picked):
                raise Http404
            draft["child"] = {"child_id": [picked]}
            _save(request)
            return redirect("web:intake_step", token=token, step=2)
        form = _child_form(request, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            if not data.get("confirm_new"):
                duplicates = duplicate_suggestions(user, data)
            if not duplicates:
                stored = _store(request.POST)
                stored.pop("child_id", None)
                draft["child"] = stored
                _save(request)
                return redirect("web:intake_step", token=token, step=2)
    else:
        stored = draft.get("child")
        form = _child_form(request, _as_querydict(stored) if stored and "full_name" in stored else None)
    picked_child = None
    if draft.get("child", {}).get("child_id"):
        picked_child = registry_child(user, draft["child"]["child_id"][0])
    return _render(request, token, 1, form, search=search, q=q, results=results, duplicates=duplicates,
                   name_search=rules.may_search_names(user), picked_child=picked_child)


def _step_report(request, token, draft):
    if request.method == "POST":
        form = _report_form(request, request.POST)
        if form.is_valid():
            draft["report"] = _store(request.POST)
            _save(request)
            return redirect("web:intake_step", token=token, step=3)
    else:
        form = _report_form(request, _as_querydict(draft.get("report")))
    return _render(request, token, 2, form)


def _summary(request, draft):
    child = _child_form(request, _as_querydict(draft.get("child")))
    report = _report_form(request, _as_querydict(draft.get("report")))
    picked = None
    if draft.get("child", {}).get("child_id"):
        picked = registry_child(request.user, draft["child"]["child_id"][0])
    return {"child_form": child if not picked else None, "picked_child": picked, "report_form": report}


def _step_reporter(request, token, draft):
    if request.method != "POST":
        form = _reporter_form(request, token, _as_querydict(draft.get("reporter")))
        if draft.get("reporter") is None:
            form = _reporter_form(request, token)
        return _render(request, token, 3, form, **_summary(request, draft))
    form = _reporter_form(request, token, request.POST)
    draft["reporter"] = _store(request.POST)
    _save(request)
    child_form = _child_form(request, _as_querydict(draft["child"]))
    report_form = _report_form(request, _as_querydict(draft["report"]))
    child_ok = "child_id" in draft["child"] or child_form.is_valid()
    if not (form.is_valid() and child_ok and report_form.is_valid()):
        if not child_ok:
            return _render(request, token, 1, child_form, search=F.ChildSearchForm(), results=[], duplicates=[],
                           name_search=rules.may_search_names(request.user))
        if not report_form.is_valid():
            return _render(request, token, 2, report_form)
        return _render(request, token, 3, form, **_summary(request, draft))
    data = build_input(request.user, draft, child_form, report_form, form)
    try:
        case = case_open(actor=request.user, data=data)
    except ValidationError as exc:
        return _route_errors(request, token, draft, exc, child_form, report_form, form)
    draft["case_id"] = case.pk
    _save(request)
    messages.success(request, _("Report sent. Case %(code)s is open. Told: %(told)s.") % {
        "code": case.code, "told": ", ".join(told_for_event(case.events.get(type=CaseEventType.CASE_OPENED)))
        or _("nobody yet (the commune has no officer or chairperson in the system)")})
    return redirect("web:case", case.pk)


CHILD_KEYS = {"child", "child_id"}
REPORTER_KEYS = {"reporter_consent", "reporter_name", "reporter_phone", "reporter_address", "reporter_relation"}


def _route_errors(request, token, draft, exc, child_form, report_form, reporter_form):
    """Show each service error on the screen that holds its field."""
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    step_of = {}
    for key in errors:
        if key.startswith("child.") or key in CHILD_KEYS:
            step_of[key] = 1
        elif key in REPORTER_KEYS:
            step_of[key] = 3
        else:
            step_of[key] = 2
    first = min(step_of.values()) if step_of else 3
    form = {1: child_form, 2: report_form, 3: reporter_form}[first]
    for key, messages_ in errors.items():
        if step_of.get(key) != first:
            continue
        name = key.split(".", 1)[-1]
        if name == "perpetrators":
            name = "perpetrator_relation"
        for m in messages_:
            form.add_error(name if name in form.fields else None, m)
    extra = {}
    if first == 1:
        extra = {"search": F.ChildSearchForm(), "results": [], "duplicates": [],
                 "name_search": rules.may_search_names(request.user)}
    elif first == 3:
        extra = _summary(request, draft)
    return _render(request, token, first, form, **extra)


def build_input(user, draft, child_form, report_form, reporter_form) -> IntakeInput:
    r = report_form.cleaned_data
    p = reporter_form.cleaned_data
    child, child_id = None, None
    if "child_id" in draft["child"]:
        child_id = int(draft["child"]["child_id"][0])
    else:
        c = child_form.cleaned_data
        child = ChildInput(
            full_name=c["full_name"].strip(), date_of_birth=c.get("date_of_birth"),
            estimated_age=c.get("estimated_age"), sex=c["sex"], ethnicity=c.get("ethnicity", ""),
            disability=c.get("disability", ""), residence_commune_id=c.get("residence_commune_id"),
            address=c.get("address", ""), school_id=default_school_for_user(user), class_name=c.get("class_name", ""),
            parents=c.get("parents", ""), caregiver=c.get("caregiver", ""))
    classification = r["classification"]
    perpetrators = []
    if r.get("perpetrator_relation") or r.get("perpetrator_is_child"):
        perpetrators = [PerpetratorInput(relation_code=r.get("perpetrator_relation") or "",
                                         is_child=bool(r.get("perpetrator_is_child")))]
    return IntakeInput(
        channel=r["channel"], received_at=r["received_at"], classification=classification,
        incident_commune_id=r["incident_commune_id"], child=child, child_id=child_id,
        occurred_at=r.get("occurred_at"), place=r.get("place", ""), environment=r.get("environment") or "other",
        description=r.get("description", ""), child_condition=r.get("child_condition", ""),
        likely_consequence=r.get("likely_consequence", ""), family_situation=r.get("family_situation", ""),
        help_given=r.get("help_given", ""), urgent=bool(r.get("urgent")),
        caregiver_is_abuser=bool(r.get("caregiver_is_abuser")),
        reporter_consent=bool(p.get("reporter_consent")), reporter_name=p.get("reporter_name", ""),
        reporter_phone=p.get("reporter_phone", ""), reporter_address=p.get("reporter_address", ""),
        reporter_relation=p.get("reporter_relation", ""),
        abuse_forms=list(r.get("abuse_forms") or []) if classification == Classification.ABUSED else [],
        risk_kind=r.get("risk_kind", "") if classification == Classification.AT_RISK else "",
        special_groups=list(r.get("special_groups") or []), perpetrators=perpetrators,
        client_token=reporter_form.cleaned_data["client_token"],
    )
