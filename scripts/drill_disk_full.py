#!/usr/bin/env python3
"""Fault drill: the disk fills up, under the database and under the evidence files (issue 13, item 5).

    .venv/bin/python scripts/drill_disk_full.py [--db-mb 160] [--files-mb 3] [--tries 60]

Needs root (it mounts two tmpfs file systems; a loop-mounted ext4 image is the fallback when
tmpfs is refused) and PostgreSQL's server binaries (scripts/pg_test_cluster.py).

1. A throw-away PostgreSQL whose database lives in a tablespace on a small file system
   (``--db-mb``; the cluster's WAL stays on the big disk: a full WAL disk is a PostgreSQL PANIC and
   restart, which is the restart drill's ground). Migrated, with the demo cast and a draft report
   of commune A; the evidence folder on a second small file system (``--files-mb``).
2. **Database disk full.** The database's file system is filled to the last byte; then
   ``--tries`` files are attached to the report over the API (each an INSERT of a file row and a
   file-log event, in one transaction) and one over the web form. Expected: 201 while the tables'
   last pages have room, then 503 ``disk_full`` in the error model with ``Retry-After`` (PostgreSQL
   SQLSTATE 53100) and, on the page, the Vietnamese "try again" page; no row without its event, no
   event without its row, no stored file without its row.
3. Space is freed; the next attach is a 201.
4. **Evidence disk full.** Files of ~0.9 MB are attached until the evidence file system is full.
   Expected: 503 ``disk_full``; the half-written file removed; no row for it.
5. The file system is grown (``mount -o remount,size=``); the next attach is a 201.
6. ``verify_audit`` and the file log's chains pass; counts match.

Exit 0 when all of it holds; prints a JSON summary (docs/operations.md records the results).
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.pg_test_cluster import temporary_cluster  # noqa: E402

PDF_HEAD = b"%PDF-1.4\n1 0 obj<<>>endobj\n"


def sh(*args: str) -> None:
    subprocess.run(list(args), check=True, capture_output=True, text=True)


@contextlib.contextmanager
def small_fs(path: Path, mb: int):
    """A file system of ``mb`` MB at ``path``: tmpfs, else an ext4 image mounted with -o loop."""
    path.mkdir(parents=True, exist_ok=True)
    image = None
    try:
        sh("mount", "-t", "tmpfs", "-o", f"size={mb}m,mode=0777", "tmpfs", str(path))
        kind = "tmpfs"
    except subprocess.CalledProcessError:
        image = path.with_suffix(".img")
        sh("truncate", "-s", f"{mb}M", str(image))
        sh("mkfs.ext4", "-q", "-m", "0", str(image))
        sh("mount", "-o", "loop", str(image), str(path))
        os.chmod(path, 0o777)
        kind = "ext4 image (loop)"
    try:
        yield kind
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False, capture_output=True)
        if image is not None:
            image.unlink(missing_ok=True)


def fill(path: Path) -> int:
    """Write a filler file until the file system refuses (ENOSPC); returns the bytes written."""
    written = 0
    chunk = b"\0" * (1 << 20)
    with open(path / "filler", "wb", buffering=0) as out:
        for size in (1 << 20, 1 << 12, 1):
            while True:
                try:
                    out.write(chunk[:size])
                    written += size
                except OSError:
                    break
    return written


def pdf(n: int, size: int = 600) -> tuple[str, bytes]:
    """A PDF of about ``size`` bytes, different for each ``n`` (so each has its own SHA-256)."""
    line = b"%" + str(n).encode() + b" drill\n"
    return f"drill-{n}.pdf", PDF_HEAD + (line * (size // len(line) + 1))[:size] + b"%%EOF\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db-mb", type=int, default=160)
    parser.add_argument("--files-mb", type=int, default=3)
    parser.add_argument("--tries", type=int, default=60)
    args = parser.parse_args()
    if os.geteuid() != 0:
        print("drill_disk_full: needs root (it mounts small file systems)", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="casework-diskfull-", dir="/tmp"))
    os.chmod(work, 0o755)
    db_fs, files_fs = work / "db", work / "files"
    summary: dict = {"checks": {}}
    try:
        with small_fs(db_fs, args.db_mb) as db_kind, small_fs(files_fs, args.files_mb) as files_kind, \
                temporary_cluster() as pg:
            summary.update(db_fs=f"{db_kind}, {args.db_mb} MB", files_fs=f"{files_kind}, {args.files_mb} MB",
                           postgresql=pg.version)
            space = db_fs / "pgdata"
            space.mkdir()
            shutil.chown(space, pg.run_as.pw_name if pg.run_as else None)
            psql = [shutil.which("psql") or str(pg.bindir / "psql"), "-h", "127.0.0.1", "-p", str(pg.port), "-U",
                    "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-q"]
            subprocess.run([*psql, "-c", f"CREATE TABLESPACE small LOCATION '{space}'"], check=True)
            subprocess.run([*psql, "-c", "CREATE DATABASE drill TABLESPACE small"], check=True)
            env = {"DATABASE_URL": pg.url.rsplit("/", 1)[0] + "/drill", "DJANGO_SETTINGS_MODULE": "config.settings",
                   "DEBUG": "0", "EVIDENCE_DIR": str(files_fs / "evidence")}
            os.environ.update(env)
            ok = drill(args, db_fs, files_fs, summary)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    return 0 if ok else 1


def drill(args, db_fs: Path, files_fs: Path, summary: dict) -> bool:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone
    from rest_framework.test import APIClient

    call_command("migrate", verbosity=0)
    from casework.demo import build_world
    from evidence.models import FileEvent, FileEventType, RecordFile
    from evidence.records import verify_file_log
    from reports import services as reports

    world = build_world(password=None)
    officer = world.users["officer_a"]
    today = timezone.localdate()
    report = reports.report_draft_create(actor=officer, body_id=world.orgs["a.committee"].pk, kind="ad_hoc",
                                         period_start=today.replace(day=1), period_end=today)
    api = APIClient(HTTP_ACCEPT_LANGUAGE="vi")
    api.force_authenticate(officer)
    api.raise_request_exception = False
    page = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="vi")
    page.force_login(officer)
    url = f"/api/evidence/records/report/{report.pk}/files/"
    counter = iter(range(1, 10_000))

    def attach(size=600):
        name, data = pdf(next(counter), size)
        from django.core.files.uploadedfile import SimpleUploadedFile

        return api.post(url, {"file": SimpleUploadedFile(name, data)}, format="multipart")

    def stored() -> int:
        root = files_fs / "evidence"
        return sum(1 for p in root.rglob("*") if p.is_file()) if root.exists() else 0

    def consistent() -> dict:
        connection.close()   # a fresh connection: nothing cached from a failed transaction
        files = RecordFile.objects.filter(report=report).count()
        attached = FileEvent.objects.filter(subject=f"report:{report.pk}", type=FileEventType.ATTACHED).count()
        return {"rows": files, "attach_events": attached, "stored_files": stored(),
                "whole": files == attached == stored()}

    check = summary["checks"]
    first = attach()
    check["baseline"] = {"status": first.status_code}

    # -- 2. the database's disk fills
    check["db_filled_bytes"] = fill(db_fs)
    statuses: collections.Counter = collections.Counter()
    first_503 = None
    for i in range(args.tries):
        answer = attach()
        statuses[answer.status_code] += 1
        if answer.status_code == 503 and first_503 is None:
            first_503 = {"after": i, "code": answer.json().get("code"), "retry_after": answer.get("Retry-After"),
                         "detail": answer.json().get("detail")}
    web = page.post(f"/evidence/records/report/{report.pk}/attach/",
                    {"file": __import__("django.core.files.uploadedfile", fromlist=["x"]).SimpleUploadedFile(
                        *pdf(next(counter)))})
    check["db_full"] = {"api_statuses": dict(statuses), "first_503": first_503, "page_status": web.status_code,
                        "page_says_try_again": "Vui lòng thử lại" in web.content.decode() or
                        "thử lại" in web.content.decode(), **consistent()}
    # -- 3. space freed
    (db_fs / "filler").unlink()
    check["db_recovered"] = {"status": attach().status_code, **consistent()}

    # -- 4. the evidence disk fills
    statuses = collections.Counter()
    first_503 = None
    for i in range(args.files_mb * 2 + 2):
        answer = attach(size=900_000)
        statuses[answer.status_code] += 1
        if answer.status_code == 503:
            first_503 = first_503 or {"after": i, "code": answer.json().get("code")}
            break
    check["files_full"] = {"api_statuses": dict(statuses), "first_503": first_503,
                           "partial_files": sum(1 for p in (files_fs / "evidence").rglob("*")
                                                if p.is_file() and p.stat().st_size not in
                                                set(RecordFile.objects.values_list("size", flat=True))),
                           **consistent()}
    # -- 5. the file system is grown
    sh("mount", "-o", f"remount,size={args.files_mb * 4}m", str(files_fs))
    check["files_recovered"] = {"status": attach(size=900_000).status_code, **consistent()}

    # -- 6. the chains
    problems = verify_file_log()
    audit = subprocess.run([sys.executable, str(ROOT / "manage.py"), "verify_audit"], capture_output=True,
                           text=True, env=os.environ, cwd=ROOT)
    check["verify"] = {"file_log_problems": [str(p) for p in problems], "verify_audit_exit": audit.returncode}
    ok = (check["baseline"]["status"] == 201
          and check["db_full"]["first_503"] and check["db_full"]["first_503"]["code"] == "disk_full"
          and check["db_full"]["page_status"] == 503 and check["db_full"]["page_says_try_again"]
          and check["db_full"]["whole"]
          and set(check["db_full"]["api_statuses"]) <= {201, 503}
          and check["db_recovered"]["status"] == 201 and check["db_recovered"]["whole"]
          and check["files_full"]["first_503"] and check["files_full"]["first_503"]["code"] == "disk_full"
          and check["files_full"]["partial_files"] == 0 and check["files_full"]["whole"]
          and check["files_recovered"]["status"] == 201 and check["files_recovered"]["whole"]
          and not problems and audit.returncode == 0)
    summary["result"] = "pass" if ok else "FAIL"
    return bool(ok)


if __name__ == "__main__":
    sys.exit(main())
