#!/usr/bin/env python3
"""Run a command against a throw-away PostgreSQL server (stdlib only).

    python3 scripts/pg_test_cluster.py -- CMD [ARGS...]
    python3 scripts/pg_test_cluster.py -- sh -c 'psql "$DATABASE_URL" -c "select version()"'

If DATABASE_URL is already set and is a PostgreSQL URL (postgres://, postgresql://...), CMD simply
runs against that server. Otherwise this script

  1. finds initdb/pg_ctl ($PG_BINDIR, then PATH, then /usr/lib/postgresql/*/bin, newest first),
  2. creates a temporary directory (owned by the `postgres` user when run as root, because
     initdb refuses to run as root) and initdb's a cluster in it (trust auth, superuser postgres),
  3. starts it on a free 127.0.0.1 port, with its unix socket in the temporary directory and
     fsync / synchronous_commit / full_page_writes off (a test server: speed over durability)
     and autovacuum off (see the settings below),
  4. creates the database `casework` and runs CMD with
        DATABASE_URL=postgres://postgres@127.0.0.1:PORT/casework
     (and PGHOST/PGPORT/PGUSER/PGDATABASE for psql), then
  5. ALWAYS stops the server (pg_ctl stop -m fast, SIGKILL as a last resort) and removes the
     directory: on success, on failure, on Ctrl-C and on SIGTERM/SIGHUP.

The exit status is CMD's (128+N if CMD died of signal N; 130 on Ctrl-C). Problems of the wrapper
itself (no PostgreSQL found, initdb failed, ...) exit with status 3 and a message.

As a library:

    from pg_test_cluster import temporary_cluster
    with temporary_cluster() as pg:
        print(pg.url)
"""

from __future__ import annotations

import contextlib
import dataclasses
import glob
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

PROG = "pg_test_cluster"
DB_NAME = "casework"
SUPERUSER = "postgres"
SYSTEM_USER = "postgres"  # the OS account the server runs as when we are root
WRAPPER_FAILURE = 3


class ClusterError(RuntimeError):
    pass


class Terminated(BaseException):
    """SIGTERM/SIGHUP turned into an exception so that `finally` blocks run."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def log(msg: str) -> None:
    print(f"{PROG}: {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- finding PostgreSQL


def _version_key(path: str) -> tuple:
    return tuple(int(x) for x in re.findall(r"\d+", path))


def find_bindir() -> Path:
    """A directory holding initdb, pg_ctl and postgres of one installation."""
    candidates: list[Path] = []
    if os.environ.get("PG_BINDIR"):
        candidates.append(Path(os.environ["PG_BINDIR"]))
    for tool in ("initdb", "pg_ctl"):
        found = shutil.which(tool)
        if found:
            # /usr/local/bin/initdb may be a symlink into /usr/lib/postgresql/15/bin.
            candidates.append(Path(os.path.realpath(found)).parent)
    for pattern in ("/usr/lib/postgresql/*/bin", "/usr/pgsql-*/bin", "/usr/local/pgsql/bin"):
        candidates += [Path(p) for p in sorted(glob.glob(pattern), key=_version_key, reverse=True)]
    for d in candidates:
        if all(os.access(d / t, os.X_OK) for t in ("initdb", "pg_ctl", "postgres")):
            return d
    raise ClusterError(
        "no PostgreSQL server binaries found (initdb, pg_ctl, postgres) on PATH, in $PG_BINDIR or in "
        "/usr/lib/postgresql/*/bin; on Debian/Ubuntu: apt-get install postgresql"
    )


def server_version(bindir: Path) -> str:
    cmd = [str(bindir / "postgres"), "--version"]
    out = subprocess.run(cmd, check=False, capture_output=True, text=True).stdout
    m = re.search(r"\d+(\.\d+)*", out)
    return m.group(0) if m else out.strip() or "unknown version"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pick_locale() -> list[str]:
    """C.UTF-8 when the C library has it: UTF-8 upper()/lower() (Vietnamese text) behave; else C."""
    try:
        out = (
            subprocess.run(["locale", "-a"], check=False, capture_output=True, text=True)
            .stdout.lower()
            .split()
        )
    except OSError:
        out = []
    if "c.utf8" in out or "c.utf-8" in out:
        return ["--locale=C.UTF-8"]
    return ["--locale=C"]


# --------------------------------------------------------------------------- the cluster


@dataclasses.dataclass
class Cluster:
    bindir: Path
    version: str
    root: Path  # temporary directory: data/ and the unix socket live here
    port: int
    run_as: pwd.struct_passwd | None  # OS account the server runs as (None: ourselves)

    @property
    def datadir(self) -> Path:
        return self.root / "data"

    @property
    def logfile(self) -> Path:
        return self.root / "server.log"

    @property
    def url(self) -> str:
        return f"postgres://{SUPERUSER}@127.0.0.1:{self.port}/{DB_NAME}"

    def env(self) -> dict[str, str]:
        return {
            "DATABASE_URL": self.url,
            "PGHOST": "127.0.0.1",
            "PGPORT": str(self.port),
            "PGUSER": SUPERUSER,
            "PGDATABASE": DB_NAME,
        }

    def _run_server_tool(self, args: list[str], **kw) -> subprocess.CompletedProcess:
        """Run initdb / pg_ctl as the server's OS account (they refuse to run as root)."""
        kw.setdefault("cwd", str(self.root))
        kw.setdefault("capture_output", True)
        kw.setdefault("text", True)
        env = dict(os.environ)
        if self.run_as is not None:
            env.update(HOME=self.run_as.pw_dir, USER=self.run_as.pw_name, LOGNAME=self.run_as.pw_name)
            runuser = shutil.which("runuser") or next(
                (p for p in ("/usr/sbin/runuser", "/sbin/runuser") if os.access(p, os.X_OK)), None
            )
            if runuser:
                args = [runuser, "-u", self.run_as.pw_name, "--", *args]
            else:  # same effect without util-linux
                kw.update(user=self.run_as.pw_uid, group=self.run_as.pw_gid, extra_groups=[])
        return subprocess.run(args, check=False, env=env, **kw)

    def initdb(self) -> None:
        cmd = [
            str(self.bindir / "initdb"),
            "-D",
            str(self.datadir),
            "-A",
            "trust",
            "-U",
            SUPERUSER,
            "-E",
            "UTF8",
            *_pick_locale(),
            "--no-sync",
        ]
        r = self._run_server_tool(cmd)
        if r.returncode != 0:
            raise ClusterError(f"initdb failed ({r.returncode}):\n{r.stdout}{r.stderr}")
        settings = {
            "listen_addresses": "'127.0.0.1'",
            "unix_socket_directories": f"'{self.root}'",
            "fsync": "off",
            "synchronous_commit": "off",
            "full_page_writes": "off",
            "max_connections": "100",
            # Tests insert inside a transaction and roll back. Autovacuum then cleans the dead
            # rows and records the tables as empty (reltuples 0 over their pages), so the next
            # test's rows are planned as one row each: nested loops of sequential scans, and a
            # report test that takes 36 s alone ran for most of an hour in the whole suite (CI
            # timed out). Without autovacuum a table never vacuumed is sized from its pages.
            "autovacuum": "off",
            "timezone": "'UTC'",
            "log_min_messages": "warning",
        }
        with open(self.datadir / "postgresql.conf", "a", encoding="utf-8") as f:
            f.write("\n# Added by scripts/pg_test_cluster.py: a throw-away test server.\n")
            f.writelines(f"{k} = {v}\n" for k, v in settings.items())

    def start(self) -> None:
        last = ""
        for _attempt in range(5):  # the port may be taken between free_port() and the bind
            self.port = free_port()
            r = self._run_server_tool(
                [
                    str(self.bindir / "pg_ctl"),
                    "-D",
                    str(self.datadir),
                    "-l",
                    str(self.logfile),
                    "-o",
                    f"-p {self.port}",
                    "-w",
                    "-t",
                    "60",
                    "start",
                ]
            )
            if r.returncode == 0:
                return
            last = f"{r.stdout}{r.stderr}{self.read_log()}"
            if "already in use" not in last and "could not bind" not in last:
                break
        raise ClusterError(f"pg_ctl start failed:\n{last}")

    def read_log(self) -> str:
        try:
            return self.logfile.read_text(errors="replace")[-4000:]
        except OSError:
            return ""

    def create_database(self) -> None:
        createdb = self.bindir / "createdb"
        if os.access(createdb, os.X_OK):
            cmd = [str(createdb), "-h", "127.0.0.1", "-p", str(self.port), "-U", SUPERUSER, DB_NAME]
        else:
            psql = shutil.which("psql") or str(self.bindir / "psql")
            cmd = [
                psql,
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                SUPERUSER,
                "-d",
                "postgres",
                "-v",
                "ON_ERROR_STOP=1",
                "-c",
                f'CREATE DATABASE "{DB_NAME}"',
            ]
        r = subprocess.run(cmd, check=False, capture_output=True, text=True, cwd=str(self.root))
        if r.returncode != 0:
            raise ClusterError(f"creating database {DB_NAME} failed:\n{r.stdout}{r.stderr}")

    def postmaster_pid(self) -> int | None:
        try:
            return int((self.datadir / "postmaster.pid").read_text().splitlines()[0])
        except (OSError, ValueError, IndexError):
            return None

    def stop(self) -> None:
        if not (self.datadir / "postmaster.pid").exists():
            return
        pid = self.postmaster_pid()
        r = self._run_server_tool(
            [str(self.bindir / "pg_ctl"), "-D", str(self.datadir), "-m", "fast", "-w", "-t", "30", "stop"]
        )
        if r.returncode != 0 and pid:
            log(f"pg_ctl stop failed ({r.stdout.strip()} {r.stderr.strip()}); killing postmaster {pid}")
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGQUIT)  # immediate shutdown: children exit too
            for _ in range(50):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, 0)
                    time.sleep(0.1)
                    continue
                break
            else:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, signal.SIGKILL)


def _make_root() -> Path:
    base = None
    # The socket path (DIR/.s.PGSQL.PORT) must stay under ~100 bytes; a deep $TMPDIR may not.
    if len(tempfile.gettempdir()) > 60:
        base = "/tmp"
    root = Path(tempfile.mkdtemp(prefix="casework-pg-", dir=base))
    if not re.fullmatch(r"[A-Za-z0-9_./-]+", str(root)):
        shutil.rmtree(root, ignore_errors=True)
        raise ClusterError(f"temporary directory {root} has characters unsafe for the server config")
    return root


@contextlib.contextmanager
def temporary_cluster() -> Iterator[Cluster]:
    """Start a throw-away cluster; stop it and delete its files when the block ends, however it ends."""
    bindir = find_bindir()
    run_as = None
    if os.geteuid() == 0:
        try:
            run_as = pwd.getpwnam(SYSTEM_USER)
        except KeyError:
            raise ClusterError(
                f"running as root, and initdb refuses root, but there is no '{SYSTEM_USER}' user to run "
                "the server as (apt-get install postgresql creates it, or: useradd --system postgres)"
            ) from None
    root = _make_root()
    cluster = Cluster(bindir=bindir, version=server_version(bindir), root=root, port=0, run_as=run_as)
    try:
        if run_as is not None:
            os.chown(root, run_as.pw_uid, run_as.pw_gid)
        os.chmod(root, 0o700)
        cluster.initdb()
        cluster.start()
        cluster.create_database()
        yield cluster
    finally:
        # Ctrl-C / SIGTERM arriving now must not interrupt the cleanup half way.
        with _signals_deferred():
            try:
                cluster.stop()
            finally:
                shutil.rmtree(root, ignore_errors=True)
                if root.exists():
                    log(f"warning: could not remove {root}")


# --------------------------------------------------------------------------- signals


def _raise_terminated(signum, _frame):
    raise Terminated(signum)


@contextlib.contextmanager
def _signals_deferred():
    """Ignore INT/TERM/HUP for the duration (cleanup); restore afterwards."""
    sigs = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    old = {s: signal.signal(s, signal.SIG_IGN) for s in sigs}
    try:
        yield
    finally:
        for s, h in old.items():
            signal.signal(s, h)


def _install_handlers() -> None:
    signal.signal(signal.SIGTERM, _raise_terminated)
    signal.signal(signal.SIGHUP, _raise_terminated)
    # SIGINT stays Python's default: KeyboardInterrupt.


# --------------------------------------------------------------------------- running CMD


def run_command(cmd: list[str], extra_env: dict[str, str]) -> int:
    env = {**os.environ, **extra_env}
    try:
        proc = subprocess.Popen(cmd, env=env)
    except OSError as e:
        log(f"cannot run {cmd[0]!r}: {e}")
        return 127
    try:
        rc = proc.wait()
    except (KeyboardInterrupt, Terminated) as e:
        # Ctrl-C also reached CMD (same process group); SIGTERM/SIGHUP we pass on.
        signum = e.signum if isinstance(e, Terminated) else signal.SIGINT
        with _signals_deferred():
            if isinstance(e, Terminated):
                with contextlib.suppress(ProcessLookupError):
                    proc.send_signal(signum)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.terminate()
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        raise
    return 128 - rc if rc < 0 else rc


def _describe_url(url: str) -> str:
    parts = urlsplit(url)
    if not parts.hostname:
        return url.replace(f":{parts.password}@", "@") if parts.password else url
    host = parts.hostname
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{parts.username or ''}{'@' if parts.username else ''}{host}{port}{parts.path}"


def main(argv: list[str]) -> int:
    if "--" in argv:
        argv = argv[argv.index("--") + 1 :]
    elif argv and argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0
    if not argv:
        print(f"usage: {sys.argv[0]} -- CMD [ARGS...]", file=sys.stderr)
        return 2

    existing = os.environ.get("DATABASE_URL", "")
    if existing.startswith("postgres"):
        log(f"using the existing PostgreSQL server from DATABASE_URL: {_describe_url(existing)}")
        return run_command(argv, {})
    if existing:
        log(f"ignoring DATABASE_URL={_describe_url(existing)} (not PostgreSQL); starting a temporary server")

    _install_handlers()
    try:
        with temporary_cluster() as pg:
            who = f" as OS user {pg.run_as.pw_name}" if pg.run_as else ""
            log(
                f"using a temporary PostgreSQL {pg.version} ({pg.bindir}) at 127.0.0.1:{pg.port}{who}, "
                f"DATABASE_URL={pg.url}"
            )
            return run_command(argv, pg.env())
    except ClusterError as e:
        log(f"error: {e}")
        return WRAPPER_FAILURE
    except KeyboardInterrupt:
        log("interrupted; temporary server stopped and removed")
        return 130
    except Terminated as e:
        log(f"got signal {e.signum}; temporary server stopped and removed")
        return 128 + e.signum


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
