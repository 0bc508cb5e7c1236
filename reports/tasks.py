"""Background work: exports are built by the task worker (django-tasks, database backend),
taking only the export's id, so a large province table never holds up a page."""

from __future__ import annotations

import logging

from django_tasks import task

log = logging.getLogger(__name__)


@task()
def build_export(export_id: int) -> int:
    from .exports import BUILDERS, build_table
    from .models import ExportStatus, ReportExport

    export = ReportExport.objects.select_related("report__body", "report__recipient").filter(pk=export_id).first()
    if export is None or export.status == ExportStatus.DONE:
        return 0
    ReportExport.objects.filter(pk=export.pk).update(status=ExportStatus.RUNNING, progress=10)
    try:
        table = build_table(export.report, suppress=export.suppressed)
        ReportExport.objects.filter(pk=export.pk).update(progress=50)
        content = BUILDERS[export.format](table)
    except Exception as exc:
        log.warning("report export %s failed: %s", export.pk, type(exc).__name__)
        ReportExport.objects.filter(pk=export.pk).update(status=ExportStatus.FAILED, progress=100,
                                                        error=type(exc).__name__)
        return 0
    name = f"bao-cao-{export.report.pk}-{export.report.period_end:%Y%m%d}.{export.format}"
    ReportExport.objects.filter(pk=export.pk).update(status=ExportStatus.DONE, progress=100, content=content,
                                                    filename=name)
    return len(content)
