"""Administrative areas and the organisations that work in them.

Vietnam reorganised on 1 July 2025 from three tiers (province → district → commune) to two
(province → commune), merging provinces and communes. Areas are therefore versioned: a row is
never rewritten when the map changes; it gets a ``valid_to`` and the new unit a new row. Old
cases keep the area they were opened in.

``path`` is the materialised path of codes from the root ("/79/26734/"), so "everything under
this node" is a single indexed prefix filter (``path__startswith``).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AreaKind(models.TextChoices):
    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District (before 1 July 2025)")
    COMMUNE = "commune", _("Commune / ward")
    VILLAGE = "village", _("Village / residential group")


class AreaQuerySet(models.QuerySet):
    def under(self, area: "Area") -> "AreaQuerySet":
        return self.filter(path__startswith=area.path)

    def valid_on(self, day) -> "AreaQuerySet":
        return self.filter(models.Q(valid_from__lte=day) | models.Q(valid_from__isnull=True)).filter(
            models.Q(valid_to__gt=day) | models.Q(valid_to__isnull=True)
        )


class Area(models.Model):
    code = models.CharField(_("statistical code"), max_length=16)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=AreaKind.choices)
    parent = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="children",
                               verbose_name=_("parent"))
    path = models.CharField(_("path"), max_length=255, unique=True, editable=False)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True,
                                help_text=_("Empty while the unit exists."))

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["path"]
        indexes = [
            # LIKE 'prefix%' needs pattern ops on PostgreSQL with a non-C collation.
            models.Index(fields=["path"], name="area_path_prefix", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # The path follows the parent; a unit moved under another parent is a new version,
        # so recomputing here never rewrites a path that cases already point to.
        self.path = f"{self.parent.path if self.parent_id else '/'}{self.code}/"
        super().save(*args, **kwargs)

    def is_under(self, other: "Area") -> bool:
        return self.path.startswith(other.path)

    @property
    def province(self) -> "Area":
        node = self
        while node.parent_id is not None:
            node = node.parent
        return node

    def ancestors(self) -> list["Area"]:
        """This area and every area above it, nearest first."""
        chain, node = [], self
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain


class OrganisationKind(models.TextChoices):
    SCHOOL = "school", _("School")
    PEOPLES_COMMITTEE = "committee", _("Commune People's Committee")
    POLICE = "police", _("Commune police")
    HEALTH_STATION = "health", _("Commune health station")
    JUSTICE = "justice", _("Justice and civil status")
    VILLAGE = "village", _("Village")
    SOCIAL_WORK_CENTRE = "social_work", _("Social work centre")
    SOCIAL_PROTECTION_CENTRE = "social_protection", _("Social protection centre")
    HOTLINE = "hotline", _("National child protection hotline 111")
    SUPERVISORY = "supervisory", _("Supervisory department")
    OTHER = "other", _("Other body")


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=24, choices=OrganisationKind.choices)
    area = models.ForeignKey(Area, models.PROTECT, related_name="organisations", verbose_name=_("area"))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["area__path", "name"]

    def __str__(self) -> str:
        return self.name
