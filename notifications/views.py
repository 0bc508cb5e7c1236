"""The inbox pages: the user's notices (filters, mark read) and how they hear of events."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework.models import CaseEventType
from casework.views._common import login_required

from .channels import clock_label
from .models import EmailChoice
from .selectors import FILTERS, email_choice_for_user, notice_list_for_user
from .services import notices_mark_read, preference_set

PAGE_SIZE = 25


@login_required
def inbox(request):
    unread = request.GET.get("show") == "unread"
    kind = request.GET.get("kind", "")
    kind = kind if kind in FILTERS else ""
    page = Paginator(notice_list_for_user(request.user, unread=unread, kind=kind), PAGE_SIZE).get_page(
        request.GET.get("page"))
    for note in page.object_list:
        data = note.event.data or {}
        note.clock = clock_label(data["clock"]) if data.get("clock") else ""
        note.alarm = note.event.type in (CaseEventType.DEADLINE_BREACHED, CaseEventType.DEADLINE_ESCALATED)
    params = urlencode({k: v for k, v in (("show", "unread" if unread else ""), ("kind", kind)) if v})
    return render(request, "notifications/inbox.html", {
        "page": page, "notes": page.object_list, "unread": unread, "kind": kind, "params": params,
        "filters": [("", _("Everything")), ("deadlines", _("Deadlines")), ("emergencies", _("Emergencies"))],
        "email_choice": email_choice_for_user(request.user), "email_choices": EmailChoice.choices,
    })


@login_required
@require_POST
def inbox_read(request):
    everything = request.POST.get("all") == "1"
    try:
        notices_mark_read(actor=request.user, ids=request.POST.getlist("id"), everything=everything)
    except ValidationError:
        messages.error(request, _("Nothing was marked: the notice numbers were not valid."))
    return redirect(_back(request))


@login_required
@require_POST
def inbox_preferences(request):
    try:
        preference_set(actor=request.user, email=request.POST.get("email", ""))
    except ValidationError:
        messages.error(request, _("Choose one of the offered values."))
    else:
        messages.success(request, _("Your e-mail choice is saved."))
    return redirect("notifications:inbox")


def _back(request) -> str:
    from django.urls import reverse
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("notifications:inbox")
