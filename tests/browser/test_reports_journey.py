"""Reports (issue 10) in Chromium, in Vietnamese: the officer drafts commune A's 6-month report,
the chairperson signs it, the officer sends it, the province's supervisor reads the dashboard
(one chart and its table), receives the report and exports it to XLSX and PDF."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from .conftest import log_in, log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def submit(page, locator):
    with page.expect_navigation():
        locator.click()


def act(page, key: str):
    submit(page, page.locator(f"main button[data-action={key}]"))
    assert page.locator(".form-errors").count() == 0, page.locator(".form-errors").first.inner_text()


def test_a_commune_report_from_draft_to_receipt_and_export(page, live_server, demo, shots):
    base = live_server.url
    world, _cases = demo
    today = timezone.localdate()

    log_in(page, base, "officer_a")
    page.goto(f"{base}/reporting/reports/")
    assert page.evaluate("document.documentElement.lang") == "vi"
    page.locator("main details summary").click()
    page.select_option("select[name=body_id]", str(world.orgs["a.committee"].pk))
    page.select_option("select[name=kind]", "six_month")
    page.fill("input[name=period_start]", (today - dt.timedelta(days=180)).isoformat())
    page.fill("input[name=period_end]", today.isoformat())
    shots(page, "draft-form")
    submit(page, page.locator("main form[action$='/reports/new/'] button"))
    assert "/reporting/reports/" in page.url and "Báo cáo 6 tháng" in page.inner_text("h1")
    assert page.inner_text("#status") == "Dự thảo"
    assert "Số trẻ em bị xâm hại" in page.inner_text("#summary")
    report_url = page.url
    page.fill("textarea[name=results]", "Tiếp nhận, xử lý kịp thời các trường hợp trẻ em bị xâm hại.")
    page.fill("textarea[name=difficulties]", "Thiếu cán bộ chuyên trách.")
    page.fill("textarea[name=proposals]", "Tập huấn quản lý trường hợp.")
    act(page, "narrative")
    act(page, "submit")
    assert page.inner_text("#status") == "Đã trình ký"
    shots(page, "submitted")
    log_out(page)

    log_in(page, base, "chair_a")
    page.goto(report_url)
    act(page, "sign")
    assert page.inner_text("#status") == "Đã ký"
    log_out(page)

    log_in(page, base, "officer_a")
    page.goto(report_url)
    act(page, "send")
    assert page.inner_text("#status") == "Đã gửi" and len(page.inner_text("#checksum").strip()) == 64
    shots(page, "sent")
    log_out(page)

    log_in(page, base, "supervisor_p1")
    page.goto(f"{base}/reporting/")
    # The chart of abused children by form, and the same numbers in its table beside it.
    figure = page.locator("figure[aria-labelledby='forms-cap']")
    assert figure.locator("svg rect").count() >= 1
    rows = figure.locator("#forms-table tbody tr")
    assert rows.count() == figure.locator("svg rect").count()
    first_label = rows.first.locator("th").inner_text()
    assert first_label in figure.locator("svg").inner_html()
    communes = page.locator("#communes tbody tr")
    assert communes.count() == 2   # communes A and B of province P1
    shots(page, "supervisor-dashboard")
    page.goto(report_url)
    act(page, "receive")
    assert page.inner_text("#status") == "Đã tiếp nhận"
    for fmt, magic in (("xlsx", b"PK"), ("pdf", b"%PDF")):
        page.goto(report_url)
        submit(page, page.locator(f"main button[data-export={fmt}]"))
        if page.locator("#download").count() == 0:     # still being prepared: the page refreshes itself
            page.wait_for_selector("#download", timeout=15000)
        with page.expect_download() as info:
            page.click("#download")
        data = open(info.value.path(), "rb").read()
        assert data.startswith(magic), fmt
        shots(page, f"export-{fmt}")
