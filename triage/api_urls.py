from django.urls import path

from . import api

urlpatterns = [
    path("reports/", api.TriageQueueView.as_view(), name="triage-queue"),
    path("children/<int:child_id>/duplicates/", api.ChildDuplicatesView.as_view(), name="triage-child-duplicates"),
    path("merges/", api.ChildMergeView.as_view(), name="triage-child-merge"),
    path("merges/<int:merge_id>/undo/", api.ChildMergeUndoView.as_view(), name="triage-child-merge-undo"),
]
