"""Journey B, the action endpoint: POST /cases/<id>/act/<key>/ runs one offered action.

The case comes through the access door first (an unseen case is a 404 whatever was posted),
then the form is validated, then the one service is called; its errors are mapped onto the form
and the page the form came from is shown again.
"""

from __future__ import annotations

import inspect

from django.contrib import messages
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from permissions import rules

from .. import forms as F
from ..errors import Conflict, NotFound, ValidationError
from ..selectors.offers import SPECS
from ._common import access_or_404, content_or_404, login_required, safe_next
from .actions import WEB_ACTIONS, bound_key, form_kwargs, record_id_posted
from .case import approval_context, case_context
from .lists import tasks_context


def _takes_version(service) -> bool:
    return "expected_version" in inspect.signature(service).parameters


def run_action(request, access, action, form) -> tuple[bool, int]:
    """Validate, call the service, map its errors onto the form. Returns (done, status)."""
    if not form.is_valid():
        return False, 200
    kwargs = {**form.service_kwargs(), **action.fixed}
    if _takes_version(action.service):
        kwargs["expected_version"] = form.cleaned_data["version"]
    try:
        action.service(actor=request.user, case_id=access.case.pk, **kwargs)
    except ValidationError as exc:
        F.apply_service_errors(form, exc)
        return False, 200
    except Conflict as exc:
        # Shown at the top of the page (the action may no longer be offered there); the form
        # stays open with the input.
        form.conflict = exc.code
        if exc.code == "stale_version":
            form.page_error = _("Someone else changed this case after you opened it. Your input is kept "
                                "below: check the case as it is now, then submit again.")
        else:
            form.page_error = exc.message
        return False, 409
    except NotFound:
        raise Http404 from None
    return True, 302


def refreshed(form, version: int):
    """The same input, re-bound with the case's current version so a second submit can go through."""
    data = form.data.copy() if isinstance(form.data, QueryDict) else QueryDict(mutable=True)
    data["version"] = str(version)
    new = type(form)(data, **getattr(form, "_init_kwargs", {}))
    new.is_valid()
    new._errors = form._errors
    new.conflict = getattr(form, "conflict", "")
    new.page_error = getattr(form, "page_error", "")
    return new


@login_required
@require_POST
def case_act(request, case_id, key):
    action = WEB_ACTIONS.get(key)
    if action is None or action.page:
        raise Http404
    access = content_or_404(request.user, case_id)
    kwargs = form_kwargs(key, access.case)
    form = action.form(request.POST, **kwargs)
    form._init_kwargs = kwargs
    done, status = run_action(request, access, action, form)
    if done:
        messages.success(request, action.done)
        return redirect(safe_next(request, reverse("web:case", args=[access.case.pk])))
    # Render the page the form came from again, with the input and the errors; a fresh read of
    # the case, so what is shown (and the version the form now carries) is what is on file.
    access = access_or_404(request.user, case_id)
    if getattr(form, "conflict", "") == "stale_version":
        form = refreshed(form, access.case.version)
    bound = {bound_key(key, record_id_posted(key, request.POST)): form}
    page_error = getattr(form, "page_error", "")
    origin = request.POST.get("origin", "case")
    if origin == "tasks" and SPECS[key].record in ("task", "measure"):
        ctx = tasks_context(request, bound=bound)
        template = "casework/tasks.html"
    elif origin == "approval" and rules.may_open_case_page(access, "approval"):
        ctx = approval_context(request, access, bound=bound)
        template = "casework/approval.html"
    else:
        ctx = case_context(request, access, bound=bound)
        template = "casework/case_detail.html"
    ctx["page_error"] = page_error
    return render(request, template, ctx, status=status)
