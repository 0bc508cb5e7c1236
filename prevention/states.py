"""States and choice lists of the prevention level (Law on Children 2016 art. 47–48; the seed
plans in shared/seeds). Values are stored: never rename one, add a new one and migrate."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class WorkPlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted to the head of the body")
    SIGNED = "signed", _("Signed")
    ISSUED = "issued", _("Issued")
    AMENDED = "amended", _("Issued, amended")
    CLOSED = "closed", _("Closed after its final report")


# A plan in force: its tasks run, its activities count.
IN_FORCE = frozenset({WorkPlanStatus.ISSUED, WorkPlanStatus.AMENDED})
# Seen only by the issuing body until signed.
UNSIGNED = frozenset({WorkPlanStatus.DRAFT, WorkPlanStatus.SUBMITTED})


class SectionKind(models.TextChoices):
    PURPOSE = "purpose", _("Purpose and requirements")
    OBJECTIVES = "objectives", _("Objectives and targets")
    TASKS = "tasks", _("Tasks and solutions")
    FUNDING = "funding", _("Funding")
    ORGANISATION = "organisation", _("Organisation of implementation")
    REPORTING = "reporting", _("Reporting regime")
    OTHER = "other", _("Other")


class GoalKind(models.TextChoices):
    SHARE = "share", _("A share (%)")
    COUNT = "count", _("A count")
    ZERO = "zero", _("Zero cases")


class Measurement(models.TextChoices):
    INDICATOR = "indicator", _("An indicator the system computes from cases")
    PARTICIPATION = "participation", _("Activity participants over the child population of the area")
    REGISTRY = "registry", _("Children in special circumstances supported, from the registry")
    REPORTED = "reported", _("A value reported by the responsible body, with evidence")


class TaskStatus(models.TextChoices):
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    # A status reads as a past participle; the "Done" button (selectors.TASK_ACTIONS) stays "Hoàn thành".
    DONE = "done", pgettext_lazy("task status", "Done")
    NOT_DONE = "not_done", _("Not done")


OPEN_TASK = frozenset({TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS})


class Recurrence(models.TextChoices):
    ONCE = "once", _("Once, by the due date")
    MONTHLY = "monthly", _("Every month")
    QUARTERLY = "quarterly", _("Every quarter")
    HALF_YEARLY = "half_yearly", _("Every six months")
    YEARLY = "yearly", _("Every year")
    THROUGHOUT = "throughout", _("Throughout the plan")


class ReportKind(models.TextChoices):
    SIX_MONTH = "six_month", _("Six-month report")
    ANNUAL = "annual", _("Annual report")
    THEMATIC = "thematic", _("Thematic report")
    AD_HOC = "ad_hoc", _("Ad-hoc report")


class ActivityKind(models.TextChoices):
    AWARENESS = "awareness", _("Awareness session")
    TRAINING = "training", _("Training")
    HOME_VISIT = "home_visit", _("Home visit")
    MONTH_OF_ACTION = "month_of_action", _("Month of Action for Children (June)")
    CHILDREN_FORUM = "children_forum", _("Children's Forum")
    HOLIDAY_VISIT = "holiday_visit", _("Holiday visit and gifts (1 June, Mid-Autumn, Tết)")
    HOTLINE_111 = "hotline_111", _("111 hotline promotion")
    DROWNING = "drowning", _("Drowning and injury prevention, swimming")
    OTHER = "other", _("Other activity")


class AgeBand(models.TextChoices):
    # Under 16 (Law on Children art. 1); bands of the seed targets: under 6, 6–10, 11 and over.
    UNDER_6 = "0_5", _("0–5 years")
    SIX_TO_10 = "6_10", _("6–10 years")
    ELEVEN_TO_15 = "11_15", _("11–15 years")


BANDS = [AgeBand.UNDER_6, AgeBand.SIX_TO_10, AgeBand.ELEVEN_TO_15]
# Column names of the children counts, on activities and on the population base.
COUNT_FIELDS = [f"{sex}_{band}" for band in ("0_5", "6_10", "11_15") for sex in ("girls", "boys")]


class PopulationScope(models.TextChoices):
    ALL = "all", _("All children")
    UNDER_6 = "0_5", _("Children under 6")
    SIX_TO_10 = "6_10", _("Children aged 6–10")
    ELEVEN_PLUS = "11_15", _("Children aged 11 and over")


class RegistryCategory(models.TextChoices):
    SPECIAL = "special", _("In special circumstances (art. 10)")
    AT_RISK = "at_risk", _("At risk of falling into special circumstances")


class SupportKind(models.TextChoices):
    SOCIAL_ALLOWANCE = "social_allowance", _("Monthly social allowance")
    HEALTH_INSURANCE = "health_insurance", _("Health insurance card")
    SCHOOL_FEES = "school_fees", _("School fee and learning cost support")
    COUNSELLING = "counselling", _("Counselling")
    HEALTH_CARE = "health_care", _("Health check, treatment, rehabilitation")
    GIFT = "gift", _("Gift or scholarship")
    OTHER = "other", _("Other support")


class WatchStatus(models.TextChoices):
    OPEN = "open", _("Being followed")
    RAISED = "raised", _("Raised to a case")
    CLOSED = "closed", _("Closed")
