"""Reading attendance sheets and population tables from CSV or XLSX (openpyxl, MIT).

Every row is checked before anything is written: the caller gets either the totals or the full
list of rows in error (row number, column, message), never half a sheet. Names on an attendance
sheet are read only to skip blank lines; they are not stored as rows (the sheet itself is kept
as evidence, under the activity's access rules).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from casework.models.people import CHILD_AGE_LIMIT, fold

MAX_ROWS = 5000

# Accepted column titles (folded: lower case, no diacritics) → field.
ATTENDANCE_COLUMNS = {
    "ho va ten": "name", "ho ten": "name", "name": "name", "full name": "name",
    "gioi tinh": "sex", "sex": "sex",
    "tuoi": "age", "age": "age",
    "nam sinh": "birth_year", "birth year": "birth_year",
    "doi tuong": "kind", "kind": "kind", "thanh phan": "kind",
}
SEX = {"nam": "boys", "male": "boys", "m": "boys", "nu": "girls", "female": "girls", "f": "girls"}
KIND = {"tre em": "child", "child": "child", "hoc sinh": "child",
        "cha me": "parent", "phu huynh": "parent", "parent": "parent", "nguoi cham soc": "parent",
        "can bo": "staff", "giao vien": "staff", "staff": "staff"}


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class Attendance:
    counts: dict[str, int] = field(default_factory=dict)
    parents: int = 0
    staff: int = 0
    rows: int = 0


def band_of(age: int) -> str:
    if age < 6:
        return "0_5"
    if age <= 10:
        return "6_10"
    return "11_15"


def read_rows(data: bytes, content_type: str) -> list[list[str]]:
    if content_type == "text/csv":
        text = data.decode("utf-8-sig")
        dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t") if text.strip() else csv.excel
        return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text), dialect)]
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    sheet = book.worksheets[0]
    rows = [["" if v is None else str(v).strip() for v in row]
            for row in sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 2)]
    book.close()
    return rows


def _header(rows, columns: dict[str, str], required: set[str]) -> tuple[dict[str, int], list[RowError]]:
    if not rows:
        return {}, [RowError(1, "", _("The sheet is empty."))]
    index = {}
    for i, title in enumerate(rows[0]):
        name = columns.get(fold(title).replace(":", "").strip())
        if name and name not in index:
            index[name] = i
    missing = [n for n in sorted(required) if n not in index]
    errors = [RowError(1, n, _("Missing column.")) for n in missing]
    return index, errors


def parse_attendance(rows: list[list[str]], *, year: int) -> tuple[Attendance, list[RowError]]:
    index, errors = _header(rows, ATTENDANCE_COLUMNS, {"sex", "kind"})
    if errors:
        return Attendance(), errors
    if "age" not in index and "birth_year" not in index:
        return Attendance(), [RowError(1, "age", _("Give an age or a birth-year column."))]
    if len(rows) - 1 > MAX_ROWS:
        return Attendance(), [RowError(MAX_ROWS + 2, "", _("At most 5000 rows per sheet."))]
    result = Attendance(counts={})

    def cell(row, name):
        i = index.get(name)
        return row[i].strip() if i is not None and i < len(row) else ""

    for number, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        kind = KIND.get(fold(cell(row, "kind")))
        if kind is None:
            errors.append(RowError(number, "kind", _("Write child, parent or staff.")))
            continue
        result.rows += 1
        if kind == "parent":
            result.parents += 1
            continue
        if kind == "staff":
            result.staff += 1
            continue
        sex = SEX.get(fold(cell(row, "sex")))
        if sex is None:
            errors.append(RowError(number, "sex", _("Write Nam or Nữ.")))
        age = None
        raw_age, raw_year = cell(row, "age"), cell(row, "birth_year")
        try:
            if raw_age:
                age = int(float(raw_age))
            elif raw_year:
                age = year - int(float(raw_year))
        except ValueError:
            age = None
        if age is None or age < 0:
            errors.append(RowError(number, "age", _("Give the child's age or birth year as a number.")))
        elif age >= CHILD_AGE_LIMIT:
            errors.append(RowError(number, "age", _("A child is a person under 16.")))
            age = None
        if sex is not None and age is not None:
            key = f"{sex}_{band_of(age)}"
            result.counts[key] = result.counts.get(key, 0) + 1
    if not errors and result.rows == 0:
        errors.append(RowError(2, "", _("The sheet has no participants.")))
    return result, errors


POPULATION_COLUMNS = {
    "ma xa": "commune", "commune code": "commune", "ma": "commune",
    "nam": "year", "year": "year",
    "ho gia dinh": "households", "so ho": "households", "households": "households",
    **{f"{sex} {band}": f"{key}_{band.replace('-', '_')}"
       for sex, key in (("nu", "girls"), ("nam", "boys"), ("girls", "girls"), ("boys", "boys"))
       for band in ("0-5", "6-10", "11-15")},
}
POPULATION_FIELDS = ["girls_0_5", "boys_0_5", "girls_6_10", "boys_6_10", "girls_11_15", "boys_11_15"]


def parse_population(rows: list[list[str]]) -> tuple[list[dict], list[RowError]]:
    index, errors = _header(rows, POPULATION_COLUMNS, {"commune", "year", *POPULATION_FIELDS})
    if errors:
        return [], errors
    out = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        record, bad = {}, False
        for name, i in index.items():
            value = row[i].strip() if i < len(row) else ""
            if name == "commune":
                if not value:
                    errors.append(RowError(number, name, _("Give the commune's statistical code.")))
                    bad = True
                record[name] = value
                continue
            try:
                record[name] = int(float(value or "0"))
                if record[name] < 0:
                    raise ValueError
            except ValueError:
                errors.append(RowError(number, name, _("Write a whole number.")))
                bad = True
        if not bad:
            record["line"] = number
            out.append(record)
    return out, errors
