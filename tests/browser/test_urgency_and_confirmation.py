"""Issue 8, "Done when": the officer's work list shows an amber clock (due within hours) and a red
one (missed) first, in "due today or overdue"; the chairperson confirms the legal effect of the
approval before it is taken. In Chromium, in Vietnamese."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from .conftest import log_in, log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_amber_and_red_clocks_on_the_work_list_and_confirmation_before_approval(page, live_server, demo, shots):
    from casework.models import Case
    from casework.services.intake import case_open
    from tests.conftest import intake_input

    base = live_server.url
    world, cases = demo
    # An urgent report whose 12 hours ran out an hour ago, nothing done: red.
    missed = case_open(actor=world.users["counsellor_a"], data=intake_input(
        world, urgent=True, received_at=timezone.now() - dt.timedelta(hours=13)))

    log_in(page, base, "officer_a")
    page.goto(f"{base}/work/")
    assert page.evaluate("document.documentElement.lang") == "vi"
    urgent = page.locator("section.urgent-section")
    assert "Đến hạn hôm nay hoặc đã quá hạn" in urgent.locator("h2").inner_text()
    red = urgent.locator(f"li:has(a:text-is('{missed.code}')) .badge.clock[data-urgency=red]")
    amber = urgent.locator(f"li:has(a:text-is('{cases.emergency.code}')) .badge.clock[data-urgency=amber]")
    assert red.count() >= 1 and amber.count() >= 1
    # Red and amber read as such: the badge colours of the design (bad, warn).
    assert "bad" in red.first.get_attribute("class") and "warn" in amber.first.get_attribute("class")
    # Due today or overdue comes before everything else on the page.
    assert page.locator("main h2").first.inner_text().startswith("Đến hạn hôm nay")
    shots(page, "worklist-amber-red")
    log_out(page)

    log_in(page, base, "chair_a")
    page.goto(f"{base}/cases/{cases.submitted.pk}/approval/")
    form = page.locator("form[action$='/act/plan_approve/']")
    confirm = form.locator("input[name=confirm_effect]")
    label = form.locator("label:has(input[name=confirm_effect])").inner_text()
    assert "khoản 4, khoản 5 Điều 28" in label and "ràng buộc" in label
    page.fill("input[name=decision_no]", "22/QĐ-UBND")
    shots(page, "approval-confirmation")
    # Without the tick the browser does not send the decision.
    form.locator("button[type=submit]").click()
    page.wait_for_timeout(300)
    assert page.url.endswith(f"/cases/{cases.submitted.pk}/approval/")
    assert Case.objects.get(pk=cases.submitted.pk).status == "awaiting_approval"
    confirm.check()
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert Case.objects.get(pk=cases.submitted.pk).status == "implementing"
    shots(page, "approved-after-confirmation")
