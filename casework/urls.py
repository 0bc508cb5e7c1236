"""Server-rendered pages. Names live in the "web" namespace: {% url 'web:case' case.pk %}."""

from django.urls import include, path

from .views import act, auth, case, intake, lists, plan, printing, timeline

app_name = "web"

urlpatterns = [
    path("", lists.home, name="home"),
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    # Django's set_language view: POST language=vi|en, next=…
    path("i18n/", include("django.conf.urls.i18n")),
    # Work lists
    path("work/", lists.worklist, name="worklist"),
    path("cases/", lists.case_list, name="cases"),
    path("cases/export.xlsx", lists.case_list_export, name="cases_export"),
    path("reports/", lists.my_reports, name="my_reports"),
    path("tasks/", lists.my_tasks, name="tasks"),
    path("approvals/", lists.approvals, name="approvals"),
    path("area/", lists.area_overview, name="area"),
    # Journey A: form 01 in three screens
    path("cases/new/", intake.intake_start, name="intake_start"),
    path("cases/new/<str:token>/<int:step>/", intake.intake_step, name="intake_step"),
    # Journey B: the case and its actions
    path("cases/<int:case_id>/", case.case_detail, name="case"),
    path("cases/<int:case_id>/act/<slug:key>/", act.case_act, name="case_act"),
    path("cases/<int:case_id>/plan/", plan.plan_edit, name="plan_edit"),
    path("cases/<int:case_id>/approval/", case.case_approval, name="approval"),
    # Journey C: the timeline
    path("cases/<int:case_id>/timeline/", timeline.timeline, name="timeline"),
    path("cases/<int:case_id>/timeline.pdf", timeline.timeline_pdf, name="timeline_pdf"),
    # Printable forms 01–07
    path("cases/<int:case_id>/forms/<str:number>/", printing.print_form, name="print_form"),
    path("cases/<int:case_id>/forms/<str:number>.pdf", printing.print_form_pdf, name="print_form_pdf"),
]
