"""Issue 11 in Chromium: an emergency nobody acted on warned at +6 h and +10 h, was missed at
+12 h and escalated at +14 h — seen in the header count, the inbox and the case's timeline."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from .conftest import log_in, log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_emergency_left_alone_reaches_the_inbox_the_header_and_the_timeline(page, live_server, demo, shots):
    from casework.services.intake import ChildInput, IntakeInput, case_open
    from notifications.timers import timers_run_due

    world, _cases = demo
    t0 = timezone.now()
    case = case_open(actor=world.users["village_a"], data=IntakeInput(
        channel="phone", received_at=t0, classification="abused", incident_commune_id=world.areas["a"].pk,
        child=ChildInput(full_name="Hà Thị Ngân", date_of_birth=dt.date(2016, 1, 2), sex="female",
                         residence_commune_id=world.areas["a"].pk),
        environment="family", description="Bị đánh.", abuse_forms=["violence_physical"], urgent=True))
    # The scheduler's passes at +6, +10, +12 and +14 h (its clock, handed in: the live server's
    # thread shares this process's clock, so it is not frozen).
    for hours in (6, 10, 12, 14):
        timers_run_due(worker_id="browser-test", now=t0 + dt.timedelta(hours=hours, seconds=5))
    base = live_server.url

    log_in(page, base, "officer_a")
    badge = page.locator("header a.inbox .badge")
    assert int(badge.inner_text()) >= 4          # the report, two warnings and the breach, at least
    shots(page, "header-count")
    with page.expect_navigation():
        page.click("header a.inbox")
    shots(page, "inbox")
    with page.expect_navigation():
        page.locator("main nav.filters").get_by_role("link", name="Thời hạn", exact=True).click()
    main = page.inner_text("main")
    assert case.code in main and "Sắp đến hạn" in main and "Đã quá hạn" in main
    assert "Hà Thị Ngân" not in main              # the inbox never names the child
    shots(page, "inbox-deadlines")
    before = int(badge.inner_text())
    with page.expect_navigation():
        page.click("main form.inline button:has-text('Đánh dấu tất cả là đã đọc')")
    assert page.locator("header a.inbox .badge").count() == 0 or int(badge.inner_text()) < before
    page.goto(f"{base}/cases/{case.pk}/timeline/")
    timeline = page.inner_text("main")
    assert timeline.count("Sắp đến hạn") >= 2 and "Quá hạn" in timeline
    assert "Quá hạn, đã báo cáo lên cơ quan giám sát" in timeline
    shots(page, "timeline")
    log_out(page)

    log_in(page, base, "supervisor_p1")
    page.goto(f"{base}/notifications/")
    main = page.inner_text("main")
    assert case.code in main and "Quá hạn, đã báo cáo lên cơ quan giám sát" in main
    shots(page, "supervisor-inbox")
