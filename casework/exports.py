"""The case list as an XLSX file, written in bounded memory (issue 14: exports that crawl and
swell as data grows are what case systems in this field are known for).

openpyxl's write-only workbook keeps one row at a time; the rows come from the database in
chunks through a server-side cursor (``iterator``), and the file is written to a temporary file
on disk, which the view streams. Memory therefore does not grow with the number of rows
(bench: ``memory.xlsx_export_peak_rss`` for 100,000 cases).

What a row holds: the case number, state, level, risk, the responsible and the incident commune,
the dates and whether a clock is missed — never the child's identity, so an export is not an
identity read (permissions.rules.may_export_case_list).
"""

from __future__ import annotations

import datetime as dt
from typing import IO

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from workflows.states import CaseStatus, ProtectionLevel, RiskLevel

from .models import Case

COLUMNS = ("code", "status", "level", "risk_level", "commune__name", "incident_commune__name", "opened_at",
           "next_due_at", "closed_at")


def export_limit() -> int:
    """Rows in one file at most; past it the file says so and the user narrows the filters."""
    return int(getattr(settings, "CASE_EXPORT_LIMIT", 100_000))


def _local(value: dt.datetime | None):
    # Excel has no time zones: the commune's local time (ICT), without tzinfo.
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def write_case_list(qs: QuerySet[Case], out: IO[bytes], *, now: dt.datetime | None = None) -> int:
    """Write the cases of ``qs`` (already scoped by the access function and filtered) to
    ``out`` as XLSX; returns the number of case rows written."""
    now = now or timezone.now()
    limit = export_limit()
    # Labels translated once per file, not once per row.
    statuses, levels, risks = ({k: str(v) for k, v in choices}
                               for choices in (CaseStatus.choices, ProtectionLevel.choices, RiskLevel.choices))
    yes, no = _("yes"), _("no")
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Cases"))
    ws.append([_("Case number"), _("State"), _("Protection level"), _("Risk"), _("Responsible commune"),
               _("Commune of the incident"), _("Opened at"), _("Next deadline"), _("A deadline missed"),
               _("Closed at")])
    n = 0
    rows = qs.order_by("-opened_at", "-pk").values_list(*COLUMNS)[: limit + 1].iterator(chunk_size=2000)
    for code, status, level, risk, commune, incident, opened, due, closed in rows:
        if n == limit:
            cell = WriteOnlyCell(ws, _("Only the first %(n)s cases are in this file: narrow the filters to export "
                                       "the rest.") % {"n": limit})
            ws.append([cell])
            break
        ws.append([code, statuses.get(status, status), levels.get(level, level), risks.get(risk, ""), commune,
                   incident, _local(opened), _local(due), yes if due and due < now else no, _local(closed)])
        n += 1
    wb.save(out)
    return n
