from django.urls import path

from . import record_views, views

app_name = "evidence"

urlpatterns = [
    path("cases/<int:case_id>/", views.case_files, name="evidence_files"),
    path("cases/<int:case_id>/attach/", views.attach, name="evidence_attach"),
    path("cases/<int:case_id>/files/<str:key>/", views.download, name="evidence_download"),
    path("cases/<int:case_id>/files/<str:key>/withdraw/", views.withdraw, name="evidence_withdraw"),
    # Files of records without a case: a prevention activity, a reported target value, a report.
    path("records/<slug:owner>/<int:record_id>/", record_views.record_files_page, name="record_files"),
    path("records/<slug:owner>/<int:record_id>/attach/", record_views.record_attach, name="record_attach"),
    path("files/<str:key>/", record_views.record_download, name="record_download"),
    path("files/<str:key>/withdraw/", record_views.record_withdraw, name="record_withdraw"),
]
