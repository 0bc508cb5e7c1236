"""Plan tasks per body and the computation of targets' progress."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from casework.errors import Conflict, NotFound, PermissionDenied, ValidationError
from permissions import prevention as rules
from prevention import measures
from prevention import services as S
from prevention.models import PreventionEvent
from prevention.models import PreventionEventType as E
from prevention.selectors import task_list_for_user, task_offers
from prevention.states import GoalKind, Measurement, PopulationScope, TaskStatus

from .conftest import target, this_year


def police_task(plan):
    return plan.tasks.get(organisation__kind="police")


def test_a_body_moves_its_own_task_and_no_other(pworld, issued_plan):
    plan = issued_plan()
    task = police_task(plan)
    with pytest.raises(PermissionDenied):
        S.task_move(actor=pworld.health_a, task_id=task.pk, action="start")
    S.task_move(actor=pworld.police_a, task_id=task.pk, action="start", note="Đã tuyên truyền ở 2 thôn")
    with pytest.raises(ValidationError):
        S.task_move(actor=pworld.police_a, task_id=task.pk, action="not_done")   # no reason
    S.task_move(actor=pworld.police_a, task_id=task.pk, action="not_done", reason="Thiếu kinh phí")
    task.refresh_from_db()
    assert (task.status, task.reason) == (TaskStatus.NOT_DONE, "Thiếu kinh phí") and task.finished_on
    S.task_move(actor=pworld.police_a, task_id=task.pk, action="reopen")
    S.task_move(actor=pworld.police_a, task_id=task.pk, action="complete")
    task.refresh_from_db()
    assert (task.status, task.reason) == (TaskStatus.DONE, "")
    assert task.notes.get().text == "Đã tuyên truyền ở 2 thôn"
    events = list(PreventionEvent.objects.filter(subject=f"task:{task.pk}", type=E.TASK_MOVED)
                  .values_list("from_state", "to_state"))
    assert events == [("assigned", "in_progress"), ("in_progress", "not_done"), ("not_done", "in_progress"),
                      ("in_progress", "done")]
    assert PreventionEvent.objects.filter(subject=f"task:{task.pk}", type=E.TASK_MOVED).first().actor_role == \
        "commune_police"


def test_tasks_of_a_draft_do_not_run(pworld, draft_plan):
    plan = draft_plan()
    task = police_task(plan)
    # Police do not see a draft at all.
    with pytest.raises(NotFound):
        S.task_move(actor=pworld.police_a, task_id=task.pk, action="start")
    with pytest.raises(Conflict):
        S.task_move(actor=pworld.officer_a, task_id=task.pk, action="start")
    with pytest.raises(ValidationError):
        S.task_move(actor=pworld.officer_a, task_id=task.pk, action="fly")
    assert task_list_for_user(pworld.police_a).count() == 0


def test_task_list_shows_each_body_its_tasks(pworld, issued_plan):
    plan = issued_plan(tasks=("a.police", "a.health", "a.school"))
    assert [t.organisation.kind for t in task_list_for_user(pworld.police_a)] == ["police"]
    assert [t.organisation.kind for t in task_list_for_user(pworld.counsellor_a)] == ["school"]
    assert task_list_for_user(pworld.police_b).count() == 0
    task = police_task(plan)
    access = rules.access_plan_by_id(pworld.police_a, plan.pk)
    assert [o.action for o in task_offers(access, task)] == ["start", "complete", "not_done"]
    assert task_offers(rules.access_plan_by_id(pworld.health_a, plan.pk), task) == []
    S.task_note_add(actor=pworld.police_a, task_id=task.pk, text="Ghi chú")
    with pytest.raises(PermissionDenied):
        S.task_note_add(actor=pworld.health_a, task_id=task.pk, text="x")
    with pytest.raises(ValidationError):
        S.task_note_add(actor=pworld.police_a, task_id=task.pk, text=" ")


def test_the_coordinator_reports_for_a_body_without_users(pworld, issued_plan):
    plan = issued_plan(tasks=("a.youth",))
    task = plan.tasks.get()
    S.task_move(actor=pworld.officer_a, task_id=task.pk, action="complete", note="Đoàn xã đã tổ chức hè")
    with pytest.raises(PermissionDenied):
        S.task_move(actor=pworld.police_a, task_id=task.pk, action="reopen")


def test_task_assignment_checks_the_body_and_the_state(pworld, draft_plan):
    plan = draft_plan()
    with pytest.raises(ValidationError) as exc:
        S.task_assign(actor=pworld.officer_a, plan_id=plan.pk, organisation_id=pworld.orgs["b.police"].pk, title="")
    assert {"organisation_id", "title"} <= set(exc.value.message_dict)
    with pytest.raises(PermissionDenied):
        S.task_assign(actor=pworld.chair_a, plan_id=plan.pk, organisation_id=pworld.orgs["a.police"].pk, title="x")


# ------------------------------------------------------------------ targets

def population(pworld, year, **counts):
    base = {"girls_0_5": 100, "boys_0_5": 100, "girls_6_10": 200, "boys_6_10": 200, "girls_11_15": 200, "boys_11_15": 200}
    base.update(counts)
    return S.population_save(actor=pworld.officer_a, commune_id=pworld.areas["a"].pk, year=year, counts=base,
                             households=700)


def activity(pworld, held_on, kind="drowning", **counts):
    return S.activity_record(actor=pworld.village_a, data=S.ActivityInput(
        kind=kind, title="Tuyên truyền", held_on=held_on, organiser_id=pworld.orgs["a_v1.village"].pk,
        counts=counts))


def test_participation_share_over_the_population(pworld, issued_plan):
    plan = issued_plan()
    population(pworld, this_year())
    today = dt.date.today()
    activity(pworld, today, girls_6_10=300, boys_6_10=300, girls_11_15=100)
    activity(pworld, today, kind="awareness", boys_11_15=500)            # another kind: not counted
    activity(pworld, dt.date(this_year() - 1, 12, 1), girls_6_10=999)    # last year: not counted
    figures = measures.figures_for([plan])
    p = figures[plan.targets.get().pk]
    assert p.value == Decimal("70.0") and p.detail == "700 / 1000"
    assert p.met is False and p.percent_of_goal == 77


def test_each_measurement_kind(pworld, issued_plan, open_case):
    plan = issued_plan()
    u = pworld.users
    population(pworld, this_year())
    # Targets may only be added to a draft: build a second plan to hold the others.
    other = S.plan_create(actor=u["officer_a"], organisation_id=pworld.orgs["a.committee"].pk,
                          year_from=this_year())
    zero = S.target_save(actor=u["officer_a"], plan_id=other.pk, data=target(
        "Không có vụ trẻ em bị bạo lực, xâm hại", goal_kind=GoalKind.ZERO, measurement=Measurement.INDICATOR,
        indicator_code="0101"))
    registry = S.target_save(actor=u["officer_a"], plan_id=other.pk, data=target(
        "100% trẻ em có hoàn cảnh đặc biệt được hỗ trợ", goal_value=100, measurement=Measurement.REGISTRY))
    reported = S.target_save(actor=u["officer_a"], plan_id=other.pk, data=target(
        "100% trẻ em dưới 6 tuổi được khám miễn phí", goal_value=100, measurement=Measurement.REPORTED,
        responsible_id=pworld.orgs["a.health"].pk))
    under6 = S.target_save(actor=u["officer_a"], plan_id=other.pk, data=target(
        "Trẻ dưới 6 tuổi", goal_kind=GoalKind.COUNT, goal_value=50, population=PopulationScope.UNDER_6,
        activity_kinds=[]))
    S.task_assign(actor=u["officer_a"], plan_id=other.pk, organisation_id=pworld.orgs["a.health"].pk, title="Khám")
    S.plan_submit(actor=u["officer_a"], plan_id=other.pk)
    S.plan_sign(actor=u["chair_a"], plan_id=other.pk)
    S.plan_issue(actor=u["chair_a"], plan_id=other.pk, number="13/KH-UBND")

    figures = measures.figures_for([plan, other])
    assert figures[zero.pk].value == 0 and figures[zero.pk].met is True
    assert figures[registry.pk].value is None                  # nobody on the registry yet
    assert figures[reported.pk].known is False
    open_case()                                                # an abused child in commune A
    e1 = S.registry_add(actor=u["officer_a"], commune_id=pworld.areas["a"].pk, category="special",
                        groups=["a"], child=S.RegistryChild(full_name="Lò Thị Mai", date_of_birth=dt.date(2015, 1, 1),
                                                            sex="female"))
    S.registry_add(actor=u["officer_a"], commune_id=pworld.areas["a"].pk, category="special", groups=["d"],
                   child=S.RegistryChild(full_name="Lò Văn Tú", estimated_age=9, sex="male"))
    S.support_record(actor=u["officer_a"], entry_id=e1.pk, kind="social_allowance", given_on=dt.date.today(),
                     provider="UBND phường", amount=540000)
    S.target_report(actor=u["health_a"], target_id=reported.pk, value="96.5", period_end=dt.date.today(),
                    upload=SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4 report"))
    activity(pworld, dt.date.today(), kind="home_visit", girls_0_5=20, boys_0_5=35)
    figures = measures.figures_for([plan, other])
    assert figures[zero.pk].value == 1 and figures[zero.pk].met is False
    assert (figures[registry.pk].value, figures[registry.pk].detail) == (Decimal("50.0"), "1 / 2")
    assert figures[reported.pk].value == Decimal("96.50") and figures[reported.pk].met is False
    assert figures[under6.pk].value == 55 and figures[under6.pk].met is True


def test_figures_for_a_page_of_plans_take_a_fixed_number_of_queries(pworld, issued_plan,
                                                                     django_assert_max_num_queries):
    from prevention.models import WorkPlan

    ids = [issued_plan(year=this_year() - i).pk for i in range(3)]
    population(pworld, this_year())
    plans = list(WorkPlan.objects.filter(pk__in=ids).select_related("area"))
    # Targets, activities grouped, population grouped: the same three queries for one plan or many.
    with django_assert_max_num_queries(3):
        measures.figures_for(plans)


def test_reported_values_need_the_responsible_body(pworld, issued_plan):
    plan = issued_plan()
    t = plan.targets.get()
    with pytest.raises(PermissionDenied):
        S.target_report(actor=pworld.police_a, target_id=t.pk, value=5, period_end=dt.date.today())
    with pytest.raises(NotFound):
        S.target_report(actor=pworld.officer_b, target_id=t.pk, value=5, period_end=dt.date.today())
    with pytest.raises(ValidationError):
        S.target_report(actor=pworld.officer_a, target_id=t.pk, value="abc", period_end=None)


def test_target_validation(pworld, draft_plan):
    plan = draft_plan()
    with pytest.raises(ValidationError) as exc:
        S.target_save(actor=pworld.officer_a, plan_id=plan.pk, data=S.TargetInput(
            wording="", goal_kind="share", goal_value=120, measurement="indicator", activity_kinds=["x"],
            population="nope", responsible_id=999999, milestones=[("x", 1)]))
    assert {"wording", "goal_value", "indicator_code", "activity_kinds", "population", "responsible_id",
            "milestones[0]"} <= set(exc.value.message_dict)
    t = plan.targets.get()
    saved = S.target_save(actor=pworld.officer_a, plan_id=plan.pk, target_id=t.pk, data=target(
        "Tỷ lệ trẻ em hoàn thành cấp tiểu học", goal_value=97, milestones=[(2025, 97), (2030, 99)]))
    assert list(saved.milestones.values_list("year", flat=True)) == [2025, 2030]
    with pytest.raises(NotFound):
        S.target_save(actor=pworld.officer_a, plan_id=plan.pk, target_id=987654, data=target())


def test_prevention_sections_reach_the_periodic_reports(pworld, issued_plan):
    import json

    from reports.sections import registered_sections

    plan = issued_plan()
    activity(pworld, dt.date.today(), girls_6_10=12)
    S.task_move(actor=pworld.police_a, task_id=police_task(plan).pk, action="complete")
    sections = {s.key: s for s in registered_sections()}
    assert {"prevention.targets", "prevention.activities", "prevention.tasks"} <= set(sections)
    figures = {key: sections[key].provider(organisation=pworld.orgs["a.committee"], area_path=pworld.areas["a"].path,
                                           start=dt.date(this_year(), 1, 1), end=dt.date.today())
               for key in ("prevention.targets", "prevention.activities", "prevention.tasks")}
    json.dumps(figures)    # JSON-able, as the report snapshot needs
    assert figures["prevention.activities"]["rows"][0]["girls_6_10"] == 12
    assert {r["organisation__name"]: r["done"] for r in figures["prevention.tasks"]["rows"]}[
        pworld.orgs["a.police"].name] == 1
    assert figures["prevention.targets"]["rows"][0]["target"].startswith("90%")
