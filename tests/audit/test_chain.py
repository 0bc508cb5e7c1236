"""The timeline as a hash chain: written right by every path, and every kind of tampering found."""

import io
import itertools
import json

import pytest
from django.core.management import call_command

from casework.audit import _utc, audit_anchor_write, grouped
from casework.models import AuditAnchor, CaseEvent
from casework.selectors import case_chain_status
from tests.audit.helpers import (
    closed_case,
    event_at,
    sql_delete,
    sql_insert_copy,
    sql_reseal,
    sql_update,
    triggers_off,
    verify,
)


def test_a_full_case_path_is_one_unbroken_chain(world, open_case):
    case = closed_case(world, open_case)
    events = list(CaseEvent.objects.filter(case=case).order_by("seq"))
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert events[0].prev_hash == ""
    assert all(later.prev_hash == earlier.hash for earlier, later in itertools.pairwise(events))
    assert len({e.hash for e in events}) == len(events)
    anchor = audit_anchor_write()
    assert verify() == (0, [(f"Audit trail verified: {len(events)} events in 1 cases; "
                            f"chain heads checked against anchor #{anchor.pk}.")])


def test_chains_are_per_case(world, open_case):
    first, second = open_case(), open_case()
    assert event_at(first, 1).prev_hash == event_at(second, 1).prev_hash == ""
    assert verify()[0] == 0


def test_timer_events_are_chained_too(world, open_case):
    import datetime as dt

    from django.utils import timezone

    from casework.services.deadlines import deadlines_sweep

    case = open_case("police_a", urgent=True, received_at=timezone.now() - dt.timedelta(hours=13))
    assert deadlines_sweep() == 1
    assert list(CaseEvent.objects.filter(case=case).values_list("seq", flat=True).order_by("seq")) == [1, 2]
    assert verify()[0] == 0


def test_an_edited_field_is_named(world, open_case):
    case = closed_case(world, open_case)
    target = event_at(case, 3)
    sql_update(target.pk, reason="Nothing happened.")
    assert verify() == (1, [
        f"case {case.pk}, position 3, event {target.pk}: altered: reason changed since it was recorded",
        (f"AUDIT TRAIL NOT INTACT: 1 problem(s); {CaseEvent.objects.count()} events in 1 cases; "
        "no anchor yet (run manage.py audit_anchor)."),
    ])


def test_an_edited_json_value_and_time_are_named(world, open_case):
    case = closed_case(world, open_case)
    target = event_at(case, 2)
    with triggers_off() as cursor:
        cursor.execute(f"UPDATE {CaseEvent._meta.db_table} SET at = at - interval '1 day' WHERE id = %s"
                       if cursor.db.vendor == "postgresql" else
                       f"UPDATE {CaseEvent._meta.db_table} SET at = datetime(at, '-1 day') WHERE id = %s",
                       [target.pk])
    sql_update(target.pk, changes=json.dumps({**target.changes, "injected": "yes"}))
    status, lines = verify()
    assert status == 1
    assert lines[0] == f"case {case.pk}, position 2, event {target.pk}: altered: at, changes changed since it was recorded"


def test_one_byte_changed_in_the_actor_is_found(world, open_case):
    case = open_case()
    target = event_at(case, 1)
    sql_update(target.pk, actor_name=target.actor_name[:-1] + "X")
    assert verify()[1][0] == f"case {case.pk}, position 1, event {target.pk}: altered: actor_name changed since it was recorded"


def test_a_deleted_event_is_found_by_its_position(world, open_case):
    case = closed_case(world, open_case)
    gone, after = event_at(case, 5), event_at(case, 6)
    sql_delete(gone.pk)
    assert verify()[0] == 1
    assert verify()[1][0] == (f"case {case.pk}, position 5: deleted: missing from the chain "
                              f"(event {after.pk} at position 6 follows position 4)")


def test_a_deleted_tail_is_found_only_against_an_anchor(world, open_case):
    case = closed_case(world, open_case)
    last = CaseEvent.objects.filter(case=case).latest("seq")
    anchor = audit_anchor_write()
    sql_delete(last.pk)
    assert verify()[1][0] == (
        f"case {case.pk}, position {last.seq}: deleted: position {last.seq} missing: the chain ends at position "
        f"{last.seq - 1}, the anchor #{anchor.pk} of {_utc(anchor.at)} recorded it up to position {last.seq}")
    # What an anchor is for: without one, a chain cut at its end still looks whole.
    with triggers_off(AuditAnchor._meta.db_table) as cursor:
        cursor.execute(f"DELETE FROM {AuditAnchor._meta.db_table}")
    assert verify()[0] == 0


def test_a_whole_case_timeline_deleted_after_an_anchor(world, open_case):
    case = open_case()
    anchor = audit_anchor_write()
    for event in CaseEvent.objects.filter(case=case):
        sql_delete(event.pk)
    assert verify() == (1, [
        f"case {case.pk}, position 1: deleted: all 1 events deleted since the anchor #{anchor.pk} of {_utc(anchor.at)}",
        f"AUDIT TRAIL NOT INTACT: 1 problem(s); 0 events in 0 cases; chain heads checked against anchor #{anchor.pk}.",
    ])


def test_an_event_inserted_at_the_end(world, open_case):
    case = open_case()
    head = event_at(case, 1)
    forged = sql_insert_copy(head, seq=2, reason="Backdated approval.", prev_hash=head.hash)
    assert verify()[1][0] == (f"case {case.pk}, position 2, event {forged.pk}: inserted: not written by the "
                              "application (no fingerprint, and its hash does not match its content)")


def test_an_event_inserted_in_the_middle_shifts_the_ones_after_it(world, open_case):
    case = open_case()
    from tests.casework import scenario

    scenario.verify(world, case)  # positions 1, 2, 3
    second, third = event_at(case, 2), event_at(case, 3)
    sql_update(third.pk, seq=4)
    sql_update(second.pk, seq=3)
    forged = sql_insert_copy(second, seq=2, reason="Invented visit.")
    assert verify()[1][:3] == [
        (f"case {case.pk}, position 2, event {forged.pk}: inserted: not written by the application "
        "(no fingerprint, and its hash does not match its content)"),
        f"case {case.pk}, position 3, event {second.pk}: reordered: recorded at position 2, now at position 3",
        f"case {case.pk}, position 4, event {third.pk}: reordered: recorded at position 3, now at position 4",
    ]


@pytest.mark.postgres_only
def test_a_duplicate_position_is_an_insertion(world, open_case):
    """Someone who dropped the unique constraint and added a second event 2 (SQLite cannot drop a
    table constraint)."""
    from django.db import connection

    case = open_case()
    from tests.casework import scenario

    scenario.verify(world, case)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"ALTER TABLE {CaseEvent._meta.db_table} DROP CONSTRAINT case_event_chain_position")
    forged = sql_insert_copy(event_at(case, 2), seq=2, reason="Second version.", prev_hash="f" * 64)
    assert verify()[1][0] == (f"case {case.pk}, position 2, event {forged.pk}: inserted: not written by the "
                              "application (no fingerprint, and its hash does not match its content)")


def test_two_events_swapped(world, open_case):
    case = closed_case(world, open_case)
    a, b = event_at(case, 4), event_at(case, 5)
    sql_update(a.pk, seq=1000)
    sql_update(b.pk, seq=4)
    sql_update(a.pk, seq=5)
    assert verify() == (1, [
        f"case {case.pk}, position 4, event {b.pk}: reordered: recorded at position 5, now at position 4",
        f"case {case.pk}, position 5, event {a.pk}: reordered: recorded at position 4, now at position 5",
        (f"AUDIT TRAIL NOT INTACT: 2 problem(s); {CaseEvent.objects.count()} events in 1 cases; "
        "no anchor yet (run manage.py audit_anchor)."),
    ])


def test_an_event_rewritten_with_a_recomputed_hash_breaks_the_next_link(world, open_case):
    case = closed_case(world, open_case)
    target = event_at(case, 7)
    sql_reseal(target.pk, reason="Rewritten by someone who read the docs.")
    assert verify()[1][0] == (f"case {case.pk}, position 7, event {target.pk}: rewritten: content and hash "
                              "replaced: position 8 links to a different event")


def test_a_rewritten_last_event_is_found_against_the_anchor(world, open_case):
    case = open_case()
    from tests.casework import scenario

    scenario.verify(world, case)
    anchor = audit_anchor_write()
    last = event_at(case, 3)
    sql_reseal(last.pk, reason="Rewritten end.")
    assert verify()[1][0] == (f"case {case.pk}, position 3, event {last.pk}: rewritten: the chain up to here "
                              f"differs from the anchor #{anchor.pk} of {_utc(anchor.at)}")


def test_a_changed_stored_hash(world, open_case):
    case = open_case()
    target = event_at(case, 1)
    sql_update(target.pk, hash="0" * 64)
    assert verify()[1][0] == f"case {case.pk}, position 1, event {target.pk}: altered: its stored hash was changed"


def test_an_altered_anchor_is_found(world, open_case):
    open_case()
    anchor = audit_anchor_write()
    with triggers_off(AuditAnchor._meta.db_table) as cursor:
        cursor.execute(f"UPDATE {AuditAnchor._meta.db_table} SET events = 0 WHERE id = %s", [anchor.pk])
    assert verify()[1][0] == f"anchors: anchor: anchor #{anchor.pk} was altered (it no longer matches its hash)"


def test_a_deleted_anchor_breaks_the_anchor_chain(world, open_case):
    open_case()
    first, second, third = audit_anchor_write(), audit_anchor_write(), audit_anchor_write()
    with triggers_off(AuditAnchor._meta.db_table) as cursor:
        cursor.execute(f"DELETE FROM {AuditAnchor._meta.db_table} WHERE id = %s", [second.pk])
    assert verify()[1][0] == (f"anchors: anchor: anchor #{third.pk} does not follow the anchor before it "
                              "(an anchor was deleted or replaced)")
    assert first


def test_the_printed_anchor_hash_is_checked(world, open_case):
    open_case()
    anchor = audit_anchor_write()
    assert verify("--anchor", grouped(anchor.hash))[0] == 0
    assert verify("--anchor", "ab" * 32)[1][0] == "anchors: anchor: no anchor has the printed hash: the anchors were replaced"


def test_verify_one_case_only(world, open_case):
    first, second = open_case(), open_case()
    sql_update(event_at(second, 1).pk, reason="edited")
    assert verify("--case", str(first.pk))[0] == 0
    assert verify("--case", str(second.pk))[0] == 1


def test_the_anchor_prints_and_shows(world, open_case):
    open_case()
    out = io.StringIO()
    call_command("audit_anchor", stdout=out)
    anchor = AuditAnchor.objects.get()
    assert anchor.cases == 1 and anchor.events == 1 and anchor.prev_hash == ""
    assert out.getvalue().splitlines() == [
        f"Audit anchor #{anchor.pk}",
        f"Time (UTC):      {_utc(anchor.at)}",
        "Cases / events:  1 / 1",
        f"Chain heads:     {grouped(anchor.heads_hash)}",
        "Previous anchor: (none)",
        f"Anchor hash:     {grouped(anchor.hash)}",
    ]
    shown = io.StringIO()
    call_command("audit_anchor", "--show", stdout=shown)
    assert shown.getvalue() == out.getvalue()
    assert AuditAnchor.objects.count() == 1


def test_run_timers_anchors_once_a_day(world, open_case):
    import datetime as dt

    import time_machine

    open_case()
    call_command("run_timers", "--once", stdout=io.StringIO())
    call_command("run_timers", "--once", stdout=io.StringIO())
    assert AuditAnchor.objects.count() == 1
    with time_machine.travel(dt.timedelta(days=1, minutes=1)):
        call_command("run_timers", "--once", stdout=io.StringIO())
    assert AuditAnchor.objects.count() == 2
    assert verify()[0] == 0


def test_case_chain_status_for_timeline_pages(world, open_case):
    case = open_case()
    from tests.casework import scenario

    scenario.verify(world, case)
    anchor = audit_anchor_write()
    assert case_chain_status(case) == {"verified": True, "events": 3, "problems": [], "anchor_id": anchor.pk,
                                       "anchor_at": anchor.at, "anchored_upto": 3}
    sql_update(event_at(case, 2).pk, reason="edited")
    status = case_chain_status(case)
    assert status["verified"] is False
    assert status["problems"] == [(f"case {case.pk}, position 2, event {event_at(case, 2).pk}: altered: reason "
                                  "changed since it was recorded")]


def test_case_chain_status_reads_in_two_queries(world, open_case, django_assert_num_queries):
    case = open_case()
    audit_anchor_write()
    with django_assert_num_queries(2):
        assert case_chain_status(case)["verified"]


def test_reports_and_the_anchor_read_in_vietnamese(world, open_case):
    from django.utils import translation

    case = open_case()
    target = event_at(case, 1)
    anchor = audit_anchor_write()
    sql_update(target.pk, reason="Đã sửa.")
    with translation.override("vi"):
        status, lines = verify()
        printed = io.StringIO()
        call_command("audit_anchor", "--show", stdout=printed)
    assert status == 1
    assert lines[0] == (f"trường hợp {case.pk}, vị trí 1, sự kiện {target.pk}: bị sửa: reason đã bị thay đổi sau "
                        "khi được ghi")
    assert lines[1].startswith("NHẬT KÝ KIỂM TOÁN KHÔNG CÒN TOÀN VẸN: 1 vấn đề;")
    assert printed.getvalue().splitlines()[0] == f"Mốc kiểm chứng nhật ký số {anchor.pk}"
    assert printed.getvalue().splitlines()[-1].endswith(grouped(anchor.hash))


def test_the_anchored_head_deleted_while_the_chain_went_on(world, open_case):
    case = open_case()
    anchor = audit_anchor_write()
    from tests.casework import scenario

    scenario.verify(world, case)  # positions 2 and 3, after the anchor
    anchored, after = event_at(case, 1), event_at(case, 2)
    sql_delete(anchored.pk)
    assert verify()[1][0] == (f"case {case.pk}, position 1: deleted: missing from the chain "
                              f"(it now starts at position 2, event {after.pk})")
    assert anchor
