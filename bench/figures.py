#!/usr/bin/env python3
"""Every figure of issue 14 on a database that ``manage.py gen_national`` filled.

    DATABASE_URL=postgres://... .venv/bin/python bench/figures.py --summary var/gen_national.json

Prints one JSON line per figure (``name``, ``value``, ``unit``, ``scale``, ``detail``) on stdout;
progress on stderr. Figures, never pass/fail. ``make bench`` (bench/run.py) drives it per scale.
Mutates the database (transitions are real): run it on a throw-away copy.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing as mp
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

SCALE = 0.0
OUT_FILE = ""


def emit(name, value, unit, **detail):
    row = {"name": name, "value": round(value, 3) if isinstance(value, float) else value, "unit": unit,
           "scale": SCALE, "detail": detail}
    line = json.dumps(row, ensure_ascii=False)
    print(line, flush=True)
    if OUT_FILE:
        with open(OUT_FILE, "a") as f:
            f.write(line + "\n")


def log(msg):
    print(f"bench: {msg}", file=sys.stderr, flush=True)


def pct(samples, p):
    s = sorted(samples)
    return s[min(len(s) - 1, max(0, round(p / 100 * len(s)) - 1))]


# ----------------------------------------------------------------------------- sign-in

def session_for(username) -> tuple[object, str]:
    """A signed-in session (second factor included) for ``username``: (user, session key)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = get_user_model().objects.get(username=username)
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
    s = SessionStore()
    s[SESSION_KEY] = str(user.pk)
    s[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    s[HASH_SESSION_KEY] = user.get_session_auth_hash()
    s[DEVICE_ID_SESSION_KEY] = device.persistent_id
    s.create()
    return user, s.session_key


def client_for(username):
    from django.conf import settings
    from django.test import Client

    _user, key = session_for(username)
    c = Client()
    c.cookies[settings.SESSION_COOKIE_NAME] = key
    return c


# ----------------------------------------------------------------------------- pages

def pages(summary, runs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from casework.models import Area, Case

    busy = summary["busiest_commune"]
    long_case = Case.objects.select_related("commune").get(pk=summary["long_case"])
    busy_commune = Area.objects.get(pk=busy["id"])
    supervisor = f"sup_{busy_commune.path.strip('/').split('/')[0]}"
    visible_officer = Case.objects.filter(commune_id=busy["id"]).count()
    province_path = "/" + busy_commune.path.strip("/").split("/")[0] + "/"
    province_cases = Case.objects.filter(commune__path__startswith=province_path).count()
    targets = [
        ("page.worklist", f"officer_{busy['code']}", "/work/", 50, {"visible_cases": visible_officer}),
        ("page.supervisor_cases", supervisor, "/cases/", 50, {"visible_cases": province_cases}),
        ("page.api_cases", supervisor, "/api/cases/", 50, {"visible_cases": province_cases}),
        ("page.api_cases_officer", f"officer_{busy['code']}", "/api/cases/", 50, {"visible_cases": visible_officer}),
        ("page.case_300_events", f"officer_{long_case.commune.code}", f"/cases/{long_case.pk}/", 80,
         {"events": long_case.events.count()}),
        ("page.province_dashboard", supervisor, "/area/", 300, {"visible_cases": province_cases}),
    ]
    for name, who, url, target, detail in targets:
        c = client_for(who)
        for _ in range(3):
            r = c.get(url)
            assert r.status_code == 200, (name, url, r.status_code)
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            c.get(url)
            times.append((time.perf_counter() - t0) * 1000)
        with CaptureQueriesContext(connection) as q:
            c.get(url)
        emit(f"{name}.p50", statistics.median(times), "ms", url=url, user=who, runs=runs, **detail)
        emit(f"{name}.p95", pct(times, 95), "ms", url=url, user=who, target_ms=target, **detail)
        sql_ms = sum(float(x["time"]) for x in q.captured_queries) * 1000
        emit(f"{name}.queries", len(q), "queries", url=url, sql_ms=round(sql_ms, 1))
        log(f"{name}: p50 {statistics.median(times):.1f} ms, p95 {pct(times, 95):.1f} ms, {len(q)} queries")
    return targets


# ----------------------------------------------------------------------------- transitions

def _durable():
    from django.db import connection

    with connection.cursor() as cur:
        for setting in ("fsync", "synchronous_commit", "full_page_writes"):
            cur.execute(f"ALTER SYSTEM SET {setting} = on")
        cur.execute("SELECT pg_reload_conf()")
    connection.close()
    time.sleep(0.5)


def _service_worker(case_ids, officer, seconds, out):
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from casework.models import Case
    from casework.services.lifecycle import case_level_change

    user = get_user_model().objects.get(username=officer)
    levels = dict(Case.objects.filter(pk__in=case_ids).values_list("pk", "level"))
    n, end = 0, time.perf_counter() + seconds
    while time.perf_counter() < end:
        for pk in case_ids:
            to = "intervention" if levels[pk] == "support" else "support"
            case_level_change(actor=user, case_id=pk, level=to, reason="Đánh giá lại mức độ.")
            levels[pk] = to
            n += 1
            if time.perf_counter() >= end:
                break
    out.put(n)


def _sql_worker(case_ids, url, seconds, out):
    import psycopg

    conn = psycopg.connect(url)
    n, end = 0, time.perf_counter() + seconds
    seqs = dict.fromkeys(case_ids, 1_000_000 + os.getpid() % 1000 * 1000)
    while time.perf_counter() < end:
        for pk in case_ids:
            with conn.transaction(), conn.cursor() as cur:
                cur.execute("SELECT id, level, version FROM casework_case WHERE id = %s FOR UPDATE", (pk,))
                _id, level, _version = cur.fetchone()
                to = "intervention" if level == "support" else "support"
                cur.execute("UPDATE casework_case SET level = %s, version = version + 1, updated_at = now() "
                            "WHERE id = %s", (to, pk))
                seqs[pk] += 1
                cur.execute(
                    "INSERT INTO casework_caseevent (case_id, type, at, actor_name, actor_role, actor_organisation,"
                    " from_state, to_state, reason, changes, data, seq, prev_hash, hash, fingerprint)"
                    " VALUES (%s, 250, now(), 'bench', '', '', %s, %s, 'floor', '{}', '{}', %s, '', '', '{}')",
                    (pk, level, to, seqs[pk]))
            n += 1
            if time.perf_counter() >= end:
                break
    conn.close()
    out.put(n)


def transitions(summary, seconds):
    from django.db import connection

    from casework.models import Case

    if connection.vendor != "postgresql":
        log("transitions: PostgreSQL only")
        return
    _durable()
    # Open cases at support level in the busiest commune: the officer may change their level.
    code = summary["busiest_commune"]["code"]
    ids = list(Case.objects.filter(commune_id=summary["busiest_commune"]["id"], status="implementing",
                                   level__in=["support", "intervention"]).order_by("pk")
               .values_list("pk", flat=True)[:40])
    if len(ids) < 4:
        log("transitions: not enough cases")
        return
    url = connection.settings_dict
    dsn = os.environ["DATABASE_URL"]
    connection.close()
    ctx = mp.get_context("spawn")
    results = {}
    for kind, target in (("service", _service_worker), ("sql", _sql_worker)):
        for clients in (1, 2):
            q = ctx.Queue()
            halves = [ids[i::clients] for i in range(clients)]
            arg = f"officer_{code}" if kind == "service" else dsn
            procs = [ctx.Process(target=target, args=(h, arg, seconds, q)) for h in halves]
            for p in procs:
                p.start()
            total = sum(q.get() for _ in procs)
            for p in procs:
                p.join()
            rate = total / seconds
            results[(kind, clients)] = rate
            emit(f"transition.{kind}.{clients}_client", rate, "per_s", seconds=seconds, cases=len(ids),
                 path="casework.services.lifecycle.case_level_change" if kind == "service"
                 else "lock + update + event insert + commit", durable=True)
            log(f"transition {kind} x{clients}: {rate:.0f}/s")
    for clients in (1, 2):
        emit(f"transition.ratio.{clients}_client", results[("service", clients)] / results[("sql", clients)],
             "ratio", target=0.5)
    del url
    # Statements of one service transition (not timed).
    from django.contrib.auth import get_user_model
    from django.test.utils import CaptureQueriesContext

    from casework.services.lifecycle import case_level_change

    user = get_user_model().objects.get(username=f"officer_{code}")
    case = Case.objects.get(pk=ids[0])
    to = "intervention" if case.level == "support" else "support"
    with CaptureQueriesContext(connection) as cq:
        case_level_change(actor=user, case_id=case.pk, level=to, reason="Đánh giá lại.")
    commits = sum(1 for x in cq.captured_queries if x["sql"].upper().startswith(("COMMIT", "RELEASE")))
    emit("transition.service.statements", len(cq), "queries", commits_or_releases=commits)


# ----------------------------------------------------------------------------- reports

REPORT_SQL = {
    # Hand-written SQL for three headline figures of the annual report (Circular 13): the
    # abused children found in the period, the incidents and the share of emergency clocks met.
    ("0101", "abused_children"): """
        SELECT count(DISTINCT c.child_id) FROM casework_case c JOIN casework_intake i ON i.id = c.intake_id
        JOIN casework_area a ON a.id = c.incident_commune_id
        WHERE i.classification = 'abused' AND i.received_at >= %(start)s AND i.received_at < %(end)s
          AND a.path LIKE %(path)s""",
    ("BV02", "incidents"): """
        SELECT count(DISTINCT c.incident_id) FROM casework_case c JOIN casework_intake i ON i.id = c.intake_id
        JOIN casework_area a ON a.id = c.incident_commune_id
        WHERE i.received_at >= %(start)s AND i.received_at < %(end)s AND a.path LIKE %(path)s""",
    ("BV09", "emergency_on_time"): """
        SELECT count(*) FILTER (WHERE d.met_at IS NOT NULL AND d.met_at <= d.due_at), count(*)
        FROM casework_casedeadline d JOIN casework_case c ON c.id = d.case_id
        JOIN casework_area a ON a.id = c.incident_commune_id
        WHERE d.kind = 'emergency_measures' AND d.due_at >= %(start)s AND d.due_at < %(end)s
          AND a.path LIKE %(path)s""",
}


# The whole annual report written by hand, as a DBA would for PostgreSQL: the same figures as
# reports/compiled.py (every indicator's headline and breakdowns), each family in one statement
# with GROUPING SETS, the finding case by DISTINCT ON. Age bands are the seeded ones (0-5, 6-10,
# 11-15). The headline totals are checked against the app's (detail "same_headlines").
_COUNTED = """
  WITH area AS (SELECT id FROM casework_area WHERE path LIKE %(path)s),
  q AS (SELECT c.id, c.child_id, c.incident_id, c.incident_commune_id, c.environment, c.criminal_track,
               i.received_at, i.classification
        FROM casework_case c JOIN casework_intake i ON i.id = c.intake_id
        WHERE c.status <> 'not_eligible' AND i.received_at >= %(start)s AND i.received_at < %(end)s)"""
_AGE = """
  CASE WHEN ch.date_of_birth IS NOT NULL
         THEN date_part('year', age((f.received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, ch.date_of_birth))
       WHEN ch.estimated_age IS NOT NULL
         THEN ch.estimated_age + greatest(0, date_part('year', age((f.received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date,
                coalesce(ch.estimated_age_on, (ch.created_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date)))) END"""
_BAND = f"CASE WHEN ({_AGE}) BETWEEN 0 AND 5 THEN '0-5' WHEN ({_AGE}) BETWEEN 6 AND 10 THEN '6-10' " \
        f"WHEN ({_AGE}) BETWEEN 11 AND 15 THEN '11-15' ELSE 'unknown' END"
_SUPPORTED = """(EXISTS (SELECT 1 FROM casework_plan p JOIN casework_case pc ON pc.id = p.case_id
                 WHERE pc.child_id = f.child_id AND p.status IN ('approved', 'superseded', 'ended'))
        OR EXISTS (SELECT 1 FROM casework_emergencymeasure m JOIN casework_case mc ON mc.id = m.case_id
                 WHERE mc.child_id = f.child_id AND m.status = 'taken'))"""
_SPECIAL = "EXISTS (SELECT 1 FROM casework_case_special_groups g WHERE g.case_id = q.id)"
WHOLE_REPORT_SQL = {
    "abused_children": _COUNTED + f""",
  found AS (SELECT DISTINCT ON (child_id) * FROM q WHERE classification = 'abused' ORDER BY child_id, received_at, id)
  SELECT f.incident_commune_id, ch.sex, {_BAND} AS band, coalesce(nullif(f.environment, ''), inc.environment) AS env,
         coalesce((SELECT coalesce(pt.code, t.code) FROM casework_caseabuseform af JOIN casework_term t ON t.id = af.term_id
                   LEFT JOIN casework_term pt ON pt.id = t.parent_id WHERE af.case_id = f.id AND af."primary" LIMIT 1),
                  'none') AS form,
         count(*), count(*) FILTER (WHERE {_SUPPORTED}), GROUPING(f.incident_commune_id)
  FROM found f JOIN area ON area.id = f.incident_commune_id JOIN casework_child ch ON ch.id = f.child_id
  JOIN casework_incident inc ON inc.id = f.incident_id
  GROUP BY GROUPING SETS ((f.incident_commune_id, ch.sex, band), (f.incident_commune_id, ch.sex),
                          (f.incident_commune_id, band), (f.incident_commune_id), (ch.sex, band, env, form),
                          (form, ch.sex), (form, band), (env, ch.sex), (env, band), (form), (env), (ch.sex), (band), ())""",
    "special_children": _COUNTED + f""",
  found AS (SELECT DISTINCT ON (child_id) * FROM q WHERE {_SPECIAL} ORDER BY child_id, received_at, id)
  SELECT f.incident_commune_id, ch.sex, {_BAND} AS band, count(*), count(*) FILTER (WHERE {_SUPPORTED})
  FROM found f JOIN area ON area.id = f.incident_commune_id JOIN casework_child ch ON ch.id = f.child_id
  GROUP BY GROUPING SETS ((f.incident_commune_id, ch.sex), (f.incident_commune_id, band), (f.incident_commune_id),
                          (ch.sex), (band), ())""",
    "special_groups": _COUNTED + f""",
  found AS (SELECT DISTINCT ON (child_id) * FROM q WHERE {_SPECIAL} ORDER BY child_id, received_at, id)
  SELECT t.code, ch.sex, {_BAND} AS band, count(*), count(*) FILTER (WHERE {_SUPPORTED})
  FROM found f JOIN area ON area.id = f.incident_commune_id JOIN casework_child ch ON ch.id = f.child_id
  JOIN casework_case_special_groups g ON g.case_id = f.id JOIN casework_term t ON t.id = g.term_id
  GROUP BY GROUPING SETS ((t.code, ch.sex), (t.code, band), (t.code))""",
    "incidents": _COUNTED + """
  SELECT inc.environment, q.incident_commune_id, count(DISTINCT q.incident_id)
  FROM q JOIN area ON area.id = q.incident_commune_id JOIN casework_incident inc ON inc.id = q.incident_id
  WHERE q.classification = 'abused'
  GROUP BY GROUPING SETS ((inc.environment), (q.incident_commune_id), ())""",
    "perpetrators": _COUNTED + """
  SELECT coalesce(t.code, 'unknown'), p.is_child, count(*)
  FROM casework_perpetrator p LEFT JOIN casework_term t ON t.id = p.relation_id
  WHERE p.incident_id IN (SELECT q.incident_id FROM q JOIN area ON area.id = q.incident_commune_id
                          WHERE q.classification = 'abused')
  GROUP BY GROUPING SETS ((1), (2), ())""",
    "police_referrals": _COUNTED + """
  SELECT q.incident_commune_id, count(*) FROM q JOIN area ON area.id = q.incident_commune_id
  WHERE q.criminal_track <> ''
     OR EXISTS (SELECT 1 FROM casework_task tk JOIN casework_organisation o ON o.id = tk.organisation_id
                WHERE tk.case_id = q.id AND o.kind = 'police')
     OR EXISTS (SELECT 1 FROM casework_emergencymeasure m JOIN casework_organisation o ON o.id = m.responsible_id
                WHERE m.case_id = q.id AND o.kind = 'police')
  GROUP BY GROUPING SETS ((1), ())""",
    "clocks": """
  SELECT d.kind, c.commune_id, count(*) FILTER (WHERE d.state = 'met'),
         count(*) FILTER (WHERE d.state = 'breached' OR (d.state = 'running' AND d.due_at < now()))
  FROM casework_casedeadline d JOIN casework_case c ON c.id = d.case_id
  WHERE d.kind IN ('emergency_measures', 'plan_draft', 'plan_approval', 'verification')
    AND d.starts_at >= %(start)s AND d.starts_at < %(end)s AND c.status <> 'not_eligible'
    AND c.commune_id IN (SELECT id FROM casework_area WHERE path LIKE %(path)s)
  GROUP BY GROUPING SETS ((d.kind, c.commune_id), (d.kind))""",
}


def whole_report_sql(area_path: str, start, end) -> tuple[float, dict]:
    """Run the hand-written report (JIT off, as the app's report runs); its time and headlines."""
    from django.db import connection, transaction

    params = {"start": start, "end": end, "path": area_path + "%"}
    heads = {}
    t0 = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET LOCAL jit = off")
        for name, sql in WHOLE_REPORT_SQL.items():
            cur.execute(sql, params)
            rows = cur.fetchall()
            if name in ("abused_children", "special_children"):
                heads[name] = next(r[-3 if name == "abused_children" else -2] for r in rows
                                   if all(v is None for v in r[:3]))
            elif name in ("incidents", "perpetrators", "police_referrals"):
                heads[name] = next(r[-1] for r in rows if all(v is None for v in r[:-1]))
    return time.perf_counter() - t0, heads


def reports(summary):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from casework.models import Area, Organisation
    from reports.figures import compile_figures
    from reports.indicators import indicator_value

    province = Area.objects.get(pk=summary["province"]["id"])
    body = Organisation.objects.filter(area=province, kind="supervisory").first()
    nation = Area(pk=0, code="VN", name="Toàn quốc", kind="province", path="/")
    start, end = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
    begin = dt.datetime(2026, 1, 1, tzinfo=dt.UTC) - dt.timedelta(hours=7)
    after = dt.datetime(2027, 1, 1, tzinfo=dt.UTC) - dt.timedelta(hours=7)
    for label, area in (("province", province), ("national", nation)):
        times, sql_times = [], []
        for _ in range(3 if SCALE < 1 or label == "province" else 2):
            with CaptureQueriesContext(connection) as q:
                t0 = time.perf_counter()
                doc = compile_figures(body=body, area=area, start=start, end=end)
                times.append(time.perf_counter() - t0)
            # Back to back in the same process: the app's report, then the hand-written one.
            hand, heads = whole_report_sql(area.path, begin, after)
            sql_times.append(hand)
        emit(f"report.{label}.annual", min(times), "s", area=area.name, first_run_s=round(times[0], 3),
             target_s=1 if label == "province" else 5)
        emit(f"report.{label}.annual.queries", len(q), "queries",
             sql_s=round(sum(float(x["time"]) for x in q.captured_queries), 3))
        app_heads = {i["code"]: i["value"] for i in doc["indicators"]}
        same = (heads.get("abused_children") == app_heads.get("0101")
                and heads.get("special_children") == app_heads.get("BV06")
                and heads.get("incidents") == app_heads.get("BV02")
                and heads.get("perpetrators") == app_heads.get("BV03")
                and heads.get("police_referrals") == app_heads.get("BV08"))
        emit(f"report.{label}.annual_sql", min(sql_times), "s", statements=len(WHOLE_REPORT_SQL),
             same_headlines=same, note="the whole report by hand: GROUPING SETS, DISTINCT ON")
        emit(f"report.{label}.annual_ratio", min(times) / min(sql_times), "ratio", target=2)
        log(f"report {label}: {min(times):.2f} s, hand-written {min(sql_times):.2f} s, same headlines: {same}")
        orm_total, sql_total = 0.0, 0.0
        for (code, label_), sql in REPORT_SQL.items():
            t0 = time.perf_counter()
            indicator_value(code, area_path=area.path, start=start, end=end)
            orm = time.perf_counter() - t0
            t0 = time.perf_counter()
            with connection.cursor() as cur:
                cur.execute(sql, {"start": begin, "end": after, "path": area.path + "%"})
                cur.fetchall()
            hand = time.perf_counter() - t0
            orm_total, sql_total = orm_total + orm, sql_total + hand
            emit(f"report.{label}.{label_}.app", orm * 1000, "ms", indicator=code)
            emit(f"report.{label}.{label_}.sql", hand * 1000, "ms", indicator=code)
        emit(f"report.{label}.headline_ratio", orm_total / sql_total if sql_total else 0, "ratio",
             note="three headline figures, app vs hand-written SQL", target=2)


# ----------------------------------------------------------------------------- HTTP

def _rss_kb(pid) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        return 0
    return 0


def count_app(environ, start_response):
    """The project's WSGI application, counting the SQL statements of each request into the
    ``X-Bench-Queries`` response header (bench only: ``http()`` serves it for a short
    sequential pass; the timed load goes through ``config.wsgi`` itself)."""
    from django.db import connection

    from config.wsgi import application

    n, started = [0], []

    def counting(execute, sql, params, many, context):
        n[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counting):
        result = application(environ, lambda status, headers, exc_info=None: started.append((status, headers)))
        try:
            body = b"".join(result)
        finally:
            result.close()  # request_finished: what Django does at the end of every request
    # The count is known only once the response is complete: the headers go out after it.
    status, headers = started[-1]
    start_response(status, [*headers, ("X-Bench-Queries", str(n[0]))])
    return [body]


def _load(port, url, cookie, clients, seconds, out):
    """The load generator, in its own process so it does not share the bench's interpreter:
    ``clients`` threads, each one HTTP/1.1 connection reused while the server keeps it open, one
    request at a time (bounded: never more than ``clients`` requests in flight). Puts
    (latencies in ms, errors, CPU seconds it used)."""
    import http.client
    import resource

    lat, errors, lock = [], [0], threading.Lock()
    stop = time.perf_counter() + seconds

    def run():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.perf_counter() < stop:
            t0 = time.perf_counter()
            try:
                conn.request("GET", url, headers={"Cookie": cookie, "Host": "127.0.0.1"})
                r = conn.getresponse()
                r.read()
                ok = r.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            with lock:
                if ok:
                    lat.append((time.perf_counter() - t0) * 1000)
                else:
                    errors[0] += 1

    threads = [threading.Thread(target=run) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ru = resource.getrusage(resource.RUSAGE_SELF)
    out.put((lat, errors[0], ru.ru_utime + ru.ru_stime))


def _gunicorn(port, workers, app="config.wsgi:application"):
    """gunicorn as deployed (config/gunicorn.py), on loopback; returns the process once it answers."""
    import http.client

    env = {**os.environ, "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost", "GUNICORN_BIND": f"127.0.0.1:{port}",
           "GUNICORN_WORKERS": str(workers), "GUNICORN_ACCESSLOG": "/dev/null", "GUNICORN_LOGLEVEL": "warning"}
    server = subprocess.Popen([str(ROOT / ".venv/bin/gunicorn"), "-c", "config/gunicorn.py", "--pythonpath", "bench",
                               app], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/login/")
            conn.getresponse().read()
            break
        except OSError:
            time.sleep(0.3)
    return server


def _stop(server):
    server.terminate()
    try:
        server.wait(10)
    except subprocess.TimeoutExpired:
        server.kill()


def http(summary, seconds, clients=4, workers=None):
    """HTTP under load: gunicorn with config/gunicorn.py (2 × cores + 1 sync workers), a bounded
    load generator in its own process (``clients`` keep-alive connections), 60 s per URL by
    default. Also, per URL: the statements of one request over HTTP and the latency of one
    client alone, so the cost of concurrency on two shared cores can be told from the page's."""
    import http.client

    from django.conf import settings

    from casework.models import Case

    workers = workers or 2 * os.cpu_count() + 1
    busy = summary["busiest_commune"]
    _user, key = session_for(f"officer_{busy['code']}")
    case_id = Case.objects.filter(commune_id=busy["id"], status="implementing").values_list("pk", flat=True).first()
    cookie = f"{settings.SESSION_COOKIE_NAME}={key}"
    urls = (("worklist", "/work/"), ("case_page", f"/cases/{case_id}/"))
    port = 18000 + os.getpid() % 1000
    # 1. One worker that counts statements; one client alone, 20 requests after 3 warm-ups.
    server = _gunicorn(port, 1, "figures:count_app")
    try:
        for label, url in urls:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            lat, queries = [], 0
            for i in range(23):
                t0 = time.perf_counter()
                conn.request("GET", url, headers={"Cookie": cookie, "Host": "127.0.0.1"})
                r = conn.getresponse()
                r.read()
                queries = int(r.getheader("X-Bench-Queries") or 0)
                if i >= 3:
                    lat.append((time.perf_counter() - t0) * 1000)
            emit(f"http.{label}.queries_per_request", queries, "queries", url=url)
            emit(f"http.{label}.one_client_p50", statistics.median(lat), "ms", url=url, runs=len(lat))
            log(f"http {label}: {queries} statements per request, one client p50 {statistics.median(lat):.0f} ms")
    finally:
        _stop(server)
    # 2. The load.
    server = _gunicorn(port + 1, workers)
    ctx = mp.get_context("spawn")
    try:
        for label, url in urls:
            # Warm every worker first (untimed): a worker's first page costs ≈ 0.8 s (imports,
            # templates, catalogs), which a short run would otherwise count in its p99.
            for timed, span in ((False, max(3.0, min(10.0, seconds / 6))), (True, seconds)):
                q = ctx.Queue()
                gen = ctx.Process(target=_load, args=(port + 1, url, cookie, max(clients, workers) if not timed
                                                      else clients, span, q))
                gen.start()
                lat, errors, cpu = q.get()
                gen.join()
            emit(f"http.{label}.req_per_s", len(lat) / seconds, "per_s", url=url, seconds=seconds, clients=clients,
                 workers=workers, target=200 if label == "worklist" else None)
            emit(f"http.{label}.p50", pct(lat, 50) if lat else 0, "ms")
            emit(f"http.{label}.p99", pct(lat, 99) if lat else 0, "ms", target_ms=250 if label == "worklist" else None)
            emit(f"http.{label}.errors", errors, "count")
            emit(f"http.{label}.loadgen_cpu", cpu / seconds, "cores", note="CPU the load generator used, of one core")
            log(f"http {label}: {len(lat) / seconds:.1f} req/s, p50 {pct(lat, 50) if lat else 0:.0f} ms, "
                f"p99 {pct(lat, 99) if lat else 0:.0f} ms, {errors} errors, load generator {cpu / seconds:.2f} cores")
        kids = subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True, text=True).stdout.split()
        peak = max((_rss_kb(int(p)) for p in kids), default=0)
        emit("memory.web_worker_peak_rss", peak / 1024, "MB", workers=len(kids), target_mb=250)
    finally:
        _stop(server)


# ----------------------------------------------------------------------------- export

def export_memory():
    """The app's case-list export (casework/exports.py ``write_case_list``, what
    ``/cases/export.xlsx`` runs after the access function) over 100,000 cases, in a child
    process, by its peak RSS; the process's RSS before the export is given beside it."""
    code = r"""
import os, sys, resource, tempfile
sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
import django; django.setup()
from django.utils import translation
translation.activate("vi")
from casework.exports import write_case_list
from casework.models import Case
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
with tempfile.SpooledTemporaryFile(max_size=2**20) as out:
    n = write_case_list(Case.objects.all(), out)
    size = out.tell()
print(n, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, before, size)
"""
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, env=os.environ)
    if out.returncode != 0:
        log(f"export failed: {out.stderr[-400:]}")
        return
    rows, rss, before, size = out.stdout.split()
    emit("memory.xlsx_export_peak_rss", int(rss) / 1024, "MB", rows=int(rows), seconds=round(time.perf_counter() - t0, 1),
         rss_before_mb=round(int(before) / 1024, 1), file_mb=round(int(size) / 2**20, 1),
         path="casework.exports.write_case_list (/cases/export.xlsx)", target_mb=300)
    log(f"export: {rows} rows, peak {int(rss) / 1024:.0f} MB")


def main() -> int:
    global SCALE, OUT_FILE
    p = argparse.ArgumentParser()
    p.add_argument("--summary", default="var/gen_national.json")
    p.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS", 30)))
    p.add_argument("--transition-seconds", type=float, default=float(os.environ.get("BENCH_TX_SECONDS", 10)))
    p.add_argument("--http-seconds", type=float, default=float(os.environ.get("BENCH_HTTP_SECONDS", 60)))
    p.add_argument("--only", default=os.environ.get("BENCH_ONLY", "pages,reports,http,export,transitions"))
    p.add_argument("--out", default="")
    args = p.parse_args()
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
    summary = json.loads(Path(args.summary).read_text())
    SCALE, OUT_FILE = summary["scale"], args.out
    only = set(args.only.split(","))
    failed = 0
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT pg_database_size(current_database()), pg_total_relation_size('casework_caseevent'),"
                        " (SELECT count(*) FROM casework_caseevent)")
            total, events, n_events = cur.fetchone()
        emit("data.database_size", total / 2**20, "MB", events=n_events,
             caseevent_table_mb=round(events / 2**20, 1), bytes_per_event=round(events / max(n_events, 1)))
    for name, run in (("pages", lambda: pages(summary, args.runs)), ("reports", lambda: reports(summary)),
                      ("http", lambda: http(summary, args.http_seconds)), ("export", export_memory),
                      # last: it turns durable commits on and changes cases
                      ("transitions", lambda: transitions(summary, args.transition_seconds))):
        if name not in only:
            continue
        try:
            run()
        except Exception as exc:  # one broken figure must not hide the others
            import traceback

            traceback.print_exc()
            log(f"{name} FAILED: {exc!r}")
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
