"""Issue 14, item 4: at 10 % of the national size, the hot pages' queries use their indexes and
sort no more than a page of cases.

The test fills the database with ``bench.national.generate(scale=0.1)`` — 30,000 cases, about
480,000 timeline events, 200,000 children, the real area tree with its skew — so the planner
faces the distribution it will meet (a test-sized table would be read whole whatever the
indexes). Then each page is fetched as the user the benchmark times, every SELECT the page ran
is captured with its parameters, and its plan (``EXPLAIN (FORMAT JSON)``) is walked:

* no ``Sort`` of more than a page's worth of rows above a big table: ordering every visible
  case (or event) before the LIMIT is what made the lists grow with the data;
* no sequential scan of a big table, except where a supervisor's whole province legitimately
  counts a large share of the cases (a count over an index is still expected; see ALLOWED_SEQ).

PostgreSQL only (the plans are PostgreSQL's). About a minute and a half of generation.
"""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

BIG = {"casework_case", "casework_caseevent", "casework_casedeadline", "casework_child", "casework_task"}
# A page shows at most this many rows; a Sort above a big table may handle a few pages' worth
# (a timeline page, the urgent section) but never every visible case.
MAX_SORTED_ROWS = 1000


def _nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


def _tables(plan: dict) -> set[str]:
    return {n["Relation Name"] for n in _nodes(plan) if "Relation Name" in n}


def _problems(plan: dict) -> list[str]:
    found = []
    for node in _nodes(plan):
        kind = node["Node Type"]
        if kind == "Sort" and node.get("Plan Rows", 0) > MAX_SORTED_ROWS and _tables(node) & BIG:
            found.append(f"Sort of ≈{node['Plan Rows']} rows over {sorted(_tables(node) & BIG)}")
        if kind == "Seq Scan" and node.get("Relation Name") in BIG:
            found.append(f"Seq Scan on {node['Relation Name']} (≈{node.get('Plan Rows')} rows)")
    return found


def _captured_selects(client: Client, url: str) -> list[tuple[str, tuple]]:
    seen: list[tuple[str, tuple]] = []

    def capture(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("SELECT") and not many:
            seen.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return seen


def _signed_in(username: str) -> Client:
    from bench.figures import session_for

    _user, key = session_for(username)
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = key
    return client


@pytest.fixture(scope="module", autouse=True)
def fresh_statistics_after(django_db_blocker):
    """The generator ANALYZEs 30,000 cases; the flush after the test empties the tables but
    leaves those statistics, and later tests' small queries were planned for the big data (a
    report's query took minutes). Once the module is done (after the flush), analyse again."""
    yield
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("ANALYZE")


@pytest.fixture
def national(settings):
    from bench.national import generate

    settings.ALLOWED_HOSTS = ["testserver"]
    return generate(scale=0.1, seed=1, log=lambda *_a, **_k: None)


def test_the_hot_pages_use_their_indexes_at_ten_percent_scale(national):
    from django.db.models import Min

    from casework.models import Area, Case

    busy = national["busiest_commune"]
    commune = Area.objects.get(pk=busy["id"])
    province_code = commune.path.strip("/").split("/")[0]
    long_case = Case.objects.select_related("commune").get(pk=national["long_case"])
    pages = [
        (f"officer_{busy['code']}", "/work/"),
        (f"officer_{busy['code']}", "/cases/"),
        (f"officer_{busy['code']}", "/api/cases/"),
        (f"sup_{province_code}", "/cases/"),
        (f"sup_{province_code}", "/api/cases/"),
        (f"sup_{province_code}", "/area/"),
        (f"officer_{long_case.commune.code}", f"/cases/{long_case.pk}/"),
    ]
    report = {}
    checked = 0
    with connection.cursor() as cursor:
        for who, url in pages:
            client = _signed_in(who)
            client.get(url)  # warm: the first request of a session writes it
            for sql, params in _captured_selects(client, url):
                cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
                raw = cursor.fetchone()[0]
                plan = (json.loads(raw) if isinstance(raw, str) else raw)[0]["Plan"]
                if not _tables(plan) & BIG:
                    continue
                checked += 1
                problems = _problems(plan)
                if problems:
                    report.setdefault(f"{who} {url}", []).append((problems, sql[:300]))
    assert checked >= len(pages), "every page ran at least one query over a big table"
    # The walker itself can fail: the work list's old order, an aggregate over every visible
    # case's clocks before the LIMIT, must be caught.
    old = (Case.objects.filter(commune__path__startswith=f"/{province_code}/")
           .annotate(first_due=Min("deadlines__due_at")).order_by("first_due")[:50])
    sql, params = old.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        raw = cursor.fetchone()[0]
    assert _problems((json.loads(raw) if isinstance(raw, str) else raw)[0]["Plan"]), "the control is caught"
    print(f"{checked} queries over big tables checked on {len(pages)} pages")
    assert not report, json.dumps(report, ensure_ascii=False, indent=1)
