"""The prevention app's own Vietnamese catalog is complete (the approach of tests/i18n/test_catalog.py)."""

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

from tests.i18n.test_catalog import entries

APP = Path(settings.BASE_DIR) / "prevention"
PO = APP / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def test_committed_catalog_has_no_gaps():
    missing = [(m, f) for m, s, f in entries(PO.read_text(encoding="utf-8")) if not s or "fuzzy" in f]
    assert not missing, missing[:20]


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs gettext (CI installs it)")
def test_every_marked_string_of_the_app_is_translated(tmp_path, monkeypatch):
    """Re-extract in a copy of the app: a string added without a translation fails here."""
    copy = tmp_path / "prevention"
    shutil.copytree(APP, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.chdir(copy)
    with override_settings(LOCALE_PATHS=[copy / "locale"]):
        call_command("makemessages", locale=["vi"], verbosity=0)
    fresh = (copy / "locale" / "vi" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    missing = [m for m, s, f in entries(fresh) if not s or "fuzzy" in f]
    assert not missing, f"untranslated: {missing[:20]}"


def test_pages_and_guards_read_in_vietnamese(db):
    from prevention.states import WorkPlanStatus

    with translation.override("vi"):
        assert str(WorkPlanStatus.ISSUED.label) == "Đã ban hành"
        assert translation.gettext("The plan needs at least one target.") == "Kế hoạch cần ít nhất một chỉ tiêu."
        assert translation.gettext("Copy to next year") == "Sao chép sang năm sau"
