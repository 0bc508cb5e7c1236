"""Routes of the prevention API, mounted at /api/prevention/ by config.urls."""

from django.urls import path

from . import api

app_name = "prevention-api"

urlpatterns = [
    path("plans/", api.PlanListView.as_view(), name="prevention-plans"),
    path("plans/<int:plan_id>/", api.PlanDetailView.as_view(), name="prevention-plan"),
    path("plans/<int:plan_id>/act/", api.PlanActionView.as_view(), name="prevention-plan-act"),
    path("tasks/", api.TaskListView.as_view(), name="prevention-tasks"),
    path("tasks/<int:task_id>/move/", api.TaskMoveView.as_view(), name="prevention-task-move"),
    path("activities/", api.ActivityListView.as_view(), name="prevention-activities"),
    path("registry/", api.RegistryListView.as_view(), name="prevention-registry"),
    path("watch/<int:watch_id>/raise/", api.WatchRaiseView.as_view(), name="prevention-watch-raise"),
]
