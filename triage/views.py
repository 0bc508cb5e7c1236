"""The commune's triage queue (issue 12, item 2): every new report from any channel, urgent and
oldest first. Each report opens on its case page, where the offer model shows the triage actions
(accept = start verification, attach, transfer, reject = not eligible) with their forms."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from casework.views._common import login_required
from permissions.triage import may_see_queue

from .selectors import queue_row, triage_queue_for

PAGE_SIZE = 25


@login_required
def queue(request):
    if not may_see_queue(request.user):
        raise PermissionDenied
    paginator = Paginator(triage_queue_for(request.user), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    now = timezone.now()
    rows = [queue_row(case, now) for case in page.object_list]
    return render(request, "triage/queue.html", {"rows": rows, "page": page, "total": paginator.count})
