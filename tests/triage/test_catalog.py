"""The triage app's own Vietnamese catalog is complete (same approach as tests/i18n)."""

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from tests.i18n.test_catalog import entries

PO = Path(settings.BASE_DIR) / "triage" / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def test_committed_catalog_has_no_gaps():
    missing = [m for m, s, f in entries(PO.read_text(encoding="utf-8")) if not s or "fuzzy" in f]
    assert not missing, missing[:20]


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs gettext (CI installs it)")
def test_every_marked_string_of_the_app_is_translated(tmp_path, monkeypatch):
    shutil.copytree(Path(settings.BASE_DIR) / "triage", tmp_path / "triage",
                    ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.chdir(tmp_path / "triage")
    call_command("makemessages", locale=["vi"], verbosity=0)
    fresh = (tmp_path / "triage" / "locale" / "vi" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    missing = [m for m, s, f in entries(fresh) if not s or "fuzzy" in f]
    assert not missing, f"untranslated: {missing[:20]}"


def test_the_queue_reads_in_vietnamese(world, client):
    client.force_login(world.users["officer_a"])
    page = client.get("/triage/", HTTP_ACCEPT_LANGUAGE="vi")
    assert "Phân loại tin báo" in page.content.decode()
