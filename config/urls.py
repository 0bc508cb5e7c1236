from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from casework.api.errors import api_not_found
from casework.api.views import RedocView

# A database outage or a read-only database is a 503 the user can act on (config/faults.py).
handler500 = "config.faults.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("account/", include("permissions.urls")),
    # OpenAPI 3 document and its two readers; the UIs load their assets from the sidecar
    # package through /static/, never from a CDN.
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file: no inline script (CSP).
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", RedocView.as_view(url_name="schema"), name="redoc"),
    path("api/reports/", include("reports.api")),
    path("api/prevention/", include("prevention.api_urls")),
    path("api/notifications/", include("notifications.api")),
    path("api/integrations/", include("integrations.urls")),
    path("api/cases/<int:case_id>/attachments/", include("evidence.api")),
    path("api/evidence/", include("evidence.record_api")),
    path("api/triage/", include("triage.api_urls")),
    path("api/", include("casework.api.urls")),
    # Last: any other /api/ path is a JSON 404 (not the HTML page, not an APPEND_SLASH redirect
    # that would drop a POST body).
    re_path(r"^api/", api_not_found),
    path("reporting/", include("reports.urls")),
    path("prevention/", include("prevention.urls")),
    path("notifications/", include("notifications.urls")),
    path("evidence/", include("evidence.urls")),
    path("triage/", include("triage.urls")),
    # The web pages (issue 4).
    path("", include("casework.urls")),
]
