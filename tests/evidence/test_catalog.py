"""The evidence app's own Vietnamese catalog is complete (the approach of tests/i18n/test_catalog.py)."""

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

from tests.i18n.test_catalog import entries

APP = Path(settings.BASE_DIR) / "evidence"
PO = APP / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def test_committed_catalog_has_no_gaps():
    missing = [(m, f) for m, s, f in entries(PO.read_text(encoding="utf-8")) if not s or "fuzzy" in f]
    assert not missing, missing[:20]


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs gettext (CI installs it)")
def test_every_marked_string_of_the_app_is_translated(tmp_path, monkeypatch):
    copy = tmp_path / "evidence"
    shutil.copytree(APP, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.chdir(copy)
    with override_settings(LOCALE_PATHS=[copy / "locale"]):
        call_command("makemessages", locale=["vi"], verbosity=0)
    fresh = (copy / "locale" / "vi" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    missing = [m for m, s, f in entries(fresh) if not s or "fuzzy" in f]
    assert not missing, f"untranslated: {missing[:20]}"


def test_messages_and_events_read_in_vietnamese():
    from casework.models import CaseEventType

    with translation.override("vi"):
        assert str(CaseEventType.EVIDENCE_DOWNLOADED.label) == "Đã tải xuống tệp tài liệu, chứng cứ"
        assert translation.gettext("The file is empty.") == "Tệp trống."
        assert translation.gettext("Withdraw the file") == "Rút tệp"
