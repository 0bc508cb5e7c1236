"""The prevention level (Law on Children 2016 art. 47–48): annual child-work plans, their targets
and tasks per body, activities, the population base and the prevention-level children registry.

Every part of the five seed plans (shared/seeds) has a place here: the header (issuing body,
number, place and date, title, the national motto), the legal bases and the higher plan
implemented, sections I–V in the order each plan uses, numeric targets with baseline and goal
(and the milestones of a multi-year programme), the duties of each body, the reporting dates,
the "Nơi nhận" list and the signature block ("KT. CHỦ TỊCH / PHÓ CHỦ TỊCH").

Rows change only through ``prevention.services``; each change writes one ``PreventionEvent``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .states import (
    ActivityKind,
    GoalKind,
    Measurement,
    PopulationScope,
    Recurrence,
    RegistryCategory,
    ReportKind,
    SectionKind,
    SupportKind,
    TaskStatus,
    WatchStatus,
    WorkPlanStatus,
)


class ChildCounts(models.Model):
    """Children by sex and age band: what activities count and the population base holds."""

    girls_0_5 = models.PositiveIntegerField(_("girls 0–5"), default=0)
    boys_0_5 = models.PositiveIntegerField(_("boys 0–5"), default=0)
    girls_6_10 = models.PositiveIntegerField(_("girls 6–10"), default=0)
    boys_6_10 = models.PositiveIntegerField(_("boys 6–10"), default=0)
    girls_11_15 = models.PositiveIntegerField(_("girls 11–15"), default=0)
    boys_11_15 = models.PositiveIntegerField(_("boys 11–15"), default=0)

    class Meta:
        abstract = True

    @property
    def children_total(self) -> int:
        return (self.girls_0_5 + self.boys_0_5 + self.girls_6_10 + self.boys_6_10 + self.girls_11_15
                + self.boys_11_15)


class WorkPlan(models.Model):
    """Kế hoạch thực hiện công tác trẻ em: one body's plan for a year or a multi-year programme."""

    issuing_organisation = models.ForeignKey("casework.Organisation", models.PROTECT, related_name="work_plans",
                                             verbose_name=_("issuing body"))
    # The area the plan covers (a commune, a province …); scoping and the population base use it.
    area = models.ForeignKey("casework.Area", models.PROTECT, related_name="work_plans", verbose_name=_("area"))
    year_from = models.PositiveSmallIntegerField(_("from year"))
    year_to = models.PositiveSmallIntegerField(_("to year"))
    title = models.CharField(_("title"), max_length=400)
    number = models.CharField(_("number"), max_length=60, blank=True, help_text=_('e.g. "226/KH-PGDĐT"'))
    place = models.CharField(_("place"), max_length=120, blank=True)
    issued_on = models.DateField(_("date"), null=True, blank=True)
    # The line above the issuing body on formal plans ("UBND TỈNH HÒA BÌNH" above "SỞ GIÁO DỤC …").
    governing_body = models.CharField(_("governing body line"), max_length=200, blank=True)
    national_motto = models.BooleanField(_("print the national motto"), default=True)
    preamble = models.TextField(_("opening paragraph"), blank=True)
    # The plan of the level above that this one implements (plans form a tree across levels),
    # or, when that plan is not in the system, its citation.
    parent = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="children",
                               verbose_name=_("higher plan implemented"))
    parent_citation = models.CharField(_("higher plan (citation)"), max_length=500, blank=True)
    copied_from = models.ForeignKey("self", models.SET_NULL, null=True, blank=True, related_name="copies",
                                    verbose_name=_("copied from"))
    closing = models.TextField(_("closing sentence"), blank=True)
    recipients = models.TextField(_("recipients (Nơi nhận)"), blank=True, help_text=_("One per line."))
    signer_authority = models.CharField(_("signing authority"), max_length=120, blank=True,
                                        help_text=_('e.g. "KT. CHỦ TỊCH"'))
    signer_title = models.CharField(_("signer's title"), max_length=120, blank=True)
    signer_name = models.CharField(_("signer's name"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=WorkPlanStatus.choices,
                              default=WorkPlanStatus.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+",
                                   verbose_name=_("drafted by"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("submitted by"))
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name=_("signed by"))
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("child-work plan")
        verbose_name_plural = _("child-work plans")
        ordering = ["-year_from", "area__path", "pk"]
        indexes = [models.Index(fields=["area", "year_from"], name="workplan_area_year")]
        constraints = [models.CheckConstraint(condition=Q(year_to__gte=models.F("year_from")),
                                              name="workplan_years_ordered")]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    @property
    def years(self) -> str:
        return str(self.year_from) if self.year_from == self.year_to else f"{self.year_from}–{self.year_to}"


class LegalBasis(models.Model):
    """A "Căn cứ …" or "Thực hiện …" line: a law, decree, directive or plan the plan rests on."""

    plan = models.ForeignKey(WorkPlan, models.CASCADE, related_name="legal_bases")
    order = models.PositiveSmallIntegerField(default=0)
    citation = models.TextField(_("citation"))

    class Meta:
        ordering = ["order", "pk"]


class PlanSection(models.Model):
    """One numbered part (I. MỤC ĐÍCH, YÊU CẦU …). Plans order their parts differently, so the
    numeral and order are data; ``kind`` says what the part is for."""

    plan = models.ForeignKey(WorkPlan, models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField(default=0)
    numeral = models.CharField(_("numeral"), max_length=8)
    kind = models.CharField(_("kind"), max_length=16, choices=SectionKind.choices)
    heading = models.CharField(_("heading"), max_length=200)
    body = models.TextField(_("text"), blank=True)

    class Meta:
        ordering = ["order", "pk"]


class Target(models.Model):
    """A numeric target of section II ("Phấn đấu 90% trẻ em … biết kỹ năng phòng, chống đuối nước")."""

    plan = models.ForeignKey(WorkPlan, models.CASCADE, related_name="targets")
    order = models.PositiveSmallIntegerField(default=0)
    code = models.CharField(_("code"), max_length=40, blank=True, help_text=_('e.g. "Chỉ tiêu 17"'))
    wording = models.TextField(_("wording"))
    goal_kind = models.CharField(_("goal"), max_length=8, choices=GoalKind.choices, default=GoalKind.SHARE)
    goal_value = models.DecimalField(_("goal value"), max_digits=12, decimal_places=2, default=0)
    baseline_value = models.DecimalField(_("baseline"), max_digits=12, decimal_places=2, null=True, blank=True)
    baseline_note = models.CharField(_("baseline source"), max_length=255, blank=True)
    measurement = models.CharField(_("how it is measured"), max_length=16, choices=Measurement.choices,
                                   default=Measurement.REPORTED)
    # (a) the code of an indicator of the reports app (Circular 13/2021 style, kept as data).
    indicator_code = models.CharField(_("indicator code"), max_length=40, blank=True)
    # (b) which activities and which children count.
    activity_kinds = models.JSONField(_("activity kinds counted"), default=list, blank=True)
    population = models.CharField(_("children counted"), max_length=8, choices=PopulationScope.choices,
                                  default=PopulationScope.ALL)
    responsible = models.ForeignKey("casework.Organisation", models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("responsible body"))

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.code or f"#{self.pk}"


class TargetMilestone(models.Model):
    """A multi-year programme's value per year ("99,1% vào năm 2025 và 99,3% vào năm 2030")."""

    target = models.ForeignKey(Target, models.CASCADE, related_name="milestones")
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["year"]
        constraints = [models.UniqueConstraint(fields=["target", "year"], name="milestone_once_a_year")]


class TargetReport(models.Model):
    """(c) A value reported by the responsible body for a period, with its evidence."""

    target = models.ForeignKey(Target, models.CASCADE, related_name="reports")
    organisation = models.ForeignKey("casework.Organisation", models.PROTECT, related_name="+",
                                     verbose_name=_("reported by (body)"))
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    period_end = models.DateField(_("as of"))
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period_end", "-pk"]


class PlanTask(models.Model):
    """A duty of section IV assigned to one body, with its own state machine."""

    plan = models.ForeignKey(WorkPlan, models.CASCADE, related_name="tasks")
    order = models.PositiveSmallIntegerField(default=0)
    organisation = models.ForeignKey("casework.Organisation", models.PROTECT, related_name="work_plan_tasks",
                                     verbose_name=_("body"))
    # How the plan names the body when it is a post inside it ("Công chức Văn hóa – Xã hội").
    body_label = models.CharField(_("as named in the plan"), max_length=200, blank=True)
    title = models.CharField(_("task"), max_length=300)
    description = models.TextField(_("duties"), blank=True)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    recurrence = models.CharField(_("recurrence"), max_length=16, choices=Recurrence.choices,
                                  default=Recurrence.ONCE)
    status = models.CharField(_("status"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.ASSIGNED)
    reason = models.TextField(_("reason it was not done"), blank=True)
    finished_on = models.DateField(_("finished on"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["order", "pk"]
        indexes = [models.Index(fields=["organisation", "status"], name="plantask_body_status")]

    def __str__(self) -> str:
        return f"#{self.pk}"


class PlanTaskNote(models.Model):
    task = models.ForeignKey(PlanTask, models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    text = models.TextField(_("progress note"))

    class Meta:
        ordering = ["at", "pk"]


class ReportingDate(models.Model):
    """Section V: who reports to whom, by which day ("Báo cáo 6 tháng vào ngày 05/5")."""

    plan = models.ForeignKey(WorkPlan, models.CASCADE, related_name="reporting_dates")
    kind = models.CharField(_("report"), max_length=16, choices=ReportKind.choices)
    reporter = models.CharField(_("who reports"), max_length=200)
    recipient = models.CharField(_("to whom"), max_length=200)
    month = models.PositiveSmallIntegerField(_("month"), null=True, blank=True)
    day = models.PositiveSmallIntegerField(_("day"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        ordering = ["month", "day", "pk"]


class Amendment(models.Model):
    """An amendment of an issued plan: its own number, date, reason and what changed."""

    plan = models.ForeignKey(WorkPlan, models.CASCADE, related_name="amendments")
    number = models.CharField(_("number"), max_length=60, blank=True)
    decided_on = models.DateField(_("date"))
    reason = models.TextField(_("reason"))
    summary = models.TextField(_("what changes"))
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["decided_on", "pk"]


class Activity(ChildCounts):
    """An activity held: who organised it where, for which plan task, who took part, at what cost."""

    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=300)
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=255, blank=True)
    commune = models.ForeignKey("casework.Area", models.PROTECT, related_name="+", verbose_name=_("commune"))
    village = models.ForeignKey("casework.Area", models.PROTECT, null=True, blank=True, related_name="+",
                                verbose_name=_("village"))
    organiser = models.ForeignKey("casework.Organisation", models.PROTECT, related_name="activities",
                                  verbose_name=_("organiser"))
    plan_task = models.ForeignKey(PlanTask, models.SET_NULL, null=True, blank=True, related_name="activities",
                                  verbose_name=_("plan task served"))
    parents = models.PositiveIntegerField(_("parents and caregivers"), default=0)
    staff = models.PositiveIntegerField(_("staff and officials"), default=0)
    cost = models.DecimalField(_("cost (VND)"), max_digits=14, decimal_places=0, default=0)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["commune", "held_on"], name="activity_commune_day")]


class PopulationBase(ChildCounts):
    """Children by sex and age band and households of one commune in one year (the denominator)."""

    commune = models.ForeignKey("casework.Area", models.PROTECT, related_name="+", verbose_name=_("commune"))
    year = models.PositiveSmallIntegerField(_("year"))
    households = models.PositiveIntegerField(_("households"), default=0)
    source = models.CharField(_("source"), max_length=255, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["commune__path", "-year"]
        constraints = [models.UniqueConstraint(fields=["commune", "year"], name="population_once_a_year")]


class RegistryEntry(models.Model):
    """A child in special circumstances or at risk, kept by the commune (one person: casework's Child)."""

    child = models.ForeignKey("casework.Child", models.PROTECT, related_name="registry_entries")
    commune = models.ForeignKey("casework.Area", models.PROTECT, related_name="+", verbose_name=_("commune"))
    village = models.ForeignKey("casework.Area", models.PROTECT, null=True, blank=True, related_name="+",
                                verbose_name=_("village"))
    category = models.CharField(_("category"), max_length=8, choices=RegistryCategory.choices)
    groups = models.ManyToManyField("casework.Term", related_name="+", blank=True,
                                    limit_choices_to={"kind": "special_group"},
                                    verbose_name=_("special-circumstance groups"))
    risk_kind = models.ForeignKey("casework.Term", models.PROTECT, null=True, blank=True, related_name="+",
                                  limit_choices_to={"kind": "risk_kind"}, verbose_name=_("kind of risk"))
    since = models.DateField(_("on the registry since"))
    ended_on = models.DateField(_("left the registry on"), null=True, blank=True)
    end_reason = models.CharField(_("why they left"), max_length=255, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["commune__path", "-since", "-pk"]
        indexes = [models.Index(fields=["commune", "category"], name="registry_commune_category")]

    def __str__(self) -> str:
        return f"#{self.pk}"   # never the name (logs, admin messages)


class Support(models.Model):
    entry = models.ForeignKey(RegistryEntry, models.CASCADE, related_name="supports")
    kind = models.CharField(_("kind"), max_length=20, choices=SupportKind.choices)
    given_on = models.DateField(_("date"))
    provider = models.CharField(_("provider"), max_length=200)
    amount = models.DecimalField(_("amount (VND)"), max_digits=14, decimal_places=0, null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-given_on", "-pk"]


class WatchRecord(models.Model):
    """A light record for a child flagged at the prevention level; raised to a case in one step."""

    entry = models.ForeignKey(RegistryEntry, models.PROTECT, related_name="watches")
    concern = models.TextField(_("concern"))
    visit_plan = models.TextField(_("visit plan"), blank=True)
    follow_up_by = models.ForeignKey("casework.Organisation", models.PROTECT, related_name="+",
                                     verbose_name=_("who follows up"))
    next_visit_on = models.DateField(_("next visit"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=WatchStatus.choices, default=WatchStatus.OPEN)
    case = models.OneToOneField("casework.Case", models.PROTECT, null=True, blank=True, related_name="watch",
                                verbose_name=_("case opened"))
    closed_reason = models.TextField(_("reason"), blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-opened_at", "-pk"]


class PreventionEventType(models.IntegerChoices):
    PLAN_CREATED = 101, _("Plan drafted")
    PLAN_COPIED = 102, _("Plan copied from last year's")
    PLAN_EDITED = 103, _("Plan changed")
    PLAN_SUBMITTED = 110, _("Plan submitted for signature")
    PLAN_RETURNED = 111, _("Plan returned to draft")
    PLAN_SIGNED = 112, _("Plan signed")
    PLAN_ISSUED = 113, _("Plan issued")
    PLAN_AMENDED = 114, _("Plan amended")
    PLAN_CLOSED = 115, _("Plan closed")
    TARGET_SAVED = 120, _("Target saved")
    TARGET_REPORTED = 121, _("Target value reported")
    TASK_ASSIGNED = 130, _("Plan task assigned")
    TASK_MOVED = 131, _("Plan task status changed")
    TASK_NOTED = 132, _("Progress note added")
    ACTIVITY_RECORDED = 140, _("Activity recorded")
    ATTENDANCE_IMPORTED = 141, _("Attendance sheet imported")
    EVIDENCE_ADDED = 142, _("Evidence added")
    EVIDENCE_DOWNLOADED = 143, _("Evidence downloaded")
    POPULATION_SAVED = 150, _("Population base saved")
    REGISTRY_ADDED = 160, _("Child added to the registry")
    SUPPORT_RECORDED = 161, _("Support recorded")
    WATCH_OPENED = 170, _("Watch record opened")
    WATCH_RAISED = 171, _("Watch record raised to a case")
    WATCH_CLOSED = 172, _("Watch record closed")
    IDENTITY_VIEWED = 701, _("Child's identity viewed")


class PreventionEvent(models.Model):
    """The prevention level's append-only audit trail (one row per change or identity read).

    Kept beside the case timeline because most of these records belong to no case; when a watch
    record becomes a case, the case's own timeline gets the event too.
    """

    type = models.PositiveSmallIntegerField(_("event"), choices=PreventionEventType.choices)
    at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    actor_name = models.CharField(max_length=200, blank=True)
    actor_role = models.CharField(max_length=40, blank=True)
    actor_organisation = models.CharField(max_length=255, blank=True)
    plan = models.ForeignKey(WorkPlan, models.PROTECT, null=True, blank=True, related_name="events")
    subject = models.CharField(max_length=40, help_text="kind:id of the record")
    from_state = models.CharField(max_length=32, blank=True)
    to_state = models.CharField(max_length=32, blank=True)
    reason = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["subject", "at"], name="prevention_event_subject")]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("Prevention events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("Prevention events are append-only.")
