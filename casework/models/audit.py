"""The case timeline: one append-only row per change or sensitive read.

Written only by ``casework.audit.case_event_record``. A supervisor reconstructs a case from
these rows alone, so each carries who (user, role, organisation), when, what moved (from → to),
why, and which fields changed. On PostgreSQL a trigger (migration 0002) refuses UPDATE and
DELETE, and another (0008) TRUNCATE; on every database ``save()`` refuses to rewrite a row.

Each case's events form a hash chain (docs/audit.md): ``seq`` numbers them 1, 2, 3 … per case,
``hash`` covers the row's content, its position and ``prev_hash`` (the hash of the event before it).
``AuditAnchor`` rows fix every chain head at a moment, so a deleted tail is seen too.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .cases import Case


class CaseEventType(models.IntegerChoices):
    # 1xx intake and routing
    CASE_OPENED = 101, _("Report received and case opened")
    # prevention: the case came from a watch record of the prevention-level registry
    WATCH_RAISED = 102, _("Raised from a prevention-level watch record")
    TRANSFER_REQUESTED = 110, _("Transfer requested")
    TRANSFER_ACCEPTED = 111, _("Transfer accepted")
    TRANSFER_DECLINED = 112, _("Transfer declined")
    TRANSFER_CANCELLED = 113, _("Transfer cancelled")
    # triage (issue 12): a report kept as its own record but joined to a case or an incident
    REPORT_ATTACHED = 120, _("Report attached to another case or incident")
    REPORT_ATTACHED_HERE = 121, _("Another report attached to this case")
    # duplicate children (issue 12): one person recorded twice, merged and perhaps unmerged
    CHILD_MERGED = 130, _("Child records merged")
    CHILD_MERGE_UNDONE = 131, _("Child records merge undone")
    # 2xx verification and assessment
    VERIFICATION_STARTED = 201, _("Verification started")
    VERIFICATION_RECORDED = 202, _("Verification completed")
    INITIAL_ASSESSMENT_STARTED = 209, _("Initial assessment started")
    INITIAL_ASSESSMENT_RECORDED = 210, _("Initial assessment recorded (form 02)")
    EMERGENCY_DECLARED = 220, _("Emergency declared")
    EMERGENCY_MEASURE_ORDERED = 221, _("Emergency measure ordered")
    EMERGENCY_MEASURE_TAKEN = 222, _("Emergency measure carried out")
    EMERGENCY_MEASURE_NOT_POSSIBLE = 223, _("Emergency measure could not be carried out")
    EMERGENCY_MEASURE_CANCELLED = 224, _("Emergency measure cancelled")
    EMERGENCY_ENDED = 225, _("Emergency phase ended")
    ISOLATION_ISSUED = 230, _("Temporary isolation order issued (form 07)")
    ISOLATION_EXTENDED = 231, _("Temporary isolation extended")
    ISOLATION_REVOKED = 232, _("Temporary isolation revoked")
    ISOLATION_EXPIRED = 233, _("Temporary isolation expired")
    COMPREHENSIVE_STARTED = 240, _("Comprehensive assessment started")
    COMPREHENSIVE_ASSESSMENT_RECORDED = 241, _("Comprehensive assessment recorded (form 03)")
    CONFERENCE_RECORDED = 242, _("Case conference minutes recorded")
    LEVEL_CHANGED = 250, _("Protection level changed")
    CLASSIFICATION_CHANGED = 251, _("Classification changed")
    # 3xx plans
    PLANNING_STARTED = 300, _("Plan drafting started")
    PLAN_DRAFTED = 301, _("Plan drafted (form 04)")
    PLAN_UPDATED = 302, _("Plan draft changed")
    PLAN_SUBMITTED = 303, _("Plan submitted for approval")
    PLAN_RETURNED = 304, _("Plan returned for revision")
    PLAN_APPROVED = 305, _("Plan approved (form 05)")
    PLAN_REVISION_STARTED = 306, _("Plan adjustment started")
    # 4xx implementation
    TASK_ASSIGNED = 401, _("Task assigned")
    TASK_ACCEPTED = 402, _("Task accepted")
    TASK_DECLINED = 403, _("Task declined")
    TASK_STARTED = 404, _("Task started")
    TASK_DONE = 405, _("Task done")
    TASK_FAILED = 406, _("Task could not be done")
    TASK_CANCELLED = 407, _("Task cancelled")
    TASK_LOGGED = 410, _("Action logged")
    # evidence app: files attached to the case, a plan measure or a task
    EVIDENCE_ATTACHED = 420, _("Evidence file attached")
    EVIDENCE_WITHDRAWN = 421, _("Evidence file withdrawn")
    # 5xx review and closure
    REVIEW_STARTED = 501, _("Review started")
    REVIEW_RECORDED = 502, _("Review recorded (form 06)")
    NEW_CYCLE_STARTED = 503, _("New plan cycle started")
    CASE_CLOSED = 510, _("Case closed")
    CASE_NOT_ELIGIBLE = 511, _("Case closed as not eligible")
    CASE_REOPENED = 512, _("Case reopened")
    # 6xx deadlines
    DEADLINE_BREACHED = 601, _("Deadline missed")
    DEADLINE_WARNING = 602, _("Deadline approaching")
    DEADLINE_ESCALATED = 603, _("Missed deadline escalated to the supervisor")
    # 7xx access
    IDENTITY_VIEWED = 701, _("Child's identity viewed")
    FILE_EXPORTED = 702, _("Case file exported")
    IDENTITY_BREAK_GLASS = 703, _("Identity opened for an audit (break the glass)")
    CASE_VIEWED_VIA_GRANT = 704, _("Case read through a grant")
    EVIDENCE_DOWNLOADED = 705, _("Evidence file downloaded")
    GRANT_GIVEN = 710, _("Access granted")
    GRANT_REVOKED = 711, _("Access revoked")
    GRANT_EXPIRED = 712, _("Access expired")


class CaseEvent(models.Model):
    case = models.ForeignKey(Case, models.PROTECT, related_name="events")
    type = models.PositiveSmallIntegerField(_("event"), choices=CaseEventType.choices)
    at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
                              verbose_name=_("by"))
    # Copied, not joined: a timeline must still say who acted in which capacity after the
    # person changes job or organisation.
    actor_name = models.CharField(_("by"), max_length=200, blank=True)
    actor_role = models.CharField(_("role"), max_length=40, blank=True)
    actor_organisation = models.CharField(_("organisation"), max_length=255, blank=True)
    from_state = models.CharField(_("from"), max_length=32, blank=True)
    to_state = models.CharField(_("to"), max_length=32, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    changes = models.JSONField(_("changed fields"), default=dict, blank=True)
    data = models.JSONField(default=dict, blank=True)
    # The hash chain (casework.audit). Written once with the row, under the case's row lock.
    seq = models.PositiveIntegerField(_("position"))
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64)
    # Short digests of each hashed field: not a security measure (the hash is), they let
    # verify_audit name the field an edit changed.
    fingerprint = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["case", "at"], name="case_event_timeline")]
        constraints = [
            # A second writer that somehow missed the case lock fails instead of forking the chain.
            models.UniqueConstraint(fields=["case", "seq"], name="case_event_chain_position"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.get_type_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("Case events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("Case events are append-only.")


class AuditAnchor(models.Model):
    """Every chain head at one moment, hashed: printed or sent outside the system, it proves later
    that no event up to then was removed or rewritten, even by someone who rewrote whole chains.

    Written only by ``casework.audit.audit_anchor_write``; anchors chain to each other too.
    """

    at = models.DateTimeField(_("time"))
    cases = models.PositiveIntegerField(_("cases"))
    events = models.PositiveIntegerField(_("events"))
    # {"<case id>": [<seq>, "<hash>"], …}: what verify_audit compares the chains with.
    heads = models.JSONField(default=dict)
    heads_hash = models.CharField(max_length=64)
    # The heads of the other append-only logs that keep their own chains, by log
    # (``casework.audit.register_chain``): {"files": {"report:3": [<seq>, "<hash>"], …}}. Empty on
    # anchors written before they were anchored; their hash is computed without it.
    other_heads = models.JSONField(default=dict, blank=True)
    other_heads_hash = models.CharField(max_length=64, blank=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit anchor")
        verbose_name_plural = _("audit anchors")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.pk}:{self.hash[:16]}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("Audit anchors are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("Audit anchors are append-only.")
