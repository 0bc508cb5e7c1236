"""pytest plugin used by the Makefile: proves which database a test run used, and that it passed.

    python -m pytest -p scripts.pytest_run_marker \
        --run-marker=var/test-results/postgres.ok --run-marker-vendor=postgresql

* prints one line at the start naming the database Django will test against;
* deletes the marker file at the start, and writes it again only if the whole run passed
  (exit status 0, at least one test collected) AND Django's default connection is of the expected
  vendor ("postgresql", "sqlite");
* if the vendor is not the expected one, the run fails: a "PostgreSQL" run that silently used
  SQLite must not look green.

`.ci/run` checks var/test-results/postgres.ok after `make test`.
"""

from __future__ import annotations

import datetime
import os
import sys
from pathlib import Path

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("run-marker", "casework: test-run marker file (see scripts/pytest_run_marker.py)")
    group.addoption(
        "--run-marker",
        metavar="PATH",
        default=None,
        help="write PATH when the run passed against the expected database",
    )
    group.addoption(
        "--run-marker-vendor",
        metavar="VENDOR",
        default=None,
        help="Django DB vendor the run must use: postgresql, sqlite, ...",
    )


def _marker(config: pytest.Config) -> Path | None:
    value = config.getoption("--run-marker")
    return Path(value) if value else None


def _database() -> tuple[str, str]:
    """(vendor, description) of Django's default connection, from settings (no query needed)."""
    try:
        from django.core.exceptions import ImproperlyConfigured
        from django.db import connection
    except ImportError as e:
        return "unknown", f"Django not importable ({e})"
    try:
        s = connection.settings_dict
    except ImproperlyConfigured as e:  # pytest-django did not configure settings
        return "unknown", f"Django not configured ({e})"
    where = s.get("NAME") or ""
    if s.get("HOST"):
        where = f"{s.get('USER') or ''}@{s['HOST']}:{s.get('PORT') or ''}/{where}"
    return connection.vendor, f"{connection.vendor} ({s.get('ENGINE')}) {where}"


def pytest_configure(config: pytest.Config) -> None:
    marker = _marker(config)
    if marker is not None:
        marker.unlink(missing_ok=True)
        marker.parent.mkdir(parents=True, exist_ok=True)


def pytest_sessionstart(session: pytest.Session) -> None:
    if _marker(session.config) is None:
        return
    _vendor, description = _database()
    line = f"database under test: {description}"
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(line)
    else:
        print(line, file=sys.stderr)


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    config = session.config
    marker = _marker(config)
    if marker is None:
        return
    expected = config.getoption("--run-marker-vendor")
    vendor, description = _database()
    if expected and vendor != expected:
        print(
            f"\nrun-marker: FAILED: expected a {expected} database but Django used {description}; "
            f"check DATABASE_URL and config/settings.py",
            file=sys.stderr,
        )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        return
    if exitstatus != 0 or session.testscollected == 0:
        return
    stats = {}
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        stats = {k: len(v) for k, v in reporter.stats.items() if k and k != "warnings"}
    marker.write_text(
        f"database: {description}\n"
        f"collected: {session.testscollected}\n"
        + "".join(f"{k}: {n}\n" for k, n in sorted(stats.items()))
        + f"finished: {datetime.datetime.now(datetime.UTC).isoformat(timespec='seconds')}\n"
        + f"pid: {os.getpid()}\n",
        encoding="utf-8",
    )
