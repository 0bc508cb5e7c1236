"""The timeline becomes a hash chain per case (docs/audit.md); anchors; TRUNCATE refused.

Existing events are chained in timeline order (time, then id). On PostgreSQL the append-only
triggers of the table are switched off for the backfill only, inside this migration's transaction, by
the migration role that owns the table (docs/deploy/database-roles.md).
"""

from django.db import migrations, models

PG_GUARDS = """
CREATE OR REPLACE FUNCTION casework_refuse_truncate() RETURNS trigger AS $$
BEGIN
    -- Django's test runner empties tables with TRUNCATE after each transactional test. Only a
    -- superuser, who could drop this trigger anyway, may switch the refusal off, and only by
    -- setting casework.allow_truncate (tests/conftest.py does, on the test database only).
    IF current_setting('casework.allow_truncate', true) = 'on'
       AND (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION USING MESSAGE = TG_TABLE_NAME || ' is append-only: TRUNCATE refused';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER casework_caseevent_no_truncate
    BEFORE TRUNCATE ON casework_caseevent
    FOR EACH STATEMENT EXECUTE FUNCTION casework_refuse_truncate();
CREATE TRIGGER casework_auditanchor_append_only
    BEFORE UPDATE OR DELETE ON casework_auditanchor
    FOR EACH ROW EXECUTE FUNCTION casework_refuse_change();
CREATE TRIGGER casework_auditanchor_no_truncate
    BEFORE TRUNCATE ON casework_auditanchor
    FOR EACH STATEMENT EXECUTE FUNCTION casework_refuse_truncate();
"""
DROP_PG_GUARDS = """
DROP TRIGGER IF EXISTS casework_auditanchor_no_truncate ON casework_auditanchor;
DROP TRIGGER IF EXISTS casework_auditanchor_append_only ON casework_auditanchor;
DROP TRIGGER IF EXISTS casework_caseevent_no_truncate ON casework_caseevent;
DROP FUNCTION IF EXISTS casework_refuse_truncate();
"""
# The row fields that casework.audit.seal reads.
ROW_FIELDS = ("id", "case_id", "type", "at", "actor_id", "actor_name", "actor_role", "actor_organisation",
              "from_state", "to_state", "reason", "changes", "data")


def backfill(apps, schema_editor):
    from casework.audit import seal

    CaseEvent = apps.get_model("casework", "CaseEvent")
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:
        # Every user trigger: the append-only one, and row history (history app) should it
        # already be installed; this rewrite adds the chain columns and changes no content.
        schema_editor.execute("ALTER TABLE casework_caseevent DISABLE TRIGGER USER")
    batch, case_id, seq, prev = [], None, 0, ""
    for row in CaseEvent.objects.order_by("case_id", "at", "pk").values(*ROW_FIELDS).iterator(chunk_size=2000):
        if row["case_id"] != case_id:
            case_id, seq, prev = row["case_id"], 0, ""
        seq += 1
        row.update(seq=seq, prev_hash=prev)
        hash_, fingerprint = seal(row)
        batch.append(CaseEvent(pk=row["id"], seq=seq, prev_hash=prev, hash=hash_, fingerprint=fingerprint))
        prev = hash_
        if len(batch) >= 500:
            CaseEvent.objects.bulk_update(batch, ["seq", "prev_hash", "hash", "fingerprint"])
            batch = []
    if batch:
        CaseEvent.objects.bulk_update(batch, ["seq", "prev_hash", "hash", "fingerprint"])
    if postgres:
        schema_editor.execute("ALTER TABLE casework_caseevent ENABLE TRIGGER USER")


def guards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_GUARDS)


def drop_guards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_PG_GUARDS)


class Migration(migrations.Migration):
    dependencies = [("casework", "0007_watch_raised")]

    operations = [
        migrations.AddField("caseevent", "seq", models.PositiveIntegerField(null=True, verbose_name="position")),
        migrations.AddField("caseevent", "prev_hash", models.CharField(blank=True, default="", max_length=64)),
        migrations.AddField("caseevent", "hash", models.CharField(default="", max_length=64)),
        migrations.AddField("caseevent", "fingerprint", models.JSONField(blank=True, default=dict)),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AlterField("caseevent", "seq", models.PositiveIntegerField(verbose_name="position")),
        migrations.AlterField("caseevent", "prev_hash", models.CharField(blank=True, max_length=64)),
        migrations.AlterField("caseevent", "hash", models.CharField(max_length=64)),
        migrations.AddConstraint(
            "caseevent", models.UniqueConstraint(fields=("case", "seq"), name="case_event_chain_position")),
        migrations.CreateModel(
            name="AuditAnchor",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("at", models.DateTimeField(verbose_name="time")),
                ("cases", models.PositiveIntegerField(verbose_name="cases")),
                ("events", models.PositiveIntegerField(verbose_name="events")),
                ("heads", models.JSONField(default=dict)),
                ("heads_hash", models.CharField(max_length=64)),
                ("prev_hash", models.CharField(blank=True, max_length=64)),
                ("hash", models.CharField(max_length=64)),
            ],
            options={"verbose_name": "audit anchor", "verbose_name_plural": "audit anchors", "ordering": ["pk"]},
        ),
        migrations.RunPython(guards, drop_guards),
    ]
