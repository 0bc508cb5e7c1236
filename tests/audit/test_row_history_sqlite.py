"""On SQLite the row-history tables exist but stay empty: SQLite has no triggers of this kind
(documented in docs/audit.md). The demo runs on SQLite, so this is stated, not hidden."""

import pytest
from django.apps import apps
from django.db import connection


def test_sqlite_records_no_row_history(world, open_case):
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL records row history (test_row_history.py)")
    open_case()
    assert apps.get_model("history", "CaseHistory").objects.count() == 0
