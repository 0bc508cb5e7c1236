"""manage.py registry_import FILE --user officer_a [--commit] [--accept-duplicates]

Checks (by default) or imports a CSV/XLSX child list into the registry, printing the progress
and the row-by-row report (in Vietnamese)."""

import mimetypes
import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from triage.registry_import import registry_import

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class Command(BaseCommand):
    help = "Check or import a child list (CSV/XLSX) into the prevention registry, all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--user", required=True, help="the registry keeper acting")
        parser.add_argument("--commit", action="store_true")
        parser.add_argument("--accept-duplicates", action="store_true")

    def handle(self, *args, **options):
        path = Path(options["file"])
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError("unknown user")
        kind = XLSX if path.suffix.lower() == ".xlsx" else (mimetypes.guess_type(path.name)[0] or "text/csv")

        def progress(done, total):
            sys.stderr.write(f"\r{100 * done // max(total, 1):3d}% ({done}/{total})")

        with translation.override("vi"):
            report = registry_import(actor=user, data=path.read_bytes(), content_type=kind,
                                     commit=options["commit"], accept_duplicates=options["accept_duplicates"],
                                     progress=progress)
            sys.stderr.write("\n")
            for line in report.lines():
                self.stdout.write(line)
        state = "committed" if report.committed else "not committed"
        self.stdout.write(f"{report.created} rows valid, {report.errors} in error, {report.duplicates} possible "
                          f"duplicates: {state}")
