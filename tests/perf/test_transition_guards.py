"""Issue 14, item 4: the statements of every change on the statutory path, from the report to
closure, do not grow with the case's history or with the number of cases around it (counts,
never timings).

The same walk is taken three times: once to warm the per-process caches (policies, calendar,
roles), once on a fresh case, and once on a case whose timeline already holds 120 more events,
in a commune with 12 more open cases. Each step of the last two must make the same number of
statements, and no step may exceed ``CEILING``.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casework.audit import case_event_record
from casework.models import CaseEventType
from casework.services import lifecycle, plans, tasks
from permissions.access import forget_assignments
from tests.casework import scenario
from tests.web.cases import report

# The heaviest step (approving a plan: its tasks, their clocks and deliveries, the plan's
# clocks) stays well inside this; a query in a loop over the history or the cases would not.
CEILING = 40


def _walk(world, case) -> dict[str, int]:
    """Every change of the path on ``case``, with the statements each made."""
    officer, chair = world.users["officer_a"], world.users["chair_a"]
    counts: dict[str, int] = {}

    def step(name, fn, **kw):
        for user in world.users.values():  # a fresh request: nothing remembered on the user
            forget_assignments(user)
        with CaptureQueriesContext(connection) as q:
            result = fn(**kw)
        counts[name] = len(q)
        return result

    step("verification_start", lifecycle.case_verification_start, actor=officer, case_id=case.pk)
    step("verification_record", lifecycle.case_verification_record, actor=officer, case_id=case.pk,
         findings="Đã đến nhà cùng công an xã.")
    step("initial_start", lifecycle.case_initial_assessment_start, actor=officer, case_id=case.pk)
    step("initial_record", lifecycle.initial_assessment_record, actor=officer, case_id=case.pk,
         risk_level="medium", findings="Bố uống rượu; mẹ bảo vệ trẻ.", emergency_needed=False,
         caregiver_is_abuser=False)
    step("comprehensive_start", lifecycle.case_comprehensive_start, actor=officer, case_id=case.pk)
    step("comprehensive_record", lifecycle.comprehensive_assessment_record, actor=officer, case_id=case.pk,
         risk_level="medium", caregiver_views="Mẹ đồng ý.", **scenario.COMPREHENSIVE)
    step("conference_record", lifecycle.conference_record, actor=officer, case_id=case.pk,
         **scenario.conference_minutes(world, case))
    step("planning_start", plans.case_planning_start, actor=officer, case_id=case.pk)
    today = timezone.localdate()
    step("plan_draft_save", plans.plan_draft_save, actor=officer, case_id=case.pk, goals="Trẻ an toàn.",
         starts_on=today, ends_on=today + dt.timedelta(days=60), review_on=today + dt.timedelta(days=55),
         measures=[plans.MeasureInput(kind="intervention_follow_up", responsible_id=world.orgs["a.police"].pk,
                                      starts_on=today, ends_on=today + dt.timedelta(days=30), cost=0),
                   plans.MeasureInput(kind="support_counselling", responsible_id=world.orgs["a.school"].pk,
                                      starts_on=today, ends_on=today + dt.timedelta(days=45), cost="500000")])
    step("plan_submit", plans.plan_submit, actor=officer, case_id=case.pk)
    step("plan_approve", plans.plan_approve, actor=chair, case_id=case.pk, decision_no="05/QĐ-UBND")
    task = case.tasks.get(organisation=world.orgs["a.police"])
    police = world.users["police_a"]
    step("task_accept", tasks.task_move, actor=police, case_id=case.pk, task_id=task.pk, action="accept")
    step("task_log", tasks.task_log_add, actor=police, case_id=case.pk, task_id=task.pk, acted_on=today,
         action="Thăm nhà", outcome="Trẻ an toàn")
    step("task_complete", tasks.task_move, actor=police, case_id=case.pk, task_id=task.pk, action="complete")
    step("level_change", lifecycle.case_level_change, actor=officer, case_id=case.pk, level="support",
         reason="Đánh giá lại.")
    return counts


def test_no_change_on_the_path_grows_with_the_history_or_the_cases(world, open_case):
    _walk(world, open_case())  # warm every per-process cache
    fresh = _walk(world, open_case())

    crowded = open_case()
    for i in range(120):
        case_event_record(case=crowded, type=CaseEventType.FILE_EXPORTED, actor=world.users["officer_a"],
                          data={"n": i})
    for i in range(12):
        report(world, name=f"Trẻ em số {i}", hours_ago=1 + i)
    crowded.refresh_from_db()
    long = _walk(world, crowded)

    assert long == fresh, {k: (fresh[k], long[k]) for k in fresh if fresh[k] != long[k]}
    assert max(fresh.values()) <= CEILING, fresh
