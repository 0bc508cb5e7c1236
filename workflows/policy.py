"""Deadline limits of Decree 56/2017/ND-CP and their local overrides.

The statutory limits are code constants (``STATUTORY``): they change only when the law does.
A province or commune may *shorten* a limit (``workflows.models.DeadlinePolicy``) but never
extend it past the statutory ceiling. ``limit_for`` resolves the limit that applies in an area:
the most specific policy among the area and its ancestors (commune beats province), capped at
the ceiling, else the statutory default.

This module is pure apart from ``limit_for`` (one database query), so it can be imported from
models, serializers and tasks without side effects. Turning a limit into a due date is the job
of ``workflows.calendar``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

if TYPE_CHECKING:  # pragma: no cover
    from casework.models.areas import Area


class Unit(models.TextChoices):
    """How a limit is counted. Fixed per deadline kind, never editable."""

    # Context "unit": "calendar days" is also the admin's plural of CalendarDay.
    CLOCK_HOURS = "clock_hours", pgettext_lazy("unit", "clock hours")
    CALENDAR_DAYS = "calendar_days", pgettext_lazy("unit", "calendar days")
    WORKING_DAYS = "working_days", pgettext_lazy("unit", "working days")
    # Office hours of working days (workflows.calendar.OFFICE_HOURS): local step budgets.
    WORKING_HOURS = "working_hours", pgettext_lazy("unit", "working hours")


class DeadlineKind(models.TextChoices):
    EMERGENCY_MEASURES = "emergency_measures", _("Emergency support measures")
    ISOLATION_ORDER = "isolation_order", _("Temporary isolation order")
    ISOLATION_DURATION = "isolation_duration", _("Duration of temporary isolation")
    PLAN_DRAFT = "plan_draft", _("Drafting the support and intervention plan")
    PLAN_APPROVAL = "plan_approval", _("Approving the support and intervention plan")
    VERIFICATION = "verification", _("Verification of the report (local step)")
    INITIAL_ASSESSMENT = "initial_assessment", _("Initial assessment, form 02 (local step)")


@dataclass(frozen=True)
class Statutory:
    """The limit the law sets for a deadline kind.

    ``ceiling`` is the longest limit a local policy may set; ``None`` means the law sets no
    limit (a purely local step), so a local policy may choose any positive value.
    """

    value: int
    unit: Unit
    warn_before: int
    legal_source: Any  # lazy translation string
    ceiling: int | None

    @property
    def is_local(self) -> bool:
        return self.ceiling is None


STATUTORY: dict[DeadlineKind, Statutory] = {
    DeadlineKind.EMERGENCY_MEASURES: Statutory(
        12, Unit.CLOCK_HOURS, 2, _("Decree 56/2017/ND-CP, art. 26.3 and art. 31.2"), 12
    ),
    DeadlineKind.ISOLATION_ORDER: Statutory(
        12, Unit.CLOCK_HOURS, 2, _("Decree 56/2017/ND-CP, art. 32.2"), 12
    ),
    DeadlineKind.ISOLATION_DURATION: Statutory(
        15, Unit.CALENDAR_DAYS, 1, _("Decree 56/2017/ND-CP, art. 32.3"), 15
    ),
    DeadlineKind.PLAN_DRAFT: Statutory(5, Unit.WORKING_DAYS, 1, _("Decree 56/2017/ND-CP, art. 28.1"), 5),
    DeadlineKind.PLAN_APPROVAL: Statutory(2, Unit.WORKING_DAYS, 1, _("Decree 56/2017/ND-CP, art. 28.4"), 2),
    # No legal ceiling: local working rules (DOMAIN.md §3 "e.g. 2 working hours per step"). Their
    # clocks run only where a province or commune has set a budget (``applies_in``): the value
    # here is what the admin form proposes, not a rule of law.
    DeadlineKind.VERIFICATION: Statutory(8, Unit.WORKING_HOURS, 2, _("Local rule (no statutory limit)"), None),
    DeadlineKind.INITIAL_ASSESSMENT: Statutory(8, Unit.WORKING_HOURS, 2, _("Local rule (no statutory limit)"), None),
}

# Art. 28.1 gives the plan 5 working days "except emergencies" and does not say from when the
# clock then runs (DOMAIN.md §3: [open]). The strict reading counts from receipt, like every other
# case; a deployment may count from the end of the emergency phase instead.
PLAN_CLOCK_FROM_RECEIPT = "receipt"
PLAN_CLOCK_FROM_EMERGENCY_END = "emergency_end"
PLAN_CLOCK_STARTS = (PLAN_CLOCK_FROM_RECEIPT, PLAN_CLOCK_FROM_EMERGENCY_END)


def emergency_plan_clock_start() -> str:
    """``settings.EMERGENCY_PLAN_CLOCK_START``: "receipt" (default, the strict reading) or
    "emergency_end". An unknown value fails loudly rather than silently picking one."""
    from django.conf import settings

    value = getattr(settings, "EMERGENCY_PLAN_CLOCK_START", PLAN_CLOCK_FROM_RECEIPT)
    if value not in PLAN_CLOCK_STARTS:
        raise ValueError(f"EMERGENCY_PLAN_CLOCK_START must be one of {PLAN_CLOCK_STARTS}, not {value!r}")
    return value


@dataclass(frozen=True)
class Limit:
    """The limit that applies to one deadline kind in one area.

    ``source_area`` is the area whose ``DeadlinePolicy`` was applied, or ``None`` when the
    statutory default applies. ``capped`` is true when that policy asked for more than the
    statutory ceiling and was cut down to it.
    """

    value: int
    unit: Unit
    warn_before: int
    source_area: Area | None = None
    kind: DeadlineKind | None = None
    capped: bool = False

    @property
    def statutory(self) -> Statutory | None:
        return STATUTORY.get(self.kind) if self.kind else None


def statutory(kind: DeadlineKind | str) -> Statutory:
    """The statutory entry for ``kind``; ``KeyError`` for an unknown kind."""
    return STATUTORY[DeadlineKind(kind)]


def default_limit(kind: DeadlineKind | str) -> Limit:
    """The statutory default as a ``Limit`` (no database access)."""
    kind = DeadlineKind(kind)
    law = STATUTORY[kind]
    return Limit(law.value, law.unit, min(law.warn_before, law.value), None, kind, False)


def ancestor_paths(area: Area) -> list[str]:
    """Materialised paths of ``area`` and everything above it, nearest first.

    ``Area.path`` is "/79/26734/"; its ancestors' paths are its prefixes ending at a "/"
    ("/79/"), and paths are unique, so ancestors can be matched in one query without walking
    the ``parent`` chain (which costs one query per level).
    """
    path = area.path or ""
    if not path:
        return [a.path for a in area.ancestors()]
    codes = [c for c in path.strip("/").split("/") if c]
    prefixes = ["/" + "/".join(codes[: i + 1]) + "/" for i in range(len(codes))]
    return list(reversed(prefixes))


def applies_in(limit: Limit) -> bool:
    """Whether a clock of this kind runs: statutory limits always; a local step only where a
    province or commune set a budget."""
    law = limit.statutory
    return law is None or not law.is_local or limit.source_area is not None


def policies_for(area: Area) -> dict[str, list]:
    """Every policy (value > 0) set on ``area`` or above it, by kind: one query for all kinds.

    ``WorkingCalendar.policies()`` keeps the result for the calendar's life (one recomputation
    of a case's clocks), so resolving five kinds costs one query instead of five."""
    from workflows.models import DeadlinePolicy  # local import: models import this module

    out: dict[str, list] = {}
    for policy in DeadlinePolicy.objects.filter(area__path__in=ancestor_paths(area), value__gt=0) \
            .select_related("area"):
        out.setdefault(policy.kind, []).append(policy)
    return out


def limit_for(kind: DeadlineKind | str, area: Area | None, policies: dict[str, list] | None = None) -> Limit:
    """The limit for ``kind`` in ``area``: the nearest policy, capped, else the statutory default.

    One database query (none when ``area`` is ``None``, or when ``policies``, the result of
    ``policies_for(area)``, is given). Policies with value 0 (possible only by bypassing
    ``clean()``) are ignored. ``warn_before`` empty on the policy means the statutory default
    warning; it is never larger than the value.
    """
    from workflows.models import DeadlinePolicy  # local import: models import this module

    kind = DeadlineKind(kind)
    law = STATUTORY[kind]
    if area is None:
        return default_limit(kind)

    paths = ancestor_paths(area)
    depth = {p: i for i, p in enumerate(paths)}
    if policies is not None:
        found = policies.get(kind, [])
    else:
        found = list(
            DeadlinePolicy.objects.filter(kind=kind, area__path__in=paths, value__gt=0).select_related("area")
        )
    if not found:
        return default_limit(kind)

    policy = min(found, key=lambda p: depth[p.area.path])
    value, capped = policy.value, False
    if law.ceiling is not None and value > law.ceiling:
        value, capped = law.ceiling, True
    warn = law.warn_before if policy.warn_before is None else policy.warn_before
    return Limit(value, law.unit, min(warn, value), policy.area, kind, capped)
