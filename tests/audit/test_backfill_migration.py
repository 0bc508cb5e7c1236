"""Migration 0008 chains the events that existed before it, exactly as the writer would have."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from casework.models import CaseEvent
from tests.audit.helpers import verify
from tests.casework import scenario

BEFORE = ("casework", "0006_emergency_cancelled_event")


def migrate(*targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(list(targets))


def test_existing_events_are_chained_by_the_migration(transactional_db, world, open_case):
    first, second = open_case(), open_case()
    scenario.verify(world, first)
    written = list(CaseEvent.objects.order_by("pk").values_list("pk", "case_id", "seq", "prev_hash", "hash"))
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    migrate(BEFORE)
    with connection.cursor() as cursor:
        columns = {c.name for c in connection.introspection.get_table_description(cursor, "casework_caseevent")}
    assert "hash" not in columns and "seq" not in columns
    migrate(*latest)
    assert list(CaseEvent.objects.order_by("pk").values_list("pk", "case_id", "seq", "prev_hash", "hash")) == written
    assert verify()[0] == 0
    assert second
