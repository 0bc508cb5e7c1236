"""The registry import in Chromium (issue 12, item 4): the file goes with a progress bar
(static/js/app.js), the check's report replaces the page, then the import adds the children."""

import pytest

from tests.browser.conftest import browser_context_args, browser_type_launch_args, log_in  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# Forty different children (no two alike, so none is held back as a possible duplicate).
ROWS = [(family, given, 1 + (i * 7) % 28, 1 + i % 12, 2012 + i % 8, "Nữ" if i % 2 else "Nam")
        for i, (family, given) in enumerate((f, g) for f in ("Lò", "Vàng", "Giàng", "Hoàng", "Đinh")
                                            for g in ("Mai", "Dính", "Súa", "Páo", "Chúa", "Lềnh", "Xuân", "Pềnh"))]


@pytest.fixture
def import_demo(transactional_db, settings, tmp_path):
    from casework.demo import DEMO_PASSWORD, build_world
    from prevention.cast import extend_world

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.PREVENTION_EVIDENCE_DIR = tmp_path / "evidence"
    return extend_world(build_world(password=DEMO_PASSWORD))


def test_a_child_list_is_checked_with_a_progress_bar_then_imported(page, live_server, import_demo, tmp_path):
    from prevention.models import RegistryEntry

    code = import_demo.areas["a"].code
    sheet = tmp_path / "danh-sach.csv"
    sheet.write_text("Họ và tên;Ngày sinh;Giới tính;Mã xã;Nhóm;Cha mẹ;Số định danh\n"
                     + "".join(f"{family} {given};{day:02d}/{month:02d}/{year};{sex};{code};c;;\n"
                               for family, given, day, month, year, sex in ROWS), encoding="utf-8")
    log_in(page, live_server.url, "officer_a")
    page.goto(f"{live_server.url}/triage/")
    page.click("main a[href='/triage/registry-import/']")
    assert page.locator("main form[data-upload-progress] progress").count() == 1
    assert page.locator("main form[data-upload-progress] progress").is_hidden()
    page.set_input_files("input[name=file]", str(sheet))
    page.click("button[value=check]")
    page.wait_for_selector("[data-import-report]", timeout=60000)
    report = page.inner_text("[data-import-report]")
    assert "Tệp hợp lệ: nhập tệp này sẽ thêm 40 trẻ em." in report, report
    assert RegistryEntry.objects.count() == 0
    page.set_input_files("input[name=file]", str(sheet))
    page.click("button[value=commit]")
    page.wait_for_selector("[data-import-report] .ok")
    assert "Đã thêm 40 trẻ em vào danh sách." in page.inner_text("main")
    assert RegistryEntry.objects.count() == 40
