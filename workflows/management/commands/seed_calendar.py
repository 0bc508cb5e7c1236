"""Fill the nationwide calendar from the ``holidays`` library.

    manage.py seed_calendar                      # this year and next (Vietnam time)
    manage.py seed_calendar --years 2025 2026 2027
    manage.py seed_calendar --years 2026 --prune # also delete library rows the library dropped

Public holidays (with Vietnamese names) become nationwide HOLIDAY rows, including the observed
(nghỉ bù) days and the government's swapped days off. The weekend days worked in exchange for a
swapped day off (``weekend_workdays`` in the library) become nationwide MAKEUP_WORKDAY rows.

Idempotent: rows are matched on (date, kind, nationwide). Rows an administrator created or
edited (source "admin") are never changed or deleted, so a correction made in the admin
survives a re-seed. Only library rows are updated.
"""

import datetime as dt

import holidays
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from workflows.models import CalendarDay, CalendarDayKind, CalendarDaySource

# Stored data, like the library's Vietnamese holiday names (not interface text).
MAKEUP_NAME = "Ngày làm việc bù (cho ngày nghỉ %s)"
MAKEUP_NAME_PLAIN = "Ngày làm việc bù"


class Command(BaseCommand):
    help = "Seed nationwide public holidays and make-up working days for Vietnam from the holidays library."

    def add_arguments(self, parser):
        parser.add_argument(
            "--years", nargs="+", type=int, help="Years to seed (default: this year and next)."
        )
        parser.add_argument(
            "--prune",
            action="store_true",
            help="Delete library-sourced nationwide rows in these years that the library no longer lists.",
        )

    def handle(self, *args, years=None, prune=False, **options):
        if not years:
            this_year = timezone.localdate().year
            years = [this_year, this_year + 1]
        years = sorted(set(years))
        if any(y < 1995 or y > 2100 for y in years):
            raise CommandError("years must be between 1995 and 2100")

        try:
            lib = holidays.country_holidays("VN", years=years, language="vi")
        except NotImplementedError:  # pragma: no cover - language list changes between versions
            lib = holidays.country_holidays("VN", years=years)

        wanted: dict[tuple[dt.date, str], str] = {}
        for day, name in sorted(lib.items()):
            if day.year in years:
                wanted[(day, CalendarDayKind.HOLIDAY)] = name[:200]

        # Weekend days worked for a swapped day off. The library keeps them in
        # ``weekend_workdays`` (a set of dates, from every year it knows); older versions lack it.
        for day in sorted(getattr(lib, "weekend_workdays", ()) or ()):
            if day.year in years and day.weekday() >= 5:
                # The day off it pays for is labelled "Ngày nghỉ (thay cho ngày 22/08/2026)".
                worked = day.strftime("%d/%m/%Y")
                day_off = next((d for d, n in sorted(lib.items()) if worked in n), None)
                name = MAKEUP_NAME % day_off.strftime("%d/%m/%Y") if day_off else MAKEUP_NAME_PLAIN
                wanted[(day, CalendarDayKind.MAKEUP_WORKDAY)] = name[:200]

        counts = {"created": 0, "updated": 0, "unchanged": 0, "kept_admin": 0, "pruned": 0}
        with transaction.atomic():
            existing = {
                (row.date, row.kind): row
                for row in CalendarDay.objects.filter(area__isnull=True, date__year__in=years)
            }
            for (day, kind), name in wanted.items():
                row = existing.get((day, kind))
                if row is None:
                    CalendarDay.objects.create(
                        date=day, kind=kind, area=None, name=name, source=CalendarDaySource.HOLIDAYS_LIB
                    )
                    counts["created"] += 1
                elif row.source != CalendarDaySource.HOLIDAYS_LIB:
                    counts["kept_admin"] += 1
                elif row.name != name:
                    row.name = name
                    row.save(update_fields=["name"])
                    counts["updated"] += 1
                else:
                    counts["unchanged"] += 1

            stale = [
                row
                for key, row in existing.items()
                if key not in wanted and row.source == CalendarDaySource.HOLIDAYS_LIB
            ]
            if prune:
                for row in stale:
                    row.delete()
                counts["pruned"] = len(stale)

        holidays_n = sum(1 for (_d, k) in wanted if k == CalendarDayKind.HOLIDAY)
        makeup_n = len(wanted) - holidays_n
        self.stdout.write(
            f"holidays {holidays.__version__}, years {', '.join(map(str, years))}: "
            f"{holidays_n} public holidays, {makeup_n} make-up working days in the library."
        )
        self.stdout.write(
            "created {created}, updated {updated}, unchanged {unchanged}, "
            "kept (admin-edited) {kept_admin}, pruned {pruned}.".format(**counts)
        )
        if stale and not prune:
            self.stdout.write(
                self.style.WARNING(
                    f"{len(stale)} library row(s) in these years are no longer in the library; "
                    "re-run with --prune to delete them."
                )
            )
