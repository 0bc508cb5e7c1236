"""manage.py registry_import FILE --user officer_a [--commit] [--accept-duplicates]

Checks (by default) or imports a CSV/XLSX child list into the registry, printing the progress
and the row-by-row report (in Vietnamese). Exits 1 when the file has rows in error, or when
``--commit`` did not commit (errors, or duplicates not accepted): a script can rely on it."""

import mimetypes
import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

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
        translation.activate("vi")
        path = Path(options["file"])
        user = get_user_model().objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(_("No active user with this name."))
        if not path.is_file():
            raise CommandError(_("The file does not exist."))
        kind = XLSX if path.suffix.lower() == ".xlsx" else (mimetypes.guess_type(path.name)[0] or "text/csv")

        def progress(done, total):
            sys.stderr.write(f"\r{100 * done // max(total, 1):3d}% ({done}/{total})")

        try:
            report = registry_import(actor=user, data=path.read_bytes(), content_type=kind,
                                     commit=options["commit"], accept_duplicates=options["accept_duplicates"],
                                     progress=progress)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        except PermissionDenied as exc:
            raise CommandError(str(exc) or _("You may not keep the registry of these communes.")) from exc
        sys.stderr.write("\n")
        for line in report.lines():
            self.stdout.write(line)
        state = _("imported") if report.committed else _("nothing imported")
        self.stdout.write(_("%(valid)s valid rows, %(errors)s in error, %(duplicates)s possible duplicates: "
                            "%(state)s.") % {"valid": report.created, "errors": report.errors,
                                             "duplicates": report.duplicates, "state": state})
        if report.errors or (options["commit"] and not report.committed):
            sys.exit(1)
