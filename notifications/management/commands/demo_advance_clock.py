"""``manage.py demo_advance_clock CASE_CODE --hours N``: for the demo only, make a case's report
N hours older, as if that much time had passed, so that its warnings, breach and escalation come
now instead of hours from now. The scheduler fires them within its interval (``--fire``: at once).

It rewrites the intake's time of receipt, which no real process may do: refused unless the
site runs as the demo (DEPLOY is not "production"). Steps already said stay said: a warning that
fired is not repeated for the moved deadline.
"""

import datetime as dt
import os

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from casework.models import Case
from casework.services.deadlines import deadlines_replace
from notifications.models import Timer, TimerState
from notifications.timers import timers_run_due


class Command(BaseCommand):
    help = "Demo only: move a case's clock on by N hours."

    def add_arguments(self, parser):
        parser.add_argument("code")
        parser.add_argument("--hours", type=float, default=4)
        parser.add_argument("--fire", action="store_true", help="Fire what is due now instead of waiting.")

    def handle(self, *args, code, hours, fire=False, **options):
        if os.environ.get("DEPLOY", "demo") == "production":
            raise CommandError("demo_advance_clock rewrites a case's time of receipt: demo only.")
        shift = dt.timedelta(hours=hours)
        with transaction.atomic():
            case = Case.objects.select_for_update(of=("self",)).select_related("intake", "commune").filter(
                code=code).first()
            if case is None:
                raise CommandError(f"No case {code}.")
            said = set(case.timers.filter(state=TimerState.FIRED).values_list("kind", "subject", "what", "step"))
            intake = case.intake
            intake.received_at -= shift
            intake.save(update_fields=["received_at"])
            deadlines_replace(case)
            # The same step of the same clock, already said: not again.
            for timer in case.timers.filter(state=TimerState.PENDING, fire_at__lte=timezone.now()):
                if (timer.kind, timer.subject, timer.what, timer.step) in said:
                    Timer.objects.filter(pk=timer.pk).update(state=TimerState.SKIPPED, fired_at=timezone.now())
        due = case.timers.filter(state=TimerState.PENDING, fire_at__lte=timezone.now()).count()
        self.stdout.write(f"{code}: received {hours:g} h earlier; {due} timer(s) now due.")
        if fire:
            self.stdout.write(f"fired: {timers_run_due(worker_id='demo_advance_clock')}")
