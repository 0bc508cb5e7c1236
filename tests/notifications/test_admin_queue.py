"""Watching the queue from the admin: tasks with state, age and attempts; lag, failures, live
workers and due timers above the list; the reaper's rule for a silent worker."""

import datetime as dt

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from notifications.models import WorkerBeat
from notifications.queue import beat, queue_health, tasks_reap


@pytest.fixture
def staff(client, world):
    user = world.users["admin"]
    client.force_login(user)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def queued(settings, world, open_case):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    return open_case()       # its delivery task is written with it


def test_the_queue_page_shows_lag_failures_and_workers(staff, queued):
    DBTaskResult.objects.update(enqueued_at=timezone.now() - dt.timedelta(minutes=7))
    page = staff.get("/admin/django_tasks_database/dbtaskresult/")
    html = page.content.decode()
    assert page.status_code == 200 and 'id="queue-health"' in html
    assert "0:07:" in html                         # the waiting task's age
    health = queue_health()
    assert health["waiting"] == 1 and health["lag"] >= dt.timedelta(minutes=7) and health["failed_day"] == 0
    for path in ("/admin/notifications/timer/", "/admin/notifications/workerbeat/", "/admin/notifications/delivery/"):
        assert staff.get(path).status_code == 200, path


def test_the_reaper_returns_only_the_tasks_of_silent_workers(queued):
    now = timezone.now()
    task = DBTaskResult.objects.get()
    task.claim("dead")
    beat("alive", "worker")
    DBTaskResult.objects.filter(pk=task.pk).update(started_at=now - dt.timedelta(minutes=5))
    WorkerBeat.objects.create(worker_id="dead", role="worker", started_at=now - dt.timedelta(hours=1),
                              beat_at=now - dt.timedelta(minutes=5))
    # Its worker is silent: back to the queue.
    assert tasks_reap() == 1
    assert DBTaskResult.objects.get(pk=task.pk).status == TaskResultStatus.READY
    # A task of a live worker stays where it is.
    task.refresh_from_db()
    task.claim("alive")
    DBTaskResult.objects.filter(pk=task.pk).update(started_at=now - dt.timedelta(minutes=5))
    assert tasks_reap() == 0
    # After five runs the task is given up, not retried forever.
    DBTaskResult.objects.filter(pk=task.pk).update(worker_ids=["dead"] * 5)
    assert tasks_reap() == 1
    assert DBTaskResult.objects.get(pk=task.pk).status == TaskResultStatus.FAILED
