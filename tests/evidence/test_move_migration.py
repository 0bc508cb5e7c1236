"""Migration evidence 0003 moves prevention's former file store into the evidence pipeline:
rows, bytes (checked against their SHA-256), and a MIGRATED event starting each record's chain."""

import hashlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from evidence.models import FileEvent, FileEventType, RecordFile
from evidence.records import record_file_open, verify_file_log
from prevention import services as P
from prevention.cast import extend_world

from .conftest import PDF

BEFORE = [("prevention", "0001_initial"), ("evidence", "0002_record_files")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


@pytest.mark.django_db(transaction=True)
def test_prevention_files_move_with_their_bytes_and_a_log(world, settings, tmp_path):
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    settings.PREVENTION_EVIDENCE_DIR = tmp_path / "old"
    extend_world(world)
    activity = P.activity_record(actor=world.village_a, data=P.ActivityInput(
        kind="awareness", title="Sinh hoạt", held_on=timezone.localdate(), organiser_id=world.orgs["a_v1.village"].pk))
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    executor = migrate(BEFORE)
    Old = executor.loader.project_state(BEFORE).apps.get_model("prevention", "Evidence")
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "0123abcd").write_bytes(PDF)
    Old.objects.create(activity_id=activity.pk, stored_name="0123abcd", original_name="bien-ban.pdf",
                       content_type="application/pdf", size=len(PDF), sha256=hashlib.sha256(PDF).hexdigest(),
                       uploaded_by_id=world.village_a.pk)
    migrate(latest)
    moved = RecordFile.objects.get()
    assert (moved.owner, moved.activity_id, moved.original_name, moved.sha256) == (
        "activity", activity.pk, "bien-ban.pdf", hashlib.sha256(PDF).hexdigest())
    assert len(moved.key) == 43 and not moved.metadata_stripped
    [event] = FileEvent.objects.all()
    assert (event.type, event.subject, event.seq) == (FileEventType.MIGRATED, f"activity:{activity.pk}", 1)
    assert verify_file_log() == []
    _file, data = record_file_open(actor=world.officer_a, key=moved.key)
    assert data == PDF
    assert (tmp_path / "old" / "0123abcd").exists()     # left for the operator to remove
