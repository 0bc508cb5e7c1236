"""The clocks of a case, recomputed by ``casework.services.deadlines.deadlines_replace``.

Materialised (rather than computed on each page) so work lists can sort and filter open cases
by urgency with one indexed query, and reports can count breaches.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .cases import Case

# Clocks set by the plan rather than by the law (the statutory ones are workflows.policy.DeadlineKind).
TASK_CLOCK = "task"
REVIEW_CLOCK = "review"


class ClockState(models.TextChoices):
    RUNNING = "running", _("Running")
    MET = "met", _("Met")
    BREACHED = "breached", _("Missed")
    CANCELLED = "cancelled", _("No longer applies")


class CaseDeadline(models.Model):
    case = models.ForeignKey(Case, models.CASCADE, related_name="deadlines")
    kind = models.CharField(_("clock"), max_length=32)
    # Several clocks of one kind exist over a case's life (one per plan version, per isolation order).
    subject = models.CharField(max_length=64, blank=True, default="")
    starts_at = models.DateTimeField(_("started at"))
    due_at = models.DateTimeField(_("due at"))
    warn_at = models.DateTimeField(_("warning at"))
    met_at = models.DateTimeField(_("met at"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=16, choices=ClockState.choices, default=ClockState.RUNNING)
    breach_recorded = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("deadline")
        ordering = ["due_at"]
        constraints = [models.UniqueConstraint(fields=["case", "kind", "subject"], name="deadline_once")]
        indexes = [models.Index(fields=["state", "due_at"], name="deadline_running_due")]
