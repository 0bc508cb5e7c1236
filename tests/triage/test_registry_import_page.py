"""Issue 12, item 4, on the web: a keeper of the registry checks a child list, reads the
row-by-row report in Vietnamese, then imports it; a bad row refuses the whole file; nobody else
opens the page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from prevention.cast import extend_world
from prevention.models import RegistryEntry

pytestmark = pytest.mark.django_db
HEADER = "Họ và tên;Ngày sinh;Giới tính;Mã xã;Nhóm;Cha mẹ;Số định danh\n"
URL = "/triage/registry-import/"


@pytest.fixture
def pworld(world, settings, tmp_path):
    settings.PREVENTION_EVIDENCE_DIR = tmp_path / "evidence"
    return extend_world(world)


def upload(client, rows, action="check", **extra):
    data = (HEADER + "".join(r + "\n" for r in rows)).encode()
    return client.post(URL, {"file": SimpleUploadedFile("danh-sach.csv", data, "text/csv"), "action": action,
                             **extra})


def test_check_then_import_a_child_list(client, pworld):
    code = pworld.areas["a"].code
    rows = [f"Lò Thị Mai;02/04/2015;Nữ;{code};c;Lò Văn Páo;", f"Vàng A Dính;10/10/2014;Nam;{code};c;;"]
    client.force_login(pworld.users["officer_a"])
    page = client.get(URL).content.decode()
    assert "data-upload-progress" in page and "<progress" in page
    checked = upload(client, rows).content.decode()
    assert "Tệp hợp lệ: nhập tệp này sẽ thêm 2 trẻ em." in checked
    assert RegistryEntry.objects.count() == 0  # the check saves nothing
    imported = upload(client, rows, action="commit").content.decode()
    assert "Đã thêm 2 trẻ em vào danh sách." in imported and RegistryEntry.objects.count() == 2
    again = upload(client, rows, action="commit").content.decode()
    assert "có thể là cùng một trẻ" in again.lower() and RegistryEntry.objects.count() == 2


def test_one_bad_row_refuses_the_file_with_the_row_named(client, pworld):
    code = pworld.areas["a"].code
    client.force_login(pworld.users["officer_a"])
    body = upload(client, [f"Lò Thị Mai;02/04/2015;Nữ;{code};c;;", "Giàng Thị Súa;01/01/2013;Nữ;99999;c;;"],
                  action="commit").content.decode()
    assert "Dòng 3" in body and "không có gì được nhập" in body.lower()
    assert RegistryEntry.objects.count() == 0


def test_only_keepers_of_the_registry_open_the_page(client, pworld):
    for who in ("police_a", "counsellor_a", "police_b"):
        client.force_login(pworld.users[who])
        assert client.get(URL).status_code == 404, who
    client.force_login(pworld.users["officer_a"])
    assert client.get("/triage/").content.decode().count(URL) == 1
