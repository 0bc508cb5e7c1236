"""The commune's triage queue (issue 12, item 2): every new report from any channel, urgent and
oldest first. Each report opens on its case page, where the offer model shows the triage actions
(accept = start verification, attach, transfer, reject = not eligible) with their forms."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from casework.errors import Conflict, NotFound, PermissionDenied, ValidationError
from casework.models import Child
from casework.views._common import login_required
from permissions.triage import may_import_registry, may_see_queue

from . import labels as L
from .duplicates import identifier_of, person_of, reveal_suggestions, suggestions_for, visible_children
from .matching import Match
from .models import ChildMerge
from .registry_import import registry_import
from .selectors import queue_row, triage_queue_for
from .services import child_merge, child_merge_undo

PAGE_SIZE = 25


@login_required
def queue(request):
    if not may_see_queue(request.user):
        raise PermissionDenied
    paginator = Paginator(triage_queue_for(request.user), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    now = timezone.now()
    rows = [queue_row(case, now) for case in page.object_list]
    return render(request, "triage/queue.html", {"rows": rows, "page": page, "total": paginator.count,
                                                 "may_import": may_import_registry(request.user)})


# ------------------------------------------------------------------ duplicate children


def _child_or_404(user, child_id) -> Child:
    child = visible_children(user).filter(pk=child_id).first() if str(child_id).isdigit() else None
    if child is None:
        raise Http404
    return child


def _shown_child(user, child, channel):
    shown = reveal_suggestions(user, [Match(1.0, [], person_of(child))], channel=channel)
    if not shown:
        raise Http404   # seen but not identified: nothing here is for this user
    return shown[0]


def _message(exc) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)


class MergeForm(forms.Form):
    merged_id = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=L.MERGE_REASON_LABEL, widget=forms.Textarea(attrs={"rows": 2}))


class UndoForm(forms.Form):
    reason = forms.CharField(label=L.UNDO_REASON_LABEL, widget=forms.Textarea(attrs={"rows": 2}))


@login_required
def child_duplicates(request, child_id):
    """A child's possible duplicates with the reasons, each shown logged as a read; merge one in."""
    user = request.user
    child = _child_or_404(user, child_id)
    form = MergeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            child_merge(actor=user, kept_id=child.pk, merged_id=form.cleaned_data["merged_id"],
                        reason=form.cleaned_data["reason"], reasons_shown=request.POST.getlist("reasons"))
        except NotFound:
            raise Http404 from None
        except (PermissionDenied, Conflict, ValidationError) as exc:
            messages.error(request, _message(exc))
        else:
            messages.success(request, L.MERGED_DONE)
            return redirect("triage:child_duplicates", child.pk)
    me = _shown_child(user, child, "duplicate_check")
    matches = suggestions_for(user, person_of(child, identifier_of(child)), exclude=[child.pk])
    suggestions = reveal_suggestions(user, matches, channel="duplicate_check")
    merges = (ChildMerge.objects.filter(Q(kept=child) | Q(merged=child)).select_related("merged_by", "undone_by")
              .order_by("-merged_at")[:20])
    return render(request, "triage/duplicates.html", {
        "me": me, "suggestions": suggestions, "merges": merges, "form": form, "undo_form": UndoForm()})


@login_required
@require_POST
def merge_undo(request, merge_id):
    merge = ChildMerge.objects.filter(pk=merge_id).first() if str(merge_id).isdigit() else None
    if merge is None or not visible_children(request.user).filter(pk=merge.kept_id).exists():
        raise Http404
    form = UndoForm(request.POST)
    if form.is_valid():
        try:
            child_merge_undo(actor=request.user, merge_id=merge.pk, reason=form.cleaned_data["reason"])
        except NotFound:
            raise Http404 from None
        except (PermissionDenied, Conflict) as exc:
            messages.error(request, _message(exc))
        else:
            messages.success(request, L.UNDONE_DONE)
    else:
        messages.error(request, L.GIVE_REASON)
    return redirect("triage:child_duplicates", merge.kept_id)


# ------------------------------------------------------------------ registry import (issue 12, item 4)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class RegistryImportForm(forms.Form):
    file = forms.FileField(label=_("Child list (CSV or XLSX)"), help_text=_(
        "One child per row; columns such as Họ và tên, Ngày sinh, Giới tính, Mã xã, Nhóm, Cha mẹ, Số định danh."))
    accept_duplicates = forms.BooleanField(label=_("Import even the rows marked as possibly the same child"),
                                           required=False)


def _content_type(data: bytes) -> str:
    # What the bytes are, not what the file name says: an XLSX is a zip archive.
    return XLSX if data[:4] == b"PK\x03\x04" else "text/csv"


@login_required
def registry_import_page(request):
    """Check a commune's child list (dry run), then import it, all or nothing: the row-by-row
    report in Vietnamese, likely duplicates against the registry and within the file."""
    if not may_import_registry(request.user):
        raise Http404
    report = None
    form = RegistryImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        try:
            report = registry_import(actor=request.user, data=data, content_type=_content_type(data),
                                     commit=request.POST.get("action") == "commit",
                                     accept_duplicates=form.cleaned_data["accept_duplicates"])
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("file", message)
    return render(request, "triage/registry_import.html", {"form": form, "report": report})
