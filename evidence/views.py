"""Pages of the evidence files: the list of a case's files with the upload form, the upload,
the download (logged) and the withdrawal. Thin: access first, then one service, then render."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from casework.errors import CaseNotFound, Conflict, NotFound, PermissionDenied, ValidationError
from casework.views._common import login_required

from . import services
from .forms import AttachForm, WithdrawForm
from .selectors import attachment_offers, attachments_for_case, parse_target

PAGE_SIZE = 25


def _access(request, case_id):
    try:
        return services.evidence_access(request.user, case_id)
    except CaseNotFound:
        raise Http404(_("Case not found.")) from None


def _page(request, access, *, form=None, status=200):
    page = Paginator(attachments_for_case(access), PAGE_SIZE).get_page(request.GET.get("page"))
    offers, rows = attachment_offers(access, page.object_list)
    attach = next((o for o in offers if o.key == "evidence_attach"), None)
    if form is None and attach is not None and attach.enabled:
        form = AttachForm(targets=attach.choices["targets"])
    return render(request, "evidence/case_files.html", {
        "case": access.case, "page": page, "rows": rows, "attach": attach, "form": form,
        "withdraw_form": WithdrawForm()}, status=status)


@login_required
@require_GET
def case_files(request, case_id):
    return _page(request, _access(request, case_id))


def _apply_errors(form, exc: ValidationError) -> None:
    for field, errors in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
        form.add_error(field if field in form.fields else None, errors)


@login_required
@require_POST
def attach(request, case_id):
    access = _access(request, case_id)   # before reading anything that was posted
    offers, _rows = attachment_offers(access, [])
    offer = next((o for o in offers if o.key == "evidence_attach"), None)
    if offer is None or not offer.enabled:
        raise PermissionDenied(offer.reason if offer else _("You may not attach files to this case."))
    form = AttachForm(request.POST, request.FILES, targets=offer.choices["targets"])
    if not form.is_valid():
        return _page(request, access, form=form, status=400)
    target, record_id = parse_target(form.cleaned_data["target"])
    try:
        services.attachment_add(actor=request.user, case_id=access.case.pk, upload=form.cleaned_data["file"],
                                target=target, record_id=record_id, description=form.cleaned_data["description"])
    except ValidationError as exc:
        _apply_errors(form, exc)
        return _page(request, access, form=form, status=400)
    except NotFound:
        raise Http404 from None
    messages.success(request, _("The file is attached; its fingerprint is on the timeline."))
    return redirect(reverse("evidence:evidence_files", args=[access.case.pk]))


def file_response(attachment, data: bytes) -> HttpResponse:
    """The bytes as a download that no browser renders in the site's origin."""
    response = HttpResponse(data, content_type=attachment.content_type)
    response["Content-Disposition"] = f'attachment; filename="{attachment.key[:12]}{_suffix(attachment)}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "no-store"
    return response


def _suffix(attachment) -> str:
    from .files import EXTENSIONS

    return EXTENSIONS.get(attachment.content_type, "")


@login_required
@require_GET
def download(request, case_id, key):
    access = _access(request, case_id)
    try:
        attachment, data = services.attachment_open(actor=request.user, case_id=access.case.pk, key=key)
    except NotFound:
        raise Http404 from None
    except Conflict as exc:
        return HttpResponse(exc.message, status=409, content_type="text/plain; charset=utf-8")
    return file_response(attachment, data)


@login_required
@require_POST
def withdraw(request, case_id, key):
    access = _access(request, case_id)
    form = WithdrawForm(request.POST)
    try:
        services.attachment_withdraw(actor=request.user, case_id=access.case.pk, key=key,
                                     reason=form.data.get("reason", ""))
    except NotFound:
        raise Http404 from None
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The file is withdrawn."))
    return redirect(reverse("evidence:evidence_files", args=[access.case.pk]))
