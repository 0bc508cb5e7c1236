"""``manage.py registry_import``: the same check and all-or-nothing import as the page, for a
keeper of the registry, with an exit status a script can rely on."""

import pytest
from django.core.management import CommandError, call_command

from prevention.cast import extend_world
from prevention.models import RegistryEntry

pytestmark = pytest.mark.django_db
HEADER = "Họ và tên;Ngày sinh;Giới tính;Mã xã;Nhóm;Cha mẹ;Số định danh\n"


@pytest.fixture
def pworld(world, settings, tmp_path):
    settings.PREVENTION_EVIDENCE_DIR = tmp_path / "evidence"
    return extend_world(world)


def csv_file(tmp_path, rows):
    path = tmp_path / "danh-sach.csv"
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def run(*args):
    import io

    out = io.StringIO()
    try:
        call_command("registry_import", *map(str, args), stdout=out, stderr=io.StringIO())
    except SystemExit as exc:
        return exc.code, out.getvalue()
    return 0, out.getvalue()


def test_check_then_commit_from_the_command_line(pworld, tmp_path):
    code = pworld.areas["a"].code
    path = csv_file(tmp_path, [f"Lò Thị Mai;02/04/2015;Nữ;{code};c;Lò Văn Páo;",
                               f"Vàng A Dính;10/10/2014;Nam;{code};c;;"])
    status, out = run(path, "--user", "officer_a")
    assert status == 0 and "2 dòng hợp lệ" in out and "không nhập gì" in out
    assert RegistryEntry.objects.count() == 0  # a check saves nothing
    status, out = run(path, "--user", "officer_a", "--commit")
    assert status == 0 and "đã nhập" in out and RegistryEntry.objects.count() == 2
    # The same children again: possible duplicates, so nothing is imported without the flag.
    status, out = run(path, "--user", "officer_a", "--commit")
    assert status == 1 and RegistryEntry.objects.count() == 2


def test_a_bad_row_refuses_the_file_and_exits_non_zero(pworld, tmp_path):
    code = pworld.areas["a"].code
    path = csv_file(tmp_path, [f"Lò Thị Mai;02/04/2015;Nữ;{code};c;;", "Giàng Thị Súa;01/01/2013;Nữ;99999;c;;"])
    status, out = run(path, "--user", "officer_a", "--commit")
    assert status == 1 and "Dòng 3" in out and RegistryEntry.objects.count() == 0


def test_unknown_users_files_and_outsiders_are_refused_in_words(pworld, tmp_path):
    code = pworld.areas["a"].code
    path = csv_file(tmp_path, [f"Lò Thị Mai;02/04/2015;Nữ;{code};c;;"])
    with pytest.raises(CommandError, match="Không có người dùng"):
        run(path, "--user", "nobody")
    with pytest.raises(CommandError, match="Tệp không tồn tại"):
        run(tmp_path / "missing.csv", "--user", "officer_a")
    status, out = run(path, "--user", "officer_b", "--commit")  # another commune's keeper
    assert status == 1 and RegistryEntry.objects.count() == 0
