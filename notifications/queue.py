"""The background queue: django-tasks' database backend, plus what it lacks — a lease.

``db_worker`` marks a task RUNNING when it takes it and nothing ever takes it back: a worker
killed during a task leaves it RUNNING forever and its delivery lost. Here every worker and
scheduler process beats (``WorkerBeat``, every few seconds, from a thread, so a long task does not
stop it). ``tasks_reap`` hands a RUNNING task whose worker has not beaten for a lease back to the
queue (READY), where another worker takes it; a task reaped ``MAX_RUNS`` times is marked FAILED.
The tasks themselves are idempotent (``dispatch.deliver_event``, ``channels.delivery_send``), so
running one again delivers nothing twice.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading

from django.db import close_old_connections, connection, transaction
from django.db.models import Count, Max, Min, Q
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .models import WorkerBeat

log = logging.getLogger(__name__)
BEAT_EVERY = dt.timedelta(seconds=5)
DEFAULT_TASK_LEASE = dt.timedelta(seconds=60)
MAX_RUNS = 5


def beat(worker_id: str, role: str, *, started_at: dt.datetime | None = None) -> None:
    now = timezone.now()
    WorkerBeat.objects.update_or_create(worker_id=worker_id, defaults={
        "role": role, "host": socket.gethostname()[:255], "pid": os.getpid(), "beat_at": now,
        "started_at": started_at or now})


class Heartbeat:
    """Beats from a daemon thread until stopped; the process dying stops it too."""

    def __init__(self, worker_id: str, role: str, every: dt.timedelta = BEAT_EVERY):
        self.worker_id, self.role, self.every = worker_id, role, every
        self.started_at = timezone.now()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"heartbeat-{worker_id}", daemon=True)

    def start(self) -> Heartbeat:
        beat(self.worker_id, self.role, started_at=self.started_at)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(self.every.total_seconds()):
            try:
                beat(self.worker_id, self.role, started_at=self.started_at)
            except Exception:
                log.warning("heartbeat of %s failed", self.worker_id, exc_info=True)
            finally:
                close_old_connections()
        connection.close()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=self.every.total_seconds() + 1)
        WorkerBeat.objects.filter(worker_id=self.worker_id).delete()


def tasks_reap(*, now: dt.datetime | None = None, lease: dt.timedelta = DEFAULT_TASK_LEASE) -> int:
    """Give the RUNNING tasks of dead workers back to the queue. Returns how many.

    Who: the scheduler, each pass. Writes: DBTaskResult.status (READY, or FAILED after MAX_RUNS).
    A worker counts as dead when it has not beaten for ``lease``.
    """
    now = now or timezone.now()
    alive = set(WorkerBeat.objects.filter(beat_at__gte=now - lease).values_list("worker_id", flat=True))
    reaped = 0
    with transaction.atomic():
        running = DBTaskResult.objects.running().filter(started_at__lt=now - lease)
        if connection.features.has_select_for_update_skip_locked:
            running = running.select_for_update(skip_locked=True)
        for task_id, worker_ids in running.values_list("id", "worker_ids"):
            if worker_ids and worker_ids[-1] in alive:
                continue
            if len(worker_ids) >= MAX_RUNS:
                DBTaskResult.objects.filter(pk=task_id, status=TaskResultStatus.RUNNING).update(
                    status=TaskResultStatus.FAILED, finished_at=now,
                    exception_class_path="notifications.queue.WorkerLost",
                    traceback=f"The worker died {len(worker_ids)} times while running this task.")
            else:
                # The guard on status: the worker may have finished it after all since we read.
                DBTaskResult.objects.filter(pk=task_id, status=TaskResultStatus.RUNNING).update(
                    status=TaskResultStatus.READY, run_after=now)
            reaped += 1
    return reaped


def queue_health(*, now: dt.datetime | None = None) -> dict:
    """What the admin shows: waiting and running tasks, the lag (age of the oldest waiting task),
    failures in the last day, live workers and the timers due but not fired. A handful of queries."""
    now = now or timezone.now()
    from .models import Timer, TimerState

    ready = Q(status=TaskResultStatus.READY) & (Q(run_after__lte=now) | Q(run_after__year=9999))
    tasks = DBTaskResult.objects.aggregate(
        waiting=Count("pk", filter=ready), oldest=Min("enqueued_at", filter=ready),
        running=Count("pk", filter=Q(status=TaskResultStatus.RUNNING)),
        failed=Count("pk", filter=Q(status=TaskResultStatus.FAILED, finished_at__gte=now - dt.timedelta(days=1))),
    )
    timers = Timer.objects.filter(state__in=[TimerState.PENDING, TimerState.CLAIMED], fire_at__lte=now).aggregate(
        due=Count("pk"), oldest=Min("fire_at"))
    workers = WorkerBeat.objects.filter(beat_at__gte=now - DEFAULT_TASK_LEASE).aggregate(
        alive=Count("pk"), last=Max("beat_at"))
    return {
        "waiting": tasks["waiting"], "running": tasks["running"], "failed_day": tasks["failed"],
        "lag": (now - tasks["oldest"]) if tasks["oldest"] else dt.timedelta(0),
        "timers_due": timers["due"], "timer_lag": (now - timers["oldest"]) if timers["oldest"] else dt.timedelta(0),
        "workers_alive": workers["alive"],
    }


__all__ = ["Heartbeat", "beat", "queue_health", "tasks_reap"]
