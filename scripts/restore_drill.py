#!/usr/bin/env python3
"""Restore drill (issue 13, item 6): back up, restore into a fresh cluster, prove it is whole.

    make restore-drill            (= .venv/bin/python scripts/restore_drill.py)

1. source: a throw-away PostgreSQL (scripts/pg_test_cluster.py), migrated, with the whole demo
   (``manage.py load_demo``: cases in every state, evidence files, reports, prevention) and an
   audit anchor; its evidence folder is a temporary directory;
2. backup: ``pg_dump --format=custom`` of the database and a copy of the evidence folder;
3. restore: a second, fresh cluster; ``pg_restore`` into an empty database; the evidence copy as
   its evidence folder;
4. proof: ``manage.py verify_audit`` passes on the restored database; every table has the same
   number of rows in both; the append-only triggers are back (same count of triggers);
   ``manage.py verify_evidence`` finds every file with its recorded SHA-256;
   ``manage.py verify_file_log`` finds the file log of activities, target values and reports
   whole, up to the anchor.

Exits 0 only if all of it holds. ``--tamper`` deletes one timeline event in the restored copy
(triggers disabled, as a table owner could) to show the drill then fails. The runbook for a real restore is in docs/operations.md.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.pg_test_cluster import temporary_cluster  # noqa: E402

TABLES = ("SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) FROM pg_tables "
          "WHERE schemaname = 'public' ORDER BY 1")
TRIGGERS = "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal"


def run(cmd, env, **kw) -> subprocess.CompletedProcess:
    r = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, **kw)
    if r.returncode != 0:
        raise SystemExit(f"restore_drill: {' '.join(map(str, cmd))} failed ({r.returncode}):\n{r.stdout}{r.stderr}")
    return r


def psql(pg, sql: str) -> list[str]:
    out = run([str(pg.bindir / "psql"), "-X", "-At", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p",
               str(pg.port), "-U", "postgres", "-d", "casework", "-c", sql], os.environ)
    return [line for line in out.stdout.splitlines() if line]


def counts(pg) -> dict[str, int]:
    tables = psql(pg, TABLES)
    union = " UNION ALL ".join(f"SELECT '{t}', count(*) FROM {t}" for t in tables)
    return {name: int(n) for name, n in (line.split("|") for line in psql(pg, union))}


def django_env(pg, evidence_dir: Path) -> dict:
    return {**os.environ, **pg.env(), "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "0",
            "EVIDENCE_DIR": str(evidence_dir)}


def main() -> int:
    tamper = "--tamper" in sys.argv[1:]
    python = sys.executable
    began = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="restore-drill-") as tmp:
        tmp = Path(tmp)
        source_files, restored_files, dump = tmp / "evidence-source", tmp / "evidence-restored", tmp / "casework.dump"
        with temporary_cluster() as source:
            env = django_env(source, source_files)
            run([python, "manage.py", "migrate", "--noinput"], env)
            run([python, "manage.py", "load_demo"], env)
            run([python, "manage.py", "audit_anchor"], env)
            before = counts(source)
            triggers_before = psql(source, TRIGGERS)[0]
            print(f"source: {len(before)} tables, {sum(before.values())} rows, {triggers_before} triggers")
            # The backup: what an operator runs (docs/operations.md).
            run([str(source.bindir / "pg_dump"), "--format=custom", "--file", str(dump), "-h", "127.0.0.1",
                 "-p", str(source.port), "-U", "postgres", "casework"], os.environ)
            shutil.copytree(source_files, restored_files)
            print(f"backup: {dump.stat().st_size} bytes of dump, "
                  f"{sum(1 for p in restored_files.rglob('*') if p.is_file())} evidence files")
            with temporary_cluster() as target:
                run([str(target.bindir / "pg_restore"), "--exit-on-error", "--no-owner", "-h", "127.0.0.1",
                     "-p", str(target.port), "-U", "postgres", "-d", "casework", str(dump)], os.environ)
                if tamper:
                    psql(target, "ALTER TABLE casework_caseevent DISABLE TRIGGER ALL; DELETE FROM casework_caseevent "
                                 "WHERE id = (SELECT min(id) FROM casework_caseevent WHERE seq = 2); "
                                 "ALTER TABLE casework_caseevent ENABLE TRIGGER ALL")
                after = counts(target)
                triggers_after = psql(target, TRIGGERS)[0]
                tenv = django_env(target, restored_files)
                audit = subprocess.run([python, "manage.py", "verify_audit"], cwd=ROOT, env=tenv,
                                       capture_output=True, text=True)
                files = subprocess.run([python, "manage.py", "verify_evidence"], cwd=ROOT, env=tenv,
                                       capture_output=True, text=True)
                file_log = subprocess.run([python, "manage.py", "verify_file_log"], cwd=ROOT, env=tenv,
                                          capture_output=True, text=True)
    differ = {t: (before.get(t), after.get(t)) for t in set(before) | set(after) if before.get(t) != after.get(t)}
    print(f"restored: {len(after)} tables, {sum(after.values())} rows, {triggers_after} triggers")
    print("verify_audit:", (audit.stdout + audit.stderr).strip().splitlines()[-1])
    print("verify_evidence:", (files.stdout + files.stderr).strip().splitlines()[-1])
    print("verify_file_log:", (file_log.stdout + file_log.stderr).strip().splitlines()[-1])
    for table, (a, b) in sorted(differ.items()):
        print(f"row count differs: {table}: {a} → {b}")
    ok = not differ and triggers_before == triggers_after and audit.returncode == 0 and files.returncode == 0 \
        and file_log.returncode == 0
    print(f"restore_drill: {'PASSED' if ok else 'FAILED'} in {time.monotonic() - began:.0f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
