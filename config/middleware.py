import time

from django.conf import settings
from django.contrib.sessions.exceptions import SessionInterrupted
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation import gettext as _


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    """Pages are Vietnamese unless the user chose English with the switch (language cookie).

    A browser set to English on a commune office PC must still show the Vietnamese forms; API
    clients keep choosing with Accept-Language.
    """

    def process_request(self, request):
        if request.path_info.startswith("/api/"):
            return super().process_request(request)
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class ApiErrorMiddleware:
    """Every answer under /api/ that is an error uses the API's one error model, in JSON.

    DRF's exception handler (``casework.api.errors``) covers the API views. This covers what
    happens around them: a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (refused before anything
    reads it: DRF's parsers read the stream without Django's size check), Django's own HTML
    answers (CSRF failure, bad host, 400/403/404/500 pages) and an unexpected exception, which
    still reaches Sentry and the log through Django's ``got_request_exception`` signal.
    """

    CODES = {400: "bad_request", 403: "permission_denied", 404: "not_found", 405: "method_not_allowed",
             413: "too_large", 415: "unsupported_media_type", 500: "server_error"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith("/api/"):
            return self.get_response(request)
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and request.content_type == "multipart/form-data":
            # File parts stream to disk, not memory: a multipart body may hold the largest
            # evidence file accepted (evidence.files.max_bytes) plus its form fields.
            limit = max(limit, getattr(settings, "EVIDENCE_MAX_BYTES", 10 * 1024 * 1024) + 64 * 1024)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if limit is not None and length > limit:
            # Refused before LocaleMiddleware has run: pick the language the same way.
            with translation.override(translation.get_language_from_request(request)):
                return self._json(413, _("The request body is too large (at most %(kb)s kB).")
                                  % {"kb": limit // 1024})
        response = self.get_response(request)
        if response.status_code >= 400 and not response.get("Content-Type", "").startswith("application/json"):
            return self._json(response.status_code, self._message(response.status_code))
        return response

    def process_exception(self, request, exception):
        if not request.path_info.startswith("/api/"):
            return None
        from config.faults import database_fault, fault_response

        if fault := database_fault(exception):
            return fault_response(request, fault, exception)   # 503 + Retry-After, not a 500
        from django.core import signals
        from django.core.exceptions import PermissionDenied, SuspiciousOperation
        from django.http import Http404

        if isinstance(exception, (Http404, PermissionDenied, SuspiciousOperation)):
            return None   # Django answers 404/403/400; __call__ turns the page into JSON
        # What Django's handler would do for an unhandled exception: tell Sentry and the log.
        signals.got_request_exception.send(sender=None, request=request)
        import logging

        logging.getLogger("django.request").error("Internal Server Error: %s", request.path, exc_info=exception)
        return self._json(500, self._message(500))

    def _message(self, status: int):
        return {
            400: _("The request is not valid."), 403: _("You do not have permission to perform this action."),
            404: _("Not found."), 405: _("This method is not allowed here."),
            413: _("The request body is too large."), 500: _("A server error occurred."),
        }.get(status, _("The request could not be handled."))

    def _json(self, status: int, detail) -> JsonResponse:
        from casework.errors import error_body

        return JsonResponse(error_body(detail, code=self.CODES.get(status, "error")), status=status,
                            json_dumps_params={"ensure_ascii": False})


class IdleSessionMiddleware(SessionMiddleware):
    """Sessions end after ``SESSION_COOKIE_AGE`` without activity, without a write per request.

    ``SESSION_SAVE_EVERY_REQUEST`` wrote the session row on every page, so a read-only database
    (maintenance, a standby) turned every signed-in page into a bare "Bad Request (400)". The
    expiry is now pushed forward at most once per ``REFRESH_SECONDS`` (idle expiry stays exact
    to that minute), and a refresh the database refuses as read-only is skipped: the page is
    still served. A database outage during the save is the 503 of ``config.faults``.
    """

    REFRESH_SECONDS = 60
    KEY = "_refreshed"

    def process_response(self, request, response):
        session = getattr(request, "session", None)
        if session is not None and session.accessed and not session.modified and not session.is_empty():
            now = int(time.time())
            if now - int(session.get(self.KEY, 0)) >= self.REFRESH_SECONDS:
                session[self.KEY] = now
        try:
            return super().process_response(request, response)
        except SessionInterrupted as exc:
            from config.faults import database_fault, fault_response

            fault = database_fault(exc)
            if fault == "read_only" and request.method in ("GET", "HEAD"):
                return response
            if fault:
                return fault_response(request, fault, exc)
            raise


class SecurityHeadersMiddleware:
    """A strict Content-Security-Policy and ``Cache-Control: no-store`` on every answer Django
    makes (static files are answered before this by WhiteNoise and keep their long cache).

    No inline script runs anywhere (the one script is static/js/app.js; the API docs use
    drf-spectacular's split Swagger view): a stored-XSS in a case note cannot execute. Inline
    *styles* stay allowed: the printable forms carry their page CSS inline for WeasyPrint.
    Commune offices share computers, and every page or API answer may hold a child's data, so no
    browser or proxy may keep a copy. An answer that set its own policy (an evidence download's
    sandbox) keeps it.
    """

    CSP = "; ".join([
        "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data:",
        "font-src 'self'", "connect-src 'self'", "object-src 'none'", "base-uri 'self'", "form-action 'self'",
        "frame-ancestors 'none'",
    ])

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.CSP)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = "no-store"
        return response
