"""The notifications app's own Vietnamese catalog is complete (notifications/locale)."""

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

from tests.i18n.test_catalog import entries

APP = Path(settings.BASE_DIR) / "notifications"
PO = APP / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def test_committed_catalog_has_no_gaps():
    missing = [m for m, s, f in entries(PO.read_text(encoding="utf-8")) if not s or "fuzzy" in f]
    assert not missing, missing[:20]


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs gettext (CI installs it)")
def test_every_marked_string_of_the_app_is_translated(tmp_path, monkeypatch):
    """Re-extract in a copy of the app: a string added without a translation fails here."""
    shutil.copytree(APP, tmp_path / "notifications", ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.chdir(tmp_path / "notifications")
    with override_settings(LOCALE_PATHS=[]):
        call_command("makemessages", locale=["vi"], verbosity=0)
    fresh = (tmp_path / "notifications" / "locale" / "vi" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    missing = [m for m, s, f in entries(fresh) if not s or "fuzzy" in f]
    assert not missing, f"untranslated: {missing[:20]}"


def test_the_inbox_speaks_vietnamese():
    from notifications.models import EmailChoice

    with translation.override("vi"):
        assert str(EmailChoice.IMMEDIATE.label) == "Mọi thông báo, gửi ngay"
