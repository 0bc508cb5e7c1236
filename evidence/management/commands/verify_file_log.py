"""Check the hash chains of the file log of activities, target values and reports (``FileEvent``).

    manage.py verify_file_log        exit status 1 on any altered, deleted, inserted or reordered event

Each problem names the record ("report:12"), the position in its chain and what is wrong; the
chains are also held against the latest audit anchor (what was removed from their end). The
case timelines are checked by ``verify_audit``; run both after a restore (docs/operations.md).
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from evidence.models import FileEvent
from evidence.records import verify_file_log


class Command(BaseCommand):
    help = "Verify the hash chains of the record-file log."

    def handle(self, *args, **options):
        problems = verify_file_log()
        for problem in problems:
            self.stdout.write(str(problem))
        if problems:
            raise CommandError(_("FILE LOG NOT INTACT: %(n)s problem(s).") % {"n": len(problems)})
        self.stdout.write(_("File log intact: %(n)s events.") % {"n": FileEvent.objects.count()})
