from django.urls import path

from . import views

app_name = "triage"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("children/<int:child_id>/duplicates/", views.child_duplicates, name="child_duplicates"),
    path("merges/<int:merge_id>/undo/", views.merge_undo, name="merge_undo"),
    path("registry-import/", views.registry_import_page, name="registry_import"),
]
