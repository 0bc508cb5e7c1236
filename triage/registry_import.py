"""Importing a commune's child list (CSV/XLSX) into the prevention registry (issue 12, item 4).

Every row goes through ``prevention.services.registry_add`` (its rules, its audit event) inside
one transaction; a dry run rolls that transaction back, so the dry run checks exactly what the
commit would do. Any bad row refuses the whole file (all or nothing). Each row is also checked
against the registry and the other rows of the file for possibly-same children (the duplicate
finder); a file with duplicates is committed only when the user says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from casework.errors import PermissionDenied, ValidationError
from casework.models import Area, AreaKind
from casework.models.people import fold
from prevention import services as P
from prevention.sheets import MAX_ROWS, read_rows

from .duplicates import reveal_suggestions, suggestions_for
from .matching import Person, rank
from .models import ChildIdentifier

COLUMNS = {
    "ho va ten": "full_name", "ho ten": "full_name", "ten": "full_name", "full name": "full_name",
    "ngay sinh": "date_of_birth", "date of birth": "date_of_birth",
    "tuoi": "estimated_age", "age": "estimated_age",
    "gioi tinh": "sex", "sex": "sex",
    "ma xa": "commune", "xa": "commune", "commune": "commune", "ma don vi": "commune",
    "cha me": "parents", "ho ten cha me": "parents", "parents": "parents",
    "dia chi": "address", "address": "address",
    "so dinh danh": "personal_id", "so dinh danh ca nhan": "personal_id", "ma dinh danh": "personal_id",
    "personal id": "personal_id",
    "nhom": "groups", "nhom hoan canh": "groups", "hoan canh dac biet": "groups", "groups": "groups",
    "loai": "category", "category": "category",
}
SEX = {"nam": "male", "male": "male", "m": "male", "trai": "male", "nu": "female", "female": "female", "f": "female",
       "gai": "female", "": "unknown", "khong ro": "unknown"}
CATEGORY = {"dac biet": "special", "hoan canh dac biet": "special", "special": "special",
            "nguy co": "at_risk", "at risk": "at_risk", "at_risk": "at_risk"}
STRONG = 0.8   # a match this good is reported as a likely duplicate


@dataclass
class RowReport:
    row: int
    errors: list[str] = field(default_factory=list)
    duplicates: list[dict] = field(default_factory=list)   # revealed suggestions (name, reasons)
    same_as_rows: list[int] = field(default_factory=list)


@dataclass
class ImportReport:
    rows: list[RowReport]
    committed: bool = False
    created: int = 0

    @property
    def errors(self) -> int:
        return sum(bool(r.errors) for r in self.rows)

    @property
    def duplicates(self) -> int:
        return sum(bool(r.duplicates or r.same_as_rows) for r in self.rows)

    def lines(self) -> list[str]:
        """The row-by-row report, in the request's language (Vietnamese by default)."""
        out = []
        for r in self.rows:
            for message in r.errors:
                out.append(_("Row %(row)s: %(message)s") % {"row": r.row, "message": message})
            for d in r.duplicates:
                out.append(_("Row %(row)s: possibly the same child as %(name)s (%(reasons)s)") % {
                    "row": r.row, "name": d["full_name"], "reasons": ", ".join(x["label"] for x in d["reasons"])})
            for other in r.same_as_rows:
                out.append(_("Row %(row)s: possibly the same child as row %(other)s") % {"row": r.row, "other": other})
        return out


class _DryRun(Exception):
    """Raised to roll the dry run's transaction back."""


def _date(value: str) -> dt.date | None:
    value = (value or "").strip()
    if not value:
        return None
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(value)


def parse(rows: list[list[str]]) -> tuple[list[dict], list[RowReport]]:
    """The file's rows as registry inputs (line numbers as in the spreadsheet) and the rows in error."""
    reports: list[RowReport] = []
    if not rows:
        return [], [RowReport(1, [_("The file is empty.")])]
    index: dict[str, int] = {}
    for i, title in enumerate(rows[0]):
        name = COLUMNS.get(fold(title).replace(":", "").replace("*", "").strip())
        if name and name not in index:
            index[name] = i
    missing = [c for c in ("full_name", "commune") if c not in index]
    if missing:
        return [], [RowReport(1, [_("Missing column(s): %(columns)s") % {"columns": ", ".join(missing)}])]
    if len(rows) - 1 > MAX_ROWS:
        return [], [RowReport(1, [_("At most %(n)s rows per file.") % {"n": MAX_ROWS}])]
    out = []
    for line, row in enumerate(rows[1:], start=2):
        cell = {k: (row[i].strip() if i < len(row) and row[i] is not None else "") for k, i in index.items()}
        if not any(cell.values()):
            continue
        report = RowReport(line)
        record = {"line": line, "full_name": cell.get("full_name", ""), "commune": cell.get("commune", ""),
                  "parents": cell.get("parents", ""), "address": cell.get("address", ""),
                  "personal_id": cell.get("personal_id", "").replace(" ", "")}
        try:
            record["date_of_birth"] = _date(cell.get("date_of_birth", ""))
        except ValueError:
            report.errors.append(_("The date of birth is not a date (dd/mm/yyyy)."))
            record["date_of_birth"] = None
        age = cell.get("estimated_age", "")
        record["estimated_age"] = None
        if age:
            if age.isdigit():
                record["estimated_age"] = int(age)
            else:
                report.errors.append(_("The age is not a whole number."))
        sex = SEX.get(fold(cell.get("sex", "")))
        if sex is None:
            report.errors.append(_("Sex: write Nam, Nữ or leave it empty."))
        record["sex"] = sex or "unknown"
        groups = [g.strip().lower() for g in cell.get("groups", "").replace(";", ",").split(",") if g.strip()]
        record["groups"] = groups
        category = CATEGORY.get(fold(cell.get("category", ""))) if cell.get("category") else (
            "special" if groups else "at_risk")
        if category is None:
            report.errors.append(_("Category: write “đặc biệt” or “nguy cơ”."))
        record["category"] = category or "at_risk"
        pid = record["personal_id"]
        if pid and not (pid.isdigit() and len(pid) == 12):
            report.errors.append(_("The personal identification number has 12 digits."))
        out.append(record)
        if report.errors:
            reports.append(report)
    return out, reports


def _person(r: dict) -> Person:
    return Person(full_name=r["full_name"], date_of_birth=r["date_of_birth"], estimated_age=r["estimated_age"],
                  sex=r["sex"], parents=r["parents"], personal_id=r["personal_id"], ref=r["line"])


def registry_import(*, actor, data: bytes, content_type: str, commit: bool = False,
                    accept_duplicates: bool = False,
                    progress: Callable[[int, int], None] | None = None) -> ImportReport:
    """Check (dry run) or import a child list into the registry, all or nothing.

    Who: a keeper of the registry (``registry.edit``) of every commune named in the file.
    Writes: on commit, what ``registry_add`` writes per row (Child, RegistryEntry, one
    PreventionEvent each) and the personal identification numbers; nothing on a dry run, nor
    when a row is refused, nor when duplicates are found and not accepted. Each possible
    duplicate shown is logged as a read of that child's identity.
    Raises: ValidationError (not a CSV/XLSX file).
    """
    if content_type not in ("text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"):
        raise ValidationError({"file": _("Import a CSV or XLSX file.")})
    records, bad = parse(read_rows(data, content_type))
    reports = {r.row: r for r in bad}
    communes = {a.code: a for a in Area.objects.filter(kind=AreaKind.COMMUNE, valid_to__isnull=True,
                                                       code__in={r["commune"] for r in records})}
    # Possibly-same children: in the registry (what the user may see) and among the file's rows.
    people = [_person(r) for r in records]
    for i, r in enumerate(records):
        report = reports.setdefault(r["line"], RowReport(r["line"]))
        matches = [m for m in suggestions_for(actor, people[i], limit=3) if m.score >= STRONG]
        report.duplicates = reveal_suggestions(actor, matches, channel="registry_import")
        report.same_as_rows = [m.candidate.ref for m in rank(people[i], people[:i], limit=3) if m.score >= STRONG]
        if progress:
            progress(i + 1, 2 * len(records))
    report = ImportReport(rows=[])
    try:
        with transaction.atomic():
            for i, r in enumerate(records):
                row = reports[r["line"]]
                commune = communes.get(r["commune"])
                if commune is None:
                    row.errors.append(_("Unknown commune code: %(code)s.") % {"code": r["commune"] or "—"})
                elif r["personal_id"] and ChildIdentifier.objects.filter(number=r["personal_id"]).exists():
                    row.errors.append(_("This personal identification number is already on file."))
                elif not row.errors:
                    try:
                        with transaction.atomic():
                            entry = P.registry_add(
                                actor=actor, commune_id=commune.pk, category=r["category"], groups=r["groups"],
                                child=P.RegistryChild(full_name=r["full_name"], sex=r["sex"],
                                                      date_of_birth=r["date_of_birth"],
                                                      estimated_age=r["estimated_age"], address=r["address"],
                                                      parents=r["parents"]))
                            if r["personal_id"]:
                                ChildIdentifier.objects.create(child=entry.child, number=r["personal_id"])
                            report.created += 1
                    except PermissionDenied as exc:
                        row.errors.append(str(exc))
                    except ValidationError as exc:
                        # The messages are sentences about the row's value; field codes
                        # (child.date_of_birth) would mean nothing to the commune officer.
                        row.errors.extend(m for ms in exc.message_dict.values() for m in ms)
                if progress:
                    progress(len(records) + i + 1, 2 * len(records))
            report.rows = sorted((r for r in reports.values() if r.errors or r.duplicates or r.same_as_rows),
                                 key=lambda r: r.row)
            if not commit or report.errors or (report.duplicates and not accept_duplicates) or not records:
                raise _DryRun
            report.committed = True
    except _DryRun:
        # Rolled back: ``created`` says how many rows a commit would add.
        pass
    if not records and not report.rows:
        report.rows = [RowReport(1, [_("The file has no rows.")])]
    return report


__all__ = ["ImportReport", "RowReport", "parse", "registry_import"]
