"""Real ``manage.py`` processes against the test database, for the crash and race tests."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

MANAGE = Path(settings.BASE_DIR) / "manage.py"


def database_url() -> str:
    s = connection.settings_dict
    if connection.vendor != "postgresql":  # pragma: no cover - the process tests are PostgreSQL only
        raise RuntimeError("process tests need PostgreSQL")
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


class Process:
    """A ``manage.py`` command in its own process; its output goes to a file the test reads."""

    def __init__(self, tmp_path: Path, name: str, *args: str, env: dict | None = None):
        self.log = tmp_path / f"{name}.log"
        self.name = name
        environment = {**os.environ, "DATABASE_URL": database_url(), "PYTHONUNBUFFERED": "1", **(env or {})}
        with self.log.open("wb") as out:
            self.popen = subprocess.Popen([sys.executable, str(MANAGE), *args], stdout=out,
                                          stderr=subprocess.STDOUT, env=environment, cwd=settings.BASE_DIR)

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for_output(self, text: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.output():
            if self.popen.poll() is not None:
                raise AssertionError(f"{self.name} exited {self.popen.returncode} before {text!r}:\n{self.output()}")
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.name}: no {text!r} within {timeout}s:\n{self.output()}")
            time.sleep(0.1)

    def kill(self) -> None:
        """``kill -9``: no clean-up code of the process runs."""
        self.popen.send_signal(signal.SIGKILL)
        self.popen.wait(timeout=10)

    def wait(self, timeout: float = 120) -> int:
        try:
            code = self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError(f"{self.name} still running after {timeout}s:\n{self.output()}") from None
        assert code == 0, f"{self.name} exited {code}:\n{self.output()}"
        return code

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.kill()


def wait_until(predicate, timeout: float = 60, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)
