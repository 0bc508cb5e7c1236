"""Evidence files attached to a case, one of its plan measures or one of its tasks.

The row holds what the timeline needs to prove the file later (its SHA-256, size and type as
read from the content) and where the bytes are: ``storage_name`` in the evidence storage
(``evidence.files.evidence_storage``), outside the web root. ``key`` is the only handle pages and
the API use: random, so no URL can be guessed from another, and never the database id.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from casework.models import Case, Measure, Task


class TargetKind(models.TextChoices):
    CASE = "case", _("the case file")
    MEASURE = "measure", _("a plan measure")
    TASK = "task", _("a task")


class Attachment(models.Model):
    case = models.ForeignKey(Case, models.PROTECT, related_name="attachments")
    target = models.CharField(_("attached to"), max_length=16, choices=TargetKind.choices, default=TargetKind.CASE)
    measure = models.ForeignKey(Measure, models.PROTECT, null=True, blank=True, related_name="attachments")
    task = models.ForeignKey(Task, models.PROTECT, null=True, blank=True, related_name="attachments")
    key = models.CharField(max_length=43, unique=True, editable=False)
    storage_name = models.CharField(max_length=200, editable=False)
    original_name = models.CharField(_("file name"), max_length=200)
    description = models.CharField(_("description"), max_length=255, blank=True)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    # True when image metadata (EXIF, GPS) was removed before storing.
    metadata_stripped = models.BooleanField(default=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                    verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                     related_name="+")
    withdraw_reason = models.TextField(_("reason for withdrawal"), blank=True)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["-uploaded_at", "-pk"]
        indexes = [models.Index(fields=["case", "uploaded_at"], name="attachment_case_time")]
        constraints = [
            # Exactly the record the target names, and nothing else.
            models.CheckConstraint(
                condition=(Q(target="case", measure__isnull=True, task__isnull=True)
                           | Q(target="measure", measure__isnull=False, task__isnull=True)
                           | Q(target="task", task__isnull=False, measure__isnull=True)),
                name="attachment_target_matches"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.key[:8]}"

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None
