"""The timers of a case's clocks, in one process with a frozen clock: what fires when, once.

DOMAIN.md §3 "Deadlines": the emergency clock (12 clock hours from receipt) warns at +6 h and
+10 h, is missed at +12 h (officer and chairperson told) and escalates to the supervisor at +14 h.
"""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from casework.models import CaseEventType as T
from casework.services import emergency, lifecycle
from notifications.models import Notification, Timer, TimerState, TimerWhat
from notifications.timers import timer_fire, timers_claim, timers_run_due

H = dt.timedelta(hours=1)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)
    return run


def deadline_events(case):
    return [(e.get_type_display(), e.data["clock"], e.data.get("step"))
            for e in case.events.filter(type__in=[T.DEADLINE_WARNING, T.DEADLINE_BREACHED, T.DEADLINE_ESCALATED])
            .order_by("seq")]


def test_an_emergency_left_alone_warns_at_6_and_10_hours_is_missed_at_12_and_escalates_at_14(
        world, open_case, committed):
    with time_machine.travel(timezone.now().replace(microsecond=0), tick=False) as clock:
        t0 = timezone.now()
        case = open_case(received_at=t0, urgent=True)
        plan = {(t.what, t.step): t.fire_at - t0 for t in case.timers.filter(kind="emergency_measures")}
        assert plan == {("warning", 1): 6 * H, ("warning", 2): 10 * H, ("breach", 1): 12 * H}

        seen = []
        for hours in (5, 6, 7, 10, 11, 12, 13, 14, 20):
            clock.move_to(t0 + hours * H + dt.timedelta(seconds=1))
            committed(timers_run_due, worker_id="w1")
            seen.append((hours, len(deadline_events(case))))
    assert seen == [(5, 0), (6, 1), (7, 1), (10, 2), (11, 2), (12, 3), (13, 3), (14, 4), (20, 4)]
    emergency_events = [e for e in deadline_events(case) if e[1] == "emergency_measures"]
    assert emergency_events == [("Deadline approaching", "emergency_measures", 1),
                                ("Deadline approaching", "emergency_measures", 2),
                                ("Deadline missed", "emergency_measures", None),
                                ("Missed deadline escalated to the supervisor", "emergency_measures", None)]
    # Recorded by the system, on the timeline, through the one commit path (version bumped).
    warning = case.events.filter(type=T.DEADLINE_WARNING).first()
    assert warning.actor is None and warning.data["minutes_left"] == 6 * 60 - 1
    case.refresh_from_db()
    assert case.version >= 5
    told = {(n.event.type, n.recipient.username) for n in Notification.objects.filter(event__case=case)
            .select_related("event", "recipient") if n.event.type in (T.DEADLINE_WARNING, T.DEADLINE_ESCALATED)}
    assert told == {(T.DEADLINE_WARNING, "officer_a"), (T.DEADLINE_WARNING, "chair_a"),
                    (T.DEADLINE_ESCALATED, "supervisor_p1")}
    # Every timer of the clock is spent, and spent once.
    assert set(case.timers.filter(kind="emergency_measures").values_list("what", "state")) == {
        ("warning", "fired"), ("breach", "fired"), ("escalation", "fired")}


def test_measures_taken_in_time_cancel_the_remaining_timers(world, open_case, committed):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        case = open_case(received_at=timezone.now(), urgent=True)
        lifecycle.case_emergency_declare(actor=world.users["officer_a"], case_id=case.pk, reason="Nguy hiểm")
        clock.shift(7 * H)
        committed(timers_run_due, worker_id="w1")      # the +6 h warning
        measure = emergency.emergency_measure_order(actor=world.users["chair_a"], case_id=case.pk, kind="stop_act",
                                                    organisation_id=world.orgs["a.police"].pk)
        emergency.emergency_measure_record(actor=world.users["police_a"], case_id=case.pk, measure_id=measure.pk,
                                           outcome="taken", note="Đã ngăn chặn")
        # The clock is met: its waiting timers went in the same transaction.
        assert not case.timers.filter(kind="emergency_measures", state=TimerState.PENDING).exists()
        clock.shift(10 * H)
        committed(timers_run_due, worker_id="w1")
    assert [e[2] for e in deadline_events(case) if e[1] == "emergency_measures"] == [1]


def test_a_rolled_back_change_leaves_the_timers_as_they_were(world, open_case):
    from django.db import transaction

    case = open_case(urgent=True)
    before = set(case.timers.values_list("key", "state"))
    with pytest.raises(RuntimeError), transaction.atomic():
        lifecycle.case_emergency_declare(actor=world.users["officer_a"], case_id=case.pk, reason="x")
        raise RuntimeError
    assert set(case.timers.values_list("key", "state")) == before


def test_a_claim_taken_over_after_its_lease_fires_once_and_the_first_claimant_loses(world, open_case):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        case = open_case(received_at=timezone.now(), urgent=True)
        clock.shift(6 * H + dt.timedelta(minutes=1))
        first = timers_claim(worker_id="dead", lease=dt.timedelta(seconds=30))
        assert len(first) == 1
        # Within the lease nobody else may take it.
        assert timers_claim(worker_id="w2") == []
        clock.shift(dt.timedelta(seconds=31))
        assert timers_claim(worker_id="w2") == first
        assert timer_fire(timer_id=first[0], worker_id="dead") == "lost"
        assert timer_fire(timer_id=first[0], worker_id="w2") == "fired"
        assert timer_fire(timer_id=first[0], worker_id="w2") == "lost"
    assert len(deadline_events(case)) == 1
    timer = Timer.objects.get(pk=first[0])
    assert (timer.state, timer.attempts, timer.claimed_by) == (TimerState.FIRED, 2, "w2")


def test_recomputing_the_clocks_never_recreates_a_fired_timer(world, open_case, committed):
    from casework.services.deadlines import deadlines_replace

    with time_machine.travel(timezone.now(), tick=False) as clock:
        case = open_case(received_at=timezone.now(), urgent=True)
        clock.shift(6 * H + dt.timedelta(minutes=1))
        committed(timers_run_due, worker_id="w1")
        keys = set(case.timers.values_list("key", flat=True))
        deadlines_replace(case)
        deadlines_replace(case)
        assert set(case.timers.values_list("key", flat=True)) == keys
        committed(timers_run_due, worker_id="w1")
    assert len(deadline_events(case)) == 1


def test_a_warning_whose_deadline_already_passed_is_skipped_not_sent_late(world, open_case, committed):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        case = open_case(received_at=timezone.now(), urgent=True)
        clock.shift(12 * H + dt.timedelta(minutes=1))   # the scheduler was down all along
        committed(timers_run_due, worker_id="w1")
    assert [e[0] for e in deadline_events(case) if e[1] == "emergency_measures"] == ["Deadline missed"]
    assert case.timers.filter(what=TimerWhat.WARNING, state=TimerState.SKIPPED).count() == 2


def test_the_plan_clock_warns_on_its_last_working_day(world, open_case):
    from casework.models import CaseDeadline

    case = open_case()
    plan = CaseDeadline.objects.get(case=case, kind="plan_draft")
    warning = case.timers.get(kind="plan_draft", what=TimerWhat.WARNING)
    assert warning.fire_at == plan.warn_at < plan.due_at
    # The warning opens the last working day: nothing but days off lies between them.
    from workflows.calendar import WorkingCalendar
    cal = WorkingCalendar(case.commune)
    local = timezone.localtime(warning.fire_at)
    assert cal.working_days_between(local, timezone.localtime(plan.due_at)) <= 1
    assert connection.vendor in ("sqlite", "postgresql")


def test_what_each_state_of_a_clock_plans():
    from casework.models import CaseDeadline
    from notifications.timers import planned_for

    t0 = timezone.now()
    clock = CaseDeadline(case_id=1, kind="plan_draft", subject="cycle-1", starts_at=t0, due_at=t0 + 120 * H,
                         warn_at=t0 + 96 * H, state="running")
    # A clock longer than a day warns once, on its warn_at.
    assert [(p.what, p.fire_at - t0) for p in planned_for(clock)] == [("warning", 96 * H), ("breach", 120 * H)]
    clock.state = "breached"
    assert [(p.what, p.fire_at - t0) for p in planned_for(clock)] == [("breach", 120 * H), ("escalation", 144 * H)]
    clock.breach_recorded = True
    assert [p.what for p in planned_for(clock)] == ["escalation"]
    clock.met_at, clock.breach_recorded = t0 + 130 * H, False      # met late: missed, but no escalation
    assert [p.what for p in planned_for(clock)] == ["breach"]
    clock.state = "met"
    assert planned_for(clock) == []
