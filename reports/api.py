"""The reports API under /api/reports/: the same services and the same offer function as the pages.

Errors follow the project's one model (casework.api.errors): a report out of reach is a 404
exactly like a missing one; a figure for an area outside the user's scope is a 403.
"""

from __future__ import annotations

import datetime as dt

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.api.errors import ConflictSerializer, ErrorSerializer, Pagination, ValidationErrorSerializer
from casework.api.fields import enum_field
from casework.errors import PermissionDenied
from permissions.reports import can_view_figures

from . import selectors, services
from .indicators import UnknownIndicator, indicator_breakdown, indicator_value
from .models import (
    ExportFormat,
    ExportStatus,
    Indicator,
    Report,
    ReportExport,
    ReportKind,
    ReportStatus,
    ReportTheme,
    Unit,
)

E400 = OpenApiResponse(ValidationErrorSerializer, description=_("Invalid input; nothing was written."))
E403 = OpenApiResponse(ErrorSerializer, description=_("You may read the report but not do this."))
E404 = OpenApiResponse(ErrorSerializer, description=_("The report does not exist or is out of your reach."))
E409 = OpenApiResponse(ConflictSerializer, description=_("Not possible in the report's current state."))


class ReportOfferSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    allowed = serializers.BooleanField()
    reason = serializers.CharField()
    needs_reason = serializers.BooleanField()


class ReportSerializer(serializers.ModelSerializer):
    body = serializers.CharField(source="body.name")
    recipient = serializers.CharField(source="recipient.name", allow_null=True, default=None)
    status = enum_field(ReportStatus, "ReportStatus")
    kind = enum_field(ReportKind, "ReportKind")
    theme = enum_field(ReportTheme, "ReportTheme")

    class Meta:
        model = Report
        fields = ["id", "title", "kind", "theme", "body", "recipient", "period_start", "period_end", "due_on",
                  "status", "version", "sent_at", "received_at", "checksum"]


class ReportDetailSerializer(ReportSerializer):
    results = serializers.CharField()
    difficulties = serializers.CharField()
    proposals = serializers.CharField()
    return_reason = serializers.CharField()
    figures = serializers.JSONField(help_text=_("Live figures (draft) — aggregates only."))
    snapshot = serializers.JSONField(allow_null=True, help_text=_("What was sent, frozen; its SHA-256 is checksum."))
    actions = ReportOfferSerializer(many=True)

    class Meta(ReportSerializer.Meta):
        fields = [*ReportSerializer.Meta.fields, "results", "difficulties", "proposals", "return_reason",
                  "figures", "snapshot", "actions"]


class ReportDraftInput(serializers.Serializer):
    body_id = serializers.IntegerField()
    kind = enum_field(ReportKind, "ReportKind")
    year = serializers.IntegerField(required=False, allow_null=True)
    theme = enum_field(ReportTheme, "ReportTheme", required=False, default="")
    period_start = serializers.DateField(required=False, allow_null=True)
    period_end = serializers.DateField(required=False, allow_null=True)


class ReportNarrativeInput(serializers.Serializer):
    results = serializers.CharField(allow_blank=True)
    difficulties = serializers.CharField(allow_blank=True)
    proposals = serializers.CharField(allow_blank=True)
    version = serializers.IntegerField(required=False, allow_null=True)


class ReportReasonInput(serializers.Serializer):
    reason = serializers.CharField()


class ReportEmptyInput(serializers.Serializer):
    pass


class ReportExportInput(serializers.Serializer):
    format = enum_field(ExportFormat, "ExportFormat")


class ExportSerializer(serializers.ModelSerializer):
    format = enum_field(ExportFormat, "ExportFormat")
    status = enum_field(ExportStatus, "ExportStatus")
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ReportExport
        fields = ["id", "format", "status", "progress", "suppressed", "filename", "download_url"]

    def get_download_url(self, obj) -> str | None:
        return reverse("reports:export", args=[obj.pk]) + "?download=1" if obj.status == "done" else None


class IndicatorSerializer(serializers.ModelSerializer):
    unit = enum_field(Unit, "IndicatorUnit")
    class Meta:
        model = Indicator
        fields = ["code", "name_vi", "name_en", "definition", "unit", "disaggregations", "source"]


class ReportFigureSerializer(serializers.Serializer):
    code = serializers.CharField()
    area_path = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    value = serializers.CharField(allow_null=True)
    breakdown = serializers.ListField(child=serializers.DictField())


def _detail(request, report, caps) -> dict:
    data = ReportSerializer(report).data
    data.update({"results": report.results, "difficulties": report.difficulties, "proposals": report.proposals,
                 "return_reason": report.return_reason, "figures": report.figures, "snapshot": report.snapshot,
                 "actions": [ReportOfferSerializer(o).data for o in selectors.report_offers(request.user, report, caps)]})
    return data


class ReportPageSerializer(serializers.Serializer):
    """One page of reports, as every list of the API answers (issue 12: the schema said a bare array)."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = ReportSerializer(many=True)


class ReportListView(APIView):
    @extend_schema(operation_id="reports_list", summary=_("Reports the user may read"), responses={200: ReportPageSerializer},
                   parameters=[OpenApiParameter("page", int, required=False)], tags=["reports"])
    def get(self, request):
        # The project's pagination: a page that is not one is a 400 in the error model, not a 404.
        paginator = Pagination()
        page = paginator.paginate_queryset(selectors.report_list_for_user(request.user), request, view=self)
        return paginator.get_paginated_response(ReportSerializer(page, many=True).data)

    @extend_schema(summary=_("Draft a report from live data"), request=ReportDraftInput,
                   responses={201: ReportDetailSerializer, 400: E400, 403: E403, 409: E409}, tags=["reports"])
    def post(self, request):
        body = ReportDraftInput(data=request.data)
        body.is_valid(raise_exception=True)
        report = services.report_draft_create(actor=request.user, **body.validated_data)
        report, caps = services.access_report_by_id(request.user, report.pk)
        return Response(_detail(request, report, caps), status=status.HTTP_201_CREATED)


class ReportDetailView(APIView):
    @extend_schema(summary=_("A report: figures, narrative, snapshot and the actions offered"),
                   responses={200: ReportDetailSerializer, 404: E404}, tags=["reports"])
    def get(self, request, report_id):
        report, caps = services.access_report_by_id(request.user, report_id)
        return Response(_detail(request, report, caps))


def action_view(name: str, summary, body_serializer, call):
    class View(APIView):
        @extend_schema(summary=summary, request=body_serializer,
                       responses={200: ReportDetailSerializer, 400: E400, 403: E403, 404: E404, 409: E409},
                       tags=["reports"], operation_id=f"reports_{name.replace('-', '_')}")
        def post(self, request, report_id):
            services.access_report_by_id(request.user, report_id)   # 404 before reading the body
            body = body_serializer(data=request.data)
            body.is_valid(raise_exception=True)
            call(request.user, report_id, body.validated_data)
            report, caps = services.access_report_by_id(request.user, report_id)
            return Response(_detail(request, report, caps))

    View.__name__ = f"Report{name.title().replace('-', '')}View"
    return View


ACTIONS = [
    ("refresh", _("Refresh the draft's figures"), ReportEmptyInput,
     lambda u, r, d: services.report_refresh(actor=u, report_id=r)),
    ("narrative", _("Save the narrative"), ReportNarrativeInput,
     lambda u, r, d: services.report_narrative_save(actor=u, report_id=r, results=d["results"],
                                                    difficulties=d["difficulties"], proposals=d["proposals"],
                                                    expected_version=d.get("version"))),
    ("submit", _("Submit for signature"), ReportEmptyInput, lambda u, r, d: services.report_submit(actor=u, report_id=r)),
    ("send-back", _("Send back to the drafter"), ReportReasonInput,
     lambda u, r, d: services.report_send_back(actor=u, report_id=r, reason=d["reason"])),
    ("sign", _("Sign"), ReportEmptyInput, lambda u, r, d: services.report_sign(actor=u, report_id=r)),
    ("send", _("Send to the body above (freezes the figures)"), ReportEmptyInput,
     lambda u, r, d: services.report_send(actor=u, report_id=r)),
    ("receive", _("Acknowledge receipt"), ReportEmptyInput, lambda u, r, d: services.report_receive(actor=u, report_id=r)),
    ("return", _("Return for a supplement"), ReportReasonInput,
     lambda u, r, d: services.report_return(actor=u, report_id=r, reason=d["reason"])),
]


class ReportExportsView(APIView):
    @extend_schema(summary=_("Queue an export (XLSX, CSV, PDF)"), request=ReportExportInput,
                   responses={202: ExportSerializer, 400: E400, 404: E404}, tags=["reports"])
    def post(self, request, report_id):
        services.access_report_by_id(request.user, report_id)
        body = ReportExportInput(data=request.data)
        body.is_valid(raise_exception=True)
        export = services.report_export_request(actor=request.user, report_id=report_id, **body.validated_data)
        export.refresh_from_db()
        return Response(ExportSerializer(export).data, status=status.HTTP_202_ACCEPTED)


class ExportView(APIView):
    @extend_schema(summary=_("An export's progress and, when ready, its download link"),
                   responses={200: ExportSerializer, 404: E404}, tags=["reports"])
    def get(self, request, export_id):
        from casework.errors import NotFound

        export = ReportExport.objects.filter(pk=export_id, requested_by=request.user).defer("content").first()
        if export is None:
            raise NotFound
        services.access_report_by_id(request.user, export.report_id)
        return Response(ExportSerializer(export).data)


class IndicatorListView(APIView):
    @extend_schema(summary=_("The indicator definitions"), responses={200: IndicatorSerializer(many=True)},
                   tags=["reports"])
    def get(self, request):
        return Response(IndicatorSerializer(Indicator.objects.filter(active=True), many=True).data)


class FigureView(APIView):
    @extend_schema(
        summary=_("One indicator for an area subtree and a period, optionally broken down"),
        parameters=[OpenApiParameter("code", str, required=True), OpenApiParameter("area_path", str, required=True),
                    OpenApiParameter("start", dt.date, required=True), OpenApiParameter("end", dt.date, required=True),
                    OpenApiParameter("by", str, many=True, required=False)],
        responses={200: ReportFigureSerializer, 400: E400, 403: E403}, tags=["reports"])
    def get(self, request):
        from casework.errors import ValidationError

        q = request.query_params
        code, path_ = q.get("code", ""), q.get("area_path", "")
        try:
            start, end = dt.date.fromisoformat(q.get("start", "")), dt.date.fromisoformat(q.get("end", ""))
        except ValueError:
            raise ValidationError({"start": [str(_("Give start and end as YYYY-MM-DD."))]}) from None
        if not path_.startswith("/") or not can_view_figures(request.user, path_):
            raise PermissionDenied(_("You may not see the figures of this area."))
        try:
            value = indicator_value(code, area_path=path_, start=start, end=end)
            rows = indicator_breakdown(code, area_path=path_, start=start, end=end, by=q.getlist("by"))
        except UnknownIndicator:
            raise ValidationError({"code": [str(_("Unknown indicator."))]}) from None
        return Response({"code": code, "area_path": path_, "start": start, "end": end,
                         "value": None if value is None else str(value),
                         "breakdown": [{k: (str(v) if v is not None and not isinstance(v, (int, str, bool)) else v)
                                        for k, v in r.items()} for r in rows]})


urlpatterns = [
    path("", ReportListView.as_view(), name="reports"),
    path("indicators/", IndicatorListView.as_view(), name="report-indicators"),
    path("figures/", FigureView.as_view(), name="report-figures"),
    path("exports/<int:export_id>/", ExportView.as_view(), name="report-export"),
    path("<int:report_id>/", ReportDetailView.as_view(), name="report"),
    path("<int:report_id>/exports/", ReportExportsView.as_view(), name="report-exports"),
    *[path(f"<int:report_id>/{name}/", action_view(name, summary, body, call).as_view(), name=f"report-{name}")
      for name, summary, body, call in ACTIONS],
]
