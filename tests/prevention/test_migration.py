"""permissions/migrations/0007 adds the prevention capabilities to existing Role rows, keeps
what administrators changed, and takes them away again on the way back."""

import importlib

from django.apps import apps

from permissions.models import Role

migration = importlib.import_module("permissions.migrations.0007_prevention_capabilities")


def test_capabilities_are_added_and_removed(db):
    officer = Role.objects.get(code="commune_officer")
    officer.capabilities = [*officer.capabilities, "case.custom_local"]
    officer.save()
    migration.remove(apps, None)
    officer.refresh_from_db()
    assert "workplan.draft" not in officer.capabilities and "case.custom_local" in officer.capabilities
    migration.add(apps, None)
    migration.add(apps, None)       # twice: nothing doubled
    officer.refresh_from_db()
    assert officer.capabilities.count("workplan.draft") == 1 and "case.custom_local" in officer.capabilities
    assert set(migration.CAPS["supervisor"]) <= set(Role.objects.get(code="supervisor").capabilities)
