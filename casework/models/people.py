"""Children, incidents and perpetrators: separate records (DOMAIN.md §4).

One incident can involve several children and perpetrators; one child is one person across
many cases. Identity fields of a child are private (Decree 56; DOMAIN.md §6): they are read only
through selectors that log the read and mask for roles that do not need them.
"""

import datetime
import unicodedata

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .areas import Area, Organisation

CHILD_AGE_LIMIT = 16  # Law on Children 2016 art. 1: a child is a person under 16.


def fold(text: str) -> str:
    """Lower-case and strip Vietnamese diacritics, including đ, for matching names."""
    text = unicodedata.normalize("NFD", (text or "").lower().replace("đ", "d"))
    return " ".join("".join(ch for ch in text if unicodedata.category(ch) != "Mn").split())


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    UNKNOWN = "unknown", _("Unknown")


class Child(models.Model):
    full_name = models.CharField(_("full name"), max_length=200)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    estimated_age = models.PositiveSmallIntegerField(
        _("estimated age"), null=True, blank=True, help_text=_("When the date of birth is not known.")
    )
    estimated_age_on = models.DateField(_("age estimated on"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, default=Sex.UNKNOWN)
    ethnicity = models.CharField(_("ethnicity"), max_length=64, blank=True)
    disability = models.CharField(_("disability"), max_length=200, blank=True)
    residence_area = models.ForeignKey(Area, models.PROTECT, null=True, blank=True, related_name="+",
                                       verbose_name=_("commune of residence"))
    address = models.CharField(_("address"), max_length=255, blank=True)
    school = models.ForeignKey(Organisation, models.SET_NULL, null=True, blank=True, related_name="+",
                               verbose_name=_("school"))
    class_name = models.CharField(_("class"), max_length=32, blank=True)
    parents = models.TextField(_("parents"), blank=True)
    caregiver = models.CharField(_("caregiver"), max_length=255, blank=True)
    # Lower-case, without diacritics ("nguyen van an"): Vietnamese users type names either way.
    name_folded = models.CharField(max_length=200, editable=False, db_index=True, default="")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("child")
        verbose_name_plural = _("children")

    def __str__(self) -> str:
        # Never the name: this string ends up in logs, admin messages and error reports.
        return f"#{self.pk}"

    def save(self, *args, **kwargs):
        self.name_folded = fold(self.full_name)
        if "update_fields" in kwargs and kwargs["update_fields"] is not None and "full_name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_folded"}
        super().save(*args, **kwargs)

    def clean(self):
        if self.date_of_birth is None and self.estimated_age is None:
            raise ValidationError(_("Give the date of birth or an estimated age."))
        if self.date_of_birth and self.date_of_birth > timezone.localdate():
            raise ValidationError({"date_of_birth": _("The date of birth is in the future.")})

    def age_on(self, day: datetime.date) -> int | None:
        if self.date_of_birth:
            dob = self.date_of_birth
            return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))
        if self.estimated_age is not None:
            base = self.estimated_age_on or self.created_at.date()
            return self.estimated_age + max(0, (day - base).days // 365)
        return None

    @property
    def initials(self) -> str:
        return "".join(part[0].upper() for part in self.full_name.split() if part) or "?"


class Environment(models.TextChoices):
    FAMILY = "family", _("Family")
    SCHOOL = "school", _("School")
    COMMUNITY = "community", _("Community / public place")
    ONLINE = "online", _("Online")
    FACILITY = "facility", _("Care facility / workplace")
    OTHER = "other", _("Other")


class Incident(models.Model):
    occurred_at = models.DateTimeField(_("occurred at"), null=True, blank=True)
    commune = models.ForeignKey(Area, models.PROTECT, related_name="incidents", verbose_name=_("commune"))
    village = models.ForeignKey(Area, models.PROTECT, null=True, blank=True, related_name="+",
                                verbose_name=_("village"))
    place = models.CharField(_("place"), max_length=255, blank=True)
    environment = models.CharField(_("environment"), max_length=16, choices=Environment.choices,
                                   default=Environment.OTHER)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")

    def __str__(self) -> str:
        return f"#{self.pk}"


class Perpetrator(models.Model):
    incident = models.ForeignKey(Incident, models.CASCADE, related_name="perpetrators",
                                 verbose_name=_("incident"))
    relation = models.ForeignKey("casework.Term", models.PROTECT, null=True, blank=True, related_name="+",
                                 limit_choices_to={"kind": "relation"}, verbose_name=_("relation to the child"))
    is_child = models.BooleanField(_("perpetrator is a child"), default=False)
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, default=Sex.UNKNOWN)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("alleged perpetrator")
        verbose_name_plural = _("alleged perpetrators")
