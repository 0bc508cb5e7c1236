from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """An in-app notice. It names the case and the event, never the child (DOMAIN.md §6)."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="notifications")
    event = models.ForeignKey("casework.CaseEvent", models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["recipient", "event"], name="notify_once")]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notify_unread")]


class TimerWhat(models.TextChoices):
    WARNING = "warning", _("Warning before the deadline")
    BREACH = "breach", _("Deadline missed")
    ESCALATION = "escalation", _("Escalation to the supervisor")


class TimerState(models.TextChoices):
    PENDING = "pending", _("Waiting")
    CLAIMED = "claimed", _("Being fired")
    FIRED = "fired", _("Fired")
    # The clock moved on before the timer's moment (met, superseded by the breach): nothing said.
    SKIPPED = "skipped", _("Not needed")


class Timer(models.Model):
    """One moment at which a case's clock must act: a warning, the breach, the escalation.

    Written only by ``notifications.timers.timers_replace``, inside the transaction of the change
    that moved the clock (from ``deadlines_replace``); fired by ``manage.py scheduler``.
    ``key`` names the clock instance and the step, so a step fires at most once per deadline:
    a fired timer's key stays taken, and recomputing the clocks cannot create it again.
    A claim holds until ``lease_until``; a claim whose scheduler died runs out and is taken again.
    """

    key = models.CharField(max_length=200, unique=True)
    what = models.CharField(_("what"), max_length=16, choices=TimerWhat.choices)
    step = models.PositiveSmallIntegerField(default=1)
    case = models.ForeignKey("casework.Case", models.CASCADE, related_name="timers")
    kind = models.CharField(_("clock"), max_length=32)
    subject = models.CharField(max_length=64, blank=True, default="")
    due_at = models.DateTimeField(_("due at"))
    fire_at = models.DateTimeField(_("fires at"))
    state = models.CharField(_("state"), max_length=16, choices=TimerState.choices, default=TimerState.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    claimed_by = models.CharField(_("claimed by"), max_length=64, blank=True)
    lease_until = models.DateTimeField(_("lease until"), null=True, blank=True)
    fired_at = models.DateTimeField(_("fired at"), null=True, blank=True)
    event = models.ForeignKey("casework.CaseEvent", models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("timer")
        verbose_name_plural = _("timers")
        ordering = ["fire_at"]
        indexes = [models.Index(fields=["state", "fire_at"], name="timer_due"),
                   models.Index(fields=["state", "lease_until"], name="timer_lease")]

    def __str__(self) -> str:
        return self.key


class WorkerBeat(models.Model):
    """A worker or scheduler process saying it is alive. The reaper hands the RUNNING tasks of a
    worker that stopped beating back to the queue (``notifications.queue.tasks_reap``)."""

    worker_id = models.CharField(max_length=64, unique=True)
    role = models.CharField(max_length=16)
    host = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(null=True)
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("worker")
        verbose_name_plural = _("workers")
        ordering = ["-beat_at"]

    def __str__(self) -> str:
        return f"{self.role} {self.worker_id}"


class EmailChoice(models.TextChoices):
    IMMEDIATE = "immediate", _("Every notice, right away")
    # Emergencies, warnings of the 12-hour clocks, missed deadlines and escalations always go.
    URGENT_ONLY = "urgent", _("Only emergencies, missed deadlines and escalations")


class Preference(models.Model):
    """How a user wants to hear of events outside the app. No row means the default (right away)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="notification_preference")
    email = models.CharField(_("e-mail"), max_length=16, choices=EmailChoice.choices, default=EmailChoice.IMMEDIATE)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Delivery(models.Model):
    """One notice on one outbound channel. Unique per (notification, channel): a task run twice
    (a reaped worker's task) finds the row already sent and sends nothing."""

    notification = models.ForeignKey(Notification, models.CASCADE, related_name="deliveries")
    channel = models.CharField(_("channel"), max_length=16)
    state = models.CharField(_("state"), max_length=16, choices=DeliveryState.choices,
                             default=DeliveryState.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["notification", "channel"], name="deliver_once")]
