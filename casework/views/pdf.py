"""HTML → PDF with WeasyPrint, which needs Pango from the operating system (Debian:
libpango-1.0-0, libpangoft2-1.0-0). Without it the user gets a page that says so and offers
the printable HTML, never a 500."""

from __future__ import annotations

import logging

from django.http import HttpResponse
from django.shortcuts import render

log = logging.getLogger(__name__)


class PdfUnavailable(Exception):
    pass


def load_weasyprint():
    """The HTML class of WeasyPrint; PdfUnavailable when it or Pango cannot be loaded."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # OSError: "cannot load library 'libpango-1.0-0'"
        raise PdfUnavailable(type(exc).__name__) from exc
    return HTML


def html_to_pdf(html: str, base_url: str | None = None) -> bytes:
    HTML = load_weasyprint()
    return HTML(string=html, base_url=base_url).write_pdf()


def pdf_response(request, html: str, filename: str, *, html_url: str):
    try:
        data = html_to_pdf(html, base_url=request.build_absolute_uri("/"))
    except PdfUnavailable as exc:
        # No child data in this line: only the kind of failure.
        log.warning("PDF unavailable: %s", exc)
        return render(request, "casework/pdf_unavailable.html", {"html_url": html_url}, status=503)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
