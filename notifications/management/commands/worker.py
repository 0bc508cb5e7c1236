"""``manage.py worker``: django-tasks' ``db_worker`` with a heartbeat, so that the scheduler can
hand the task of a worker that died back to the queue (notifications.queue). Same options as
db_worker. Run several, on several machines, on PostgreSQL (tasks are taken with SKIP LOCKED);
on SQLite run one."""

from django_tasks_db.management.commands.db_worker import Command as DbWorker

from notifications.queue import Heartbeat


class Command(DbWorker):
    help = "Run the background worker (the database queue) with a heartbeat."

    def handle(self, *args, **options):
        heartbeat = Heartbeat(options["worker_id"], "worker").start()
        try:
            return super().handle(*args, **options)
        finally:
            heartbeat.stop()
