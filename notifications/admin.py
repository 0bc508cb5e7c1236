"""The admin is where an administrator watches the background work: the queue (tasks with state
and age, and above the list the lag, failures and live workers), the timers and the deliveries.
Everything here is read-only: notices, timers and deliveries are written by the code."""

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from .models import Delivery, Notification, Preference, Timer, WorkerBeat
from .queue import queue_health


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _age(moment):
    if moment is None:
        return "–"
    seconds = int((timezone.now() - moment).total_seconds())
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


@admin.register(Notification)
class NotificationAdmin(ReadOnly):
    list_display = ("recipient", "event", "created_at", "read_at")
    list_filter = (("read_at", admin.EmptyFieldListFilter),)
    search_fields = ("recipient__username",)
    list_select_related = ("recipient", "event")
    date_hierarchy = "created_at"


@admin.register(Timer)
class TimerAdmin(ReadOnly):
    list_display = ("case", "kind", "what", "step", "fire_at", "state", "attempts", "claimed_by", "lease_until",
                    "fired_at")
    list_filter = ("state", "what", "kind")
    search_fields = ("case__code", "claimed_by")
    list_select_related = ("case",)
    date_hierarchy = "fire_at"


@admin.register(WorkerBeat)
class WorkerBeatAdmin(ReadOnly):
    list_display = ("worker_id", "role", "host", "pid", "started_at", "beat_at", "silent_for")

    @admin.display(description=_("silent for"))
    def silent_for(self, obj):
        return _age(obj.beat_at)


@admin.register(Delivery)
class DeliveryAdmin(ReadOnly):
    list_display = ("notification", "channel", "state", "attempts", "created_at", "sent_at", "error")
    list_filter = ("state", "channel")
    list_select_related = ("notification__recipient", "notification__event")


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "email")
    search_fields = ("user__username",)


# The queue: django-tasks-db's own list, with each task's age and attempts, and the health above it.
admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class QueueAdmin(DBTaskResultAdmin):
    list_display = ("id", "task_name", "status", "age", "attempts", "enqueued_at", "started_at", "finished_at",
                    "queue_name")
    change_list_template = "notifications/admin/queue_change_list.html"

    @admin.display(description=_("age"))
    def age(self, obj):
        return _age(obj.enqueued_at) if obj.finished_at is None else "–"

    @admin.display(description=_("attempts"))
    def attempts(self, obj):
        return len(obj.worker_ids or [])

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {**(extra_context or {}), "health": queue_health()})
