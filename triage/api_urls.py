from django.urls import path

from . import api

urlpatterns = [
    path("reports/", api.TriageQueueView.as_view(), name="triage-queue"),
]
