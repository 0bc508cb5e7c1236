"""A report's figures as an official table: XLSX (openpyxl), CSV and PDF (WeasyPrint).

All three are built from one ``Table`` model so they show the same numbers. Inputs are the
report's aggregates only (the snapshot once sent), so no export can hold a child's identity.
When the output leaves the commune (``permissions.reports.output_leaves_commune``), every count
from 1 to ``REPORTS_SUPPRESS_BELOW - 1`` is printed as "<N", so that a small number cannot point
to a child; zero stays zero, and percentages built on suppressed counts are hidden too.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import timezone, translation

from . import conf
from .figures import COLUMN_DIMS, ROW_DIMS

ROW_TITLES = {"form": "Theo hình thức xâm hại", "environment": "Theo môi trường bị xâm hại",
              "group": "Theo nhóm hoàn cảnh đặc biệt", "area": "Theo địa bàn"}
COLUMN_TITLES = {"sex": "Chia theo giới tính", "age_band": "Chia theo nhóm tuổi"}
UNIT_VI = {"children": "Trẻ em", "incidents": "Vụ", "persons": "Người", "cases": "Hồ sơ", "percent": "%"}
KIND_VI = {"six_month": "Báo cáo 6 tháng", "annual": "Báo cáo năm", "thematic": "Báo cáo chuyên đề",
           "ad_hoc": "Báo cáo đột xuất"}


def document_of(report) -> dict:
    """What an export shows: the frozen snapshot once sent, the live draft before."""
    if report.snapshot:
        return report.snapshot
    return {"report": {"title": report.title, "kind": report.kind, "body": report.body.name,
                       "period_start": report.period_start.isoformat(), "period_end": report.period_end.isoformat(),
                       "recipient": report.recipient.name if report.recipient_id else None},
            "narrative": {"results": report.results, "difficulties": report.difficulties,
                          "proposals": report.proposals},
            "signed": {"by": None, "at": None}, "figures": report.figures, "draft": True}


class Suppressor:
    def __init__(self, active: bool, below: int | None = None):
        self.active = active
        self.below = conf.suppress_below() if below is None else below

    def count(self, value):
        if value is None:
            return ""
        if self.active and isinstance(value, int) and 0 < value < self.below:
            return f"<{self.below}"
        return value

    def hides(self, value) -> bool:
        return self.active and isinstance(value, int) and 0 < value < self.below


@dataclass
class Block:
    """One indicator's table: columns grouped (sex, age band), rows grouped (form, environment …)."""

    code: str
    name: str
    unit: str
    # (group title, [((dimension, code), label), …])
    column_groups: list[tuple[str, list[tuple[tuple[str, str], str]]]] = field(default_factory=list)
    rows: list[tuple[str, str, list]] = field(default_factory=list)   # (group title, label, cells)

    @property
    def columns(self) -> list[tuple[tuple[str, str], str]]:
        return [c for _title, cols in self.column_groups for c in cols]


@dataclass
class Table:
    title: str
    body: str
    recipient: str | None
    period: str
    kind: str
    draft: bool
    narrative: dict
    signed: dict
    summary: list[tuple[int, str, str, str, object]]   # (no., code, name, unit, value)
    blocks: list[Block]
    below: list[dict]
    suppressed: bool
    threshold: int


def _label(labels, dim, code) -> str:
    entry = labels.get(dim, {}).get(str(code))
    return entry["vi"] if entry else str(code)


def _vi_date(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{d}/{m}/{y}"


def build_table(report, *, suppress: bool) -> Table:
    doc = document_of(report)
    fig = doc["figures"]
    labels = fig.get("labels", {})
    sup = Suppressor(suppress)
    summary = []
    blocks = []
    for i, ind in enumerate(fig.get("indicators", []), start=1):
        value = ind["value"]
        if ind["unit"] != "percent":
            value = sup.count(value)
        elif value is None:
            value = ""
        else:
            value = float(value)
        summary.append((i, ind["code"], ind["name_vi"], UNIT_VI.get(ind["unit"], ind["unit"]), value))
        if ind["unit"] == "percent":
            continue
        bd = ind.get("breakdowns", {})
        cols = [c for c in COLUMN_DIMS if c in bd]
        if not cols:
            continue
        block = Block(ind["code"], ind["name_vi"], UNIT_VI.get(ind["unit"], ind["unit"]))
        for c in cols:
            # Every category of the official table, zero or not; "age unknown" only when it occurs.
            present = [str(r[c]) for r in bd[c]]
            codes = [k for k in labels.get(c, {}) if k != "unknown" or k in present]
            codes += [k for k in present if k not in codes]
            block.column_groups.append((COLUMN_TITLES[c], [((c, k), _label(labels, c, k)) for k in codes]))
        col_keys = [key for key, _label_text in block.columns]

        def cells(total, lookup):
            return [sup.count(total)] + [sup.count(lookup.get(k, 0)) for k in col_keys]

        overall = {(c, str(r[c])): r["value"] for c in cols for r in bd[c]}
        block.rows.append(("", "Tổng số", cells(ind["value"], overall)))
        for row_dim in [r for r in ROW_DIMS if r in bd]:
            for r in bd[row_dim]:
                key = r[row_dim]
                lookup = {}
                for c in cols:
                    for x in bd.get(f"{row_dim}×{c}", []):
                        if x[row_dim] == key:
                            lookup[(c, str(x[c]))] = x["value"]
                block.rows.append((ROW_TITLES[row_dim], _label(labels, row_dim, key), cells(r["value"], lookup)))
        blocks.append(block)
    meta = doc["report"]
    return Table(
        title=meta["title"], body=meta["body"], recipient=meta.get("recipient"),
        period=f"Từ ngày {_vi_date(meta['period_start'])} đến ngày {_vi_date(meta['period_end'])}",
        kind=KIND_VI.get(meta["kind"], meta["kind"]), draft=bool(doc.get("draft")), narrative=doc["narrative"],
        signed=doc.get("signed") or {}, summary=summary, blocks=blocks,
        below=fig.get("below", {}).get("bodies", []), suppressed=suppress, threshold=sup.below,
    )


# ------------------------------------------------------------------ XLSX

def to_xlsx(table: Table) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    bold = Font(bold=True)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)

    wb = Workbook()
    ws = wb.active
    ws.title = "Tong hop"
    ws["A1"], ws["E1"] = table.body.upper(), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    ws["E2"] = "Độc lập - Tự do - Hạnh phúc"
    for ref in ("A1", "E1", "E2"):
        ws[ref].font = bold
    ws.merge_cells("A1:C1")
    ws.merge_cells("E1:H1")
    ws.merge_cells("E2:H2")
    ws["A4"] = table.title.upper() + (" (DỰ THẢO)" if table.draft else "")
    ws["A4"].font = Font(bold=True, size=13)
    ws.merge_cells("A4:H4")
    ws["A4"].alignment = centre
    ws["A5"] = f"{table.kind} — {table.period}"
    ws.merge_cells("A5:H5")
    ws["A5"].alignment = centre
    if table.suppressed:
        ws["A6"] = f"Các ô có giá trị từ 1 đến {table.threshold - 1} được ghi \"<{table.threshold}\" để bảo vệ trẻ em."
        ws.merge_cells("A6:H6")
    row = 8
    for col, text in enumerate(["STT", "Mã chỉ tiêu", "Tên chỉ tiêu", "Đơn vị tính", "Số liệu"], start=1):
        cell = ws.cell(row=row, column=col, value=text)
        cell.font, cell.alignment, cell.border = bold, centre, box
    for no, code, name, unit, value in table.summary:
        row += 1
        for col, v in enumerate([no, code, name, unit, value], start=1):
            ws.cell(row=row, column=col, value=v).border = box
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 12
    ws.column_dimensions["C"].width = 48
    ws.column_dimensions["D"].width = 12
    ws.column_dimensions["E"].width = 12

    for block in table.blocks:
        sheet = wb.create_sheet(title=f"CT {block.code}"[:31])
        ncols = 2 + len(block.columns)
        sheet.cell(row=1, column=1, value=table.body).font = bold
        title = sheet.cell(row=2, column=1, value=f"Chỉ tiêu {block.code}: {block.name} ({block.unit})")
        title.font = Font(bold=True, size=12)
        sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=ncols)
        sheet.cell(row=3, column=1, value=table.period)
        sheet.merge_cells(start_row=3, start_column=1, end_row=3, end_column=ncols)
        # Two header rows: the groups merged across their columns, then one cell per value.
        for col, text in ((1, "Chỉ tiêu phân tổ"), (2, "Tổng số")):
            cell = sheet.cell(row=5, column=col, value=text)
            sheet.merge_cells(start_row=5, start_column=col, end_row=6, end_column=col)
            cell.font, cell.alignment = bold, centre
        col = 3
        for group_title, cols in block.column_groups:
            cell = sheet.cell(row=5, column=col, value=group_title)
            cell.font, cell.alignment = bold, centre
            if len(cols) > 1:
                sheet.merge_cells(start_row=5, start_column=col, end_row=5, end_column=col + len(cols) - 1)
            for offset, (_key, label) in enumerate(cols):
                c = sheet.cell(row=6, column=col + offset, value=label)
                c.font, c.alignment = bold, centre
            col += len(cols)
        for r in (5, 6):
            for c in range(1, ncols + 1):
                sheet.cell(row=r, column=c).border = box
        r = 6
        group = None
        for group_title, label, cells in block.rows:
            if group_title and group_title != group:
                r += 1
                g = sheet.cell(row=r, column=1, value=group_title)
                g.font = Font(bold=True, italic=True)
                sheet.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncols)
                group = group_title
            r += 1
            first = sheet.cell(row=r, column=1, value=label)
            if label == "Tổng số":
                first.font = bold
            for offset, value in enumerate(cells):
                sheet.cell(row=r, column=2 + offset, value=value)
            for c in range(1, ncols + 1):
                sheet.cell(row=r, column=c).border = box
        sheet.column_dimensions["A"].width = 44
        for c in range(2, ncols + 1):
            sheet.column_dimensions[get_column_letter(c)].width = 12
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# ------------------------------------------------------------------ CSV

def to_csv(table: Table) -> bytes:
    """One line per figure (long format), the body and the period on every line."""
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["don_vi", "ky_bao_cao", "ma_chi_tieu", "ten_chi_tieu", "don_vi_tinh", "phan_to", "gia_tri_phan_to",
                "so_lieu"])
    for _no, code, name, unit, value in table.summary:
        w.writerow([table.body, table.period, code, name, unit, "", "Tổng số", value])
    for block in table.blocks:
        keys = ["Tổng số"] + [label for _k, label in block.columns]
        for group_title, label, cells in block.rows:
            for key, value in zip(keys, cells):
                w.writerow([table.body, table.period, block.code, block.name, block.unit,
                            f"{group_title}: {label}" if group_title else label, key, value])
    # A BOM so spreadsheet programs read the Vietnamese letters as UTF-8.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# ------------------------------------------------------------------ PDF

def to_html(table: Table) -> str:
    with translation.override("vi"):
        return render_to_string("reports/export_pdf.html", {"t": table, "today": timezone.localdate()})


def to_pdf(table: Table) -> bytes:
    from casework.views.pdf import html_to_pdf

    return html_to_pdf(to_html(table))


BUILDERS = {"xlsx": to_xlsx, "csv": to_csv, "pdf": to_pdf}
CONTENT_TYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                 "csv": "text/csv; charset=utf-8", "pdf": "application/pdf"}
