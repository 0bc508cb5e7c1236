"""Calendar of non-working days and local deadline policies.

* ``CalendarDay`` — the exceptions to "Monday to Friday are working days": public holidays
  (seeded from the ``holidays`` library by ``manage.py seed_calendar``), weekend days worked to
  make up for a bridge holiday, and local days off. Rows without an area apply nationwide; a row
  with an area applies to that area and everything under it.
* ``DeadlinePolicy`` — a province's or commune's shorter limit for one deadline kind. The
  statutory limits themselves are code constants in ``workflows.policy``.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from casework.models.areas import Area
from workflows.policy import STATUTORY, DeadlineKind, Unit


class CalendarDayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Public holiday")
    MAKEUP_WORKDAY = "makeup", _("Make-up working day")
    LOCAL_DAY_OFF = "local_off", _("Local day off")


class CalendarDaySource(models.TextChoices):
    HOLIDAYS_LIB = "holidays-lib", _("Holidays library")
    ADMIN = "admin", _("Entered by an administrator")


class CalendarDay(models.Model):
    date = models.DateField(_("date"), db_index=True)
    kind = models.CharField(_("kind"), max_length=16, choices=CalendarDayKind.choices)
    name = models.CharField(_("name"), max_length=200)
    area = models.ForeignKey(
        Area,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="calendar_days",
        verbose_name=_("area"),
        help_text=_("Empty: nationwide. Otherwise the day applies to this area and every area under it."),
    )
    source = models.CharField(
        _("source"), max_length=16, choices=CalendarDaySource.choices, default=CalendarDaySource.ADMIN
    )

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date", "kind"]
        constraints = [
            # NULL never equals NULL in a unique index, so nationwide rows need their own constraint.
            models.UniqueConstraint(
                fields=["date", "kind"],
                condition=Q(area__isnull=True),
                name="calendarday_unique_nationwide",
                violation_error_message=_("This day is already in the nationwide calendar."),
            ),
            models.UniqueConstraint(
                fields=["date", "area", "kind"],
                condition=Q(area__isnull=False),
                name="calendarday_unique_per_area",
                violation_error_message=_("This day is already in the calendar of this area."),
            ),
        ]

    def __str__(self) -> str:
        where = self.area.name if self.area is not None else _("nationwide")
        return f"{self.date:%d/%m/%Y} {self.name} ({where})"

    def clean(self):
        super().clean()
        if self.kind == CalendarDayKind.MAKEUP_WORKDAY and self.date and self.date.weekday() < 5:
            raise ValidationError(
                {
                    "date": _(
                        "A make-up working day must be a Saturday or a Sunday: weekdays are already working days."
                    )
                }
            )
        if self.kind == CalendarDayKind.LOCAL_DAY_OFF and not self.area_id:
            raise ValidationError(
                {"area": _("A local day off needs an area. Use a public holiday for a nationwide day off.")}
            )


class DeadlinePolicy(models.Model):
    """A local limit for one deadline kind, shorter than (or equal to) the statutory one."""

    kind = models.CharField(_("deadline"), max_length=32, choices=DeadlineKind.choices)
    area = models.ForeignKey(
        Area,
        models.CASCADE,
        related_name="deadline_policies",
        verbose_name=_("area"),
        help_text=_("Applies to this area and every area under it, unless a lower area has its own policy."),
    )
    value = models.PositiveIntegerField(_("limit"), help_text=_("In the unit fixed for this deadline."))
    warn_before = models.PositiveIntegerField(
        _("warn before"),
        null=True,
        blank=True,
        help_text=_(
            "How long before the deadline to warn, in the same unit. Empty: the default (2 hours or 1 day)."
        ),
    )
    note = models.TextField(_("note"), blank=True, help_text=_("Decision or document that sets this limit."))

    class Meta:
        verbose_name = _("deadline policy")
        verbose_name_plural = _("deadline policies")
        ordering = ["kind", "area__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "area"],
                name="deadlinepolicy_unique_kind_area",
                violation_error_message=_("This area already has a policy for this deadline."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.area}: {self.value} {self.unit_label}"

    @property
    def statutory(self):
        return STATUTORY.get(DeadlineKind(self.kind)) if self.kind in DeadlineKind.values else None

    @property
    def unit(self) -> Unit | None:
        law = self.statutory
        return law.unit if law else None

    @property
    def unit_label(self):
        return self.unit.label if self.unit else ""

    @property
    def ceiling(self) -> int | None:
        law = self.statutory
        return law.ceiling if law else None

    def clean(self):
        super().clean()
        law = self.statutory
        errors: dict[str, Any] = {}
        if self.value is not None:
            if self.value < 1:
                errors["value"] = _("The limit must be at least 1.")
            elif law is not None and law.ceiling is not None and self.value > law.ceiling:
                errors["value"] = _(
                    "The legal limit is %(ceiling)s %(unit)s (%(source)s). "
                    "A local policy may shorten it but not extend it."
                ) % {"ceiling": law.ceiling, "unit": law.unit.label, "source": law.legal_source}
        if (
            "value" not in errors
            and self.value is not None
            and self.warn_before is not None
            and self.warn_before > self.value
        ):
            errors["warn_before"] = _(
                "The warning cannot come before the clock starts: use at most %(value)s."
            ) % {"value": self.value}
        if errors:
            raise ValidationError(errors)
