"""Journey B: every change goes through a service; errors come back inline, a stale form is a
conflict that keeps the input, and a double submit changes nothing twice."""

import datetime as dt

from django.utils import timezone

from casework.models import Case, CaseEvent, Task
from casework.models import CaseEventType as E
from casework.services import tasks
from tests.casework.scenario import COMPREHENSIVE

from .cases import accept_police_task


def act(client, case, key, **data):
    case.refresh_from_db()
    data.setdefault("version", case.version)
    return client.post(f"/cases/{case.pk}/act/{key}/", data)


def test_the_page_reads_the_same_facts_as_the_case_machine(cases, world):
    """One facts function, two loaders: the page's full records and the services' lean ones."""
    from casework.selectors import case_facts, case_records

    from .cases import build_cases

    more = build_cases(world)
    from casework.services import emergency, plans
    from tests.casework.scenario import review

    measure = more.emergency.emergencymeasures.get()
    emergency.emergency_measure_record(actor=world.users["police_a"], case_id=more.emergency.pk,
                                       measure_id=measure.pk, outcome="taken")
    from tests.casework.scenario import implement
    implement(world, more.implementing)
    review(world, more.implementing)
    plans.plan_return(actor=world.users["chair_a"], case_id=more.submitted.pk, reason="Bổ sung")
    for case in [*cases.all, *more.all]:
        case = Case.objects.select_related("intake", "incident").get(pk=case.pk)
        assert case_facts(case, case_records(case)) == case_facts(case), case.status


def test_case_page_offers_what_the_officer_may_do_now(as_user, cases):
    body = as_user("officer_a").get(f"/cases/{cases.received.pk}/").content.decode()
    assert "/act/verification_start/" in body and "/act/emergency_declare/" in body
    assert "/act/plan_approve/" not in body   # the chairperson's
    # A guard that is not met yet is shown with its reason, not as a form.
    body = as_user("officer_a").get(f"/cases/{cases.comprehensive.pk}/").content.decode()
    assert "/act/comprehensive_record/" in body and "/act/planning_start/" not in body
    assert 'class="disabled-action"' in body


def test_supervisor_reads_and_acts_on_nothing_but_the_audited_look_at_the_identity(as_user, cases):
    import re

    body = as_user("supervisor_p1").get(f"/cases/{cases.implementing.pk}/").content.decode()
    assert set(re.findall(r"/act/(\w+)/", body)) == {"break_glass"}


def test_officer_walks_verification_and_initial_assessment(as_user, cases, world):
    client = as_user("officer_a")
    case = cases.received
    assert act(client, case, "verification_start").status_code == 302
    assert act(client, case, "verification_record", findings="Xác minh cùng công an.")["Location"] == \
        f"/cases/{case.pk}/"
    act(client, case, "initial_assessment_start")
    response = act(client, case, "initial_assessment_record", risk_level="medium", findings="Nguy cơ trung bình")
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "assessing" and case.risk_level == "medium"
    assert act(client, case, "comprehensive_start").status_code == 302
    response = act(client, case, "comprehensive_record", risk_level="low", caregiver_views="Đồng ý",
                   **COMPREHENSIVE)
    assert response.status_code == 302
    response = act(client, case, "conference_record", held_at=(timezone.localtime() - dt.timedelta(hours=1))
                   .strftime("%Y-%m-%dT%H:%M"), chair_id=world.users["chair_a"].pk,
                   bodies_present_ids=[world.orgs["a.police"].pk, world.orgs["a.school"].pk],
                   community_representative="Trưởng thôn", caregiver_absence="caused_harm", decisions="Tư vấn")
    assert response.status_code == 302
    assert act(client, case, "planning_start").status_code == 302
    case.refresh_from_db()
    assert case.status == "planning"


def test_validation_errors_are_shown_inline_with_the_input(as_user, cases):
    client = as_user("officer_a")
    response = act(client, cases.verifying, "initial_assessment_record", risk_level="", findings="")
    assert response.status_code == 200
    response = act(client, cases.comprehensive, "comprehensive_record", risk_level="high",
                   physical_psychological_state="Ổn định")
    body = response.content.decode()
    assert response.status_code == 200 and 'class="errorlist' in body and "Ổn định" in body
    assert 'id="act-comprehensive_record" open' in body


def test_a_stale_form_is_a_conflict_that_keeps_the_input(as_user, cases):
    client = as_user("officer_a")
    case = cases.verifying
    case.refresh_from_db()
    stale = case.version
    # Someone else changes the case first.
    act(as_user("officer_a"), case, "verification_record", findings="Bản ghi của người khác")
    case.refresh_from_db()
    response = client.post(f"/cases/{case.pk}/act/verification_record/",
                           {"version": stale, "findings": "Nội dung tôi vừa gõ"})
    body = response.content.decode()
    assert response.status_code == 409
    assert "Nội dung tôi vừa gõ" in body and 'role="alert"' in body
    # The kept form now carries the current version: sending it again goes through.
    assert f'name="version" value="{case.version}"' in body
    again = client.post(f"/cases/{case.pk}/act/verification_record/",
                        {"version": case.version, "findings": "Nội dung tôi vừa gõ"})
    assert again.status_code == 302
    case.refresh_from_db()
    assert case.verification_notes == "Nội dung tôi vừa gõ"


def test_double_submit_of_an_action_changes_the_case_once(as_user, cases):
    client = as_user("officer_a")
    case = cases.received
    case.refresh_from_db()
    data = {"version": case.version}
    first = client.post(f"/cases/{case.pk}/act/verification_start/", data)
    second = client.post(f"/cases/{case.pk}/act/verification_start/", data)
    assert first.status_code == 302 and second.status_code == 409
    assert CaseEvent.objects.filter(case=case, type=E.VERIFICATION_STARTED).count() == 1


def test_an_action_not_possible_now_explains_why(as_user, cases):
    response = act(as_user("officer_a"), cases.verifying, "planning_start")
    assert response.status_code == 409 and 'role="alert"' in response.content.decode()


def test_a_role_without_the_capability_gets_403(as_user, cases):
    response = act(as_user("officer_a"), cases.submitted, "plan_approve", decision_no="1/QĐ", confirm_effect="on")
    assert response.status_code == 403


def test_officer_drafts_the_plan_with_measures_and_submits(as_user, cases, world):
    client = as_user("officer_a")
    case = cases.planning
    page = client.get(f"/cases/{case.pk}/plan/")
    assert page.status_code == 200
    case.refresh_from_db()
    today = timezone.localdate()
    data = {"version": case.version, "goals": "An toàn ở nhà", "starts_on": today.isoformat(),
            "ends_on": (today + dt.timedelta(days=60)).isoformat(),
            "review_on": (today + dt.timedelta(days=50)).isoformat(),
            "m-TOTAL_FORMS": "2", "m-INITIAL_FORMS": "0", "m-MIN_NUM_FORMS": "0", "m-MAX_NUM_FORMS": "40",
            "m-0-kind": "support_counselling", "m-0-responsible_id": world.orgs["a.school"].pk,
            "m-0-starts_on": today.isoformat(), "m-0-ends_on": (today + dt.timedelta(days=30)).isoformat(),
            "m-0-cost": "300000",
            "m-1-kind": "intervention_follow_up", "m-1-responsible_id": world.orgs["a.police"].pk,
            "m-1-starts_on": today.isoformat(), "m-1-ends_on": (today + dt.timedelta(days=20)).isoformat(),
            "m-1-cost": "0"}  # art. 28.3.d: every measure has its cost estimate (issue 8)
    saved = client.post(f"/cases/{case.pk}/plan/", data)
    assert saved.status_code == 302
    plan = case.plans.get()
    assert plan.measures.count() == 2 and plan.cost_total == 300000
    assert act(client, case, "plan_submit").status_code == 302
    case.refresh_from_db()
    assert case.status == "awaiting_approval"


def test_plan_needs_a_measure_and_keeps_input(as_user, cases):
    client = as_user("officer_a")
    case = cases.planning
    case.refresh_from_db()
    today = timezone.localdate().isoformat()
    response = client.post(f"/cases/{case.pk}/plan/", {
        "version": case.version, "goals": "Mục tiêu của tôi", "starts_on": today, "ends_on": today, "review_on": today,
        "m-TOTAL_FORMS": "2", "m-INITIAL_FORMS": "0", "m-MIN_NUM_FORMS": "0", "m-MAX_NUM_FORMS": "40"})
    assert response.status_code == 200 and "Mục tiêu của tôi" in response.content.decode()
    assert not case.plans.exists()


def test_chair_approves_on_one_screen_with_the_full_file(as_user, cases):
    client = as_user("chair_a")
    case = cases.submitted
    page = client.get(f"/cases/{case.pk}/approval/")
    body = page.content.decode()
    for heading in ("h-f01", "h-f02-", "h-f03-", "h-conf-", "h-plan-"):
        assert f'id="{heading}' in body, heading
    assert act(client, case, "plan_approve", decision_no="15/QĐ-UBND", origin="approval", confirm_effect="on",
               next="/approvals/")["Location"] == "/approvals/"
    case.refresh_from_db()
    assert case.status == "implementing" and Task.objects.filter(case=case).count() == 2


def test_chair_returns_the_plan_with_a_reason(as_user, cases):
    client = as_user("chair_a")
    case = cases.submitted
    missing = act(client, case, "plan_return", reason="", origin="approval")
    assert missing.status_code == 200 and 'class="errorlist' in missing.content.decode()
    assert act(client, case, "plan_return", reason="Bổ sung biện pháp y tế", origin="approval").status_code == 302
    case.refresh_from_db()
    assert case.status == "returned"
    assert "Bổ sung biện pháp y tế" in as_user("officer_a").get(f"/cases/{case.pk}/plan/").content.decode()


def test_police_accept_log_and_complete_their_task_from_the_task_list(as_user, cases):
    client = as_user("police_a")
    case = cases.implementing
    task = case.tasks.get(organisation__name__startswith="Công an")
    page = client.get("/tasks/").content.decode()
    assert task.title in page and case.code in page
    assert act(client, case, "task_accept", task_id=task.pk, origin="tasks",
               next="/tasks/")["Location"] == "/tasks/"
    logged = act(client, case, "task_log", task_id=task.pk, acted_on=timezone.localdate().isoformat(),
                 action="Làm việc với bố của trẻ", outcome="Cam kết", origin="tasks", next="/tasks/")
    assert logged.status_code == 302
    assert act(client, case, "task_complete", task_id=task.pk, origin="tasks").status_code == 302
    task.refresh_from_db()
    assert task.status == "done" and task.logs.get().action == "Làm việc với bố của trẻ"


def test_declining_a_task_needs_a_reason_shown_on_the_task_list(as_user, cases):
    client = as_user("police_a")
    case = cases.implementing
    task = case.tasks.get(organisation__name__startswith="Công an")
    response = act(client, case, "task_decline", task_id=task.pk, origin="tasks", reason="")
    body = response.content.decode()
    assert response.status_code == 200 and 'class="errorlist' in body and "<details" in body
    assert act(client, case, "task_decline", task_id=task.pk, origin="tasks",
               reason="Không thuộc thẩm quyền").status_code == 302


def test_a_body_cannot_act_on_another_bodys_task(as_user, cases):
    case = cases.implementing
    task = case.tasks.get(organisation__name__startswith="Công an")
    response = act(as_user("counsellor_a"), case, "task_accept", task_id=task.pk)
    assert response.status_code == 403


def test_emergency_measures_and_isolation_orders(as_user, cases):
    case = cases.emergency
    chair = as_user("chair_a")
    body = chair.get(f"/cases/{case.pk}/").content.decode()
    assert "/act/emergency_order/" in body and "/act/isolation_issue/" in body
    assert act(chair, case, "isolation_issue", decision_no="07/QĐ", days=20, placement="Nhà tạm lánh", confirm_effect="on").status_code \
        == 200   # over 15 days without an authority's request: refused inline
    assert act(chair, case, "isolation_issue", decision_no="07/QĐ", days=5, placement="Nhà tạm lánh", confirm_effect="on").status_code \
        == 302
    order = case.isolationorders.get()
    assert act(chair, case, "isolation_extend", order_id=order.pk, days=5, reason="Chưa an toàn").status_code == 302
    assert act(chair, case, "isolation_extend", order_id=order.pk, days=10, reason="Chưa an toàn").status_code == 409
    # The police carry out the ordered measure from their task list.
    police = as_user("police_a")
    measure = case.emergencymeasures.get()
    assert case.code in police.get("/tasks/").content.decode()
    assert act(police, case, "emergency_record", measure_id=measure.pk, outcome="taken", origin="tasks") \
        .status_code == 302
    chair = as_user("chair_a")
    assert act(chair, case, "isolation_revoke", order_id=order.pk, reason="Gia đình đã an toàn").status_code == 302
    order.refresh_from_db()
    measure.refresh_from_db()
    assert order.status == "revoked" and measure.status == "taken"


def test_transfer_request_and_acceptance(as_user, cases, world):
    case = cases.verifying
    assert act(as_user("officer_a"), case, "transfer_request", to_commune_id=world.areas["b"].pk,
               reason="Gia đình chuyển nhà").status_code == 302
    transfer = case.transfers.get()
    receiving = as_user("officer_b")
    page = receiving.get(f"/cases/{case.pk}/").content.decode()
    assert "/act/transfer_accept/" in page and "/act/transfer_decline/" in page
    assert "/act/transfer_cancel/" not in page   # the sending commune's
    assert act(receiving, case, "transfer_accept", transfer_id=transfer.pk).status_code == 302
    case.refresh_from_db()
    assert case.commune == world.areas["b"]


def test_level_change_and_not_eligible(as_user, cases):
    client = as_user("officer_a")
    case = cases.verifying
    assert act(client, case, "level_change", level="support", reason="Nguy cơ thấp hơn").status_code == 302
    assert act(client, case, "not_eligible", reason="Không phải xâm hại").status_code == 302
    case.refresh_from_db()
    assert case.status == "not_eligible" and case.level == "support"
    assert act(client, case, "reopen", reason="Có thông tin mới", confirm_effect="on").status_code == 302


def test_review_and_closure(as_user, cases, world):
    case = cases.implementing
    accept_police_task(world, case)
    officer = as_user("officer_a")
    # Art. 30 (issue 8): not while a task is still open; the page says why.
    assert act(officer, case, "review_start").status_code == 409
    police_task = case.tasks.get(organisation=world.orgs["a.police"])
    tasks.task_move(actor=world.users["police_a"], case_id=case.pk, task_id=police_task.pk, action="complete")
    school_task = case.tasks.get(organisation=world.orgs["a.school"])
    tasks.task_move(actor=world.users["counsellor_a"], case_id=case.pk, task_id=school_task.pk, action="accept")
    tasks.task_move(actor=world.users["counsellor_a"], case_id=case.pk, task_id=school_task.pk, action="fail",
                    reason="Học sinh chuyển trường")
    assert act(officer, case, "review_start").status_code == 302
    assert act(officer, case, "review_record", harm_still_serious="low", abuser_can_reach_child="low",
               obstacles_at_home="low", child_capacity="high", findings="An toàn", recommendation="end") \
        .status_code == 302
    chair = as_user("chair_a")
    assert act(chair, case, "case_close", reason="Trẻ an toàn", confirm_effect="on").status_code == 302
    assert Case.objects.get(pk=case.pk).status == "closed"


def test_a_decision_asks_to_confirm_its_legal_effect(as_user, cases):
    """Issue 8, item 13: approve, isolate, close and reopen name their legal effect and need a tick."""
    chair = as_user("chair_a")
    page = chair.get(f"/cases/{cases.submitted.pk}/approval/").content.decode()
    assert 'name="confirm_effect"' in page and "art. 28.4" in page
    response = act(chair, cases.submitted, "plan_approve", decision_no="2/QĐ", origin="approval")
    assert response.status_code != 302
    assert Case.objects.get(pk=cases.submitted.pk).status == "awaiting_approval"


def test_the_intake_form_groups_the_abuse_forms_under_their_parent(world):
    """Issue 8, item 13: the forms of abuse of the Law on Children art. 4 under violence,
    exploitation, sexual abuse …; a parent stays choosable within its group."""
    from django.utils.translation import override

    from casework.forms import IntakeReportForm, grouped_term_choices

    with override("vi"):
        groups = dict((label, members) for label, members in grouped_term_choices("abuse_form")
                      if isinstance(members, list))
        violence = [code for code, _label in groups["Bạo lực trẻ em"]]
        assert violence[:2] == ["violence_physical", "violence_psychological"] and violence[-1] == "violence"
        form = IntakeReportForm(data={"abuse_forms": ["violence_physical", "sexual_rape", "violence"]})
        form.is_valid()
        assert "abuse_forms" not in form.errors
        html = str(form["abuse_forms"])
    assert html.index("Bạo lực trẻ em") < html.index("Bạo lực thể chất") < html.index("Xâm hại tình dục trẻ em")
