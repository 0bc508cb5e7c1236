"""Activities, attendance sheets (all or nothing), evidence files and the population base."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from casework.errors import NotFound, PermissionDenied, ValidationError
from evidence.files import sniff
from evidence.models import FileEvent, FileEventType, RecordFile
from prevention import services as S
from prevention.models import Activity, PopulationBase, PreventionEvent
from prevention.models import PreventionEventType as E


def sheet_csv(rows, name="diem-danh.csv"):
    text = "Họ và tên,Giới tính,Tuổi,Đối tượng\n" + "\n".join(",".join(r) for r in rows)
    return SimpleUploadedFile(name, text.encode("utf-8"))


def sheet_xlsx(rows):
    book = Workbook()
    sheet = book.active
    sheet.append(["Họ và tên", "Giới tính", "Năm sinh", "Đối tượng"])
    for r in rows:
        sheet.append(r)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("diem-danh.xlsx", out.getvalue())


def data(pworld, **kw):
    fields = {"kind": "awareness", "title": "Tuyên truyền phòng, chống xâm hại", "held_on": dt.date.today(),
                  "organiser_id": pworld.orgs["a_v1.village"].pk, "place": "Nhà văn hoá khu phố 1"}
    fields.update(kw)
    return S.ActivityInput(**fields)


def test_a_village_head_records_an_activity_with_a_csv_sheet(pworld):
    sheet = sheet_csv([["A", "Nữ", "7", "Trẻ em"], ["B", "Nam", "12", "trẻ em"], ["", "", "", ""],
                       ["C", "Nam", "4", "Trẻ em"], ["D", "Nữ", "40", "Cha mẹ"], ["E", "Nam", "35", "Cán bộ"]])
    activity = S.activity_record(actor=pworld.village_a, data=data(pworld, counts={"girls_6_10": 10}), sheet=sheet)
    assert (activity.girls_6_10, activity.boys_11_15, activity.boys_0_5, activity.parents, activity.staff) == \
        (11, 1, 1, 1, 1)
    assert activity.commune == pworld.areas["a"] and activity.village == pworld.areas["a_v1"]
    evidence = activity.evidence.get()
    assert evidence.content_type == "text/csv" and evidence.original_name == "diem-danh.csv"
    event = PreventionEvent.objects.get(type=E.ACTIVITY_RECORDED)
    assert event.data["sheet_rows"] == 5 and "A" not in str(event.data)


def test_a_sheet_with_bad_rows_is_refused_whole_with_every_row_listed(pworld):
    sheet = sheet_xlsx([["A", "Nữ", 2016, "Trẻ em"], ["B", "?", 2015, "Trẻ em"], ["C", "Nam", "x", "Trẻ em"],
                        ["D", "Nam", 2000, "Trẻ em"], ["E", "Nữ", 2015, "Ông bà"]])
    with pytest.raises(ValidationError) as exc:
        S.activity_record(actor=pworld.village_a, data=data(pworld), sheet=sheet)
    messages = exc.value.message_dict["sheet"]
    assert [m.split(",")[0] for m in messages] == ["Row 3", "Row 4", "Row 5", "Row 6"]
    assert not Activity.objects.exists() and not RecordFile.objects.exists()


def test_xlsx_sheet_counts_birth_years(pworld):
    year = dt.date.today().year
    sheet = sheet_xlsx([["A", "Nữ", year - 3, "Trẻ em"], ["B", "Nam", year - 14, "Học sinh"]])
    activity = S.activity_record(actor=pworld.village_a, data=data(pworld), sheet=sheet)
    assert (activity.girls_0_5, activity.boys_11_15) == (1, 1)


def test_sheet_without_the_needed_columns(pworld):
    bad = SimpleUploadedFile("x.csv", "Tên,Lớp\nA,5A\n".encode())
    with pytest.raises(ValidationError) as exc:
        S.activity_record(actor=pworld.village_a, data=data(pworld), sheet=bad)
    assert "Missing column" in " ".join(exc.value.message_dict["sheet"])
    with pytest.raises(ValidationError):
        S.activity_record(actor=pworld.village_a, data=data(pworld),
                          sheet=SimpleUploadedFile("x.pdf", b"%PDF-1.4"))


def test_who_records_for_which_body(pworld):
    with pytest.raises(ValidationError):       # a village head records for their village only
        S.activity_record(actor=pworld.village_a, data=data(pworld, organiser_id=pworld.orgs["a.police"].pk))
    with pytest.raises(PermissionDenied):      # no activity.record at all
        S.activity_record(actor=pworld.chair_a, data=data(pworld))
    # The officer records for any body of the commune.
    S.activity_record(actor=pworld.officer_a, data=data(pworld, organiser_id=pworld.orgs["a.youth"].pk))
    with pytest.raises(ValidationError) as exc:
        S.activity_record(actor=pworld.officer_a, data=data(
            pworld, kind="x", title="", held_on=dt.date.today() + dt.timedelta(days=2), plan_task_id=999,
            counts={"girls_0_5": -1}, village_id=pworld.areas["b_v1"].pk))
    assert {"kind", "title", "held_on", "plan_task_id", "girls_0_5", "village_id"} <= set(exc.value.message_dict)


def test_evidence_is_checked_on_content_and_read_only_by_the_body(pworld, client):
    activity = S.activity_record(actor=pworld.village_a, data=data(pworld))
    with pytest.raises(ValidationError):
        S.evidence_add(actor=pworld.village_a, activity_id=activity.pk,
                       upload=SimpleUploadedFile("anh.jpg", b"<html><script>alert(1)</script></html>"))
    with pytest.raises(ValidationError):    # JPEG magic bytes, but no image: refused too
        S.evidence_add(actor=pworld.village_a, activity_id=activity.pk,
                       upload=SimpleUploadedFile("anh.jpg", b"\xff\xd8\xff\xe0 jpeg bytes"))
    photo = S.evidence_add(actor=pworld.village_a, activity_id=activity.pk,
                           upload=SimpleUploadedFile("anh.jpg", _jpeg()))
    assert photo.content_type == "image/jpeg" and "anh" not in photo.storage_name and len(photo.key) == 43
    _evidence, body = S.evidence_open(actor=pworld.officer_a, key=photo.key)
    assert body.startswith(b"\xff\xd8\xff")
    for who in ("supervisor_p1", "officer_b", "police_a"):
        with pytest.raises(NotFound):
            S.evidence_open(actor=pworld.users[who], key=photo.key)
    with pytest.raises(NotFound):
        S.evidence_open(actor=pworld.officer_a, key="not-a-key")
    with pytest.raises(NotFound):
        S.evidence_add(actor=pworld.officer_b, activity_id=activity.pk,
                       upload=SimpleUploadedFile("anh.png", b"\x89PNG\r\n\x1a\n"))
    assert FileEvent.objects.filter(type=FileEventType.DOWNLOADED, sha256=photo.sha256).count() == 1


def _jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 120, 30)).save(out, "JPEG")
    return out.getvalue()


def test_sniffing():
    assert sniff(b"%PDF-1.7") == "application/pdf"
    assert sniff(b"\x89PNG\r\n\x1a\nxx") == "image/png"
    assert sniff(b"PK\x03\x04garbage") is None
    assert sniff(b"a,b\n1,2\n", allow_csv=True) == "text/csv"
    assert sniff(b"a,b\n1,2\n") is None
    assert sniff(b"\x00\x01") is None
    assert sniff("Tên;Tuổi\n".encode("utf-16")) is None


def test_population_entered_and_imported(pworld):
    u, a = pworld.users, pworld.areas["a"]
    with pytest.raises(PermissionDenied):
        S.population_save(actor=u["officer_b"], commune_id=a.pk, year=2026, counts={})
    with pytest.raises(ValidationError):
        S.population_save(actor=u["officer_a"], commune_id=a.pk, year="x", counts={"girls_0_5": -3})
    rows = ("Mã xã,Năm,Nữ 0-5,Nam 0-5,Nữ 6-10,Nam 6-10,Nữ 11-15,Nam 11-15,Số hộ\n"
            f"{a.code},2026,10,11,12,13,14,15,300\n{pworld.areas['b'].code},2026,1,1,1,1,1,1,1\n")
    with pytest.raises(ValidationError) as exc:
        S.population_import(actor=u["officer_a"], upload=SimpleUploadedFile("dan-so.csv", rows.encode()))
    assert "Row 3" in exc.value.message_dict["file"][0]
    assert not PopulationBase.objects.exists()
    good = rows.splitlines()[0] + "\n" + rows.splitlines()[1] + "\n"
    [row] = S.population_import(actor=u["officer_a"], upload=SimpleUploadedFile("dan-so.csv", good.encode()))
    assert (row.children_total, row.households) == (75, 300)
    S.population_save(actor=u["officer_a"], commune_id=a.pk, year=2026, counts={"girls_0_5": 5}, households=10)
    assert PopulationBase.objects.get().children_total == 5
