"""Working-day calendar and due-date arithmetic, in Vietnam time (Asia/Ho_Chi_Minh, UTC+7).

Counting rules (see docs/calendar-and-deadlines.md):

* Clock hours: exact elapsed time, ``start + n hours``. 18:30 + 12 h = 06:30 next day.
* Calendar days: the same local time ``n`` days later (Vietnam has no daylight saving time, so
  this is also exactly ``n × 24`` hours). Weekends and holidays count.
* Working days: the day of the start does not count, whatever the time; the deadline is
  23:59:59 local time on the ``n``-th working day after it. A report received on Friday
  13 Feb 2026 at 10:00 with 5 working days is due Friday 27 Feb 2026 at 23:59:59 (Tết takes
  16–20 Feb).

* Working hours (local step budgets only): office hours (``OFFICE_HOURS``, 7:30–11:30 and
  13:00–17:00) of working days; time outside them does not count. 8 working hours from Friday
  16:00 run out on Monday at 16:00.

A working day is Monday to Friday unless it is a public holiday or a local day off, plus any
Saturday or Sunday declared a make-up working day. When several calendar rows fall on the same
date, the row of the most specific area wins (commune over province over nationwide); on a tie
the day off wins.

Every function takes and returns timezone-aware datetimes; naive datetimes are refused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from workflows.policy import DeadlineKind, Limit, Unit, ancestor_paths, limit_for, policies_for

if TYPE_CHECKING:  # pragma: no cover
    from casework.models.areas import Area

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
#: Local time at which a working-day deadline falls on its last day.
END_OF_WORKING_DAY = dt.time(23, 59, 59)
#: Office hours of a working day, for working-hour budgets of local steps: the usual hours of a
#: commune People's Committee (7:30–11:30, 13:00–17:00), eight hours a day.
OFFICE_HOURS: tuple[tuple[dt.time, dt.time], ...] = ((dt.time(7, 30), dt.time(11, 30)), (dt.time(13, 0), dt.time(17, 0)))


def to_local(moment: dt.datetime) -> dt.datetime:
    """``moment`` in Vietnam time. Naive datetimes are refused: a deadline needs a real instant."""
    if not isinstance(moment, dt.datetime):
        raise TypeError(f"expected a datetime, got {type(moment).__name__}")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("naive datetime: deadlines need timezone-aware datetimes")
    return moment.astimezone(VN_TZ)


def _local_date(value: dt.date | dt.datetime) -> dt.date:
    if isinstance(value, dt.datetime):
        return to_local(value).date()
    return value


def end_of_day(day: dt.date) -> dt.datetime:
    """23:59:59 Vietnam time on ``day``."""
    return dt.datetime.combine(day, END_OF_WORKING_DAY, tzinfo=VN_TZ)


def add_clock_hours(start: dt.datetime, n: int) -> dt.datetime:
    """Exactly ``n`` hours after ``start`` (computed in UTC), returned in Vietnam time."""
    utc = to_local(start).astimezone(dt.UTC)
    return (utc + dt.timedelta(hours=n)).astimezone(VN_TZ)


def add_calendar_days(start: dt.datetime, n: int) -> dt.datetime:
    """The same local wall-clock time ``n`` days after ``start``, in Vietnam time."""
    local = to_local(start)
    return dt.datetime.combine(local.date() + dt.timedelta(days=n), local.timetz()).astimezone(VN_TZ)


# -- the per-process cache of calendars and policies (issue 14) -------------------------------
#
# Every change to a case recomputes its clocks, and each recomputation needs the area's calendar
# rows and deadline policies: two queries on the hot path for tables that an administrator edits
# a few times a year. They are kept per process, by area path, and dropped
#  * at once in the process that writes a CalendarDay or DeadlinePolicy (post_save/post_delete,
#    workflows.apps), again when that transaction commits, and after ``flush``/``migrate``;
#  * by age in every other process: an entry lives ``CACHE_SECONDS`` (settings
#    ``WORKFLOWS_CACHE_SECONDS``, default 60 s), so a policy or holiday set in the admin reaches
#    the clocks computed by the other web workers within a minute. Clocks are recomputed at the
#    case's next change anyway; a minute of lag changes no deadline already stored.
# While a write to those tables is in a transaction that has not committed, nothing is cached
# (a rollback must not leave the rolled-back rows in the cache); after a rollback the process
# reads the tables every time until the next commit of such a write or ``clear_cache()``.

_cache: dict[tuple[str, str], tuple[float, dict]] = {}
_dirty = False


def cache_seconds() -> float:
    from django.conf import settings

    return float(getattr(settings, "WORKFLOWS_CACHE_SECONDS", 60))


def clear_cache(*_args, **_kwargs) -> None:
    """Drop every cached calendar and policy set of this process (also a signal receiver)."""
    global _dirty
    _cache.clear()
    _dirty = False


def calendar_changed(*_args, **_kwargs) -> None:
    """A CalendarDay or DeadlinePolicy was written: drop the cache now and when it commits."""
    global _dirty
    from django.db import transaction

    _cache.clear()
    if transaction.get_connection().in_atomic_block:
        _dirty = True
        transaction.on_commit(clear_cache)


def _cached(area: Area, part: str, load):
    """``load()`` for ``area`` (its calendar overrides or its policies), through the cache."""
    import time

    ttl = cache_seconds()
    if ttl <= 0:
        return load()  # the cache is off
    key = (area.path or f"#{area.pk}", part)
    now = time.monotonic()
    hit = _cache.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]
    value = load()
    if not _dirty:
        _cache[key] = (now + ttl, value)
    return value


class WorkingCalendar:
    """Working days for one area (or nationwide when ``area`` is ``None``).

    The applicable ``CalendarDay`` rows — nationwide ones and those of the area or any area
    above it — are loaded with one query on first use and cached on the instance. Build one
    calendar per area per request/task, not one per date.
    """

    def __init__(self, area: Area | None = None, *, cached: bool = True):
        self.area = area
        self._overrides: dict[dt.date, bool] | None = None
        self._policies: dict[str, list] | None = None
        # The per-process cache above: no query when the area's rows are fresh in it.
        self._cached = cached and area is not None

    @classmethod
    def from_dates(
        cls, days_off: Iterable[dt.date] = (), makeup_workdays: Iterable[dt.date] = ()
    ) -> WorkingCalendar:
        """A calendar from explicit dates, without the database (tests, previews)."""
        cal = cls(None)
        overrides = {d: True for d in makeup_workdays}
        overrides.update({d: False for d in days_off})
        cal._overrides = overrides
        return cal

    def __repr__(self) -> str:
        return f"<WorkingCalendar {self.area.path if self.area is not None else 'nationwide'}>"

    # -- loading ---------------------------------------------------------------------------

    def _load(self) -> dict[dt.date, bool]:
        from django.db.models import Q

        from workflows.models import CalendarDay, CalendarDayKind

        where = Q(area__isnull=True)
        paths: list[str] = []
        if self.area is not None:
            paths = ancestor_paths(self.area)
            where |= Q(area__path__in=paths)
        depth_of = {p: len(paths) - i for i, p in enumerate(paths)}  # nationwide 0, deeper = larger

        best: dict[dt.date, tuple[int, bool]] = {}
        for day, kind, path in CalendarDay.objects.filter(where).values_list("date", "kind", "area__path"):
            depth = depth_of.get(path, 0) if path else 0
            working = kind == CalendarDayKind.MAKEUP_WORKDAY
            current = best.get(day)
            # More specific area wins; on the same level a day off beats a make-up day.
            if current is None or depth > current[0] or (depth == current[0] and not working):
                best[day] = (depth, working)
        return {day: working for day, (_depth, working) in best.items()}

    def policies(self) -> dict[str, list]:
        """The deadline policies of the calendar's area, loaded once per calendar (one query)."""
        if self._policies is None:
            if self._cached:
                self._policies = _cached(self.area, "policies", lambda: policies_for(self.area))
            else:
                self._policies = policies_for(self.area) if self.area is not None else {}
        return self._policies

    @property
    def overrides(self) -> dict[dt.date, bool]:
        """Dates whose status differs from the plain weekday rule: date → is working day."""
        if self._overrides is None:
            self._overrides = _cached(self.area, "overrides", self._load) if self._cached else self._load()
        return self._overrides

    # -- queries ---------------------------------------------------------------------------

    def is_working_day(self, day: dt.date | dt.datetime) -> bool:
        """Mon–Fri unless a holiday/local day off; Sat/Sun only if a make-up working day."""
        day = _local_date(day)
        override = self.overrides.get(day)
        if override is not None:
            # A make-up row on a weekday or a day-off row on a weekend changes nothing.
            return override
        return day.weekday() < 5

    def next_working_day(self, day: dt.date | dt.datetime) -> dt.date:
        """The first working day strictly after ``day``."""
        day = _local_date(day)
        for _ in range(3700):  # ten years: guards against a calendar with no working day
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                return day
        raise ValueError("no working day within ten years")

    def add_working_days(self, start: dt.datetime, n: int) -> dt.datetime:
        """23:59:59 Vietnam time on the ``n``-th working day after the day of ``start``.

        The start day never counts, even if it is a working day and the report came in at
        00:01. ``n == 0`` gives the end of the start day itself.
        """
        if n < 0:
            raise ValueError("n must be zero or more")
        day = to_local(start).date()
        for _ in range(n):
            day = self.next_working_day(day)
        return end_of_day(day)

    def add_working_hours(self, start: dt.datetime, n: int) -> dt.datetime:
        """The instant when ``n`` office hours (``OFFICE_HOURS`` of working days) have passed
        since ``start``. A report at 16:00 with 2 working hours is due at 08:30 the next working
        day; one received on a Sunday starts counting on Monday at 07:30."""
        if n < 0:
            raise ValueError("n must be zero or more")
        local = to_local(start)
        remaining = dt.timedelta(hours=n)
        day = local.date()
        for _ in range(3700):
            if self.is_working_day(day):
                for opens, closes in OFFICE_HOURS:
                    begin = dt.datetime.combine(day, opens, tzinfo=VN_TZ)
                    end = dt.datetime.combine(day, closes, tzinfo=VN_TZ)
                    begin = max(begin, local)
                    if begin >= end:
                        continue
                    if begin + remaining <= end:
                        return begin + remaining
                    remaining -= end - begin
            day += dt.timedelta(days=1)
        raise ValueError("no working day within ten years")

    def working_days_between(self, a: dt.date | dt.datetime, b: dt.date | dt.datetime) -> int:
        """Working days ``d`` with ``a < d <= b`` (local dates); negative if ``b`` is before ``a``.

        Consistent with ``add_working_days``: ``working_days_between(s, add_working_days(s, n)) == n``.
        """
        start, end = _local_date(a), _local_date(b)
        if end < start:
            return -self.working_days_between(end, start)
        count, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count


# -- limits to instants ----------------------------------------------------------------------


def _add(start: dt.datetime, unit: Unit, n: int, calendar: WorkingCalendar | None) -> dt.datetime:
    if unit == Unit.CLOCK_HOURS:
        return add_clock_hours(start, n)
    if unit == Unit.CALENDAR_DAYS:
        return add_calendar_days(start, n)
    if unit == Unit.WORKING_DAYS:
        if calendar is None:
            raise ValueError("a working-day limit needs a WorkingCalendar for the case's area")
        return calendar.add_working_days(start, n)
    if unit == Unit.WORKING_HOURS:
        if calendar is None:
            raise ValueError("a working-hour limit needs a WorkingCalendar for the case's area")
        return calendar.add_working_hours(start, n)
    raise ValueError(f"unknown unit {unit!r}")


def due_at(start: dt.datetime, limit: Limit, calendar: WorkingCalendar | None = None) -> dt.datetime:
    """When a clock started at ``start`` under ``limit`` runs out (Vietnam time).

    ``calendar`` is required for working-day limits and ignored otherwise.
    """
    return _add(start, limit.unit, limit.value, calendar)


def warn_at(start: dt.datetime, limit: Limit, calendar: WorkingCalendar | None = None) -> dt.datetime:
    """When to warn that the deadline is near: ``warn_before`` units before ``due_at``.

    * clock hours / calendar days: ``due - warn_before`` hours / days;
    * working days: the deadline computed with ``value - warn_before`` working days, i.e. the
      end of the working day before the last ``warn_before`` working days;
    * ``warn_before == 0``: at the deadline; ``warn_before >= value``: at ``start``.
    """
    if limit.warn_before <= 0:
        return due_at(start, limit, calendar)
    if limit.warn_before >= limit.value:
        return to_local(start)
    return _add(start, limit.unit, limit.value - limit.warn_before, calendar)


@dataclass(frozen=True)
class Deadline:
    limit: Limit
    due_at: dt.datetime
    warn_at: dt.datetime


def deadline_for(
    kind: DeadlineKind | str,
    start: dt.datetime,
    area: Area | None = None,
    calendar: WorkingCalendar | None = None,
) -> Deadline:
    """Resolve the limit for ``kind`` in ``area`` and compute its due and warning instants.

    Builds ``WorkingCalendar(area)`` when a working-day limit needs one and none is given.
    Queries: one for the policy, plus one for the calendar if it has to be built; none for the
    policy when ``calendar`` is the area's own, which loads its policies once.
    """
    own = calendar is not None and area is not None and calendar.area is area
    limit = limit_for(kind, area, calendar.policies() if own else None)
    if limit.unit in (Unit.WORKING_DAYS, Unit.WORKING_HOURS) and calendar is None:
        calendar = WorkingCalendar(area)
    return Deadline(limit, due_at(start, limit, calendar), warn_at(start, limit, calendar))
