"""The child-work plan: template, copy, draft → submitted → signed → issued → amended → closed."""

import datetime as dt

import pytest

from casework.errors import Conflict, NotFound, PermissionDenied, ValidationError
from permissions import prevention as rules
from prevention import services as S
from prevention.flows import PlanTaskFlow, WatchFlow, WorkPlanFlow
from prevention.models import Amendment, PreventionEvent, WorkPlan
from prevention.models import PreventionEventType as E
from prevention.selectors import plan_offers
from prevention.states import SectionKind, TaskStatus
from prevention.states import WorkPlanStatus as P

from .conftest import target, this_year


def test_the_whole_transition_graph_of_each_machine():
    assert WorkPlanFlow.graph() == {
        ("submit", "draft", "submitted"), ("return_to_draft", "submitted", "draft"), ("sign", "submitted", "signed"),
        ("issue", "signed", "issued"), ("amend", "issued", "amended"), ("amend", "amended", "amended"),
        ("close", "issued", "closed"), ("close", "amended", "closed"),
    }
    assert PlanTaskFlow.graph() == {
        ("start", "assigned", "in_progress"), ("complete", "assigned", "done"), ("complete", "in_progress", "done"),
        ("give_up", "assigned", "not_done"), ("give_up", "in_progress", "not_done"),
        ("reopen", "done", "in_progress"), ("reopen", "not_done", "in_progress"),
    }
    assert WatchFlow.graph() == {("raise_to_case", "open", "raised"), ("close", "open", "closed")}


def test_a_plan_from_the_template_carries_the_shared_structure(pworld):
    plan = S.plan_create(actor=pworld.officer_a, organisation_id=pworld.orgs["a.committee"].pk, year_from=2026)
    kinds = list(plan.sections.values_list("kind", flat=True))
    assert kinds == [SectionKind.PURPOSE, SectionKind.OBJECTIVES, SectionKind.TASKS, SectionKind.FUNDING,
                     SectionKind.ORGANISATION, SectionKind.REPORTING]
    # Seed 001: villages by 5/5 and 5/11, the commune by 10/5 and 10/11.
    assert sorted(plan.reporting_dates.values_list("month", "day")) == [(5, 5), (5, 10), (11, 5), (11, 10)]
    assert plan.title == "Kế hoạch thực hiện công tác trẻ em năm 2026"
    assert (plan.signer_authority, plan.signer_title) == ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")
    assert plan.status == P.DRAFT and plan.area == pworld.areas["a"]
    assert list(PreventionEvent.objects.filter(plan=plan).values_list("type", flat=True)) == [E.PLAN_CREATED]


def test_only_drafters_of_the_body_start_a_plan(pworld):
    with pytest.raises(PermissionDenied):
        S.plan_create(actor=pworld.chair_a, organisation_id=pworld.orgs["a.committee"].pk, year_from=2026)
    with pytest.raises(PermissionDenied):
        S.plan_create(actor=pworld.officer_a, organisation_id=pworld.orgs["b.committee"].pk, year_from=2026)
    with pytest.raises(ValidationError):
        S.plan_create(actor=pworld.officer_a, organisation_id=pworld.orgs["a.committee"].pk, year_from=2030,
                      year_to=2021)


def test_full_workflow_with_exact_events(pworld, draft_plan):
    u = pworld.users
    plan = draft_plan()
    S.plan_submit(actor=u["officer_a"], plan_id=plan.pk)
    with pytest.raises(PermissionDenied):
        S.plan_sign(actor=u["officer_a"], plan_id=plan.pk)          # drafters do not sign
    S.plan_sign(actor=u["chair_a"], plan_id=plan.pk)
    with pytest.raises(Conflict) as no_number:
        S.plan_issue(actor=u["chair_a"], plan_id=plan.pk)
    assert no_number.value.code == "guard"
    S.plan_issue(actor=u["chair_a"], plan_id=plan.pk, number="12/KH-UBND", issued_on=dt.date(this_year(), 3, 1))
    amendment = S.plan_amend(actor=u["chair_a"], plan_id=plan.pk, decided_on=dt.date(this_year(), 6, 1),
                             number="15/KH-UBND", reason="Bổ sung Tháng hành động", summary="Thêm nhiệm vụ tháng 6")
    assert isinstance(amendment, Amendment)
    with pytest.raises(Conflict):                                      # tasks still open
        S.plan_close(actor=u["chair_a"], plan_id=plan.pk)
    for task in plan.tasks.all():
        S.task_move(actor=u["officer_a"], task_id=task.pk, action="complete")
    S.plan_close(actor=u["chair_a"], plan_id=plan.pk, reason="Báo cáo năm đã gửi")
    plan.refresh_from_db()
    assert plan.status == P.CLOSED and plan.number == "12/KH-UBND" and plan.signed_by == u["chair_a"]
    assert plan.signer_name == u["chair_a"].get_full_name()
    moves = list(PreventionEvent.objects.filter(plan=plan, subject=f"plan:{plan.pk}")
                 .values_list("type", "from_state", "to_state"))
    assert moves == [
        (E.PLAN_CREATED, "", "draft"),
        (E.PLAN_SUBMITTED, "draft", "submitted"), (E.PLAN_SIGNED, "submitted", "signed"),
        (E.PLAN_ISSUED, "signed", "issued"), (E.PLAN_AMENDED, "issued", "amended"),
        (E.PLAN_CLOSED, "amended", "closed")]


def test_submit_needs_targets_and_tasks(pworld):
    plan = S.plan_create(actor=pworld.officer_a, organisation_id=pworld.orgs["a.committee"].pk, year_from=2026)
    with pytest.raises(Conflict) as exc:
        S.plan_submit(actor=pworld.officer_a, plan_id=plan.pk)
    assert "target" in str(exc.value.message)
    offers = {o.action: o for o in plan_offers(rules.access_plan_by_id(pworld.officer_a, plan.pk))}
    assert not offers["submit"].allowed and "target" in offers["submit"].reason


def test_the_submitter_cannot_sign_a_school_plan_the_principal_can(pworld):
    u, school = pworld.users, pworld.orgs["a.school"]
    plan = S.plan_create(actor=u["counsellor_a"], organisation_id=school.pk, year_from=2026)
    S.target_save(actor=u["counsellor_a"], plan_id=plan.pk, data=target())
    S.task_assign(actor=u["counsellor_a"], plan_id=plan.pk, organisation_id=school.pk, title="Tổ khối 1")
    S.plan_submit(actor=u["counsellor_a"], plan_id=plan.pk)
    with pytest.raises(Conflict) as exc:
        S.plan_sign(actor=u["counsellor_a"], plan_id=plan.pk)
    assert exc.value.code == "guard"
    S.plan_sign(actor=u["principal_a"], plan_id=plan.pk)
    assert WorkPlan.objects.get(pk=plan.pk).status == P.SIGNED


def test_returned_plan_goes_back_to_draft_with_a_reason(pworld, draft_plan):
    plan = draft_plan()
    S.plan_submit(actor=pworld.officer_a, plan_id=plan.pk)
    with pytest.raises(ValidationError):
        S.plan_return(actor=pworld.chair_a, plan_id=plan.pk, reason=" ")
    S.plan_return(actor=pworld.chair_a, plan_id=plan.pk, reason="Bổ sung chỉ tiêu")
    assert WorkPlan.objects.get(pk=plan.pk).status == P.DRAFT
    assert PreventionEvent.objects.get(plan=plan, type=E.PLAN_RETURNED).reason == "Bổ sung chỉ tiêu"


def test_an_issued_plan_is_not_edited_directly(pworld, issued_plan):
    plan = issued_plan()
    with pytest.raises(Conflict):
        S.plan_update(actor=pworld.officer_a, plan_id=plan.pk, title="Khác")
    with pytest.raises(Conflict):
        S.target_save(actor=pworld.officer_a, plan_id=plan.pk, data=target())
    # … but a task may still be given to a body during the year.
    S.task_assign(actor=pworld.officer_a, plan_id=plan.pk, organisation_id=pworld.orgs["a.youth"].pk,
                  title="Hoạt động hè")


def test_stale_version_is_a_conflict(pworld, draft_plan):
    plan = draft_plan()
    with pytest.raises(Conflict) as exc:
        S.plan_update(actor=pworld.officer_a, plan_id=plan.pk, version=plan.version - 1, title="X")
    assert exc.value.code == "stale_version"


def test_update_header_sections_legal_bases_and_parent(pworld, draft_plan):
    plan = draft_plan()
    S.plan_update(actor=pworld.officer_a, plan_id=plan.pk, number="05/KH-UBND", place="Bến Thành",
                  legal_bases=["Luật Trẻ em năm 2016", "", "Nghị định 56/2017/NĐ-CP"],
                  sections=[{"numeral": "I", "kind": "purpose", "heading": "MỤC ĐÍCH", "body": "…"}])
    plan.refresh_from_db()
    assert plan.number == "05/KH-UBND"
    assert list(plan.legal_bases.values_list("citation", flat=True)) == ["Luật Trẻ em năm 2016",
                                                                          "Nghị định 56/2017/NĐ-CP"]
    assert plan.sections.count() == 1
    with pytest.raises(ValidationError) as exc:
        S.plan_update(actor=pworld.officer_a, plan_id=plan.pk, bogus="x", title="",
                      sections=[{"kind": "nope", "heading": ""}], parent_id=plan.pk)
    assert {"bogus", "title", "sections[0]", "parent_id"} <= set(exc.value.message_dict)


def test_copy_last_years_plan_shifts_years_and_dates(pworld, issued_plan):
    old = issued_plan(year=this_year() - 1)
    new = S.plan_copy(actor=pworld.officer_a, plan_id=old.pk)
    assert (new.year_from, new.status, new.copied_from_id, new.number) == (old.year_from + 1, P.DRAFT, old.pk, "")
    assert str(this_year()) in new.title
    assert new.targets.count() == old.targets.count() == 1
    old_due = sorted(old.tasks.values_list("due_on", flat=True))
    assert sorted(new.tasks.values_list("due_on", flat=True)) == [d.replace(year=d.year + 1) for d in old_due]
    assert set(new.tasks.values_list("status", flat=True)) == {TaskStatus.ASSIGNED}
    assert new.sections.count() == old.sections.count()
    assert PreventionEvent.objects.get(plan=new).type == E.PLAN_COPIED


def test_unseen_plan_is_not_found_before_input_is_read(pworld, draft_plan):
    plan = draft_plan()
    for who in ("officer_b", "police_a", "supervisor_p1"):   # a draft is the body's own
        with pytest.raises(NotFound):
            S.plan_update(actor=pworld.users[who], plan_id=plan.pk, bogus="whatever")
    with pytest.raises(NotFound):
        S.plan_submit(actor=pworld.officer_b, plan_id=987654)
    with pytest.raises(NotFound):
        S.plan_copy(actor=pworld.officer_b, plan_id="abc")


def test_who_sees_a_plan_once_issued(pworld, issued_plan):
    plan = issued_plan()
    sees = {who for who in pworld.users if rules.plan_queryset_for(pworld.users[who]).filter(pk=plan.pk).exists()}
    assert sees == {"officer_a", "chair_a", "counsellor_a", "principal_a", "police_a", "health_a", "justice_a",
                    "village_a", "supervisor_p1"}
