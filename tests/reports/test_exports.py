"""Exports: an official-looking XLSX, CSV and PDF; small cells suppressed once outside the commune;
never a child's identity; built by the background task."""

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from permissions.reports import output_leaves_commune
from reports import services as s
from reports.exports import build_table, to_csv, to_html, to_xlsx
from reports.models import ExportStatus, ReportEventType as E

TODAY = timezone.localdate()


@pytest.fixture
def sent(world, open_case):
    case = open_case()
    report = s.report_draft_create(actor=world.officer_a, body_id=world.orgs["a.committee"].pk, kind="ad_hoc",
                                   period_start=TODAY - dt.timedelta(days=30), period_end=TODAY)
    s.report_narrative_save(actor=world.officer_a, report_id=report.pk, results="Kết quả tốt.", difficulties="",
                            proposals="")
    s.report_submit(actor=world.officer_a, report_id=report.pk)
    s.report_sign(actor=world.chair_a, report_id=report.pk)
    return s.report_send(actor=world.officer_a, report_id=report.pk), case


def test_suppression_applies_when_the_output_leaves_the_commune(world, sent):
    report, _case = sent
    assert not output_leaves_commune(world.officer_a, report)
    assert output_leaves_commune(world.supervisor_p1, report)
    inside = build_table(report, suppress=False)
    outside = build_table(report, suppress=True)
    assert ("0101" in [c for _n, c, *_ in inside.summary])
    assert dict((c, v) for _n, c, _name, _u, v in inside.summary)["0101"] == 1
    assert dict((c, v) for _n, c, _name, _u, v in outside.summary)["0101"] == "<5"
    # A zero is not a small count and stays.
    assert dict((c, v) for _n, c, _name, _u, v in outside.summary)["BV06"] in (0, "<5")


def test_xlsx_has_the_official_layout(world, sent):
    report, _case = sent
    wb = load_workbook(io.BytesIO(to_xlsx(build_table(report, suppress=False))))
    ws = wb["Tong hop"]
    assert ws["A1"].value == world.orgs["a.committee"].name.upper()
    assert ws["E1"].value == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert "Từ ngày" in ws["A5"].value
    sheet = wb["CT 0101"]
    assert sheet["A5"].value == "Chỉ tiêu phân tổ" and sheet["C5"].value == "Chia theo giới tính"
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert "A5:A6" in merged and "B5:B6" in merged
    assert any(r.startswith("C5:") for r in merged) or sheet["D5"].value == "Chia theo nhóm tuổi"
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=7)]
    assert ["Tổng số", 1] == values[0][:2]


def test_no_export_contains_the_childs_identity(world, sent):
    report, case = sent
    table = build_table(report, suppress=False)
    secrets = [case.child.full_name, case.child.address, case.child.parents, case.code]
    blobs = [to_csv(table).decode("utf-8"), to_html(table), str(report.snapshot)]
    wb = load_workbook(io.BytesIO(to_xlsx(table)))
    blobs.append(" ".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value is not None))
    for blob in blobs:
        for secret in secrets:
            assert secret not in blob


def test_csv_is_long_format_with_body_and_period(world, sent):
    report, _case = sent
    rows = list(csv.reader(io.StringIO(to_csv(build_table(report, suppress=True)).decode("utf-8-sig"))))
    assert rows[0][:3] == ["don_vi", "ky_bao_cao", "ma_chi_tieu"]
    first = next(r for r in rows if r[2] == "0101")
    assert first[0] == world.orgs["a.committee"].name and first[-1] == "<5"


def test_the_background_task_builds_the_file_and_logs_the_export(world, sent, django_capture_on_commit_callbacks):
    report, _case = sent
    with django_capture_on_commit_callbacks(execute=True):
        export = s.report_export_request(actor=world.supervisor_p1, report_id=report.pk, format="xlsx")
    export.refresh_from_db()
    assert export.status == ExportStatus.DONE and export.suppressed and bytes(export.content)[:2] == b"PK"
    assert report.events.filter(type=E.EXPORTED, actor=world.supervisor_p1).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        pdf = s.report_export_request(actor=world.officer_a, report_id=report.pk, format="pdf")
    pdf.refresh_from_db()
    assert pdf.status == ExportStatus.DONE and bytes(pdf.content)[:4] == b"%PDF" and not pdf.suppressed


def test_an_unseen_report_cannot_be_exported(world, sent):
    from casework.errors import NotFound

    report, _case = sent
    with pytest.raises(NotFound):
        s.report_export_request(actor=world.supervisor_p2, report_id=report.pk, format="xlsx")
