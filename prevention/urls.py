"""The prevention pages, mounted at /prevention/ ("prevention" namespace).

The permission matrix lists every page by its bare name, so none of these reuses a casework
name ("plan_edit", "tasks" are the case plan's and the case tasks')."""

from django.urls import path

from . import views

app_name = "prevention"

urlpatterns = [
    path("", views.plan_list, name="plans"),
    path("plans/new/", views.plan_start, name="plan_start"),
    path("plans/<int:plan_id>/", views.plan_detail, name="plan"),
    path("plans/<int:plan_id>/edit/", views.plan_edit, name="plan_change"),
    path("plans/<int:plan_id>/act/<slug:action>/", views.plan_act, name="plan_act"),
    path("plans/<int:plan_id>/targets/new/", views.target_edit, name="target_new"),
    path("plans/<int:plan_id>/targets/<int:target_id>/", views.target_edit, name="target_edit"),
    path("plans/<int:plan_id>/targets/<int:target_id>/report/", views.target_report, name="target_report"),
    path("plans/<int:plan_id>/tasks/new/", views.task_assign, name="task_assign"),
    path("plans/<int:plan_id>/print/", views.plan_print, name="plan_print"),
    path("plans/<int:plan_id>/print.pdf", views.plan_print_pdf, name="plan_print_pdf"),
    path("tasks/", views.task_list, name="plan_tasks"),
    path("tasks/<int:task_id>/act/", views.task_act, name="task_act"),
    path("activities/", views.activity_list, name="activities"),
    path("activities/new/", views.activity_new, name="activity_new"),
    path("activities/<int:activity_id>/", views.activity_detail, name="activity"),
    path("evidence/<str:key>/", views.evidence_download, name="evidence"),
    path("population/", views.population, name="population"),
    path("registry/", views.registry_list, name="registry"),
    path("registry/new/", views.registry_new, name="registry_new"),
    path("registry/<int:entry_id>/", views.registry_detail, name="entry"),
    path("watch/<int:watch_id>/act/<slug:action>/", views.watch_act, name="watch_act"),
]

