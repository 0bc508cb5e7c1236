"""Pages of the files on a prevention activity, a reported target value or a periodic report:
the list with the upload form and the file log, the upload, the download (logged) and the
withdrawal. Thin: the record's access first, then one service, then render."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from casework.errors import Conflict, NotFound, ValidationError
from casework.views._common import login_required
from permissions import evidence as rules

from . import records
from .forms import RecordAttachForm
from .models import OwnerKind
from .selectors import record_file_events, record_file_rows, record_files, record_offers
from .views import file_response

PAGE_SIZE = 25


def _access(request, owner, record_id):
    if owner not in OwnerKind.values:
        raise Http404
    try:
        access = records.record_access(request.user, owner, record_id)
    except NotFound:
        raise Http404(_("Not found.")) from None
    return access


def _back(access) -> str:
    if access.owner == OwnerKind.ACTIVITY:
        return reverse("prevention:activity", args=[access.record.pk])
    if access.owner == OwnerKind.REPORT:
        return reverse("reports:report_detail", args=[access.record.pk])
    return ""


def _page(request, access, *, form=None, status=200):
    offers = record_offers(request.user, access)
    if not rules.record_files_open(access.reader, offers):
        raise Http404(_("Not found."))
    page = Paginator(record_files(access), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = record_file_rows(request.user, access, page.object_list)
    attach = next((o for o in offers if o.key == "record_file_attach"), None)
    if form is None and attach is not None and attach.enabled:
        form = RecordAttachForm()
    events = record_file_events(access)[:PAGE_SIZE * 4] if access.reader is not None else []
    return render(request, "evidence/record_files.html", {
        "access": access, "record": access.record, "owner_label": OwnerKind(access.owner).label,
        "back": _back(access), "page": page, "rows": rows, "attach": attach, "form": form, "events": events},
        status=status)


@login_required
@require_GET
def record_files_page(request, owner, record_id):
    return _page(request, _access(request, owner, record_id))


@login_required
@require_POST
def record_attach(request, owner, record_id):
    access = _access(request, owner, record_id)    # before reading anything that was posted
    form = RecordAttachForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, access, form=form, status=400)
    try:
        records.record_file_add(actor=request.user, owner=owner, record_id=access.record.pk,
                                upload=form.cleaned_data["file"], description=form.cleaned_data["description"])
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return _page(request, access, form=form, status=400)
    messages.success(request, _("The file is attached; its fingerprint is in the file log."))
    return redirect(reverse("evidence:record_files", args=[owner, access.record.pk]))


@login_required
@require_GET
def record_download(request, key):
    try:
        file, data = records.record_file_open(actor=request.user, key=key)
    except NotFound:
        raise Http404(_("Not found.")) from None
    except Conflict as exc:
        from django.http import HttpResponse

        return HttpResponse(exc.message, status=409, content_type="text/plain; charset=utf-8")
    return file_response(file, data)


@login_required
@require_POST
def record_withdraw(request, key):
    try:
        file = records.record_file_withdraw(actor=request.user, key=key, reason=request.POST.get("reason", ""))
    except NotFound:
        raise Http404(_("Not found.")) from None
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        file = records.RecordFile.objects.get(key=key)
    else:
        messages.success(request, _("The file is withdrawn."))
    return redirect(reverse("evidence:record_files", args=[file.owner, file.owner_id]))
