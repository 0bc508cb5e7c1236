"""One test per row of the notification table (``notifications.dispatch.AUDIENCE``), on both
databases: each change is made through its service (or timer), committed, and the in-app
notices it produced are compared with who the table says should hear of it."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from casework.models import CaseEventType as T
from casework.services import deadlines, emergency, grants, lifecycle, plans, tasks, transfers
from notifications.dispatch import AUDIENCE
from notifications.models import Notification
from tests.casework.scenario import implement, review, to_submitted_plan, verify

TESTED: set[int] = set()


def told(case, type) -> set[str]:
    TESTED.add(type)
    return set(Notification.objects.filter(event__case=case, event__type=type)
               .values_list("recipient__username", flat=True))


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a change and its on-commit dispatch, as a request's transaction would."""
    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)
    return run


def emergency_case(world, open_case, committed):
    case = open_case(urgent=True, caregiver_is_abuser=True)
    committed(lifecycle.case_emergency_declare, actor=world.users["officer_a"], case_id=case.pk, reason="Nguy hiểm")
    return case


def test_case_opened(world, open_case, committed):
    case = committed(open_case, "counsellor_a")
    assert told(case, T.CASE_OPENED) == {"officer_a", "chair_a"}


def test_emergency_declared(world, open_case, committed):
    case = emergency_case(world, open_case, committed)
    assert told(case, T.EMERGENCY_DECLARED) == {"chair_a"}   # the officer declared it


def test_emergency_measure_ordered_tells_the_body_and_the_officer(world, open_case, committed):
    case = emergency_case(world, open_case, committed)
    committed(emergency.emergency_measure_order, actor=world.users["chair_a"], case_id=case.pk, kind="stop_act",
              organisation_id=world.orgs["a.police"].pk)
    assert told(case, T.EMERGENCY_MEASURE_ORDERED) == {"police_a", "officer_a"}


def test_emergency_measure_not_possible(world, open_case, committed):
    case = emergency_case(world, open_case, committed)
    measure = emergency.emergency_measure_order(actor=world.users["chair_a"], case_id=case.pk, kind="stop_act",
                                                organisation_id=world.orgs["a.police"].pk)
    committed(emergency.emergency_measure_record, actor=world.users["police_a"], case_id=case.pk,
              measure_id=measure.pk, outcome="not_possible", note="Không tìm thấy người vi phạm")
    assert told(case, T.EMERGENCY_MEASURE_NOT_POSSIBLE) == {"officer_a", "chair_a"}


def test_isolation_expired_by_the_timer(world, open_case, committed):
    case = emergency_case(world, open_case, committed)
    emergency.isolation_issue(actor=world.users["chair_a"], case_id=case.pk, decision_no="07/QĐ", days=2,
                              placement="Nhà tạm lánh")
    committed(emergency.isolation_expire_due, now=timezone.now() + dt.timedelta(days=3))
    assert told(case, T.ISOLATION_EXPIRED) == {"officer_a", "chair_a"}


def test_plan_submitted(world, open_case, committed):
    case = open_case()
    committed(to_submitted_plan, world, case)
    assert told(case, T.PLAN_SUBMITTED) == {"chair_a"}


def test_plan_approved_tells_the_officer_and_every_body_with_a_measure(world, open_case, committed):
    case = open_case()
    to_submitted_plan(world, case)
    committed(plans.plan_approve, actor=world.users["chair_a"], case_id=case.pk, decision_no="05/QĐ")
    # The draft names the commune police and the school (tests/casework/scenario.draft_plan).
    assert told(case, T.PLAN_APPROVED) == {"officer_a", "police_a", "counsellor_a"}


def test_plan_returned(world, open_case, committed):
    case = open_case()
    to_submitted_plan(world, case)
    committed(plans.plan_return, actor=world.users["chair_a"], case_id=case.pk, reason="Bổ sung chi phí")
    assert told(case, T.PLAN_RETURNED) == {"officer_a"}


def test_review_recorded(world, open_case, committed):
    case = open_case()
    to_submitted_plan(world, case)
    plans.plan_approve(actor=world.users["chair_a"], case_id=case.pk, decision_no="05/QĐ")
    implement(world, case)  # art. 30 (issue 8): the review follows settled tasks
    committed(review, world, case)
    assert told(case, T.REVIEW_RECORDED) == {"chair_a"}


def test_task_assigned_tells_the_body(world, open_case, committed):
    case = open_case()
    committed(tasks.task_assign, actor=world.users["officer_a"], case_id=case.pk,
              organisation_id=world.orgs["a.health"].pk, title="Khám sức khỏe")
    assert told(case, T.TASK_ASSIGNED) == {"health_a"}


def test_task_declined_and_failed(world, open_case, committed):
    case = open_case()
    first = tasks.task_assign(actor=world.users["officer_a"], case_id=case.pk,
                              organisation_id=world.orgs["a.police"].pk, title="Xác minh")
    committed(tasks.task_move, actor=world.users["police_a"], case_id=case.pk, task_id=first.pk, action="decline",
              reason="Không thuộc thẩm quyền")
    assert told(case, T.TASK_DECLINED) == {"officer_a"}
    second = tasks.task_assign(actor=world.users["officer_a"], case_id=case.pk,
                               organisation_id=world.orgs["a.health"].pk, title="Khám")
    tasks.task_move(actor=world.users["health_a"], case_id=case.pk, task_id=second.pk, action="accept")
    committed(tasks.task_move, actor=world.users["health_a"], case_id=case.pk, task_id=second.pk, action="fail",
              reason="Gia đình từ chối")
    assert told(case, T.TASK_FAILED) == {"officer_a"}


def test_transfer_requested_accepted_declined(world, open_case, committed):
    case = open_case()
    verify(world, case)
    transfer = committed(transfers.transfer_request, actor=world.users["officer_a"], case_id=case.pk,
                         to_commune_id=world.areas["b"].pk, reason="Gia đình chuyển nhà")
    assert told(case, T.TRANSFER_REQUESTED) == {"officer_b"}
    committed(transfers.transfer_decide, actor=world.users["officer_b"], case_id=case.pk, transfer_id=transfer.pk,
              accept=False, reason="Gia đình chưa đến")
    assert told(case, T.TRANSFER_DECLINED) == {"officer_a"}
    again = transfers.transfer_request(actor=world.users["officer_a"], case_id=case.pk,
                                       to_commune_id=world.areas["b"].pk, reason="Đã chuyển")
    committed(transfers.transfer_decide, actor=world.users["officer_b"], case_id=case.pk, transfer_id=again.pk,
              accept=True)
    # The commune that asked hears the answer, though the case now belongs to commune B; the
    # school that reported learns where its report went.
    assert told(case, T.TRANSFER_ACCEPTED) == {"officer_a", "counsellor_a"}


def test_triage_answers_the_person_who_reported(world, open_case, committed):
    accepted = open_case("counsellor_a")
    committed(lifecycle.case_verification_start, actor=world.users["officer_a"], case_id=accepted.pk)
    assert told(accepted, T.VERIFICATION_STARTED) == {"counsellor_a"}
    rejected = open_case("village_a")
    committed(lifecycle.case_not_eligible, actor=world.users["officer_a"], case_id=rejected.pk,
              reason="Tai nạn sinh hoạt")
    assert told(rejected, T.CASE_NOT_ELIGIBLE) == {"village_a"}
    # Nobody is told of what they did themselves: an officer's own report.
    own = open_case("officer_a")
    committed(lifecycle.case_verification_start, actor=world.users["officer_a"], case_id=own.pk)
    assert told(own, T.VERIFICATION_STARTED) == set()


def test_grant_given_tells_the_grantee(world, open_case, committed):
    case = open_case()
    committed(grants.grant_give, actor=world.users["officer_a"], case_id=case.pk, purpose="Tư vấn pháp lý",
              days=7, user_id=world.users["provider_p1"].pk)
    assert told(case, T.GRANT_GIVEN) == {"provider_p1"}


def test_a_missed_12_hour_emergency_clock_reaches_the_officer_and_the_chairperson(world, open_case, committed):
    """The timer records the breach through the one commit path; its notices follow the commit."""
    with time_machine.travel(timezone.now(), tick=False) as clock:
        case = open_case(urgent=True)
        clock.shift(dt.timedelta(hours=13))
        recorded = committed(deadlines.deadlines_sweep)
    assert recorded >= 1
    event = case.events.get(type=T.DEADLINE_BREACHED, data__clock="emergency_measures")
    assert event.actor is None and event.data["late_by_minutes"] >= 60
    assert told(case, T.DEADLINE_BREACHED) == {"officer_a", "chair_a"}
    # Once: a second sweep records nothing more and tells nobody again.
    assert committed(deadlines.deadlines_sweep) == 0
    assert Notification.objects.filter(event__case=case, event__type=T.DEADLINE_BREACHED).count() == 2


def test_a_deadline_warning_reaches_the_officer_the_chairperson_and_a_task_body(world, open_case, committed):
    from notifications.timers import timers_run_due

    with time_machine.travel(timezone.now(), tick=False) as clock:
        case = open_case(received_at=timezone.now(), urgent=True)
        clock.shift(dt.timedelta(hours=6, minutes=1))
        committed(timers_run_due, worker_id="test")
    assert told(case, T.DEADLINE_WARNING) == {"officer_a", "chair_a"}
    # A task's clock also warns the body that holds the task.
    other = open_case()
    task = tasks.task_assign(actor=world.users["officer_a"], case_id=other.pk,
                             organisation_id=world.orgs["a.health"].pk, title="Khám sức khỏe",
                             due_on=timezone.localdate() + dt.timedelta(days=2))
    with time_machine.travel(timezone.now() + dt.timedelta(days=2), tick=False):
        committed(timers_run_due, worker_id="test")
    event = other.events.get(type=T.DEADLINE_WARNING, data__subject=f"task-{task.pk}")
    assert event.data["organisation"] == world.orgs["a.health"].pk
    assert told(other, T.DEADLINE_WARNING) == {"officer_a", "chair_a", "health_a"}


def test_a_deadline_still_missed_escalates_to_the_supervisor_of_the_area(world, open_case, committed):
    from notifications.timers import timers_run_due

    with time_machine.travel(timezone.now(), tick=False) as clock:
        case = open_case(received_at=timezone.now(), urgent=True)
        clock.shift(dt.timedelta(hours=14, minutes=1))
        committed(timers_run_due, worker_id="test")
    assert told(case, T.DEADLINE_ESCALATED) == {"supervisor_p1"}


def test_attaching_a_report_tells_its_reporter_and_the_target_case_officers(world, open_case, committed):
    from triage.services import report_attach

    target, report = open_case("village_a"), open_case("village_a")
    committed(report_attach, actor=world.users["officer_a"], case_id=report.pk, target_code=target.code,
              reason="Cùng một trẻ, cùng sự việc")
    assert told(report, T.REPORT_ATTACHED) == {"village_a"}
    # The acting officer is not told of their own move; the other officers of the commune would be.
    assert told(target, T.REPORT_ATTACHED_HERE) == set()


def test_every_row_of_the_table_has_its_test():
    # Runs last in this module (pytest keeps file order).
    assert set(AUDIENCE) == TESTED, {T(t).name for t in set(AUDIENCE) ^ TESTED}
