"""Exactly once with real processes on PostgreSQL: two schedulers racing for the same due timers,
a scheduler killed (``kill -9``) after claiming and while firing, a restart, and a worker killed in
the middle of an e-mail delivery whose task the reaper hands back to the queue."""

import datetime as dt

import pytest
from django.db.models import Count
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from casework.models import CaseEvent
from casework.models import CaseEventType as T
from notifications.models import Delivery, DeliveryState, Notification, Timer, TimerState

from .processes import Process, wait_until
from .smtp import smtp_server  # noqa: F401 - fixture

pytestmark = [pytest.mark.postgres_only, pytest.mark.usefixtures("transactional_db")]


def due_warnings(open_case, n):
    """``n`` emergency cases received 6 h 1 min ago: each has exactly one due timer (its +6 h warning)."""
    received = timezone.now() - dt.timedelta(hours=6, minutes=1)
    cases = [open_case(received_at=received, urgent=True) for _ in range(n)]
    due = Timer.objects.filter(case__in=cases, state=TimerState.PENDING, fire_at__lte=timezone.now())
    assert due.count() == n
    return cases


def warnings_of(cases):
    return CaseEvent.objects.filter(case__in=cases, type=T.DEADLINE_WARNING)


def test_two_schedulers_racing_fire_each_due_timer_once(world, open_case, tmp_path):
    cases = due_warnings(open_case, 10)
    # Slow firing (0.3 s inside each transaction) so that both processes are at work together.
    a = Process(tmp_path, "a", "scheduler", "--once", "--batch", "1", "--stall-in-fire", "0.3", "--worker-id", "A")
    b = Process(tmp_path, "b", "scheduler", "--once", "--batch", "1", "--stall-in-fire", "0.3", "--worker-id", "B")
    a.wait()
    b.wait()
    assert warnings_of(cases).count() == 10
    per_timer = warnings_of(cases).values("data__timer").annotate(n=Count("pk"))
    assert {row["n"] for row in per_timer} == {1}
    fired = Timer.objects.filter(case__in=cases, kind="emergency_measures", what="warning", step=1)
    assert set(fired.values_list("state", flat=True)) == {TimerState.FIRED}
    # Both took part: the claims really raced.
    assert set(fired.values_list("claimed_by", flat=True)) == {"A", "B"}
    # A restart fires nothing again.
    Process(tmp_path, "again", "scheduler", "--once", "--worker-id", "C").wait()
    assert warnings_of(cases).count() == 10


@pytest.mark.parametrize("stall", ["--stall-after-claim", "--stall-in-fire"])
def test_a_scheduler_killed_after_claiming_fires_once_after_the_lease(world, open_case, tmp_path, stall):
    cases = due_warnings(open_case, 1)
    dead = Process(tmp_path, "dead", "scheduler", "--once", stall, "60", "--lease", "6", "--worker-id", "dead")
    dead.wait_for_output("stalling")
    dead.kill()
    timer = Timer.objects.get(case=cases[0], kind="emergency_measures", what="warning", step=1)
    # Claimed by the dead process; with --stall-in-fire its half-done transaction was rolled back.
    assert (timer.state, timer.claimed_by) == (TimerState.CLAIMED, "dead")
    assert warnings_of(cases).count() == 0
    lease_until = timer.lease_until
    # Within the lease, another scheduler leaves it alone ...
    Process(tmp_path, "early", "scheduler", "--once", "--lease", "6", "--worker-id", "early").wait()
    early_within_lease = timezone.now() < lease_until
    timer.refresh_from_db()
    if early_within_lease:  # on a loaded machine the process may only start after the lease
        assert (timer.state, timer.claimed_by) == (TimerState.CLAIMED, "dead")
    # ... after it, takes it over and fires it once.
    wait_until(lambda: timezone.now() > lease_until, 20, "the lease to run out")
    Process(tmp_path, "heir", "scheduler", "--once", "--lease", "6", "--worker-id", "heir").wait()
    timer.refresh_from_db()
    heir = "heir" if early_within_lease else timer.claimed_by
    assert (timer.state, timer.claimed_by, timer.attempts) == (TimerState.FIRED, heir, 2)
    assert heir in {"heir", "early"}
    assert warnings_of(cases).count() == 1
    Process(tmp_path, "restart", "scheduler", "--once", "--worker-id", "restart").wait()
    assert warnings_of(cases).count() == 1


def test_a_worker_killed_mid_delivery_is_reaped_and_the_mail_goes_once(
        world, open_case, tmp_path, settings, smtp_server):
    # The change runs here on the database queue, as the web server's would.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    env = {"NOTIFY_BY_EMAIL": "1", "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(smtp_server.port)}
    case = open_case("counsellor_a")
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1   # written with the case

    smtp_server.stall = True
    worker = Process(tmp_path, "worker1", "worker", "--interval", "0.2", "--no-startup-delay", "--no-reload",
                     env=env)
    assert smtp_server.stalled.wait(60), worker.output()
    worker.kill()                                   # in the middle of talking to the SMTP server
    stuck = DBTaskResult.objects.get(status=TaskResultStatus.RUNNING)
    assert stuck.task_path.endswith("send_delivery")
    assert Notification.objects.filter(event__case=case).count() == 2
    smtp_server.stall = False

    # The reaper gives it back once the dead worker's beat is older than the lease.
    wait_until(lambda: Process(tmp_path, "reaper", "scheduler", "--once", "--lease", "2").wait() == 0
               and DBTaskResult.objects.filter(pk=stuck.pk, status=TaskResultStatus.READY).exists(),
               40, "the reaper to hand the task back")
    Process(tmp_path, "worker2", "worker", "--batch", "--no-startup-delay", "--no-reload", env=env).wait()

    assert not DBTaskResult.objects.exclude(status=TaskResultStatus.SUCCESSFUL).exists()
    assert sorted(m["To"] for m in smtp_server.accepted) == ["chair_a@example.invalid", "officer_a@example.invalid"]
    assert smtp_server.unanswered == 1              # the killed attempt never got its 250
    assert set(Delivery.objects.values_list("state", flat=True)) == {DeliveryState.SENT}
    assert Notification.objects.filter(event__case=case).count() == 2
