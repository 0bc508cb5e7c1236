"""Issue 12, item 4: a commune's child list imported into the registry, dry run first, row by
row report in Vietnamese, duplicates found, all or nothing."""

import datetime as dt
import io

import pytest
from django.utils import translation

from prevention import services as P
from prevention.cast import extend_world
from prevention.models import RegistryEntry
from triage.models import ChildIdentifier
from triage.registry_import import registry_import

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = "Họ và tên;Ngày sinh;Giới tính;Mã xã;Nhóm;Cha mẹ;Số định danh\n"


@pytest.fixture
def pworld(world, settings, tmp_path):
    settings.PREVENTION_EVIDENCE_DIR = tmp_path / "evidence"
    return extend_world(world)


def csv(*rows) -> bytes:
    return (HEADER + "".join(r + "\n" for r in rows)).encode()


def test_dry_run_then_commit_all_rows(pworld):
    code = pworld.areas["a"].code
    data = csv(f"Lò Thị Mai;02/04/2015;Nữ;{code};c;Lò Văn Páo;079315000123",
               f"Vàng A Dính;10/10/2014;Nam;{code};a, c;;")
    officer = pworld.users["officer_a"]
    dry = registry_import(actor=officer, data=data, content_type="text/csv")
    assert (dry.committed, dry.created, dry.errors) == (False, 2, 0)
    assert RegistryEntry.objects.count() == 0
    done = registry_import(actor=officer, data=data, content_type="text/csv", commit=True)
    assert done.committed and RegistryEntry.objects.count() == 2
    assert ChildIdentifier.objects.get().number == "079315000123"
    # The same file again: every row is a likely duplicate of the registry, nothing is added.
    again = registry_import(actor=officer, data=data, content_type="text/csv", commit=True)
    assert not again.committed and again.duplicates == 2 and RegistryEntry.objects.count() == 2


def test_one_bad_row_refuses_the_file_and_the_report_is_in_vietnamese(pworld):
    code = pworld.areas["a"].code
    data = csv(f"Lò Thị Mai;02/04/2015;Nữ;{code};c;;", f"Vàng A Dính;31/02/2014;Nam;{code};c;;",
               "Giàng Thị Súa;01/01/2013;Nữ;99999;c;;", f"Lo Thi Mai;02/04/2015;Nữ;{code};c;;")
    with translation.override("vi"):
        report = registry_import(actor=pworld.users["officer_a"], data=data, content_type="text/csv", commit=True)
        lines = report.lines()
    assert not report.committed and RegistryEntry.objects.count() == 0
    assert any(line.startswith("Dòng 3:") and "Ngày sinh" in line for line in lines), lines
    assert any(line.startswith("Dòng 4:") and "99999" in line for line in lines), lines
    assert any(line.startswith("Dòng 5:") and "với dòng 2" in line for line in lines), lines


def test_xlsx_and_a_commune_one_does_not_keep(pworld):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Họ và tên", "Tuổi", "Giới tính", "Mã xã", "Loại"])
    sheet.append(["Hà Văn Tú", "9", "Nam", pworld.areas["b"].code, "nguy cơ"])
    buf = io.BytesIO()
    book.save(buf)
    report = registry_import(actor=pworld.users["officer_a"], data=buf.getvalue(), content_type=XLSX, commit=True)
    assert not report.committed and report.errors == 1
    ok = registry_import(actor=pworld.users["officer_b"], data=buf.getvalue(), content_type=XLSX, commit=True)
    assert ok.committed and RegistryEntry.objects.get().category == "at_risk"


def test_duplicates_of_registry_children_are_shown_only_when_visible_and_logged(pworld):
    P.registry_add(actor=pworld.users["officer_a"], commune_id=pworld.areas["a"].pk, category="special",
                   groups=["c"], child=P.RegistryChild(full_name="Lò Thị Mai", date_of_birth=dt.date(2015, 4, 2),
                                                       sex="female"))
    data = csv(f"Lo Thi Mai;02/04/2015;Nữ;{pworld.areas['a'].code};c;;")
    report = registry_import(actor=pworld.users["officer_a"], data=data, content_type="text/csv")
    assert report.duplicates == 1 and report.rows[0].duplicates[0]["full_name"] == "Lò Thị Mai"
    other = registry_import(actor=pworld.users["officer_b"], data=data, content_type="text/csv")
    assert other.duplicates == 0   # commune B's officer does not see commune A's child
