"""The states of every machine, in one place (Decree 56/2017 art. 25–32; DOMAIN.md §3).

Values are stored in the database: never rename one, add a new one and migrate.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CaseStatus(models.TextChoices):
    RECEIVED = "received", _("Received")                              # art. 25.1: intake on form 01
    VERIFYING = "verifying", _("Verification")                        # art. 25
    ASSESSING = "assessing", _("Initial assessment")                  # art. 26, form 02
    EMERGENCY = "emergency", _("Emergency intervention")              # art. 26.3, 31, 32
    COMPREHENSIVE = "comprehensive", _("Comprehensive assessment")    # art. 27, form 03 + conference
    PLANNING = "planning", _("Plan drafting")                         # art. 28.1, form 04
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")   # art. 28.2–4
    RETURNED = "returned", _("Returned for revision")
    IMPLEMENTING = "implementing", _("Implementation")                # art. 29
    REVIEWING = "reviewing", _("Review")                              # art. 30, form 06
    CLOSED = "closed", _("Closed")                                    # art. 30.2
    NOT_ELIGIBLE = "not_eligible", _("Not eligible")


OPEN_CASE_STATUSES = frozenset(CaseStatus) - {CaseStatus.CLOSED, CaseStatus.NOT_ELIGIBLE}


class ProtectionLevel(models.TextChoices):
    # Law on Children 2016 art. 47–50.
    PREVENTION = "prevention", _("Prevention")
    SUPPORT = "support", _("Support")
    INTERVENTION = "intervention", _("Intervention")


class RiskLevel(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class Classification(models.TextChoices):
    # Form 01: the three kinds of report.
    ABUSED = "abused", _("Abused")
    AT_RISK = "at_risk", _("At risk of violence, exploitation or abandonment")
    SPECIAL = "special", _("In special circumstances")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for revision")
    APPROVED = "approved", _("Approved")
    SUPERSEDED = "superseded", _("Superseded")
    ENDED = "ended", _("Ended")


class EmergencyMeasureStatus(models.TextChoices):
    ORDERED = "ordered", _("Ordered")
    TAKEN = "taken", _("Carried out")
    NOT_POSSIBLE = "not_possible", _("Could not be carried out")
    CANCELLED = "cancelled", _("Cancelled")


class IsolationStatus(models.TextChoices):
    ISSUED = "issued", _("Issued")
    EXTENDED = "extended", _("Extended")
    REVOKED = "revoked", _("Revoked")
    EXPIRED = "expired", _("Expired")


class TaskStatus(models.TextChoices):
    ASSIGNED = "assigned", _("Assigned")
    ACCEPTED = "accepted", pgettext_lazy("task status", "Accepted")
    DECLINED = "declined", _("Declined")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    FAILED = "failed", _("Could not be done")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_TASK_STATUSES = frozenset({TaskStatus.ASSIGNED, TaskStatus.ACCEPTED, TaskStatus.IN_PROGRESS})
# What keeps a case from its review and closure: work not done, not possible nor cancelled. A
# declined referral counts, until the officer cancels or re-addresses it.
UNRESOLVED_TASK_STATUSES = OPEN_TASK_STATUSES | {TaskStatus.DECLINED}


class TransferStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")
