"""Check that every evidence file's bytes are in storage and match the SHA-256 recorded with it
(and on the timeline, or in the file log for activities, target values and reports). After a
restore, or periodically: a missing or altered file is named.

    manage.py verify_evidence        exit status 1 on any missing or altered file
"""

import hashlib
import itertools

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from evidence.files import read
from evidence.models import Attachment, RecordFile


class Command(BaseCommand):
    help = "Verify that every evidence file is in storage with its recorded SHA-256."

    def handle(self, *args, **options):
        # Case files and record files alike: (what to call it, name in storage, recorded hash).
        cases = ((_("case %(case)s, file #%(id)s") % {"case": case_id, "id": pk}, name, digest)
                 for pk, case_id, name, digest in
                 Attachment.objects.values_list("pk", "case_id", "storage_name", "sha256").iterator())
        # The record by its code and id ("report 3"), as verify_file_log names it ("report:3").
        records = ((_("%(owner)s %(record)s, file #%(id)s") % {"owner": owner, "record": a or t or r, "id": pk},
                    name, digest)
                   for pk, owner, a, t, r, name, digest in
                   RecordFile.objects.values_list("pk", "owner", "activity_id", "target_report_id", "report_id",
                                                  "storage_name", "sha256").iterator())
        stored = itertools.chain(cases, records)
        problems, checked = [], 0
        for label, name, digest in stored:
            checked += 1
            try:
                data = read(name)
            except OSError:
                problems.append(_("%(file)s: missing from storage") % {"file": label})
                continue
            if hashlib.sha256(data).hexdigest() != digest:
                problems.append(_("%(file)s: bytes differ from the recorded SHA-256") % {"file": label})
        for line in problems:
            self.stdout.write(line)
        if problems:
            raise CommandError(_("%(n)s of %(checked)s evidence files missing or altered")
                               % {"n": len(problems), "checked": checked})
        self.stdout.write(_("Evidence files verified: %(n)s present with their recorded SHA-256.") % {"n": checked})
