"""Fix every case's chain head in a new audit anchor and print it (docs/audit.md).

    manage.py audit_anchor            write an anchor now and print it
    manage.py audit_anchor --show     print the latest anchor without writing one
    manage.py audit_anchor --show 12  print anchor #12

run_timers writes one a day. Print it, sign it, send it outside the system: whoever holds the
printed hash can later prove the timeline up to then was not shortened or rewritten.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from casework.audit import anchor_text, audit_anchor_write
from casework.models import AuditAnchor


class Command(BaseCommand):
    help = "Write an audit anchor over every case's hash chain and print it (--show: print only)."

    def add_arguments(self, parser):
        parser.add_argument("--show", nargs="?", const="latest", metavar="ID",
                            help="Print the latest anchor (or anchor ID) instead of writing one.")

    def handle(self, *args, show=None, **options):
        if show is None:
            anchor = audit_anchor_write()
        else:
            qs = AuditAnchor.objects.order_by("-pk")
            anchor = qs.first() if show == "latest" else qs.filter(pk=show).first()
            if anchor is None:
                raise CommandError(_("No such audit anchor."))
        self.stdout.write(anchor_text(anchor))
