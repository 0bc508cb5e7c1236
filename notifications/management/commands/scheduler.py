"""``manage.py scheduler``: fires the case timers and keeps the queue healthy, every --interval s.

Each pass: hands back the tasks of dead workers (``tasks_reap``), fires the due timers —
warnings, breaches, escalations — exactly once (``timers_run_due``), expires isolation orders and
grants, records missed clocks no timer covered (``deadlines_sweep``, the safety net) and writes the
daily audit anchor. Several schedulers may run on PostgreSQL (timers are claimed with SKIP LOCKED,
under a lease); on SQLite run one. ``--once`` for cron.
"""

import datetime as dt
import os
import signal
import socket
import sys
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils.crypto import get_random_string

from casework.audit import audit_anchor_if_due
from casework.services.deadlines import deadlines_sweep
from casework.services.emergency import isolation_expire_due
from casework.services.grants import grants_expire
from notifications.queue import Heartbeat, tasks_reap
from notifications.timers import timers_run_due


def _stall(seconds):
    def pause(*_args):
        sys.stdout.write("stalling\n")
        sys.stdout.flush()
        time.sleep(seconds)
    return pause if seconds else None


class Command(BaseCommand):
    help = "Fire deadline timers, reap dead workers' tasks, expire orders and grants."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run one pass and exit.")
        parser.add_argument("--interval", type=float, default=30)
        parser.add_argument("--lease", type=float, default=60,
                            help="Seconds a claimed timer, or a silent worker's task, is held before "
                                 "another process takes it over.")
        parser.add_argument("--batch", type=int, default=20, help="Timers claimed at a time.")
        parser.add_argument("--worker-id", default="")
        # Fault injection for the crash tests (tests/notifications/test_processes.py).
        parser.add_argument("--stall-after-claim", type=float, default=0, help="(tests) sleep after claiming")
        parser.add_argument("--stall-in-fire", type=float, default=0,
                            help="(tests) sleep inside the firing transaction, before it commits")

    def handle(self, *args, once=False, interval=30.0, lease=60.0, batch=20, worker_id="", **options):
        worker_id = worker_id or f"sched-{socket.gethostname()[:20]}-{os.getpid()}-{get_random_string(6)}"
        lease_td = dt.timedelta(seconds=lease)
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        heartbeat = Heartbeat(worker_id, "scheduler").start()
        try:
            while True:
                close_old_connections()
                reaped = tasks_reap(lease=lease_td)
                counts = timers_run_due(worker_id=worker_id, lease=lease_td, limit=batch,
                                        after_claim=_stall(options["stall_after_claim"]),
                                        in_fire=_stall(options["stall_in_fire"]))
                expired = isolation_expire_due()
                breached = deadlines_sweep()
                grants_expire()
                audit_anchor_if_due()
                if reaped or expired or breached or counts.get("fired") or options["verbosity"] > 1:
                    self.stdout.write(f"timers {counts}, tasks reaped: {reaped}, orders expired: {expired}, "
                                      f"breaches swept: {breached}")
                    self.stdout.flush()
                if once:
                    return
                time.sleep(interval)
        finally:
            heartbeat.stop()
