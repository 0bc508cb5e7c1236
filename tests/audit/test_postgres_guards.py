"""PostgreSQL refuses to rewrite, delete or empty the audit tables, and the chain holds under
concurrent writers."""

import threading

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError, IntegrityError

from casework.audit import audit_anchor_write, case_event_record
from casework.models import AuditAnchor, CaseEvent, CaseEventType
from tests.audit.helpers import verify

pytestmark = pytest.mark.postgres_only

EVENTS, ANCHORS = CaseEvent._meta.db_table, AuditAnchor._meta.db_table


def refused(sql):
    with pytest.raises(DatabaseError) as error, transaction.atomic(), connection.cursor() as cursor:
        # The test database lets the superuser empty tables between tests (tests/conftest.py):
        # take that back, as in production. Deferred key checks of the test's own writes would
        # otherwise stop TRUNCATE before the trigger is reached.
        cursor.execute("SET LOCAL casework.allow_truncate = off")
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(sql)
    return str(error.value)


def test_truncate_of_the_timeline_is_refused(world, open_case):
    open_case()
    assert "casework_caseevent is append-only: TRUNCATE refused" in refused(f"TRUNCATE {EVENTS} CASCADE")
    assert CaseEvent.objects.count() == 1


def test_only_a_superuser_can_switch_the_truncate_refusal_off(world, open_case):
    open_case()
    with connection.cursor() as cursor:
        cursor.execute("CREATE ROLE audit_test_owner NOSUPERUSER")
        cursor.execute("GRANT ALL ON ALL TABLES IN SCHEMA public TO audit_test_owner")
        cursor.execute("SET LOCAL ROLE audit_test_owner")
        # The switch alone, without superuser rights, changes nothing.
        cursor.execute("SET LOCAL casework.allow_truncate = on")
    with pytest.raises(DatabaseError) as error, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {EVENTS} CASCADE")
    assert "casework_caseevent is append-only: TRUNCATE refused" in str(error.value)


def test_anchors_cannot_be_updated_deleted_or_truncated(world, open_case):
    open_case()
    anchor = audit_anchor_write()
    assert "append-only" in refused(f"UPDATE {ANCHORS} SET events = 0")
    assert "append-only" in refused(f"DELETE FROM {ANCHORS}")
    assert "TRUNCATE refused" in refused(f"TRUNCATE {ANCHORS}")
    assert AuditAnchor.objects.get().hash == anchor.hash


def test_the_timeline_cannot_be_updated_or_deleted(world, open_case):
    open_case()
    assert "append-only" in refused(f"UPDATE {EVENTS} SET reason = 'x'")
    assert "append-only" in refused(f"DELETE FROM {EVENTS}")


def test_a_second_event_at_the_same_position_is_refused(world, open_case):
    case = open_case()
    event = CaseEvent.objects.get(case=case)
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {EVENTS} (case_id, type, at, actor_name, actor_role, actor_organisation, "
                       "from_state, to_state, reason, changes, data, seq, prev_hash, hash, fingerprint) "
                       "SELECT case_id, type, at, '', '', '', '', '', '', '{}', '{}', seq, '', '', '{}' "
                       f"FROM {EVENTS} WHERE id = %s", [event.pk])


def test_two_writers_on_one_case_make_one_chain(transactional_db, world, open_case):
    """Identity reads are logged from selectors, outside the services' lock: two sessions reading
    the same child at once must still produce positions 1, 2, 3 … with no fork and no error."""
    case = open_case()
    barrier = threading.Barrier(2)
    errors = []

    def read_many(who):
        try:
            barrier.wait()
            for _ in range(15):
                case_event_record(case=case, type=CaseEventType.IDENTITY_VIEWED, actor=world.users[who],
                                  data={"channel": "api"})
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=read_many, args=(who,)) for who in ("officer_a", "chair_a")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert list(CaseEvent.objects.filter(case=case).order_by("seq").values_list("seq", flat=True)) == list(range(1, 32))
    assert verify()[0] == 0
