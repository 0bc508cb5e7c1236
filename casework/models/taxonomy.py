"""Classifications as data, with Vietnamese and English labels.

Law on Children 2016 art. 4 (forms of abuse) and art. 10 (the 14 groups of children in special
circumstances), Decree 56/2017 (measures and their articles). Kept as rows, not code, so that a
ministry circular adding a sub-group is a data change.
"""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class TermKind(models.TextChoices):
    ABUSE_FORM = "abuse_form", _("Form of abuse")
    RISK_KIND = "risk_kind", _("Kind of risk")
    SPECIAL_GROUP = "special_group", _("Special-circumstance group")
    ENVIRONMENT = "environment", _("Environment of abuse")
    RELATION = "relation", _("Perpetrator's relation to the child")
    MEASURE = "measure", _("Support or intervention measure")
    EMERGENCY_MEASURE = "emergency_measure", _("Emergency measure")


class TermQuerySet(models.QuerySet):
    def of(self, kind: str) -> "TermQuerySet":
        return self.filter(kind=kind, active=True)


class Term(models.Model):
    kind = models.CharField(_("kind"), max_length=24, choices=TermKind.choices)
    code = models.CharField(_("code"), max_length=48)
    parent = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="children",
                               verbose_name=_("parent"))
    label_vi = models.CharField(_("Vietnamese label"), max_length=255)
    label_en = models.CharField(_("English label"), max_length=255)
    legal_article = models.CharField(_("legal article"), max_length=120, blank=True)
    protection_level = models.CharField(_("protection level"), max_length=16, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    objects = TermQuerySet.as_manager()

    class Meta:
        verbose_name = _("classification term")
        verbose_name_plural = _("classification terms")
        ordering = ["kind", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["kind", "code"], name="term_unique_code")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.label_en if (get_language() or "vi").startswith("en") else self.label_vi
