"""Intake (form 01) and the case it opens."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from workflows.states import CaseStatus, Classification, ProtectionLevel, RiskLevel

from .areas import Area, Organisation
from .people import Child, Incident


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    IN_PERSON = "in_person", _("In person")
    RELAYED = "relayed", _("Relayed by another body")
    HOTLINE_111 = "hotline", _("111 hotline")
    OTHER = "other", _("Other")


class Intake(models.Model):
    """Form 01 (Decree 56 art. 25.1): everything the receiver wrote down, as received."""

    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    received_at = models.DateTimeField(_("received at"))
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                    verbose_name=_("received by"))
    receiving_organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="intakes",
                                               verbose_name=_("receiving organisation"))
    # Form 01, part A.3 ("nếu đồng ý cung cấp"): the reporter's identity is recorded only with their consent.
    reporter_consent = models.BooleanField(_("reporter consents to being recorded"), default=False)
    reporter_name = models.CharField(_("reporter's name"), max_length=200, blank=True)
    reporter_phone = models.CharField(_("reporter's phone"), max_length=32, blank=True)
    reporter_address = models.CharField(_("reporter's address"), max_length=255, blank=True)
    reporter_relation = models.CharField(_("reporter's relation to the child"), max_length=120, blank=True)
    child_condition = models.TextField(_("the child's condition"), blank=True)
    likely_consequence = models.TextField(_("likely consequence without help"), blank=True)
    family_situation = models.TextField(_("family situation"), blank=True)
    help_given = models.TextField(_("help already given"), blank=True)
    classification = models.CharField(_("classification"), max_length=16, choices=Classification.choices)
    urgent = models.BooleanField(_("life, health or dignity seriously threatened"), default=False)
    caregiver_is_abuser = models.BooleanField(_("parent or caregiver is the alleged abuser"), default=False)
    routed_to = models.ForeignKey(Area, models.PROTECT, related_name="+",
                                  verbose_name=_("commune the report was routed to"))
    # Idempotency: a retried submit (double click, flaky network) returns the first case.
    client_token = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("intake report (form 01)")
        verbose_name_plural = _("intake reports (form 01)")
        constraints = [
            models.UniqueConstraint(fields=["received_by", "client_token"], condition=~models.Q(client_token=""),
                                    name="intake_idempotent_submit"),
        ]


class Case(models.Model):
    code = models.CharField(_("case number"), max_length=40, unique=True)
    child = models.ForeignKey(Child, models.PROTECT, related_name="cases", verbose_name=_("child"))
    incident = models.ForeignKey(Incident, models.PROTECT, related_name="cases", verbose_name=_("incident"))
    intake = models.OneToOneField(Intake, models.PROTECT, related_name="case", verbose_name=_("intake"))
    status = models.CharField(_("status"), max_length=24, choices=CaseStatus.choices, default=CaseStatus.RECEIVED)
    level = models.CharField(_("protection level"), max_length=16, choices=ProtectionLevel.choices)
    risk_level = models.CharField(_("risk level"), max_length=8, choices=RiskLevel.choices, blank=True)
    emergency = models.BooleanField(_("emergency"), default=False)
    # The commune that owns the case now (art. 26.1 routes to the incident commune; plans belong
    # to the residence commune, so a transfer moves ownership).
    commune = models.ForeignKey(Area, models.PROTECT, related_name="cases", verbose_name=_("responsible commune"))
    incident_commune = models.ForeignKey(Area, models.PROTECT, related_name="+",
                                         verbose_name=_("commune of the incident"))
    residence_commune = models.ForeignKey(Area, models.PROTECT, null=True, blank=True, related_name="+",
                                          verbose_name=_("commune of residence"))
    reporting_organisation = models.ForeignKey(Organisation, models.PROTECT, related_name="reported_cases",
                                               verbose_name=_("reporting organisation"))
    abuse_forms = models.ManyToManyField("casework.Term", through="CaseAbuseForm", related_name="+",
                                         verbose_name=_("forms of abuse"))
    special_groups = models.ManyToManyField("casework.Term", related_name="+", blank=True,
                                            limit_choices_to={"kind": "special_group"},
                                            verbose_name=_("special-circumstance groups"))
    risk_kind = models.ForeignKey("casework.Term", models.PROTECT, null=True, blank=True, related_name="+",
                                  limit_choices_to={"kind": "risk_kind"}, verbose_name=_("kind of risk"))
    environment = models.CharField(_("environment of abuse"), max_length=16, blank=True)
    perpetrator_relation = models.ForeignKey("casework.Term", models.PROTECT, null=True, blank=True,
                                             related_name="+", limit_choices_to={"kind": "relation"},
                                             verbose_name=_("perpetrator's relation"))
    verification_notes = models.TextField(_("verification findings"), blank=True)
    plan_cycle = models.PositiveSmallIntegerField(_("plan cycle"), default=1)
    opened_at = models.DateTimeField(_("opened at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closure_reason = models.TextField(_("closure reason"), blank=True)
    criminal_track = models.CharField(_("criminal proceedings (external status)"), max_length=255, blank=True)
    # Bumped by every service write; pages post it back so a stale form gets a conflict, not a
    # silent overwrite of someone else's change.
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    # The earliest due time of the case's live clocks (running or missed, not met): a copy of
    # min(CaseDeadline.due_at) kept by services.deadlines.deadlines_replace in the change's own
    # transaction, so work lists sort by urgency on an index instead of grouping every visible
    # case's clocks before the page is cut (issue 14).
    next_due_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_at"]
        indexes = [
            models.Index(fields=["status", "commune"], name="case_status_commune"),
            # Work lists walk cases newest first and stop at a page: keep that walk on an index.
            models.Index(fields=["-opened_at", "-id"], name="case_recent"),
            # The officer's work list: most urgent first, newest first among equals. PostgreSQL
            # puts NULLs last in an ascending index, as urgency_order asks (no due clock, last).
            models.Index(fields=["next_due_at", "-opened_at", "-id"], name="case_next_due"),
        ]
        # Granted per case only (django-guardian); nobody holds these model-wide.
        permissions = [("view_case_identity", "Can see the child's identity on the case")]

    def __str__(self) -> str:
        return self.code

    @property
    def is_open(self) -> bool:
        return self.status not in (CaseStatus.CLOSED, CaseStatus.NOT_ELIGIBLE)


class CaseAbuseForm(models.Model):
    case = models.ForeignKey(Case, models.CASCADE, related_name="abuse_form_links")
    term = models.ForeignKey("casework.Term", models.PROTECT, related_name="+", limit_choices_to={"kind": "abuse_form"})
    primary = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "term"], name="case_abuse_form_once"),
            models.UniqueConstraint(fields=["case"], condition=models.Q(primary=True), name="case_one_primary_form"),
        ]
