"""Journeys A, B and C end to end in Vietnamese, in Chromium, with a screenshot of every step;
journey A again on a 375-px phone screen."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from .conftest import log_in, log_out, no_horizontal_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def in_vietnamese(page):
    assert page.evaluate("document.documentElement.lang") == "vi"


def no_errors(page):
    assert page.locator(".form-errors").count() == 0, page.locator(".form-errors").first.inner_text()


def submit(page, locator):
    with page.expect_navigation():
        locator.click()


def do(page, key: str, **fields):
    """Open the action ``key`` on the case page, fill its fields, send it."""
    box = page.locator(f"#act-{key}")
    box.locator("summary").click()
    for name, value in fields.items():
        field = box.locator(f"[name={name}]")
        kind = field.first.get_attribute("type")
        tag = field.first.evaluate("e => e.tagName")
        if isinstance(value, (list, tuple)):  # checkboxes, by the start of their label
            for label in value:
                box.get_by_label(re.compile(r"^\s*" + re.escape(label))).first.check()
        elif kind == "radio":
            box.locator(f"[name={name}][value='{value}']").check()
        elif kind == "checkbox":
            field.check()
        elif tag == "SELECT":
            field.select_option(str(value))
        else:
            field.fill(str(value))
    submit(page, box.locator("button[type=submit]"))
    no_errors(page)


# ------------------------------------------------------------------ journey A

def journey_a(page, base, shots, *, phone=False):
    def check():
        in_vietnamese(page)
        if phone:
            assert no_horizontal_scroll(page), f"horizontal scroll on {page.url}"

    log_in(page, base, "counsellor_a")
    assert page.url.endswith("/reports/")
    check()
    shots(page, "my-reports")
    submit(page, page.locator("main a[href='/cases/new/']"))
    assert page.url.endswith("/1/")
    check()
    shots(page, "screen1-child")
    page.fill("input[name=full_name]", "Lò Thị Hương")
    page.fill("input[name=date_of_birth]", "2016-02-14")
    page.check("input[name=sex][value=female]")
    page.fill("input[name=class_name]", "3C")
    submit(page, page.locator("main form[method=post] button[type=submit]"))
    assert page.url.endswith("/2/")
    check()
    page.check("input[name=classification][value=abused]")
    page.check("input[name=abuse_forms][value=violence_physical]")
    page.check("input[name=urgent]")
    page.fill("textarea[name=description]", "Em có vết bầm ở lưng, nói bị bố đánh bằng roi.")
    page.fill("textarea[name=child_condition]", "Đau, sợ về nhà.")
    page.select_option("select[name=perpetrator_relation]", "father")
    shots(page, "screen2-what-happened")
    submit(page, page.locator("main form[method=post] button[type=submit]"))
    assert page.url.endswith("/3/")
    check()
    assert "Lò Thị Hương" in page.inner_text("main")
    shots(page, "screen3-confirm")
    submit(page, page.locator("main form[method=post] button[type=submit]"))
    assert "/cases/new/" not in page.url and page.locator(".messages").count() == 1
    check()
    code = page.inner_text("h1").strip()
    shots(page, "case-opened")
    page.goto(f"{base}/reports/")
    assert code in page.inner_text("main")

    # The school's task in an approved plan: accept, log, complete.
    page.goto(f"{base}/tasks/")
    check()
    shots(page, "school-tasks")
    task = page.locator("main li:has(form[action$='/act/task_accept/'])").first
    submit(page, task.locator("form[action$='/act/task_accept/'] button"))
    no_errors(page)
    task = page.locator("main li:has(form[action$='/act/task_log/'])").first
    task.locator("details:has(form[action$='/act/task_log/']) > summary").click()
    task.locator("input[name=acted_on]").fill(timezone.localdate().isoformat())
    task.locator("textarea[name=action]").fill("Tư vấn tâm lý cho em tại trường")
    task.locator("textarea[name=outcome]").fill("Em bình tĩnh hơn")
    shots(page, "school-task-log")
    submit(page, task.locator("form[action$='/act/task_log/'] button[type=submit]"))
    no_errors(page)
    task = page.locator("main li:has(form[action$='/act/task_complete/'])").first
    submit(page, task.locator("form[action$='/act/task_complete/'] button"))
    no_errors(page)
    check()
    shots(page, "school-task-done")
    return code


def test_journey_a_school_counsellor_reports_in_vietnamese(page, live_server, demo, shots):
    from casework.models import Case

    code = journey_a(page, live_server.url, shots)
    case = Case.objects.get(code=code)
    assert case.child.full_name == "Lò Thị Hương" and case.intake.urgent and case.status == "received"
    world, cases = demo
    assert cases.implementing.tasks.filter(organisation=world.orgs["a.school"], status="done").exists()


def test_journey_a_on_a_375px_phone(browser, browser_context_args, live_server, demo, request):
    from .conftest import Shots

    context = browser.new_context(**{**browser_context_args, "viewport": {"width": 375, "height": 812},
                                     "is_mobile": True, "has_touch": True, "device_scale_factor": 2})
    try:
        page = context.new_page()
        journey_a(page, live_server.url, Shots("journey-a-phone-375"), phone=True)
    finally:
        context.close()


# ------------------------------------------------------------------ journey B

def test_journey_b_officer_to_chairperson_to_police(page, live_server, demo, shots):
    from casework.models import Case

    world, cases = demo
    base = live_server.url
    case = cases.received
    log_in(page, base, "officer_a")
    assert page.url.endswith("/work/")
    in_vietnamese(page)
    assert case.code in page.inner_text("#h-new + ul")
    shots(page, "work-list")
    submit(page, page.locator(f"main a[href='/cases/{case.pk}/']").first)
    shots(page, "case-received")
    do(page, "verification_start")
    do(page, "verification_record", findings="Đã xác minh cùng công an xã: có vết bầm.")
    do(page, "initial_assessment_start")
    do(page, "initial_assessment_record", risk_level="medium", findings="Nguy cơ trung bình, mẹ bảo vệ được.")
    shots(page, "form02-recorded")
    do(page, "comprehensive_start")
    do(page, "comprehensive_record", physical_psychological_state="Vết bầm đang lành; hay lo âu.",
       family_circumstances="Mẹ có khả năng bảo vệ.", risk_factors="Bố uống rượu.",
       schooling_self_protection="Đi học đều; biết gọi 111.", community_safety="Hàng xóm hỗ trợ.",
       needs="Tư vấn tâm lý; theo dõi sức khỏe.", child_views="Muốn ở với mẹ.",
       caregiver_views="Mẹ đồng ý hỗ trợ.", risk_level="medium")
    held = (timezone.localtime() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    do(page, "conference_record", held_at=held, chair_id="Lê Thị Hồng", bodies_present_ids=["Công an", "Trường"],
       community_representative="Trưởng thôn Trần Văn Tư", caregiver_present="Mẹ của trẻ",
       decisions="Tư vấn tại trường; công an nhắc nhở bố.")
    shots(page, "form03-and-minutes")
    do(page, "planning_start")
    submit(page, page.locator("main a[href$='/plan/']"))
    today = timezone.localdate()
    page.fill("textarea[name=goals]", "Trẻ an toàn ở nhà và ở trường.")
    page.fill("input[name=starts_on]", today.isoformat())
    page.fill("input[name=ends_on]", (today + dt.timedelta(days=60)).isoformat())
    page.fill("input[name=review_on]", (today + dt.timedelta(days=55)).isoformat())
    page.select_option("select[name=m-0-kind]", "intervention_follow_up")
    page.select_option("select[name=m-0-responsible_id]", str(world.orgs["a.police"].pk))
    page.fill("input[name=m-0-starts_on]", today.isoformat())
    page.fill("input[name=m-0-ends_on]", (today + dt.timedelta(days=30)).isoformat())
    page.fill("input[name=m-0-cost]", "0")
    page.select_option("select[name=m-1-kind]", "support_counselling")
    page.select_option("select[name=m-1-responsible_id]", str(world.orgs["a.school"].pk))
    page.fill("input[name=m-1-starts_on]", today.isoformat())
    page.fill("input[name=m-1-ends_on]", (today + dt.timedelta(days=45)).isoformat())
    page.fill("input[name=m-1-cost]", "500000")
    # A third measure: the row the page adds without a reload (static/js/app.js).
    assert page.locator("input[name=m-2-cost]").count() == 0
    page.click("button[data-add-row=m]")
    assert page.locator("legend", has_text="3").count() >= 1
    page.select_option("select[name=m-2-kind]", "support_counselling")
    page.select_option("select[name=m-2-responsible_id]", str(world.orgs["a.health"].pk))
    page.fill("input[name=m-2-starts_on]", today.isoformat())
    page.fill("input[name=m-2-ends_on]", (today + dt.timedelta(days=20)).isoformat())
    page.fill("input[name=m-2-cost]", "0")
    shots(page, "form04-draft")
    # Chromium scrolled the page by ~30 px on mousedown when the focused number field lost focus
    # at the very bottom of this (longer, issue 8) page, so the mouseup missed the button: leave
    # the field first. The cause is not understood yet.
    page.evaluate("document.activeElement.blur()")
    submit(page, page.locator("main form[method=post] > button[type=submit]"))
    no_errors(page)
    assert Case.objects.get(pk=case.pk).plans.latest("pk").measures.count() == 3
    do(page, "plan_submit")
    assert Case.objects.get(pk=case.pk).status == "awaiting_approval"
    shots(page, "plan-submitted")
    log_out(page)

    # The chairperson: the whole file on one screen, approve.
    log_in(page, base, "chair_a")
    assert page.url.endswith("/approvals/")
    shots(page, "approvals")
    submit(page, page.locator(f"main a[href='/cases/{case.pk}/approval/']"))
    body = page.inner_text("main")
    assert "Đã xác minh" in body and "Bố uống rượu." in body and "Tư vấn tại trường" in body
    shots(page, "approval-full-file")
    page.fill("input[name=decision_no]", "21/QĐ-UBND")
    # The legal effect is confirmed in words before the decision (issue 8, item 13).
    page.locator("form[action$='/act/plan_approve/'] input[name=confirm_effect]").check()
    submit(page, page.locator("form[action$='/act/plan_approve/'] button[type=submit]"))
    assert page.url.endswith("/approvals/")
    shots(page, "approved")
    assert Case.objects.get(pk=case.pk).status == "implementing"
    # Emergency measures and isolation: the chairperson orders on the emergency case.
    page.goto(f"{base}/cases/{cases.emergency.pk}/")
    do(page, "isolation_issue", decision_no="03/QĐ-UBND", days="7", placement="Nhà tạm lánh của xã",
       confirm_effect="on")
    shots(page, "isolation-order")
    log_out(page)

    # The police: their task and the emergency measure.
    log_in(page, base, "police_a")
    assert page.url.endswith("/tasks/")
    shots(page, "police-tasks")
    measure = page.locator("main li:has(form[action$='/act/emergency_record/'])").first
    measure.locator("summary").click()
    submit(page, measure.locator("button[type=submit]"))
    no_errors(page)
    task = page.locator(f"main li:has(a[href='/cases/{case.pk}/'])").first
    submit(page, task.locator("form[action$='/act/task_accept/'] button"))
    task = page.locator(f"main li:has(a[href='/cases/{case.pk}/'])").first
    task.locator("details:has(form[action$='/act/task_log/']) > summary").click()
    task.locator("input[name=acted_on]").fill(today.isoformat())
    task.locator("textarea[name=action]").fill("Làm việc với bố của trẻ")
    task.locator("textarea[name=outcome]").fill("Cam kết không tái phạm")
    submit(page, task.locator("form[action$='/act/task_log/'] button[type=submit]"))
    no_errors(page)
    task = page.locator(f"main li:has(a[href='/cases/{case.pk}/'])").first
    submit(page, task.locator("form[action$='/act/task_complete/'] button"))
    no_errors(page)
    shots(page, "police-task-done")
    police_task = Case.objects.get(pk=case.pk).tasks.get(organisation=world.orgs["a.police"])
    assert police_task.status == "done" and police_task.logs.count() == 1
    assert cases.emergency.emergencymeasures.get().status == "taken"


# ------------------------------------------------------------------ journey C

def test_journey_c_supervisor_audits_a_timeline(page, live_server, demo, shots):
    from tests.web.cases import CHILD_NAME

    _world, cases = demo
    base = live_server.url
    log_in(page, base, "supervisor_p1")
    assert page.url.endswith("/area/")
    in_vietnamese(page)
    body = page.inner_text("main")
    assert "Phường Bến Thành" in body and "Phường Sài Gòn" in body and CHILD_NAME not in body
    shots(page, "area-by-commune")
    case = cases.implementing
    submit(page, page.locator(f"main a[href='/cases/{case.pk}/timeline/']"))
    everything = page.locator("ol.timeline > li").count()
    assert everything >= 10
    shots(page, "timeline")
    page.select_option("select[name=kind]", "g3")
    submit(page, page.locator("main form.filters button[type=submit]"))
    assert 0 < page.locator("ol.timeline > li").count() < everything
    shots(page, "timeline-plans-only")
    pdf = page.request.get(f"{base}/cases/{case.pk}/timeline.pdf")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")
    page.goto(f"{base}/cases/{case.pk}/forms/05/")
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in page.inner_text("body")
    shots(page, "form05-print")
    page.goto(f"{base}/cases/{cases.received.pk}/")
    assert CHILD_NAME not in page.inner_text("body")
    shots(page, "case-masked")
