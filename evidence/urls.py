from django.urls import path

from . import views

app_name = "evidence"

urlpatterns = [
    path("cases/<int:case_id>/", views.case_files, name="evidence_files"),
    path("cases/<int:case_id>/attach/", views.attach, name="evidence_attach"),
    path("cases/<int:case_id>/files/<str:key>/", views.download, name="evidence_download"),
    path("cases/<int:case_id>/files/<str:key>/withdraw/", views.withdraw, name="evidence_withdraw"),
]
