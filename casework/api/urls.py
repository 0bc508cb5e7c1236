"""Routes of the JSON API, mounted under /api/ by config.urls (which also serves the schema and docs)."""

from django.urls import path

from . import auth, views

app_name = "api"

urlpatterns = [
    path("auth/token/", auth.TokenView.as_view(), name="token"),
    path("me/", views.MeView.as_view(), name="me"),
    path("reference/areas/", views.AreaListView.as_view(), name="areas"),
    path("reference/organisations/", views.OrganisationListView.as_view(), name="organisations"),
    path("reference/terms/", views.TermListView.as_view(), name="terms"),
    path("cases/", views.CaseListView.as_view(), name="cases"),
    path("cases/<int:case_id>/", views.CaseDetailView.as_view(), name="case"),
    path("cases/<int:case_id>/timeline/", views.CaseTimelineView.as_view(), name="case-timeline"),
    path("cases/<int:case_id>/clocks/", views.CaseClocksView.as_view(), name="case-clocks"),
    path("cases/<int:case_id>/readers/", views.CaseReadersView.as_view(), name="case-readers"),
    path("cases/<int:case_id>/actions/", views.CaseActionsView.as_view(), name="case-actions"),
    # Every write: one route, one view class and one service each (views.WRITES).
    *[path(f"cases/<int:case_id>/{w.path}", views.write_view(w).as_view(), name=f"case-{w.name}")
      for w in views.WRITES],
]
