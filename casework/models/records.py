"""The records a case accumulates on its statutory path (Decree 56/2017 art. 25–32).

Rows here are written only by ``casework.services``; their status columns move only through the
machines in ``workflows.flows``.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from workflows.states import (
    EmergencyMeasureStatus,
    IsolationStatus,
    PlanStatus,
    ProtectionLevel,
    RiskLevel,
    TaskStatus,
    TransferStatus,
)

from .areas import Area, Organisation
from .cases import Case

User = settings.AUTH_USER_MODEL


class Authored(models.Model):
    case = models.ForeignKey(Case, models.CASCADE, related_name="%(class)ss")
    author = models.ForeignKey(User, models.PROTECT, related_name="+", verbose_name=_("author"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["created_at"]


class InitialAssessment(Authored):
    """Form 02 (art. 26): how unsafe the child is, and whether emergency measures apply."""

    risk_level = models.CharField(_("risk level"), max_length=8, choices=RiskLevel.choices)
    life_threatened = models.BooleanField(_("life, health or dignity seriously threatened"), default=False)
    caregiver_is_abuser = models.BooleanField(_("parent or caregiver is the abuser"), default=False)
    emergency_needed = models.BooleanField(_("emergency measures needed"), default=False)
    findings = models.TextField(_("findings"))

    class Meta(Authored.Meta):
        verbose_name = _("initial assessment (form 02)")


class ComprehensiveAssessment(Authored):
    """Form 03 (art. 27.1 a–h)."""

    physical_psychological_state = models.TextField(_("physical, psychological and emotional state"))
    family_circumstances = models.TextField(_("family circumstances and parents' capacity to protect"))
    risk_factors = models.TextField(_("factors that could lead to (further) abuse"))
    schooling_self_protection = models.TextField(_("schooling and self-protection capacity"))
    community_safety = models.TextField(_("safety and support of the community"))
    needs = models.TextField(_("needs (medical, social, education, legal aid, counselling, other)"))
    child_views = models.TextField(_("the child's views and wishes"))
    caregiver_views = models.TextField(_("the parents' or caregiver's views"), blank=True,
                                       help_text=_("Not asked when they caused the harm."))
    risk_level = models.CharField(_("risk level"), max_length=8, choices=RiskLevel.choices)

    class Meta(Authored.Meta):
        verbose_name = _("comprehensive assessment (form 03)")


class CaseConference(Authored):
    """Minutes of the meeting that decides the measures (art. 27.2): the commune chairperson
    chairs it "with the bodies responsible for protecting children, a representative of the
    residential area where the child lives or the incident happened, and the parents or
    caregiver". Each of these is recorded on its own, so the minutes show who was there."""

    class CaregiverAbsence(models.TextChoices):
        CAUSED_HARM = "caused_harm", _("Not invited: the parents or caregiver caused the harm")
        DECLINED = "declined", _("Invited, did not attend")
        UNREACHABLE = "unreachable", _("Could not be reached")

    held_at = models.DateTimeField(_("held at"))
    chair = models.ForeignKey(User, models.PROTECT, related_name="+", null=True, blank=True,
                              verbose_name=_("chaired by"),
                              help_text=_("The commune chairperson, or a deputy under a recorded delegation."))
    # The chair's name as it was on the day, printed on the minutes (also for minutes recorded
    # before the chair was a person in the system).
    chaired_by = models.CharField(_("chaired by"), max_length=200)
    bodies_present = models.ManyToManyField(Organisation, related_name="+", blank=True,
                                            verbose_name=_("bodies present"))
    community_representative = models.CharField(_("representative of the residential area"), max_length=200,
                                                blank=True, help_text=_("Name and position, e.g. the village head."))
    caregiver_present = models.CharField(_("parent or caregiver present"), max_length=200, blank=True,
                                         help_text=_("Name and relation to the child."))
    caregiver_absence = models.CharField(_("why no parent or caregiver attended"), max_length=16, blank=True,
                                         choices=CaregiverAbsence.choices)
    participants = models.TextField(_("other participants"), blank=True)
    decisions = models.TextField(_("measures decided"))

    class Meta(Authored.Meta):
        verbose_name = _("case conference minutes")


class Review(Authored):
    """Form 06 (art. 30): re-assessment at the end of a plan."""

    class Recommendation(models.TextChoices):
        END = "end", _("End the plan and close the case")
        NEW_CYCLE = "new_cycle", _("Start a new plan cycle")

    harm_still_serious = models.CharField(_("harm still serious"), max_length=8, choices=RiskLevel.choices)
    abuser_can_reach_child = models.CharField(_("abuser can still reach the child"), max_length=8,
                                              choices=RiskLevel.choices)
    obstacles_at_home = models.CharField(_("obstacles to safety at home"), max_length=8, choices=RiskLevel.choices)
    child_capacity = models.CharField(_("child's capacity to protect themselves and recover"), max_length=8,
                                      choices=RiskLevel.choices)
    findings = models.TextField(_("findings"))
    recommendation = models.CharField(_("recommendation"), max_length=16, choices=Recommendation.choices)
    plan_cycle = models.PositiveSmallIntegerField(_("plan cycle"))

    class Meta(Authored.Meta):
        verbose_name = _("review (form 06)")


class EmergencyMeasure(Authored):
    """Art. 31: stop the act, first aid, safe shelter, keep evidence — within 12 hours of receipt."""

    kind = models.ForeignKey("casework.Term", models.PROTECT, related_name="+",
                             limit_choices_to={"kind": "emergency_measure"}, verbose_name=_("measure"))
    responsible = models.ForeignKey(Organisation, models.PROTECT, related_name="+", verbose_name=_("responsible body"))
    status = models.CharField(_("status"), max_length=16, choices=EmergencyMeasureStatus.choices,
                              default=EmergencyMeasureStatus.ORDERED)
    ordered_at = models.DateTimeField(_("ordered at"))
    done_at = models.DateTimeField(_("carried out at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta(Authored.Meta):
        verbose_name = _("emergency measure")


class IsolationOrder(Authored):
    """Form 07 (art. 32): temporary isolation from parents or caregiver."""

    decision_no = models.CharField(_("decision number"), max_length=64)
    issued_at = models.DateTimeField(_("issued at"))
    ends_at = models.DateTimeField(_("ends at"))
    total_days = models.PositiveSmallIntegerField(_("total days"))
    placement = models.CharField(_("safe place / alternative care"), max_length=255)
    status = models.CharField(_("status"), max_length=16, choices=IsolationStatus.choices,
                              default=IsolationStatus.ISSUED)
    authority_request = models.CharField(
        _("request of a competent authority"), max_length=255, blank=True,
        help_text=_("Required to keep the child isolated for more than 15 days (art. 32.3)."),
    )
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    end_reason = models.TextField(_("reason for ending"), blank=True)

    class Meta(Authored.Meta):
        verbose_name = _("temporary isolation order (form 07)")


class Plan(Authored):
    """Form 04 (art. 28.3), with the approval decision (form 05) once decided."""

    version = models.PositiveSmallIntegerField(_("version"))
    cycle = models.PositiveSmallIntegerField(_("plan cycle"))
    status = models.CharField(_("status"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    goals = models.TextField(_("goals"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    review_on = models.DateField(_("review on"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("decided by"))
    decision_no = models.CharField(_("approval decision number (form 05)"), max_length=64, blank=True)
    return_reason = models.TextField(_("reason for return"), blank=True)

    class Meta(Authored.Meta):
        verbose_name = _("plan (form 04)")
        constraints = [models.UniqueConstraint(fields=["case", "version"], name="plan_version_once")]

    @property
    def cost_total(self):
        return sum((m.cost or 0) for m in self.measures.all())


class Measure(models.Model):
    plan = models.ForeignKey(Plan, models.CASCADE, related_name="measures")
    kind = models.ForeignKey("casework.Term", models.PROTECT, related_name="+",
                             limit_choices_to={"kind": "measure"}, verbose_name=_("measure"))
    level = models.CharField(_("protection level"), max_length=16, choices=ProtectionLevel.choices)
    legal_article = models.CharField(_("legal article"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    responsible = models.ForeignKey(Organisation, models.PROTECT, related_name="+", verbose_name=_("responsible body"))
    coordinating = models.ForeignKey(Organisation, models.PROTECT, null=True, blank=True, related_name="+",
                                     verbose_name=_("coordinating body"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("expected end"))
    resources = models.CharField(_("resources"), max_length=255, blank=True)
    cost = models.DecimalField(_("cost estimate (VND)"), max_digits=14, decimal_places=0, null=True, blank=True)
    # Art. 28.3.c: the child-protection service providers mobilised for this measure.
    providers = models.ManyToManyField(Organisation, blank=True, related_name="+",
                                       verbose_name=_("service providers mobilised"))

    class Meta:
        verbose_name = _("plan measure")
        ordering = ["starts_on", "pk"]


class Task(models.Model):
    """A measure (or an ad-hoc request) referred to one body (art. 28.5, 29)."""

    case = models.ForeignKey(Case, models.CASCADE, related_name="tasks")
    measure = models.ForeignKey(Measure, models.SET_NULL, null=True, blank=True, related_name="tasks")
    organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="tasks", verbose_name=_("body"))
    title = models.CharField(_("title"), max_length=255)
    details = models.TextField(_("details"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.ASSIGNED)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    assigned_by = models.ForeignKey(User, models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(_("assigned at"))
    closed_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    outcome_reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("task / referral")
        ordering = ["assigned_at", "pk"]


class TaskLog(models.Model):
    """What a body did (e.g. police interventions: date, action, outcome)."""

    task = models.ForeignKey(Task, models.CASCADE, related_name="logs")
    author = models.ForeignKey(User, models.PROTECT, related_name="+")
    acted_on = models.DateField(_("date"))
    action = models.TextField(_("action"))
    outcome = models.TextField(_("outcome"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["acted_on", "pk"]


class Transfer(models.Model):
    case = models.ForeignKey(Case, models.CASCADE, related_name="transfers")
    from_commune = models.ForeignKey(Area, models.PROTECT, related_name="+")
    to_commune = models.ForeignKey(Area, models.PROTECT, related_name="+")
    # The child's residence when the transfer was asked: restored as it was when the transfer is
    # declined or withdrawn (the sending commune is not necessarily where the child lives).
    residence_before = models.ForeignKey(Area, models.PROTECT, null=True, blank=True, related_name="+",
                                         verbose_name=_("commune of residence before the transfer"))
    reason = models.TextField(_("reason"))
    status = models.CharField(_("status"), max_length=16, choices=TransferStatus.choices,
                              default=TransferStatus.REQUESTED)
    requested_by = models.ForeignKey(User, models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    decided_by = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    class Meta:
        verbose_name = _("transfer")
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=models.Q(status="requested"),
                                    name="one_pending_transfer_per_case"),
        ]
