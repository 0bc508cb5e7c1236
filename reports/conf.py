"""Reporting periods and due dates: settings, with the seed plans' dates as defaults [local].

Seed 001 (Y Tịch commune, §10) and seed 004 (Minh Tâm commune, §V): villages report to the
commune by 5 May (6-month) and 5 November (annual); the commune reports to the level above by
10 May and 10 November. The period those dates close is not written in the seeds; the default
reads it as the six (twelve) months ending with April (October), so that a report is due a few
days after its period ends. Provinces set their own in ``REPORTS_SCHEDULE``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings

# level of the reporting body → (month, day) the report is due, in the year the period ends.
DEFAULT_SCHEDULE = {
    "six_month": {"start": (11, 1), "end": (4, 30),
                  "due": {"below_commune": (5, 5), "commune": (5, 10), "province": (5, 20)}},
    "annual": {"start": (11, 1), "end": (10, 31),
               "due": {"below_commune": (11, 5), "commune": (11, 10), "province": (11, 20)}},
}
# Thematic reports: days after the period's end (DOMAIN.md §3: Month of Action before the 20th,
# Children's Forum within 15 days).
DEFAULT_THEMATIC_DUE_DAYS = {"month_of_action": 20, "childrens_forum": 15, "june_1": 15, "mid_autumn": 15}
# Cells below this count are shown as "<N" in outputs that leave the commune.
DEFAULT_SUPPRESS_BELOW = 5


def schedule() -> dict:
    return getattr(settings, "REPORTS_SCHEDULE", DEFAULT_SCHEDULE)


def thematic_due_days() -> dict:
    return getattr(settings, "REPORTS_THEMATIC_DUE_DAYS", DEFAULT_THEMATIC_DUE_DAYS)


def suppress_below() -> int:
    return int(getattr(settings, "REPORTS_SUPPRESS_BELOW", DEFAULT_SUPPRESS_BELOW))


def _day(year: int, month_day: tuple[int, int]) -> dt.date:
    return dt.date(year, *month_day)


def default_period(kind: str, year: int) -> tuple[dt.date, dt.date]:
    """The period a 6-month or annual report of ``year`` covers."""
    spec = schedule()[kind]
    end = _day(year, spec["end"])
    start = _day(year, spec["start"])
    if start > end:   # the period starts in the previous year (November → April)
        start = _day(year - 1, spec["start"])
    return start, end


def due_date(kind: str, level: str, period_end: dt.date, theme: str = "") -> dt.date | None:
    if kind in schedule():
        due = schedule()[kind]["due"].get(level)
        if due is None:
            return None
        day = _day(period_end.year, due)
        return day if day >= period_end else _day(period_end.year + 1, due)
    if theme and theme in thematic_due_days():
        return period_end + dt.timedelta(days=thematic_due_days()[theme])
    return None
