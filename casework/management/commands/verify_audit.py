"""Check every case's hash chain and the audit anchors (docs/audit.md).

    manage.py verify_audit                    everything
    manage.py verify_audit --case 12 --case 13
    manage.py verify_audit --anchor "5f3a9c1e 77b2…"   also prove the anchors match a printed hash

Prints one line per problem (case, position, event id, what is wrong) and exits with status 1
if there is any; 0 and a one-line summary when the trail is intact.
"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from casework.audit import verify_audit


class Command(BaseCommand):
    help = "Verify the tamper-evident audit trail; exit status 1 on any altered, deleted, inserted or moved event."

    def add_arguments(self, parser):
        parser.add_argument("--case", type=int, action="append", dest="cases", metavar="ID",
                            help="Verify only this case (repeatable).")
        parser.add_argument("--anchor", metavar="HASH",
                            help="An anchor hash kept outside the system; fails unless an anchor has it.")

    def handle(self, *args, cases=None, anchor=None, **options):
        report = verify_audit(case_ids=cases, printed_anchor=anchor)
        for finding in report.findings:
            self.stdout.write(str(finding))
        counts = {"events": report.events, "cases": report.cases}
        if report.anchor:
            summary = _("%(events)s events in %(cases)s cases; chain heads checked against anchor #%(id)s") % {
                **counts, "id": report.anchor.pk}
        else:
            summary = _("%(events)s events in %(cases)s cases; no anchor yet (run manage.py audit_anchor)") % counts
        if report.ok:
            self.stdout.write(_("Audit trail verified: %(summary)s.") % {"summary": summary})
            return
        self.stdout.write(_("AUDIT TRAIL NOT INTACT: %(n)s problem(s); %(summary)s.")
                          % {"n": len(report.findings), "summary": summary})
        raise SystemExit(1)
