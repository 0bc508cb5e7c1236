"""Prevention's files move into the evidence pipeline, and the file log refuses rewrites.

Each ``prevention.Evidence`` row becomes a ``RecordFile``: its bytes are copied from
PREVENTION_EVIDENCE_DIR into the evidence storage under a new random name, after checking they
still match their recorded SHA-256 (a file that does not, or is missing, stops the migration:
nobody should silently lose or launder evidence). The old files are left in place for the
operator to remove after checking (docs/operations.md). One FileEvent(MIGRATED) per file
starts each record's chain. They were stored before metadata stripping existed, so
``metadata_stripped`` stays False: stripping them now would change the bytes their hash vouches for.

On PostgreSQL the file log gets the timeline's triggers: UPDATE, DELETE and TRUNCATE refused.
"""

import hashlib
from pathlib import Path

from django.conf import settings
from django.db import migrations


def move(apps, schema_editor):
    from evidence import chain, files

    Old = apps.get_model("prevention", "Evidence")
    RecordFile = apps.get_model("evidence", "RecordFile")
    FileEvent = apps.get_model("evidence", "FileEvent")
    old_dir = Path(getattr(settings, "PREVENTION_EVIDENCE_DIR", Path(settings.VAR_DIR) / "prevention-evidence"))
    stored: list[str] = []
    try:
        for old in Old.objects.order_by("pk"):
            data = (old_dir / old.stored_name).read_bytes()
            if hashlib.sha256(data).hexdigest() != old.sha256:
                raise RuntimeError(f"prevention evidence {old.pk}: the bytes no longer match their SHA-256")
            owner = "activity" if old.activity_id else "target_report"
            name = files.store(data)
            stored.append(name)
            kind = files.sniff(data, allow_csv=True) or old.content_type
            new = RecordFile.objects.create(
                owner=owner, activity_id=old.activity_id, target_report_id=old.target_report_id,
                key=files.new_key(), storage_name=name, original_name=old.original_name[:200],
                content_type=kind, size=old.size, sha256=old.sha256, metadata_stripped=False,
                uploaded_by_id=old.uploaded_by_id, uploaded_at=old.uploaded_at)
            event = FileEvent(subject=f"{owner}:{old.activity_id or old.target_report_id}", file_id=new.pk,
                              type=4, at=old.uploaded_at, actor_id=None, actor_role="", actor_organisation="",
                              sha256=old.sha256, data={"from": "prevention", "old_id": old.pk}, prev_hash="")
            last = FileEvent.objects.filter(subject=event.subject).order_by("-seq").first()
            event.seq = last.seq + 1 if last else 1
            event.prev_hash = last.hash if last else ""
            event.hash = chain.seal(event.__dict__)
            event.save()
    except BaseException:
        for name in stored:
            files.discard(name)
        raise


APPEND_ONLY = """
CREATE TRIGGER evidence_fileevent_append_only BEFORE UPDATE OR DELETE ON evidence_fileevent
    FOR EACH ROW EXECUTE FUNCTION casework_refuse_change();
CREATE TRIGGER evidence_fileevent_no_truncate BEFORE TRUNCATE ON evidence_fileevent
    FOR EACH STATEMENT EXECUTE FUNCTION casework_refuse_truncate();
"""
DROP = """
DROP TRIGGER IF EXISTS evidence_fileevent_no_truncate ON evidence_fileevent;
DROP TRIGGER IF EXISTS evidence_fileevent_append_only ON evidence_fileevent;
"""


def triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(APPEND_ONLY)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("evidence", "0002_record_files"),
        ("casework", "0008_event_hash_chain"),
    ]

    operations = [
        migrations.RunPython(move, migrations.RunPython.noop),
        migrations.RunPython(triggers, drop_triggers),
    ]
