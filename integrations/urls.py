from django.urls import path

from . import api

urlpatterns = [
    path("reports/", api.ReportCreateView.as_view(), name="integrations-report-create"),
    path("reports/<int:report_id>/", api.ReportStatusView.as_view(), name="integrations-report-status"),
]
