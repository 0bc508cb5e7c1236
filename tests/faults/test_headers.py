"""Production settings (issue 13, item 3): a strict CSP with no inline script, no-store on every
answer that may hold a child's data, static files by WhiteNoise with their own caching."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from config.middleware import SecurityHeadersMiddleware

ROOT = Path(settings.BASE_DIR)


def test_no_template_carries_an_inline_script_or_handler():
    offenders = []
    for path in ROOT.glob("**/templates/**/*.html"):
        if ".venv" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(r"\son[a-z]+\s*=", text, re.I) \
                or "javascript:" in text:
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_the_policy_forbids_inline_scripts():
    csp = SecurityHeadersMiddleware.CSP
    script = next(d for d in csp.split("; ") if d.startswith("script-src"))
    assert script == "script-src 'self'" and "object-src 'none'" in csp and "frame-ancestors 'none'" in csp


@pytest.mark.django_db
def test_pages_and_api_answers_are_not_stored_and_carry_the_policy(client, world, open_case):
    case = open_case()
    client.force_login(world.users["officer_a"])
    api = APIClient()
    api.force_authenticate(world.users["officer_a"])
    for response in (client.get("/login/"), client.get(f"/cases/{case.pk}/"), client.get("/cases/"),
                     api.get(f"/api/cases/{case.pk}/"), api.get("/api/cases/"), api.get("/api/cases/999999/")):
        assert "no-store" in response["Cache-Control"], response
        assert response["Content-Security-Policy"] == SecurityHeadersMiddleware.CSP


def test_static_files_come_from_whitenoise_with_their_own_caching(client, db):
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in settings.MIDDLEWARE
    response = client.get("/static/js/app.js")
    assert response.status_code == 200 and "no-store" not in response.get("Cache-Control", "")
