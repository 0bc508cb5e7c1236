"""The issue's journey in Chromium, in Vietnamese, from the demo data: the commune officer copies
last year's plan, edits two targets, assigns tasks to three bodies, the chairperson signs and
issues it, the bodies complete their tasks, a village head records an activity with an attendance
sheet on a 375-px phone, and the plan page shows each target's progress from computed figures.
Then a watch record is raised to a case whose timeline says where it came from."""

from __future__ import annotations

import pytest

from tests.browser.conftest import log_in, log_out, no_horizontal_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def prevention_demo(transactional_db, fast_passwords, settings, tmp_path):
    from casework.demo import DEMO_PASSWORD, build_world
    from prevention.demo import load_prevention_demo
    from tests.web.cases import verified_device

    settings.EVIDENCE_DIR = tmp_path / "evidence"
    world = build_world(password=DEMO_PASSWORD)
    load_prevention_demo(world, password=DEMO_PASSWORD)
    for who in ("chair_a",):
        verified_device(world.users[who])
    return world


def go(page, locator):
    with page.expect_navigation():
        locator.click()
    assert page.locator(".form-errors").count() == 0, page.locator(".form-errors").first.inner_text()


def test_a_commune_year_from_copy_to_progress(page, live_server, prevention_demo, shots, tmp_path):
    from prevention.models import PlanTask, WorkPlan

    base = live_server.url
    world = prevention_demo
    last = WorkPlan.objects.get(area=world.areas["a"], issuing_organisation=world.orgs["a.committee"])

    # The officer copies last year's plan.
    log_in(page, base, "officer_a")
    page.goto(f"{base}/prevention/")
    assert page.evaluate("document.documentElement.lang") == "vi"
    shots(page, "plans")
    go(page, page.locator(f"main a[href='/prevention/plans/{last.pk}/']"))
    go(page, page.locator("#copy-plan"))
    plan = WorkPlan.objects.exclude(pk=last.pk).get(area=world.areas["a"], copied_from=last)
    assert page.url.endswith(f"/prevention/plans/{plan.pk}/")
    assert page.locator("h1").inner_text().endswith(str(plan.year_from))
    shots(page, "copied")

    # … edits two targets …
    drowning, participation = plan.targets.get(code="CT5"), plan.targets.get(code="CT6")
    go(page, page.locator(f"a[href='/prevention/plans/{plan.pk}/targets/{drowning.pk}/']"))
    page.fill("#id_goal_value", "95")
    go(page, page.locator("main form button[type=submit]"))
    go(page, page.locator(f"a[href='/prevention/plans/{plan.pk}/targets/{participation.pk}/']"))
    page.fill("#id_wording", "Phấn đấu 75% trẻ em được nâng cao nhận thức về quyền tham gia của trẻ em.")
    page.fill("#id_goal_value", "75")
    go(page, page.locator("main form button[type=submit]"))
    assert "95" in page.locator(f"#target-{drowning.pk}").inner_text()
    assert "75%" in page.locator(f"#target-{participation.pk}").inner_text()

    # … assigns tasks to three bodies …
    for org, title in (("a.police", "Tuyên truyền phòng, chống xâm hại tình dục trẻ em trên môi trường mạng"),
                       ("a.health", "Khám sàng lọc cho trẻ em dưới 6 tuổi"),
                       ("a.school", "Tổ chức chuyên đề kỹ năng sống cho học sinh")):
        page.locator("#assign-task summary").click()
        page.select_option("#id_organisation_id", str(world.orgs[org].pk))
        page.fill("#id_title", title)
        go(page, page.locator("#assign-task button[type=submit]"))
    assert plan.tasks.count() == 12
    shots(page, "tasks-assigned")

    # … and submits it for signature.
    page.locator("#plan-submit summary").click()
    go(page, page.locator("#plan-submit button[type=submit]"))
    log_out(page)

    # The chairperson signs and issues it.
    log_in(page, base, "chair_a")
    page.goto(f"{base}/prevention/plans/{plan.pk}/")
    page.locator("#plan-sign summary").click()
    go(page, page.locator("#plan-sign button[type=submit]"))
    page.locator("#plan-issue summary").click()
    page.fill("#issue-number", "58/KH-UBND")
    go(page, page.locator("#plan-issue button[type=submit]"))
    plan.refresh_from_db()
    assert (plan.status, plan.number) == ("issued", "58/KH-UBND")
    shots(page, "issued")
    log_out(page)

    # The bodies see and complete their tasks.
    for who, org in (("police_a", "a.police"), ("health_a", "a.health"), ("counsellor_a", "a.school")):
        log_in(page, base, who)
        page.goto(f"{base}/prevention/tasks/")
        task = PlanTask.objects.filter(plan=plan, organisation=world.orgs[org]).order_by("-pk").first()
        card = page.locator(f"#task-{task.pk}")
        card.locator("textarea[name=note]").fill("Đã thực hiện")
        go(page, card.locator("button[name=action][value=complete]"))
        task.refresh_from_db()
        assert task.status == "done", who
        shots(page, f"task-done-{who}")
        log_out(page)

    # A village head records an activity with an attendance sheet, on a phone.
    sheet = tmp_path / "diem-danh.csv"
    rows = ["Họ và tên,Giới tính,Tuổi,Đối tượng"] + [f"Trẻ {i},{'Nữ' if i % 2 else 'Nam'},{6 + i % 9},Trẻ em"
                                                      for i in range(120)] + ["Phụ huynh A,Nữ,38,Cha mẹ"]
    sheet.write_text("\n".join(rows), encoding="utf-8")
    page.set_viewport_size({"width": 375, "height": 800})
    log_in(page, base, "village_a")
    page.goto(f"{base}/prevention/activities/new/")
    assert no_horizontal_scroll(page)
    page.select_option("#id_kind", "drowning")
    page.fill("#id_title", "Tuyên truyền phòng, chống đuối nước khu phố 1")
    page.fill("#id_place", "Nhà văn hoá khu phố 1")
    page.set_input_files("#id_sheet", str(sheet))
    shots(page, "phone-activity")
    go(page, page.locator("main form button[type=submit]"))
    assert "/prevention/activities/" in page.url and no_horizontal_scroll(page)
    assert "120" in page.locator("main dl").inner_text()
    shots(page, "phone-activity-saved")
    log_out(page)

    # The plan page shows each target's progress from computed figures.
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, base, "officer_a")
    page.goto(f"{base}/prevention/plans/{plan.pk}/")
    card = page.locator(f"#target-{drowning.pk}")
    text = card.inner_text()
    assert "%" in text and "/" in text, text            # "Hiện tại: 28,4% (438 / 1540)"
    assert card.locator("progress").count() == 1
    assert page.locator("progress").count() >= 5        # computed or reported for most targets
    shots(page, "progress")


def test_a_watch_record_raised_to_a_case_shows_its_origin(page, live_server, prevention_demo, shots):
    from prevention.models import WatchRecord

    base = live_server.url
    watch = WatchRecord.objects.get(status="open")
    log_in(page, base, "officer_a")
    page.goto(f"{base}/prevention/registry/{watch.entry_id}/")
    box = page.locator(f"#watch-{watch.pk}-raise")
    box.locator("summary").click()
    box.locator("textarea[name=reason]").fill("Có dấu hiệu trẻ bị bỏ mặc, cần hỗ trợ")
    go(page, box.locator("button[type=submit]"))
    watch.refresh_from_db()
    assert page.url.endswith(f"/cases/{watch.case_id}/")
    page.goto(f"{base}/cases/{watch.case_id}/timeline/")
    timeline = page.locator("ol.timeline").inner_text()
    assert "phiếu theo dõi" in timeline and "Có dấu hiệu trẻ bị bỏ mặc" in timeline
    shots(page, "case-timeline")
