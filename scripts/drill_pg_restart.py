#!/usr/bin/env python3
"""Fault drill: PostgreSQL restarted during a stream of transitions through the API.

    .venv/bin/python scripts/drill_pg_restart.py [--cases 40] [--workers 3] [--mode immediate|fast]

1. a throw-away PostgreSQL (scripts/pg_test_cluster.py), migrated, with the demo cast and
   ``--cases`` new cases of commune A;
2. the application served by a real server process (gunicorn if installed, else runserver),
   talking to that PostgreSQL;
3. ``--workers`` clients walk every case through three transitions over the API (start
   verification, record it, start the initial assessment) as officer_a with an API token,
   each change sent with the case version it is based on; a 503 is retried after its
   Retry-After (capped at 1 s here), a connection error too, with the *same* version — so a
   change that was committed although its answer was lost comes back 409 ``stale_version`` and is
   not applied twice (recording the findings is not a state transition: without the version, a
   retry would record them twice — the first run of this drill found exactly that);
4. after a second, PostgreSQL is stopped (``-m immediate`` by default: like a crash, no
   checkpoint) and started again on the same port;
5. then the database is checked: every acknowledged (2xx) transition is on the timeline exactly
   once, no transition is on it twice, every answer with status >= 500 was JSON, and
   ``verify_audit`` finds the hash chains intact.

Exit 0 when all of it holds; prints a summary (docs/operations.md records the results).
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.pg_test_cluster import free_port, temporary_cluster  # noqa: E402

STEPS = [("start-verification", {}, 201), ("record-verification", {"findings": "Đã xác minh (diễn tập)."}, 202),
         ("start-initial-assessment", {}, 209)]


def pg_restart(pg, mode: str, down_seconds: float) -> float:
    started = time.monotonic()
    pg_ctl = str(pg.bindir / "pg_ctl")
    pg._run_server_tool([pg_ctl, "-D", str(pg.datadir), "-m", mode, "-w", "-t", "30", "stop"])
    time.sleep(down_seconds)
    r = pg._run_server_tool([pg_ctl, "-D", str(pg.datadir), "-l", str(pg.logfile), "-o", f"-p {pg.port}",
                             "-w", "-t", "60", "start"])
    if r.returncode != 0:
        raise SystemExit(f"restart failed: {r.stdout}{r.stderr}")
    return time.monotonic() - started


def setup(n_cases: int) -> tuple[dict[int, int], str]:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from casework.demo import build_world
    from casework.services.intake import case_open
    from permissions.tokens import token_for
    from tests.conftest import intake_input

    world = build_world(password=None)
    cases = [case_open(actor=world.users["counsellor_a"], data=intake_input(world)) for _ in range(n_cases)]
    return {c.pk: c.version for c in cases}, token_for(world.users["officer_a"]).key


def serve(port: int, env: dict) -> subprocess.Popen:
    python = sys.executable
    try:
        import gunicorn  # noqa: F401
        cmd = [python, "-m", "gunicorn", "-c", str(ROOT / "config" / "gunicorn.py"), "-b", f"127.0.0.1:{port}",
               "config.wsgi:application"]
    except ImportError:
        cmd = [python, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=open(ROOT / "var" / "drill-server.log", "w"))
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=10)
            return proc
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not start (var/drill-server.log)")


class Stream:
    def __init__(self, base: str, token: str):
        self.base, self.token = base, token
        self.lock = threading.Lock()
        self.answers: collections.Counter = collections.Counter()
        self.acked: list[tuple[int, int]] = []         # (case, event type) answered 2xx
        self.ambiguous: list[tuple[int, int]] = []     # a retry answered 409: applied before?
        self.html_errors = 0

    def call(self, path: str, body: dict | None = None) -> tuple[int, str, dict, dict]:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method="GET" if body is None else "POST", headers={
            "Authorization": f"Token {self.token}", "Content-Type": "application/json", "Accept-Language": "en"})
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return r.status, r.headers.get("Content-Type", ""), dict(r.headers), json.loads(r.read() or b"{}")
        except urllib.error.HTTPError as e:
            ctype = e.headers.get("Content-Type", "")
            payload = e.read()
            return e.code, ctype, dict(e.headers), json.loads(payload) if ctype.startswith("application/json") else {}
        except (urllib.error.URLError, ConnectionError, TimeoutError, json.JSONDecodeError):
            return 0, "", {}, {}

    def version_of(self, case_id: int) -> int:
        while True:
            status, _ctype, _headers, payload = self.call(f"/api/cases/{case_id}/")
            if status == 200:
                return payload["version"]
            time.sleep(0.5)

    def walk(self, versions: dict[int, int]) -> None:
        for case_id, version in versions.items():
            for slug, body, event_type in STEPS:
                retried = False
                while True:
                    status, ctype, headers, payload = self.call(f"/api/cases/{case_id}/actions/{slug}/",
                                                                {**body, "version": version})
                    with self.lock:
                        self.answers[status] += 1
                        if status >= 500 and not ctype.startswith("application/json"):
                            self.html_errors += 1
                    if 200 <= status < 300:
                        version = payload["version"]
                        with self.lock:
                            self.acked.append((case_id, event_type))
                        break
                    if status == 409 and retried:
                        # Committed on an earlier attempt whose answer was lost: not applied again.
                        version = self.version_of(case_id)
                        with self.lock:
                            self.ambiguous.append((case_id, event_type))
                        break
                    if status in (0, 503) or status >= 500:
                        retried = True
                        time.sleep(min(float(headers.get("Retry-After", 1)), 1.0))
                        continue
                    raise SystemExit(f"unexpected answer {status} on case {case_id} {slug}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=40)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--mode", default="immediate", choices=["immediate", "fast"])
    parser.add_argument("--down", type=float, default=2.0, help="seconds PostgreSQL stays down")
    args = parser.parse_args()
    (ROOT / "var").mkdir(exist_ok=True)
    with temporary_cluster() as pg:
        env = {**os.environ, **pg.env(), "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "0",
               "GUNICORN_WORKERS": os.environ.get("GUNICORN_WORKERS", "3"), "GUNICORN_ACCESSLOG": "/dev/null"}
        os.environ.update(env)
        versions, token = setup(args.cases)
        case_ids = list(versions)
        from django.db import connection

        connection.close()
        port = free_port()
        server = serve(port, env)
        try:
            stream = Stream(f"http://127.0.0.1:{port}", token)
            shares = [{c: versions[c] for c in case_ids[i::args.workers]} for i in range(args.workers)]
            threads = [threading.Thread(target=stream.walk, args=(s,)) for s in shares]
            began = time.monotonic()
            for t in threads:
                t.start()
            time.sleep(1.0)
            outage = pg_restart(pg, args.mode, args.down)
            for t in threads:
                t.join()
            elapsed = time.monotonic() - began
        finally:
            server.terminate()
            server.wait(10)
        from casework.audit import verify_audit
        from casework.models import CaseEvent

        connection.close()
        counts = collections.Counter(CaseEvent.objects.filter(case_id__in=case_ids, type__in=[s[2] for s in STEPS])
                                     .values_list("case_id", "type"))
        lost = [a for a in stream.acked if counts[a] == 0]
        doubled = [k for k, n in counts.items() if n > 1]
        report = verify_audit(case_ids=case_ids)
        summary = {
            "postgres": pg.version, "mode": args.mode, "down_seconds": args.down, "outage_seconds": round(outage, 2),
            "stream_seconds": round(elapsed, 2), "cases": len(case_ids), "transitions": len(case_ids) * len(STEPS),
            "answers": dict(sorted(stream.answers.items())), "acknowledged": len(stream.acked),
            "applied_but_answered_503_then_409": len(stream.ambiguous), "lost": len(lost), "doubled": len(doubled), "doubled_keys": doubled[:5],
            "html_5xx": stream.html_errors, "events_on_timeline": sum(counts.values()),
            "verify_audit_ok": report.ok,
        }
        print(json.dumps(summary, indent=2))
        ok = (not lost and not doubled and not stream.html_errors and report.ok
              and sum(counts.values()) == len(case_ids) * len(STEPS))
        print("drill_pg_restart:", "PASSED" if ok else "FAILED")
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
