"""Records of the duplicate finder: a child's personal identification number when known, and
the merges of two records of one child (kept whole, so a merge can be undone)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ChildIdentifier(models.Model):
    """The personal identification number (số định danh cá nhân, 12 digits) when it is known."""

    child = models.OneToOneField("casework.Child", models.CASCADE, related_name="identifier")
    number = models.CharField(_("personal identification number"), max_length=12, unique=True)

    class Meta:
        verbose_name = _("personal identification number")

    def __str__(self) -> str:
        return f"#{self.child_id}"   # never the number: it identifies the child


class ChildMerge(models.Model):
    """Two records found to be one child: the cases and registry entries of ``merged`` now point
    at ``kept``. Both Child rows stay, and the ids moved are kept, so an undo puts back exactly
    what moved."""

    kept = models.ForeignKey("casework.Child", models.PROTECT, related_name="merges_kept", verbose_name=_("kept"))
    merged = models.ForeignKey("casework.Child", models.PROTECT, related_name="merges_into",
                               verbose_name=_("merged"))
    moved_cases = models.JSONField(default=list)
    moved_entries = models.JSONField(default=list)
    reason = models.TextField(_("reason"))
    reasons_shown = models.JSONField(default=list, help_text=_("Why the finder suggested it."))
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    merged_at = models.DateTimeField(_("merged at"))
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    undo_reason = models.TextField(_("why undone"), blank=True)

    class Meta:
        verbose_name = _("merge of child records")
        verbose_name_plural = _("merges of child records")
        ordering = ["-merged_at", "-pk"]
        constraints = [
            # A record is merged away at most once at a time.
            models.UniqueConstraint(fields=["merged"], condition=models.Q(undone_at__isnull=True),
                                    name="child_merged_once"),
        ]

    def __str__(self) -> str:
        return f"#{self.merged_id} → #{self.kept_id}"

    @property
    def active(self) -> bool:
        return self.undone_at is None
