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


class StoredFile(models.Model):
    """What every stored file carries, whatever it is attached to: the random key, the name in
    storage, the checked type and size, the hash, and its withdrawal."""

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
        abstract = True

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class Attachment(StoredFile):
    case = models.ForeignKey(Case, models.PROTECT, related_name="attachments")
    target = models.CharField(_("attached to"), max_length=16, choices=TargetKind.choices, default=TargetKind.CASE)
    measure = models.ForeignKey(Measure, models.PROTECT, null=True, blank=True, related_name="attachments")
    task = models.ForeignKey(Task, models.PROTECT, null=True, blank=True, related_name="attachments")

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


# ------------------------------------------------------------------ files outside any case

class OwnerKind(models.TextChoices):
    """Records without a case timeline that carry files through the same pipeline."""

    ACTIVITY = "activity", _("a prevention activity")
    TARGET_REPORT = "target_report", _("a reported target value")
    REPORT = "report", _("a periodic report")


class RecordFile(StoredFile):
    """A file on a prevention activity, a reported target value or a periodic report.

    The same checks, storage and random key as ``Attachment``; what a case timeline does for
    those, ``FileEvent`` (a hash chain per record) does here.
    """

    owner = models.CharField(_("attached to"), max_length=16, choices=OwnerKind.choices)
    activity = models.ForeignKey("prevention.Activity", models.PROTECT, null=True, blank=True,
                                 related_name="evidence")
    target_report = models.ForeignKey("prevention.TargetReport", models.PROTECT, null=True, blank=True,
                                      related_name="evidence")
    report = models.ForeignKey("reports.Report", models.PROTECT, null=True, blank=True, related_name="attachments")

    class Meta:
        verbose_name = _("record file")
        verbose_name_plural = _("record files")
        ordering = ["-uploaded_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(owner="activity", activity__isnull=False, target_report__isnull=True,
                             report__isnull=True)
                           | Q(owner="target_report", target_report__isnull=False, activity__isnull=True,
                               report__isnull=True)
                           | Q(owner="report", report__isnull=False, activity__isnull=True,
                               target_report__isnull=True)),
                name="recordfile_owner_matches"),
        ]

    def __str__(self) -> str:
        return f"{self.owner}:{self.owner_id}:{self.key[:8]}"

    @property
    def owner_id(self) -> int:
        return self.activity_id or self.target_report_id or self.report_id


class FileEventType(models.IntegerChoices):
    ATTACHED = 1, _("File attached")
    DOWNLOADED = 2, _("File downloaded")
    WITHDRAWN = 3, _("File withdrawn")
    MIGRATED = 4, _("File moved into the evidence store")


class FileEvent(models.Model):
    """The append-only log of record files: one row per attach, download or withdrawal.

    Rows of one record (``subject`` = "activity:12") form a hash chain like a case timeline
    (``seq``, ``prev_hash``, ``hash``; ``evidence.chain``); on PostgreSQL triggers refuse UPDATE,
    DELETE and TRUNCATE. ``sha256`` is the file's, so the log fixes which bytes went in and out.
    """

    subject = models.CharField(max_length=40)
    seq = models.PositiveIntegerField()
    file = models.ForeignKey(RecordFile, models.PROTECT, related_name="events")
    type = models.PositiveSmallIntegerField(_("event"), choices=FileEventType.choices)
    at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    actor_role = models.CharField(max_length=40, blank=True)
    actor_organisation = models.CharField(max_length=255, blank=True)
    sha256 = models.CharField(max_length=64)
    data = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["subject", "seq"]
        constraints = [models.UniqueConstraint(fields=["subject", "seq"], name="fileevent_subject_seq")]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("File events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("File events are append-only.")
