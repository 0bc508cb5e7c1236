"""The row-history tables refuse TRUNCATE like the timeline (casework 0008's trigger function).

UPDATE and DELETE are already refused by pghistory's append-only triggers (installed after
migrate by pgtrigger).
"""

from django.db import migrations


def _tables(apps):
    return [m._meta.db_table for m in apps.get_app_config("history").get_models()]


def refuse_truncate(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in _tables(apps):
        schema_editor.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION casework_refuse_truncate()")


def allow_truncate(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in _tables(apps):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")


class Migration(migrations.Migration):
    dependencies = [("history", "0001_initial")]

    operations = [migrations.RunPython(refuse_truncate, allow_truncate)]
