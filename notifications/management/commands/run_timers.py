"""The deadline processor: expires isolation orders whose end passed and records missed clocks.

Run it beside the web server (``make demo`` does); ``--once`` for cron. Each case is handled in
its own transaction, so one bad case never blocks the others.
"""

import time

from django.core.management.base import BaseCommand

from casework.audit import audit_anchor_if_due
from casework.services.deadlines import deadlines_sweep
from casework.services.emergency import isolation_expire_due
from casework.services.grants import grants_expire


class Command(BaseCommand):
    help = "Expire isolation orders and record missed deadlines, every --interval seconds."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run one pass and exit.")
        parser.add_argument("--interval", type=int, default=60)

    def handle(self, *args, once=False, interval=60, **options):
        while True:
            expired = isolation_expire_due()
            breached = deadlines_sweep()
            grants_expire()
            audit_anchor_if_due()  # daily anchor over every timeline chain (docs/audit.md)
            if expired or breached or options["verbosity"] > 1:
                self.stdout.write(f"expired orders: {expired}, missed deadlines recorded: {breached}")
            if once:
                return
            time.sleep(interval)
