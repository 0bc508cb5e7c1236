"""Report pages, in the "reports" namespace: {% url 'reports:report_detail' report.pk %}."""

from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("reports/", views.report_list, name="report_list"),
    path("reports/new/", views.report_new, name="report_new"),
    path("reports/<int:report_id>/", views.report_detail, name="report_detail"),
    path("reports/<int:report_id>/act/<slug:key>/", views.report_act, name="report_act"),
    path("reports/<int:report_id>/export/", views.report_export, name="report_export"),
    path("exports/<int:export_id>/", views.export, name="export"),
    # Decree 56 art. 30.3: a closed case's file for the national child database.
    path("cases/<int:case_id>/national-export/", views.national_export, name="national_export"),
]
