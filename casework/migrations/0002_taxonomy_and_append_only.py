from django.db import migrations

APPEND_ONLY_SQL = """
CREATE OR REPLACE FUNCTION casework_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'casework_caseevent is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER casework_caseevent_append_only
    BEFORE UPDATE OR DELETE ON casework_caseevent
    FOR EACH ROW EXECUTE FUNCTION casework_refuse_change();
"""
DROP_SQL = """
DROP TRIGGER IF EXISTS casework_caseevent_append_only ON casework_caseevent;
DROP FUNCTION IF EXISTS casework_refuse_change();
"""


def seed(apps, schema_editor):
    from casework.taxonomy_data import load_taxonomy

    load_taxonomy(apps.get_model("casework", "Term"))


def append_only(apps, schema_editor):
    # The timeline must survive a buggy .update() or raw SQL: the database itself refuses.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(APPEND_ONLY_SQL)


def drop_append_only(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL)


class Migration(migrations.Migration):
    dependencies = [("casework", "0001_initial")]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        migrations.RunPython(append_only, drop_append_only),
    ]
