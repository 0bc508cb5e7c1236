"""Report pages (server-rendered, Vietnamese first). Thin: parse → one service → render.

An unseen report is a 404 exactly like a missing one, checked before any input is read.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework.errors import Conflict, NotFound, PermissionDenied, ValidationError
from casework.views._common import login_required
from permissions.reports import drafting_bodies

from . import selectors, services
from .exports import CONTENT_TYPES
from .forms import NarrativeForm, ReasonForm, ReportNewForm
from .models import ExportFormat, ExportStatus, ReportExport, ReportStatus

PAGE_SIZE = 25


def _report_or_404(user, report_id):
    try:
        return services.access_report_by_id(user, report_id)
    except NotFound:
        raise Http404(_("Report not found.")) from None


def _year(request) -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    raw = request.GET.get("year", "")
    if raw.isdigit() and 2000 <= int(raw) < today.year:
        return dt.date(int(raw), 1, 1), dt.date(int(raw), 12, 31)
    return selectors.year_to_date(today)


@login_required
def dashboard(request):
    user = request.user
    start, end = _year(request)
    page = request.GET.get("page") or 1
    ctx = {
        "start": start, "end": end,
        "officer": selectors.officer_dashboard(user),
        "chair": selectors.chair_dashboard(user),
        "supervisor": selectors.supervisor_dashboard(user, start=start, end=end, page=page),
        "school": selectors.school_dashboard(user, start=start, end=end),
        "incoming": list(selectors.incoming_reports(user)[:10]),
        "years": list(range(timezone.localdate().year, timezone.localdate().year - 5, -1)),
    }
    return render(request, "reports/dashboard.html", ctx)


@login_required
def report_list(request):
    user = request.user
    qs = selectors.report_list_for_user(user)
    status = request.GET.get("status", "")
    if status in ReportStatus.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    bodies = drafting_bodies(user)
    return render(request, "reports/report_list.html", {
        "page": page, "rows": page.object_list, "statuses": ReportStatus.choices, "status": status,
        "form": ReportNewForm(bodies=bodies, initial={"year": timezone.localdate().year}) if bodies else None,
    })


@login_required
@require_POST
def report_new(request):
    bodies = drafting_bodies(request.user)
    if not bodies:
        raise DjangoPermissionDenied
    form = ReportNewForm(request.POST, bodies=bodies)
    if form.is_valid():
        d = form.cleaned_data
        try:
            report = services.report_draft_create(
                actor=request.user, body_id=d["body_id"], kind=d["kind"], year=d["year"], theme=d["theme"] or "",
                period_start=d["period_start"], period_end=d["period_end"])
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except Conflict as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Report drafted from live data."))
            return redirect("reports:report_detail", report.pk)
    page = Paginator(selectors.report_list_for_user(request.user), PAGE_SIZE).get_page(1)
    return render(request, "reports/report_list.html", {
        "page": page, "rows": page.object_list, "statuses": ReportStatus.choices, "status": "", "form": form,
    }, status=400)


def detail_context(request, report, caps, *, narrative=None, reason_forms=None):
    from .exports import build_table
    from permissions.reports import output_leaves_commune

    suppress = output_leaves_commune(request.user, report)
    return {
        "report": report, "caps": caps, "offers": selectors.report_offers(request.user, report, caps),
        "narrative": narrative or (NarrativeForm(initial={
            "version": report.version, "results": report.results, "difficulties": report.difficulties,
            "proposals": report.proposals}) if selectors.can_edit_narrative(caps, report) else None),
        "reason_forms": reason_forms or {},
        "table": build_table(report, suppress=suppress),
        "events": report.events.select_related("actor").order_by("at", "pk"),
        "exports": ReportExport.objects.filter(report=report, requested_by=request.user).defer("content")[:5],
        "formats": ExportFormat.choices, "frozen": report.frozen,
        "sections": (report.snapshot["figures"] if report.snapshot else report.figures).get("sections", {}),
    }


@login_required
def report_detail(request, report_id):
    report, caps = _report_or_404(request.user, report_id)
    return render(request, "reports/report_detail.html", detail_context(request, report, caps))


@login_required
@require_POST
def report_act(request, report_id, key):
    report, caps = _report_or_404(request.user, report_id)   # access first, whatever was posted
    user = request.user
    handlers = {
        "refresh": lambda: services.report_refresh(actor=user, report_id=report.pk),
        "submit": lambda: services.report_submit(actor=user, report_id=report.pk),
        "sign": lambda: services.report_sign(actor=user, report_id=report.pk),
        "send": lambda: services.report_send(actor=user, report_id=report.pk),
        "receive": lambda: services.report_receive(actor=user, report_id=report.pk),
        "send_back": lambda: services.report_send_back(actor=user, report_id=report.pk,
                                                       reason=request.POST.get("reason", "")),
        "return": lambda: services.report_return(actor=user, report_id=report.pk,
                                                 reason=request.POST.get("reason", "")),
    }
    narrative = None
    if key == "narrative":
        narrative = NarrativeForm(request.POST)
        if narrative.is_valid():
            d = narrative.cleaned_data
            handlers["narrative"] = lambda: services.report_narrative_save(
                actor=user, report_id=report.pk, results=d["results"], difficulties=d["difficulties"],
                proposals=d["proposals"], expected_version=d["version"])
        else:
            handlers["narrative"] = None
    if key not in handlers:
        raise Http404
    error, status = "", 400
    try:
        if handlers[key] is None:
            raise ValidationError(_("Check the form."))
        handlers[key]()
    except PermissionDenied as exc:
        error, status = str(exc) or _("You are not allowed to do this on this report."), 403
    except Conflict as exc:
        error, status = str(exc.message), 409
    except ValidationError as exc:
        error = " ".join(m for ms in getattr(exc, "message_dict", {"": exc.messages}).values() for m in ms)
    else:
        messages.success(request, _("Saved."))
        return redirect("reports:report_detail", report.pk)
    report, caps = _report_or_404(request.user, report_id)
    ctx = detail_context(request, report, caps, narrative=narrative if key == "narrative" else None,
                         reason_forms={key: ReasonForm(request.POST)} if key in ("return", "send_back") else None)
    ctx["page_error"] = error
    return render(request, "reports/report_detail.html", ctx, status=status)


@login_required
@require_POST
def report_export(request, report_id):
    report, _caps = _report_or_404(request.user, report_id)
    try:
        export = services.report_export_request(actor=request.user, report_id=report.pk,
                                                format=request.POST.get("format", ""))
    except ValidationError:
        messages.error(request, _("Choose XLSX, CSV or PDF."))
        return redirect("reports:report_detail", report.pk)
    return redirect("reports:export", export.pk)


@login_required
def export(request, export_id):
    """The file when ready; until then a page that refreshes itself with the progress."""
    found = ReportExport.objects.filter(pk=export_id if str(export_id).isdigit() else 0,
                                        requested_by=request.user).select_related("report").first()
    if found is None:
        raise Http404(_("Not found."))
    _report_or_404(request.user, found.report_id)   # still allowed to read the report
    if found.status == ExportStatus.DONE and request.GET.get("download") == "1":
        response = HttpResponse(bytes(found.content), content_type=CONTENT_TYPES[found.format])
        response["Content-Disposition"] = f'attachment; filename="{found.filename}"'
        response["Cache-Control"] = "no-store"
        return response
    return render(request, "reports/export.html", {
        "export": found, "download_url": reverse("reports:export", args=[found.pk]) + "?download=1"})


@login_required
@require_POST
def national_export(request, case_id):
    """Art. 30.3: a closed case's file as JSON for the national child database (a download)."""
    import json

    from casework.errors import CaseNotFound

    from .national import case_national_export

    try:
        result = case_national_export(actor=request.user, case_id=case_id)
    except CaseNotFound:
        raise Http404(_("Not found.")) from None
    except PermissionDenied as exc:
        raise DjangoPermissionDenied(str(exc)) from None
    except Conflict as exc:
        return HttpResponse(str(exc.message), status=409, content_type="text/plain; charset=utf-8")
    body = json.dumps(result["document"], ensure_ascii=False, indent=2).encode("utf-8")
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="csdl-tre-em-{result["document"]["case"]["code"]}.json"'
    response["X-Content-SHA256"] = result["sha256"]
    response["Cache-Control"] = "no-store"
    return response
