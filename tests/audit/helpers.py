"""Tampering as a database administrator would, with SQL, and running verify_audit."""

from __future__ import annotations

import io
import json
from contextlib import contextmanager

from django.core.management import call_command
from django.db import connection

from casework.audit import seal
from casework.models import CaseEvent
from notifications.models import Notification
from tests.casework import scenario

EVENTS = CaseEvent._meta.db_table


def closed_case(world, open_case):
    """A case taken along the whole statutory path, report to closure (about 20 events)."""
    from casework.services import lifecycle, plans

    case = open_case("counsellor_a")
    scenario.to_submitted_plan(world, case)
    plans.plan_approve(actor=world.users["chair_a"], case_id=case.pk, decision_no="05/QĐ-UBND")
    scenario.implement(world, case)
    scenario.review(world, case)
    lifecycle.case_close(actor=world.users["chair_a"], case_id=case.pk, reason="Child safe and stable.")
    return case


@contextmanager
def triggers_off(table=EVENTS):
    """What the table's owner can do on PostgreSQL: switch the append-only triggers off."""
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        if postgres:
            # Deferred foreign-key checks of the test's own transaction would block ALTER TABLE.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        try:
            yield cursor
        finally:
            if postgres:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def event_at(case, seq) -> CaseEvent:
    return CaseEvent.objects.get(case=case, seq=seq)


def sql_update(event_id, **values):
    sets = ", ".join(f"{name} = %s" for name in values)
    with triggers_off() as cursor:
        cursor.execute(f"UPDATE {EVENTS} SET {sets} WHERE id = %s", [*values.values(), event_id])


def sql_delete(event_id):
    Notification.objects.filter(event_id=event_id).delete()  # not the point; the FK would object
    with triggers_off() as cursor:
        cursor.execute(f"DELETE FROM {EVENTS} WHERE id = %s", [event_id])


def sql_insert_copy(source: CaseEvent, *, seq: int, reason: str, fingerprint="{}", hash_="0" * 64, prev_hash=None):
    """Insert a fabricated event modelled on ``source`` (same case, actor and time)."""
    cols = ["case_id", "type", "at", "actor_id", "actor_name", "actor_role", "actor_organisation", "from_state",
            "to_state", "reason", "changes", "data", "seq", "prev_hash", "hash", "fingerprint"]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {EVENTS} ({', '.join(cols)}) SELECT case_id, type, at, actor_id, actor_name, actor_role, "
            f"actor_organisation, from_state, to_state, %s, changes, data, %s, %s, %s, %s FROM {EVENTS} WHERE id = %s",
            [reason, seq, source.prev_hash if prev_hash is None else prev_hash, hash_, fingerprint, source.pk])
    return CaseEvent.objects.get(case_id=source.case_id, seq=seq, reason=reason)


def sql_reseal(event_id, **values):
    """Edit a row AND recompute its hash and fingerprint, as someone who read docs/audit.md would."""
    sql_update(event_id, **values)
    row = CaseEvent.objects.filter(pk=event_id).values().get()
    hash_, fingerprint = seal(row)
    sql_update(event_id, hash=hash_, fingerprint=json.dumps(fingerprint))


def verify(*args) -> tuple[int, list[str]]:
    """(exit status, output lines) of ``manage.py verify_audit``."""
    out = io.StringIO()
    try:
        call_command("verify_audit", *args, stdout=out)
        status = 0
    except SystemExit as exc:
        status = exc.code
    return status, out.getvalue().splitlines()
