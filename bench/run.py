#!/usr/bin/env python3
"""``make bench``: for each scale, a throw-away PostgreSQL, the national data, every figure.

    .venv/bin/python bench/run.py                     # BENCH_SCALES=0.01,0.1,1 (default)
    BENCH_SCALES=0.01,0.1,1 .venv/bin/python bench/run.py
    BENCH_ONLY=pages,transitions BENCH_SCALES=0.01 …  # a subset of the figures
    BENCH_KEEP=1 …                                     # keep each scale's cluster and reuse it

Per scale: a cluster like scripts/pg_test_cluster.py's (same library) with bench settings —
1 GB shared buffers, big WAL — loaded with fsync off, then switched to durable commits (fsync,
synchronous_commit, full_page_writes on) before the transitions are timed; ``migrate``;
``manage.py gen_national``; ``bench/figures.py``. Every figure is one JSON line on stdout (also
appended to var/bench/figures.jsonl), then a table. Figures, never pass/fail.

``BENCH_KEEP=1`` keeps each scale's cluster in /tmp/casework-bench-<scale>/ after the run; the next
run with it starts that cluster, applies any new migration and skips the generation (its
``generate.seconds`` is the first run's, marked ``reused``). It exists so that the full size
(8–9 minutes of generation) can be measured again after a change to the code; a fresh clone's
``make bench`` never reuses anything.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PY = str(ROOT / ".venv/bin/python")
OUT_DIR = ROOT / "var/bench"

BENCH_SETTINGS = {
    "shared_buffers": "'1GB'",
    "max_wal_size": "'8GB'",
    "checkpoint_timeout": "'30min'",
    "maintenance_work_mem": "'512MB'",
    "work_mem": "'16MB'",
    "random_page_cost": "1.1",
    "max_connections": "100",
    "autovacuum": "on",  # the test server turns it off; a benchmark runs as production does
}


@contextlib.contextmanager
def bench_cluster(keep: Path | None = None):
    """A started cluster with the bench settings; ``keep``: a directory kept (and reused) after."""
    import os as _os
    import pwd

    from scripts import pg_test_cluster as pg

    bindir = pg.find_bindir()
    run_as = pwd.getpwnam(pg.SYSTEM_USER) if _os.geteuid() == 0 else None
    reused = keep is not None and (keep / "data" / "PG_VERSION").exists()
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
    root = keep if keep is not None else pg._make_root()
    cluster = pg.Cluster(bindir=bindir, version=pg.server_version(bindir), root=root, port=0, run_as=run_as)
    cluster.reused = reused
    try:
        if run_as is not None:
            _os.chown(root, run_as.pw_uid, run_as.pw_gid)
        _os.chmod(root, 0o700)
        if not reused:
            cluster.initdb()
            with open(cluster.datadir / "postgresql.conf", "a", encoding="utf-8") as f:
                f.write("\n# bench/run.py\n")
                f.writelines(f"{k} = {v}\n" for k, v in BENCH_SETTINGS.items())
        cluster.start()
        if not reused:
            cluster.create_database()
        yield cluster
    finally:
        with pg._signals_deferred():
            try:
                cluster.stop()
            finally:
                if keep is None:
                    shutil.rmtree(root, ignore_errors=True)


def table(rows: list[dict]) -> str:
    lines = [f"{'figure':<44} {'scale':>6} {'value':>12} {'unit':<9} target / detail", "-" * 100]
    for r in rows:
        d = r.get("detail") or {}
        target = next((f"{k}={v}" for k, v in d.items() if k.startswith("target") and v is not None), "")
        extra = ", ".join(f"{k}={v}" for k, v in d.items() if k in ("visible_cases", "events", "rows", "workers",
                                                                         "clients", "url"))
        value = r["value"]
        shown = f"{value:,.1f}" if isinstance(value, float) else f"{value:,}"
        lines.append(f"{r['name']:<44} {r['scale']:>6} {shown:>12} {r['unit']:<9} {target} {extra}".rstrip())
    return "\n".join(lines)


TARGETS = {
    "transition.ratio.1_client": "≥ 0.5", "transition.ratio.2_client": "≥ 0.5",
    "page.worklist.p95": "≤ 50 ms", "page.supervisor_cases.p95": "≤ 50 ms", "page.api_cases.p95": "≤ 50 ms",
    "page.api_cases_officer.p95": "≤ 50 ms", "page.case_300_events.p95": "≤ 80 ms",
    "page.province_dashboard.p95": "≤ 300 ms", "report.province.annual": "≤ 1 s", "report.national.annual": "≤ 5 s",
    "report.province.headline_ratio": "≤ 2", "report.national.headline_ratio": "≤ 2",
    "http.worklist.req_per_s": "≥ 200", "http.worklist.p99": "≤ 250 ms", "http.worklist.errors": "0",
    "http.case_page.errors": "0", "memory.web_worker_peak_rss": "≤ 250 MB", "memory.xlsx_export_peak_rss": "≤ 300 MB",
    "generate.seconds": "≤ 900 s (100 %)",
}


def markdown(path: Path) -> str:
    """The figures of a figures.jsonl as one Markdown table, a column per scale (last run wins)."""
    values: dict[str, dict[float, str]] = {}
    units: dict[str, str] = {}
    for line in path.read_text().splitlines():
        r = json.loads(line)
        v = r["value"]
        values.setdefault(r["name"], {})[r["scale"]] = f"{v:,.1f}" if isinstance(v, float) else f"{v:,}"
        units[r["name"]] = r["unit"]
        sql_ms = (r.get("detail") or {}).get("sql_ms")
        if sql_ms is not None:  # the SQL part of a page's time
            name = r["name"].replace(".queries", ".sql_ms")
            values.setdefault(name, {})[r["scale"]] = f"{sql_ms:,.1f}"
            units[name] = "ms"
    scales = sorted({s for by in values.values() for s in by})
    head = "| figure | unit | target | " + " | ".join(f"{s:g} ×" if s != 1 else "100 %" for s in scales) + " |"
    head = head.replace("0.01 ×", "1 %").replace("0.1 ×", "10 %")
    lines = [head, "|" + "---|" * (3 + len(scales))]
    for name, by in values.items():
        cells = " | ".join(by.get(s, "–") for s in scales)
        lines.append(f"| {name} | {units[name]} | {TARGETS.get(name, '')} | {cells} |")
    return "\n".join(lines)


def main() -> int:
    if sys.argv[1:2] == ["--markdown"]:
        print(markdown(Path(sys.argv[2])))
        return 0
    scales = [float(s) for s in os.environ.get("BENCH_SCALES", "0.01,0.1,1").split(",") if s]
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    out = OUT_DIR / "figures.jsonl"
    rows: list[dict] = []
    for scale in scales:
        keep = Path(f"/tmp/casework-bench-{scale:g}") if os.environ.get("BENCH_KEEP") else None
        with bench_cluster(keep) as cluster:
            env = {**os.environ, "DATABASE_URL": cluster.url, "CONN_MAX_AGE": os.environ.get("CONN_MAX_AGE", "600")}
            print(f"bench: scale {scale} on PostgreSQL {cluster.version} at {cluster.url}", file=sys.stderr,
                  flush=True)
            subprocess.run([PY, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
            summary = OUT_DIR / f"gen_{scale}.json"
            if cluster.reused and summary.exists():
                info = json.loads(summary.read_text())
                seconds, reused = info.get("bench_seconds", 0.0), True
            else:
                t0 = time.perf_counter()
                subprocess.run([PY, "manage.py", "gen_national", "--scale", str(scale), "--seed",
                                os.environ.get("BENCH_SEED", "1"), "--summary", str(summary)], cwd=ROOT, env=env,
                               check=True, stdout=sys.stderr)
                seconds, reused = time.perf_counter() - t0, False
                info = json.loads(summary.read_text())
                info["bench_seconds"] = round(seconds, 1)
                summary.write_text(json.dumps(info, ensure_ascii=False))
            gen = {"name": "generate.seconds", "value": round(seconds, 1), "unit": "s", "scale": scale,
                   "detail": {"cases": info["rows"]["casework.Case"], "events": info["rows"]["casework.CaseEvent"],
                              "children": info["rows"]["casework.Child"],
                              "target_s": 900 if scale == 1 else None, "reused": reused}}
            print(json.dumps(gen, ensure_ascii=False), flush=True)
            rows.append(gen)
            out.touch()
            before = out.read_text().count("\n")
            subprocess.run([PY, "bench/figures.py", "--summary", str(summary), "--out", str(out)], cwd=ROOT, env=env,
                           check=False)
            rows += [json.loads(line) for line in out.read_text().splitlines()[before:]]
            with out.open("a") as f:
                f.write(json.dumps(gen, ensure_ascii=False) + "\n")
    print()
    print(table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
