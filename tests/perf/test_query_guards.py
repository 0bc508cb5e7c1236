"""Issue 14, item 4: the number of SQL queries of each list, the case page and a transition does
not grow with the page size, the data or the timeline (counts, never timings).

Each list is fetched, then more cases are opened so that more rows land on the same page, and
the second fetch must not make a single query more."""

import pytest
from django.db import connection

from casework.audit import case_event_record
from casework.models import Case, CaseEventType
from casework.services.lifecycle import case_level_change
from tests.web.cases import accept_police_task, report

LISTS = [("officer_a", "/work/"), ("officer_a", "/cases/"), ("officer_a", "/api/cases/"),
         ("supervisor_p1", "/cases/"), ("supervisor_p1", "/api/cases/"), ("supervisor_p1", "/area/"),
         ("chair_a", "/approvals/")]
# Measured (SQLite, this cast): 10–11 per list — session, user, device, role assignments, area
# units, the page, its clocks, the pager's COUNT or the area's aggregate, the inbox badge. One
# spare; a new query per request shows up here, a query per row in the growth check below.
LIST_MAX_QUERIES = 12
CASE_PAGE_MAX_QUERIES = 28   # measured 27: one query per kind of record on the file
TIMELINE_MAX_QUERIES = 12    # measured 11


@pytest.mark.parametrize("who, url", LISTS)
def test_list_queries_do_not_grow_with_the_rows_on_the_page(as_user, world, cases, who, url,
                                                            django_assert_max_num_queries):
    accept_police_task(world, cases.implementing)
    client = as_user(who)
    client.get(url)  # warm the session and translations
    with django_assert_max_num_queries(LIST_MAX_QUERIES) as few:
        assert client.get(url).status_code == 200
    before = Case.objects.count()
    for i in range(12):
        report(world, name=f"Trẻ em số {i}", hours_ago=1 + i)
    assert Case.objects.count() == before + 12
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_case_page_makes_the_same_queries_with_a_longer_timeline(as_user, world, cases,
                                                                    django_assert_max_num_queries):
    client = as_user("officer_a")
    url = f"/cases/{cases.implementing.pk}/"
    client.get(url)
    with django_assert_max_num_queries(CASE_PAGE_MAX_QUERIES) as few:
        assert client.get(url).status_code == 200
    case = Case.objects.get(pk=cases.implementing.pk)
    for i in range(40):
        case_event_record(case=case, type=CaseEventType.FILE_EXPORTED, actor=world.users["officer_a"],
                          data={"n": i})
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_timeline_page_makes_the_same_queries_with_more_events(as_user, world, cases,
                                                                  django_assert_max_num_queries):
    client = as_user("supervisor_p1")
    url = f"/cases/{cases.implementing.pk}/timeline/"
    client.get(url)
    with django_assert_max_num_queries(TIMELINE_MAX_QUERIES) as few:
        first = client.get(url).content.decode()
    case = Case.objects.get(pk=cases.implementing.pk)
    for i in range(40):
        case_event_record(case=case, type=CaseEventType.FILE_EXPORTED, actor=world.users["officer_a"],
                          data={"n": i})
    with django_assert_max_num_queries(len(few.captured_queries)):
        more = client.get(url).content.decode()
    # The whole timeline stays on the page (a supervisor reads it top to bottom).
    assert more.count("<li class=\"g") == first.count("<li class=\"g") + 40


def test_a_level_change_is_a_handful_of_statements(world, cases, django_assert_max_num_queries):
    """Lock with access (grants included), the update, the chain head, the event, the delivery row:
    no clock recomputation for a change that moves no clock, no second lock for the chain."""
    officer = world.users["officer_a"]
    case = cases.implementing
    to = "intervention" if case.level == "support" else "support"
    case_level_change(actor=officer, case_id=case.pk, level=to, reason="Đánh giá lại.")
    back = "support" if to == "intervention" else "intervention"
    officer.__dict__.pop("_casework_assignments", None)
    # Role assignments (once per request), lock with access, update, chain head, event,
    # delivery row: 6 statements + the service's savepoint pair (was 9 + 2: the two grant
    # lookups now ride in the lock statement).
    with django_assert_max_num_queries(8) as q:
        case_level_change(actor=officer, case_id=case.pk, level=back, reason="Đánh giá lại.")
    sql = [x["sql"] for x in q.captured_queries]
    assert not any("casework_casedeadline" in s for s in sql), "a level change moves no clock"
    assert not any(s.startswith(('SELECT "permissions_caseuserobjectpermission"',
                                 'SELECT "permissions_casegroupobjectpermission"')) for s in sql), \
        "no separate grant lookup when no grant names the case"
    assert sum(1 for s in sql if s.startswith('SELECT "casework_case"."id"')) == 1, "one statement reads the case"
    if connection.vendor == "postgresql":  # SQLite locks the whole database and has no FOR UPDATE
        assert sum(1 for s in sql if "FOR UPDATE" in s) == 1, "one lock, taken with the access check"
    assert Case.objects.get(pk=case.pk).level == back


def test_next_due_follows_the_clocks(world, cases):
    """Case.next_due_at is the earliest live clock, kept by the services in the same transaction."""
    from casework.models import CaseDeadline, ClockState

    for case in cases.all:
        live = CaseDeadline.objects.filter(case=case, state__in=[ClockState.RUNNING, ClockState.BREACHED],
                                           met_at__isnull=True).order_by("due_at").first()
        assert Case.objects.get(pk=case.pk).next_due_at == (live.due_at if live else None), case.code
    fresh = report(world, name="Trẻ em mới", hours_ago=1)
    first = CaseDeadline.objects.filter(case=fresh, met_at__isnull=True).order_by("due_at").first()
    assert Case.objects.get(pk=fresh.pk).next_due_at == (first.due_at if first else None)


@pytest.mark.postgres_only
def test_the_work_list_walks_the_next_due_index_and_sorts_nothing(world, cases):
    """EXPLAIN of the officer's work list. On a test-sized table the planner would rather read
    everything, so sorts and sequential scans are priced out: what remains shows whether an
    index can deliver the urgency order. Were the order an aggregate over the clocks again, no
    index could, and a Sort over every visible case would stay in the plan."""
    from casework.selectors import case_list_for_user
    from casework.selectors.worklists import urgency_order, with_clocks

    officer = world.users["officer_a"]
    qs = urgency_order(with_clocks(case_list_for_user(officer, open_only=True)))[:500]
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("RESET enable_sort")
        cursor.execute("RESET enable_seqscan")
    assert "case_next_due" in plan, plan
    assert "Sort Key" not in plan and "GroupAggregate" not in plan and "HashAggregate" not in plan, plan
