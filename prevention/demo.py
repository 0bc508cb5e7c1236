"""Demo data of the prevention level, built from the seed plans and walked through the services.

- Commune A (Phường Bến Thành) holds last year's plan modelled on seed 001 (Y Tịch): its targets,
  the duties of each body of section IV and the reporting dates 5/5, 5/11, 10/5, 10/11; issued,
  carried out and closed. This year's plan is left to the officer to copy (the issue's journey).
- The primary school of commune A holds this year's plan modelled on seed 000, implementing the
  commune's, issued, with tasks and activities under way.
- Commune B holds this year's plan, issued, so the province supervisor compares two communes.
- The population base of both communes, activities with participants, the registry of
  children in special circumstances with their supports, and an open watch record.

Idempotent: nothing is added when commune A already has a plan.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from . import services as S
from .cast import extend_world
from .models import WorkPlan
from .states import GoalKind as G
from .states import Measurement as M
from .states import PopulationScope as P

# Seed 001, section II (wording shortened where the seed runs on).
COMMUNE_TARGETS = [
    ("CT1", ("Phấn đấu 100% trẻ em có hoàn cảnh đặc biệt được bảo vệ, chăm sóc dưới các hình thức: trợ cấp xã hội, "
     "khám chữa bệnh, hỗ trợ giáo dục, tư vấn, tiếp cận dịch vụ bảo vệ trẻ em."), G.SHARE, 100, M.REGISTRY, {}),
    ("CT2", "Duy trì không có vụ trẻ em bị bạo lực, xâm hại trên địa bàn.", G.ZERO, 0, M.INDICATOR,
     {"indicator_code": "0101"}),
    ("CT3", "100% trẻ em bị bạo lực, xâm hại được kịp thời phát hiện, can thiệp trợ giúp.", G.SHARE, 100,
     M.INDICATOR, {"indicator_code": "BV05"}),
    ("CT4", "Đảm bảo 100% trẻ em dưới 6 tuổi được khám, chữa bệnh miễn phí tại cơ sở y tế công lập.", G.SHARE, 100,
     M.REPORTED, {"responsible": "a.health"}),
    ("CT5", ("Phấn đấu 90% trẻ em trong và ngoài trường học được hướng dẫn và biết kỹ năng phòng, chống tai nạn, "
     "thương tích, đặc biệt là phòng, chống tai nạn đuối nước."), G.SHARE, 90, M.PARTICIPATION,
     {"activity_kinds": ["drowning", "awareness"]}),
    ("CT6", "Phấn đấu 70% trẻ em được nâng cao nhận thức, năng lực về quyền tham gia của trẻ em.", G.SHARE, 70,
     M.PARTICIPATION, {"activity_kinds": ["children_forum", "month_of_action"]}),
    ("CT7", ("Tỷ lệ trẻ em từ 11 tuổi trở lên được tham gia vào các mô hình, hoạt động thúc đẩy quyền tham gia "
     "của trẻ em đạt 30%."), G.SHARE, 30, M.PARTICIPATION,
     {"activity_kinds": ["children_forum"], "population": P.ELEVEN_PLUS}),
]

# Seed 001, section V: the duties of each body (key, as named in the plan, task, due month/day or None).
COMMUNE_TASKS = [
    ("committee", "Công chức Văn hóa – Xã hội", ("Tham mưu xây dựng kế hoạch; phối hợp các đoàn thể tổ chức "
     "Tháng hành động vì trẻ em và Diễn đàn trẻ em; tổng hợp báo cáo"), (11, 10)),
    ("committee", "Công chức Kế toán – Tài chính", ("Xây dựng kế hoạch kinh phí hỗ trợ các hoạt động bảo vệ, "
     "chăm sóc trẻ em; theo dõi, giám sát chi tiêu"), (3, 31)),
    ("justice", "Công chức Tư pháp", ("Phổ biến Luật Trẻ em, Luật Phòng, chống bạo lực gia đình; đăng ký khai "
     "sinh; đề nghị cấp thẻ BHYT cho trẻ em dưới 6 tuổi"), (12, 15)),
    ("health", "Trạm Y tế", ("Rà soát, khám sàng lọc trẻ em khuyết tật; khám chữa bệnh miễn phí cho trẻ em dưới 6 "
     "tuổi"), (10, 31)),
    ("police", "Công an", "Tuyên truyền, phòng ngừa, đấu tranh với hành vi xâm hại trẻ em; can thiệp khẩn cấp", None),
    ("school", "Các đơn vị trường học", ("Giáo dục kỹ năng sống, phòng chống bạo lực học đường; hồ sơ hỗ trợ chi "
     "phí học tập cho học sinh nghèo, mồ côi, khuyết tật"), (5, 31)),
    ("youth", "Đoàn Thanh niên", "Tổ chức hoạt động hè, Tết Trung thu; tuyên truyền phòng tránh đuối nước", (8, 31)),
    ("front", "Ủy ban MTTQ và các đoàn thể", ("Tuyên truyền phong trào “Toàn dân chăm sóc, giáo dục và bảo vệ trẻ "
     "em”; quảng bá Tổng đài 111"), None),
    ("v1", "Các khu phố", ("Rà soát khu vực nguy cơ đuối nước; tổ chức Tháng hành động, 1/6, Trung thu; báo cáo "
     "6 tháng (05/5) và năm (05/11)"), (11, 5)),
]

SCHOOL_TARGETS = [
    ("", "100% học sinh được giáo dục kỹ năng phòng, chống xâm hại, tai nạn thương tích, đuối nước.", G.SHARE, 100,
     M.PARTICIPATION, {"activity_kinds": ["awareness", "drowning"], "population": P.SIX_TO_10}),
    ("", "Không để xảy ra bạo lực học đường, xâm hại trẻ em trong trường.", G.ZERO, 0, M.INDICATOR,
     {"indicator_code": "0101"}),
]
SCHOOL_TASKS = [
    ("school", "Ban giám hiệu", ("Xây dựng kế hoạch cụ thể; bố trí kinh phí; kiểm tra môi trường an toàn, thân "
     "thiện; báo cáo 6 tháng (trước 03/5) và năm (trước 03/11)"), (11, 3)),
    ("school", "Các tổ khối", "Lồng ghép quyền trẻ em, phòng chống xâm hại, đuối nước vào kế hoạch giáo dục", (5, 31)),
    ("youth", "Đoàn TNCS Hồ Chí Minh, Liên đội", "Hoạt động hè, tặng quà học sinh khó khăn", (8, 31)),
]

POPULATION = {"a": {"girls_0_5": 180, "boys_0_5": 190, "girls_6_10": 260, "boys_6_10": 270, "girls_11_15": 210, "boys_11_15": 220},
              "b": {"girls_0_5": 120, "boys_0_5": 130, "girls_6_10": 160, "boys_6_10": 150, "girls_11_15": 140, "boys_11_15": 150}}


def _day(year, month_day, today):
    if month_day is None:
        return None
    return dt.date(year, *month_day)


def _past(day, today):
    return min(day, today)


def _plan(world, actor, body_key, year, title, targets, tasks, parent=None, citation=""):
    u, o = world.users, world.orgs
    plan = S.plan_create(actor=u[actor], organisation_id=o[body_key].pk, year_from=year, title=title,
                         parent_id=parent.pk if parent else None, parent_citation=citation)
    S.plan_update(actor=u[actor], plan_id=plan.pk, legal_bases=[
        "Căn cứ Luật Trẻ em năm 2016;",
        ("Căn cứ Nghị định số 56/2017/NĐ-CP ngày 09/5/2017 của Chính phủ quy định chi tiết một số điều của Luật "
        "Trẻ em;")])
    commune = body_key.split(".")[0]
    for code, wording, goal_kind, goal, measurement, extra in targets:
        responsible = extra.get("responsible")
        S.target_save(actor=u[actor], plan_id=plan.pk, data=S.TargetInput(
            wording=wording, code=code, goal_kind=goal_kind, goal_value=goal, measurement=measurement,
            indicator_code=extra.get("indicator_code", ""), activity_kinds=extra.get("activity_kinds", []),
            population=extra.get("population", P.ALL),
            responsible_id=o[responsible.replace("a.", f"{commune}.")].pk if responsible else None))
    for key, label, title_, due in tasks:
        org = o[f"{commune}_v1.village"] if key == "v1" and f"{commune}_v1.village" in o else o[f"{commune}.{key}"]
        S.task_assign(actor=u[actor], plan_id=plan.pk, organisation_id=org.pk, title=title_, body_label=label,
                      due_on=_day(year, due, None), recurrence="once" if due else "throughout")
    return plan


def _issue(world, plan, signer, number, day):
    u = world.users
    S.plan_submit(actor=u[plan.created_by.username], plan_id=plan.pk)
    S.plan_sign(actor=u[signer], plan_id=plan.pk)
    S.plan_issue(actor=u[signer], plan_id=plan.pk, number=number, issued_on=day)


@transaction.atomic
def load_prevention_demo(world, *, password=None) -> bool:
    """Add the prevention demo to casework's demo world. False when it is already there."""
    extend_world(world, password=password)
    u, o, areas = world.users, world.orgs, world.areas
    if WorkPlan.objects.filter(area=areas["a"]).exists():
        return False
    today = timezone.localdate()
    year, last = today.year, today.year - 1

    for key, counts in POPULATION.items():
        for y in (last, year):
            S.population_save(actor=u[f"officer_{key}"], commune_id=areas[key].pk, year=y, counts=counts,
                              households=900 if key == "a" else 600, source="Số liệu thống kê trẻ em của phường")

    # Last year's commune plan (seed 001), carried out and closed.
    old = _plan(world, "officer_a", "a.committee", last,
                f"Kế hoạch thực hiện công tác bảo vệ, chăm sóc trẻ em trên địa bàn phường Bến Thành năm {last}",
                COMMUNE_TARGETS, COMMUNE_TASKS,
                citation=f"Thực hiện Kế hoạch số 105/KH-UBND ngày 30/3/{last} của Ủy ban nhân dân Thành phố về "
                         f"công tác bảo vệ, chăm sóc trẻ em năm {last}.")
    _issue(world, old, "chair_a", "45/KH-UBND", dt.date(last, 4, 12))
    activities = [
        ("month_of_action", "Lễ phát động Tháng hành động vì trẻ em", dt.date(last, 6, 1), "a.committee",
         {"girls_6_10": 150, "boys_6_10": 140, "girls_11_15": 120, "boys_11_15": 110}, 40),
        ("children_forum", "Diễn đàn trẻ em phường", dt.date(last, 7, 20), "a.youth",
         {"girls_11_15": 75, "boys_11_15": 70}, 12),
        ("drowning", "Dạy bơi, kỹ năng an toàn trong môi trường nước", dt.date(last, 7, 5), "a.youth",
         {"girls_6_10": 160, "boys_6_10": 180, "girls_11_15": 130, "boys_11_15": 140}, 20),
        ("awareness", "Tuyên truyền phòng, chống xâm hại tại khu phố 1", dt.date(last, 9, 15), "a_v1.village",
         {"girls_0_5": 20, "boys_0_5": 25, "girls_6_10": 60, "boys_6_10": 55}, 35),
        ("holiday_visit", "Thăm, tặng quà Tết Trung thu trẻ em có hoàn cảnh đặc biệt", dt.date(last, 9, 28),
         "a.committee", {"girls_6_10": 8, "boys_6_10": 7}, 0),
    ]
    officer_task = old.tasks.get(body_label="Công chức Văn hóa – Xã hội")
    for kind, title, day, org, counts, parents in activities:
        actor = u["village_a"] if org.endswith("village") else u["officer_a"]
        S.activity_record(actor=actor, data=S.ActivityInput(
            kind=kind, title=title, held_on=day, organiser_id=o[org].pk, counts=counts, parents=parents, staff=6,
            plan_task_id=officer_task.pk, cost=2_500_000, place="Nhà văn hoá phường"))
    health_target = old.targets.get(code="CT4")
    S.target_report(actor=u["health_a"], target_id=health_target.pk, value=98, period_end=dt.date(last, 11, 5),
                    note="Báo cáo của Trạm Y tế")
    for task in old.tasks.all():
        who = {"police": "police_a", "health": "health_a", "justice": "justice_a", "school": "counsellor_a",
               "village": "village_a"}.get(task.organisation.kind, "officer_a")
        if task.organisation.kind == "other" and "Mặt trận" in task.organisation.name:
            S.task_move(actor=u["officer_a"], task_id=task.pk, action="not_done",
                        reason="Chưa bố trí được kinh phí in tờ rơi")
        else:
            S.task_move(actor=u[who], task_id=task.pk, action="complete", note="Đã hoàn thành")
    S.plan_close(actor=u["chair_a"], plan_id=old.pk, reason=f"Báo cáo năm {last} đã gửi ngày 10/11/{last}")

    # This year's school plan (seed 000), implementing the commune's last plan until this year's is issued.
    school = _plan(world, "counsellor_a", "a.school", year, f"Kế hoạch thực hiện công tác trẻ em năm {year}",
                   SCHOOL_TARGETS, SCHOOL_TASKS, parent=old)
    _issue(world, school, "principal_a", "12/KH-THBT", _past(dt.date(year, 1, 15), today))
    for task in school.tasks.filter(organisation=o["a.school"])[:1]:
        S.task_move(actor=u["counsellor_a"], task_id=task.pk, action="start", note="Đã triển khai tới các tổ khối")
    S.activity_record(actor=u["counsellor_a"], data=S.ActivityInput(
        kind="awareness", title="Chuyên đề kỹ năng phòng, chống xâm hại cho học sinh", held_on=_past(
            dt.date(year, 3, 20), today), organiser_id=o["a.school"].pk, plan_task_id=school.tasks.first().pk,
        counts={"girls_6_10": 240, "boys_6_10": 250}, staff=18, parents=60, place="Sân trường"))
    # Activities of this year in the commune, which this year's copied plan will count.
    S.activity_record(actor=u["village_a"], data=S.ActivityInput(
        kind="drowning", title="Tuyên truyền phòng, chống đuối nước mùa hè", held_on=_past(dt.date(year, 5, 25), today),
        organiser_id=o["a_v1.village"].pk, counts={"girls_6_10": 90, "boys_6_10": 95, "girls_11_15": 60, "boys_11_15": 70},
        parents=45, place="Nhà văn hoá khu phố 1"))

    # Commune B's plan of this year, issued; the supervisor compares it with A's.
    plan_b = _plan(world, "officer_b", "b.committee", year, f"Kế hoạch thực hiện công tác trẻ em năm {year}",
                   COMMUNE_TARGETS[:3], [t for t in COMMUNE_TASKS if t[0] in ("committee", "police", "school")])
    _issue(world, plan_b, "chair_b", "20/KH-UBND", _past(dt.date(year, 2, 20), today))
    S.task_move(actor=u["police_b"], task_id=plan_b.tasks.get(organisation=o["b.police"]).pk, action="complete",
                note="Đã tuyên truyền tại 3 khu phố")

    # The registry of commune A: children in special circumstances and their supports.
    children = [
        ("Lò Thị Mai", dt.date(2014, 4, 2), "female", ["c", "c1"], "Mồ côi cha, mẹ đi làm xa"),
        ("Vàng Văn Tủa", dt.date(2016, 9, 12), "male", ["d"], "Khuyết tật vận động"),
        ("Giàng Thị Dua", dt.date(2012, 1, 30), "female", ["n"], "Bệnh tim bẩm sinh, hộ nghèo"),
    ]
    entries = []
    for name, dob, sex, groups, note in children:
        entries.append(S.registry_add(actor=u["officer_a"], commune_id=areas["a"].pk, village_id=areas["a_v1"].pk,
                                      category="special", groups=groups, note=note, since=dt.date(last, 3, 1),
                                      child=S.RegistryChild(full_name=name, date_of_birth=dob, sex=sex,
                                                            address="Khu phố 1, phường Bến Thành",
                                                            parents="(demo)")))
    S.support_record(actor=u["officer_a"], entry_id=entries[0].pk, kind="social_allowance",
                     given_on=_past(dt.date(year, 1, 10), today), provider="UBND phường", amount=540_000)
    S.support_record(actor=u["officer_a"], entry_id=entries[1].pk, kind="health_insurance",
                     given_on=_past(dt.date(year, 2, 1), today), provider="Bảo hiểm xã hội")
    S.watch_open(actor=u["officer_a"], entry_id=entries[0].pk, concern="Trẻ thường ở nhà một mình buổi tối; "
                 "hàng xóm báo có người lạ lui tới.", visit_plan="Cộng tác viên thăm nhà mỗi tuần, báo lại phường.",
                 follow_up_by_id=o["a_v1.village"].pk, next_visit_on=today + dt.timedelta(days=3))
    return True
